"""The rulebook file: documented keys only, rules checked, every problem located."""

from __future__ import annotations

import pytest

from stakhanov.domain.scopes import Scope
from stakhanov.services.importing import ImportRejected
from stakhanov.services.rulebooks import bundled_text, parse_text


def test_the_bundled_rulebook_has_every_title_of_the_issue() -> None:
    book = parse_text(bundled_text(), "rulebook.toml")
    assert [r.code for r in book.titles] == [
        "shock-worker",
        "stakhanovite",
        "outstanding-stakhanovite",
        "200-percenter",
        "300-percenter",
        "otlichnik",
        "master",
        "hero-of-socialist-labour",
    ]
    hero = book.rule("hero-of-socialist-labour")
    assert hero is not None and hero.by_authority and hero.valid_months is None
    assert book.organisation.levels == (Scope.ENTERPRISE, Scope.SECTION, Scope.BRIGADE)
    assert set(book.record_awards) == {"verified"}


def problems(text: str) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        parse_text(text, "r.toml")
    return [str(p) for p in caught.value.problems]


BASE = """
name = "test"
version = 2

[[titles]]
code = "shock-worker"
name = "Shock worker"
when = "fair_percent >= 100"
"""


def test_a_minimal_rulebook() -> None:
    book = parse_text(BASE, "r.toml")
    assert (book.name, book.version, book.gates.max_reject_share) == ("test", 2, 5)


def test_every_problem_is_reported_with_its_line() -> None:
    text = (
        BASE.replace('"fair_percent >= 100"', '"fair_pct >= 100"')
        + """
[[titles]]
code = "shock-worker"
name = "Again"
conferred_by = "authority"
when = "shifts > 1"
award = { kind = "money", amount = 12.5, currency = "RUB" }

[gates]
max_reject_share = "5"
colour = "red"
"""
    )
    assert problems(text) == [
        "r.toml:8:titles.shock-worker.when: unknown name 'fair_pct'; known: apprentices, "
        "assisted_records, courses_passed, courses_taught, fair_percent, hours, incidents, "
        "innovations, quality_checked, reject_share, shifts, verified_records",
        "r.toml:14:titles.shock-worker.when: a title conferred by an authority has no rule",
        'r.toml:15:titles.shock-worker.award.amount: write it as text, like "500.00", to keep '
        "it exact",
        "r.toml:6:titles.shock-worker: code appears twice",
        "r.toml:19:gates.colour: unknown key",
    ]


def test_bad_toml_and_bad_versions() -> None:
    assert problems("name = ")[0].startswith("r.toml:1:-: not valid TOML")
    assert problems(BASE.replace("version = 2", 'version = "2"')) == [
        "r.toml:3:version: is required: a whole number, 1 or more"
    ]


def test_holds_must_name_a_title_of_the_rulebook() -> None:
    text = BASE.replace('"fair_percent >= 100"', "'holds(\"hero\")'")
    assert problems(text)[0].endswith('holds() needs the quoted code of a title here, not "hero"')
