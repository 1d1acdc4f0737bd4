"""Choosing a language as gettext programs and browsers do, plurals, and exact local money."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.i18n import (
    from_accept_language,
    from_environment,
    money,
    ngettext,
    number,
    speaking,
)


def test_the_environment_chooses_as_gettext_does() -> None:
    assert from_environment({}) == "en"
    assert from_environment({"LANG": "ru_RU.UTF-8"}) == "ru"
    assert from_environment({"LANG": "ru_RU.UTF-8", "LC_ALL": "es_ES.UTF-8"}) == "es"
    assert from_environment({"LC_ALL": "es_ES.UTF-8", "LC_MESSAGES": "ru_RU"}) == "es"
    assert from_environment({"LANG": "C.UTF-8", "LC_MESSAGES": "ru_RU"}) == "ru"
    # LANGUAGE is a list of preferences and comes first; a language without a catalog is skipped.
    assert from_environment({"LANGUAGE": "bn:es", "LANG": "ru_RU.UTF-8"}) == "es"
    assert from_environment({"LANGUAGE": "bn", "LANG": "ru_RU.UTF-8"}) == "ru"
    assert from_environment({"LANG": "C"}) == "en"
    assert from_environment({"LANG": "bn_BD.UTF-8"}) == "en"


def test_accept_language_by_weight() -> None:
    assert from_accept_language(None) == "en"
    assert from_accept_language("ru-RU,ru;q=0.9,en;q=0.8") == "ru"
    assert from_accept_language("bn, es;q=0.5, ru;q=0.7") == "ru"
    assert from_accept_language("de-DE, fr;q=0.9") == "en"
    assert from_accept_language("ru;q=0, es") == "es"
    assert from_accept_language("ru;q=bad, es;q=0.1") == "es"


def test_russian_has_three_plural_forms() -> None:
    one, many = "%(count)d problem; nothing was written", "%(count)d problems; nothing was written"
    with speaking("ru"):
        said = {n: ngettext(one, many, n) % {"count": n} for n in (1, 3, 5, 11, 21, 22)}
    assert said == {
        1: "1 ошибка; ничего не записано",
        3: "3 ошибки; ничего не записано",
        5: "5 ошибок; ничего не записано",
        11: "11 ошибок; ничего не записано",
        21: "21 ошибка; ничего не записано",
        22: "22 ошибки; ничего не записано",
    }
    with speaking("es"):
        assert ngettext(one, many, 1) % {"count": 1} == "1 problema; no se escribió nada"
    assert ngettext(one, many, 2) % {"count": 2} == "2 problems; nothing was written"


def test_money_in_each_locale() -> None:
    assert money(Decimal("1234.50"), "RUB", "es") == "1234,50\xa0RUB".replace("1234", "1.234")
    assert money(Decimal("341.56"), "RUB", "ru") == "341,56\xa0₽"
    assert money(Decimal("341.56"), "RUB", "en") == "RUB\xa0341.56"
    assert number(Decimal("0.123456789"), "es") == "0,123456789"


@given(st.decimals(min_value=-(10**12), max_value=10**12, places=4, allow_nan=False))
def test_local_money_keeps_every_digit(amount: Decimal) -> None:
    """Formatting never rounds away a digit (money is exact): reading back gives the amount."""
    for language, group, point in (("es", ".", ","), ("ru", "\xa0", ","), ("en", ",", ".")):
        text = money(amount, "RUB", language)
        digits = "".join(c for c in text if c.isdigit() or c in (point, "-", "\u2212"))
        back = Decimal(digits.replace(point, ".").replace("\u2212", "-"))
        assert back == amount, (language, text)
        assert group not in digits
