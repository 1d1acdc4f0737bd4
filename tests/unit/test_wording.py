"""Refusals in the reader's words (decision 0871): a `Wording` is its English text wherever it
goes (JSON, logs, comparisons) and is translated only where a person reads it; the figures of
the pages' macros in the reader's locale; a message in more than one sense, by its context."""

from __future__ import annotations

import json
import pickle
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.errors import InvalidValue, Problem, Refused, Source
from stakhanov.domain.periods import parse_period
from stakhanov.domain.wording import say, say_n
from stakhanov.i18n import (
    _,
    localized,
    number,
    pgettext,
    problem_line,
    reasons_of,
    said,
    speaking,
)
from stakhanov.web.language import finding_kind
from stakhanov.web.pages import templates


def test_a_wording_is_its_english_text() -> None:
    made = say("no revision %(revision)s", revision=7)
    assert made == "no revision 7" and json.dumps({"detail": made}) == '{"detail": "no revision 7"}'
    assert localized(made, "ru") == "нет пересмотра 7"
    assert localized(made, "es") == "no existe la revisión 7"
    assert localized(made, "en") == "no revision 7"
    again = pickle.loads(pickle.dumps(made))  # a refusal crosses from a child process
    assert localized(again, "ru") == "нет пересмотра 7"


def test_plural_and_nested_wordings() -> None:
    few = say_n(
        "%(count)d cell but the header has %(header)d",
        "%(count)d cells but the header has %(header)d",
        3,
        header=5,
    )
    assert few == "3 cells but the header has 5"
    assert localized(few, "ru") == "3 ячейки, а в заголовке 5"
    assert localized(say_n(few.template, str(few.plural), 5, header=1), "ru").startswith("5 ячеек")
    hint = say("; did you mean %(name)r?", name="W001")
    unknown = say("unknown worker %(id)r%(hint)s", id="w001", hint=hint)
    assert unknown == "unknown worker 'w001'; did you mean 'W001'?"
    assert localized(unknown, "es") == "trabajador desconocido 'w001'; ¿quiso decir 'W001'?"


def test_a_refused_period_in_russian_and_the_summary_of_problems() -> None:
    try:
        parse_period("1935-13")
    except InvalidValue as err:
        assert (
            str(err) == "period='1935-13': must be YYYY, YYYY-Qn, YYYY-MM, YYYY-MM-DD or FROM..TO"
        )
        assert said(err, "ru") == (
            "period='1935-13': должен быть в виде ГГГГ, ГГГГ-Qn, ГГГГ-ММ, ГГГГ-ММ-ДД или С..ПО"
        )
    problem = Problem(Source("crew.csv", 3), "hours", say("must be more than 0"))
    assert str(problem) == "crew.csv:3:hours: must be more than 0"
    assert problem_line(problem, "es") == "crew.csv:3:hours: debe ser mayor que 0"
    rejected = Refused(problems=[problem, problem])
    assert str(rejected) == "2 problems; nothing was written"
    assert said(rejected, "ru") == "2 ошибки; ничего не записано"
    assert reasons_of(rejected, "ru") == ["crew.csv:3:hours: должно быть больше 0"] * 2


def test_fixed_text_is_looked_up_and_names_are_left_alone() -> None:
    assert localized("is required", "ru") == "обязательно"
    assert localized("W001", "ru") == "W001" and localized("", "ru") == ""
    # A name passed as a value is never looked up, even when it reads like a message.
    assert localized(say("%(where)s: %(message)s", where="is required", message="x"), "ru") == (
        "is required: x"
    )


def test_pgettext_keeps_the_senses_apart() -> None:
    with speaking("ru"):
        assert pgettext("finding kind", "prepared") == "подготовленная"
        assert pgettext("finding kind", "dispute") == "спор"
        assert _("dispute") == "dispute"  # no such message without the context
        assert finding_kind("pooled") == "сводная" and finding_kind("other") == "other"
    with speaking("es"):
        assert pgettext("finding kind", "implausible") == "inverosímil"
    with speaking("en"):
        assert pgettext("finding kind", "uncredited") == "uncredited"


def _num(value: object, language: str, places: int = 6) -> str:
    macro = templates.env.from_string('{% from "macros.html" import num %}{{ num(value, places) }}')
    with speaking(language):
        return macro.render(value=value, places=places)


def test_the_macros_figures_in_the_readers_locale() -> None:
    assert _num(Decimal("1234.5"), "ru") == "1\xa0234,5"  # CLDR's no-break space
    assert _num(Decimal("1234.5"), "es") == "1.234,5"
    assert _num(Decimal("1234.5"), "ru") == number(Decimal("1234.5"), "ru")  # as the slips
    assert _num(Decimal("1234.50"), "en") == "1,234.5"
    assert _num(Decimal("2.0000004"), "ru", 3) == "2"  # rounded to its places, as before
    assert _num(Decimal("0.125"), "ru", 3) == "0,125"
    assert _num(None, "ru").startswith('<span class="none"')


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False))
def test_a_local_figure_keeps_every_digit(value: Decimal) -> None:
    shown = _num(value, "ru", 3)
    back = Decimal(shown.replace("\xa0", "").replace(",", "."))
    assert back == value
