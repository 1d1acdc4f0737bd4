"""The domain's English texts in the reader's language (stakhanov/stored_texts.py, decision 0870):
every template translated with its placeholders, matched back from what it writes, numbers in
the reader's locale, and what no template matches shown as written."""

from __future__ import annotations

import datetime as dt
import string
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov import stored_texts
from stakhanov.domain import texts
from stakhanov.domain.payslips import PayLine, PaySlip, figure
from stakhanov.domain.periods import Period
from stakhanov.i18n import speaking, translations

LANGUAGES = ("ru", "es")
PIECE = (
    "1935-08-31 shift S1, hewing: 102 t accepted x piece rate 1.114286 = 113.657143; piece rate "
    "= tariff 1.30/h x 6 h / 7 t; assisted: the tiers count the fair 364.3% of the norm, not "
    "the stated 1457.1%"
)


def names(template: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(template) if name)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_template_is_translated_with_its_placeholders(language: str) -> None:
    catalog = translations(language)
    for template in stored_texts.TEMPLATES:
        translated = catalog.gettext(template)
        assert translated != template or template.startswith("{date} {explain}"), template
        assert names(translated) == names(template), (language, template, translated)
        assert "%" not in translated.replace("%%", ""), (language, translated)  # as the msgid


def test_no_two_placeholders_touch_and_every_template_has_words_of_its_own() -> None:
    """Else what one placeholder holds could be read into the other. A percent sign is `%%`,
    so that the catalog tools never take "% of" for a placeholder."""
    assert len(set(stored_texts.TEMPLATES)) == len(stored_texts.TEMPLATES)
    used = {name for template in stored_texts.TEMPLATES for name in names(template)}
    kinds = (texts.DATES, texts.CLOCKS, texts.TOKENS, texts.WORDS, texts.TEXTS)
    for kind in kinds:
        assert kind <= used, kind - used  # every name a kind lists is a template's
    assert sum(len(kind) for kind in kinds) == len(frozenset().union(*kinds))  # one kind each
    for template in stored_texts.TEMPLATES:
        assert "%" not in template.replace("%%", ""), template
        parts = list(string.Formatter().parse(template))
        assert all(literal for literal, *_ in parts[1:]), template
        assert any(literal.strip() for literal, *_ in parts), template


TOKEN = st.from_regex(r"[A-Za-z][a-z0-9]{2,6}(-[A-Za-z0-9]{1,4})?", fullmatch=True)
WORDS = st.lists(TOKEN, min_size=1, max_size=3).map(" ".join)  # a name, a note
NUMBER = st.one_of(
    st.integers(-(10**7), 10**7).map(str),
    st.integers(1, 6)
    .flatmap(lambda places: st.decimals(-(10**6), 10**6, places=places))
    .map(figure),
    st.fractions(min_value=0, max_value=100, max_denominator=12).map(figure),
)
DATE = st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat)
BY_KIND = {
    "number": NUMBER,
    "date": DATE,
    "clock": st.times().map(lambda t: t.strftime("%H:%M")),
    "token": TOKEN,
    "reference": WORDS,
    "words": WORDS,
    "text": WORDS,
}


@given(st.sampled_from(stored_texts.TEMPLATES), st.data())
def test_a_formatted_template_matches_back_with_its_parameters(
    template: str, data: st.DataObject
) -> None:
    values = {
        name: data.draw(BY_KIND[stored_texts.kind(name)], label=name) for name in names(template)
    }
    written = stored_texts.english(template).format(**values)
    assert stored_texts.match(written) == (template, values)


def test_a_pay_line_in_russian_and_spanish() -> None:
    assert stored_texts.translate(PIECE, "ru") == (
        "1935-08-31 смена S1, hewing: принято 102 t × сдельная расценка 1,114286 = 113,657143; "
        "сдельная расценка = тарифная ставка 1,30/ч × 6 ч / 7 t; с помощниками: прогрессивная "
        "доплата считается от справедливых 364,3% нормы, а не от заявленных 1\xa0457,1%"
    )
    assert stored_texts.translate(PIECE, "es") == (
        "1935-08-31 turno S1, hewing: 102 t aceptados × tarifa por pieza 1,114286 = 113,657143; "
        "tarifa por pieza = salario base 1,30/h × 6 h / 7 t; con ayudantes: las primas "
        "escalonadas cuentan el 364,3% justo de la norma, no el 1.457,1% declarado"
    )
    assert stored_texts.translate(PIECE, "en") == PIECE


def test_nested_texts_are_translated_and_typed_words_kept() -> None:
    deduction = (
        "Trade-union dues: 1% of gross 476.83 = 4.7683; capped: deductions never take more than "
        "the gross 476.83, 0 left"
    )
    assert stored_texts.translate(deduction, "ru") == (
        "Trade-union dues: 1% от суммы (начислено 476,83) = 4,7683; ограничено: удержания "
        "никогда не превышают начисленного 476,83, осталось 0"
    )
    rest = (
        "1935-08-10 nonproductive time, hewing (safety talk; before the shift): 1 h x 1.944333 "
        "(average piece earnings of the week 1935-08-05..1935-08-11: 58.33 / 30 h) = 1.944333"
    )
    assert stored_texts.translate(rest, "es") == (
        "1935-08-10 tiempo no productivo, hewing (safety talk; before the shift): 1 h × 1,944333 "
        "(ganancia media a destajo de la semana 1935-08-05..1935-08-11: 58,33 / 30 h) = 1,944333"
    )


def test_a_text_no_template_matches_is_shown_as_written() -> None:
    typed = "paid by hand; see the foreman"
    assert stored_texts.translate(typed, "ru") == typed
    assert stored_texts.untranslated([typed, PIECE]) == [typed]
    partly = "piece rate = tariff 1.30/h x 6 h / 7 t; see the foreman"
    assert stored_texts.translate(partly, "ru") == (
        "сдельная расценка = тарифная ставка 1,30/ч × 6 ч / 7 t; see the foreman"
    )


def test_numbers_keep_every_decimal_and_group_as_the_locale_does() -> None:
    assert stored_texts.figure("1.30", "ru") == "1,30"
    assert stored_texts.figure("-12345.5", "ru") == "-12\xa0345,5"
    assert stored_texts.figure("1234567", "es") == "1.234.567"
    assert stored_texts.figure("0.000001", "es") == "0,000001"


def test_a_slip_is_shown_translated_and_its_stored_english_kept() -> None:
    line = PayLine(
        "piece", "piece:S1:hewing", Decimal("102"), "t", Decimal("1.11"), Decimal("113.66"), PIECE
    )
    slip = PaySlip(
        "W1", "Worker", "RUB", Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31)), (line,), ()
    )
    with speaking("ru"):
        shown = stored_texts.slip(slip)
    assert shown.lines[0].explain.startswith("1935-08-31 смена S1, hewing: принято 102 t")
    assert slip.lines[0].explain == PIECE
    assert shown.gross == slip.gross


def test_how_a_norm_was_set_and_the_evidence_a_revision_kept() -> None:
    """Provenance as the notice says it: the evidence a revision kept when it took effect, of
    which the rate-setter typed a part, inside the words the domain wrote."""
    described = (
        "set by technical calculation from the equipment and method; evidence: revision 4 "
        "(technical); method 2 (Two-handed drilling) by W1, W2: drill with both hands; "
        "evidence: timed at the face; time study: 20 timed; approved by director"
    )
    assert stored_texts.translate(described, "ru") == (
        "установлена техническим расчётом по оборудованию и методу работы; обоснование: "
        "пересмотр 4 (технический расчёт); метод 2 (Two-handed drilling), авторы W1, W2: "
        "drill with both hands; обоснование: timed at the face; хронометраж: 20 timed; "
        "утвердил(а): director"
    )
    statistical = (
        "revision 3 (statistical); 80th percentile of fair fulfilment 1935-06-01..1935-08-31: "
        "112.5% over 40 results; excluded: none"
    )
    assert stored_texts.translate(statistical, "es") == (
        "revisión 3 (estadística); percentil 80 del cumplimiento justo 1935-06-01..1935-08-31: "
        "112,5% sobre 40 resultados; excluidos: ninguno"
    )


def test_a_text_of_many_parts_is_translated_part_by_part() -> None:
    """Longer than any run a template takes: every part still found, in order."""
    many = "; ".join(f"piece rate = tariff 1.{n:02d}/h x 6 h / 7 t" for n in range(30))
    shown = stored_texts.translate(many, "es").split("; ")
    assert shown == [f"tarifa por pieza = salario base 1,{n:02d}/h × 6 h / 7 t" for n in range(30)]
