"""Titles follow the rules on fair fulfilment, and the gates bar every worker they should."""

from __future__ import annotations

import dataclasses
import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.expressions import parse
from stakhanov.domain.incidents import Incident
from stakhanov.domain.periods import Period
from stakhanov.domain.titles import (
    Facts,
    Gates,
    TitleEvent,
    TitleEventKind,
    TitleState,
    add_months,
    evaluate_titles,
    gate,
    refusal,
    state_of,
    thresholds,
    valid_on,
)
from stakhanov.services.rulebooks import bundled_text, parse_text
from tests.work import tally

SEPTEMBER = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))
RULEBOOK = parse_text(bundled_text(), "rulebook.toml")


def proposed(*facts: Facts) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for proposal in evaluate_titles(RULEBOOK, SEPTEMBER, facts).proposals:
        found.setdefault(proposal.worker_id, []).append(proposal.rule.code)
    return found


def test_the_default_rules_by_hand() -> None:
    found = proposed(
        Facts("sustained", tally("110")),
        Facts("stated-only", tally("240", fair="120")),
        Facts("twice", tally("220")),
        Facts("quality", tally("105", checked=True)),
        Facts("short", tally("150", shifts=11)),
        Facts("record", tally("101"), verified_records=1),
        Facts("assisted-record", tally("101"), assisted_records=1),
        Facts("teacher", tally("210"), apprentices=2),
        Facts("thrice", tally("300")),
    )
    assert found == {
        "sustained": ["shock-worker"],
        # 240% stated but 120% fair: no 200-percenter, no Stakhanovite.
        "stated-only": ["shock-worker"],
        "twice": ["shock-worker", "stakhanovite", "outstanding-stakhanovite", "200-percenter"],
        "quality": ["shock-worker", "otlichnik"],
        "record": ["shock-worker", "stakhanovite"],
        # An assisted record earns nothing a verified one would.
        "assisted-record": ["shock-worker"],
        "teacher": [
            "shock-worker",
            "stakhanovite",
            "outstanding-stakhanovite",
            "200-percenter",
            "master",
        ],
        "thrice": [
            "shock-worker",
            "stakhanovite",
            "outstanding-stakhanovite",
            "200-percenter",
            "300-percenter",
        ],
    }


def test_proposals_carry_validity_and_evidence() -> None:
    (proposal,) = evaluate_titles(RULEBOOK, SEPTEMBER, [Facts("W", tally("110"))]).proposals
    assert (proposal.valid_from, proposal.valid_to) == (dt.date(1935, 10, 1), dt.date(1936, 9, 30))
    assert proposal.evidence == {
        "shifts": 20,
        "fair_percent": 110,
        "share_at_least(100)": 100,
    }


def test_a_title_already_held_is_not_proposed_again_but_counts_for_holds() -> None:
    holder = Facts("W", tally("220"), held=frozenset({"stakhanovite", "shock-worker"}))
    assert proposed(holder) == {"W": ["outstanding-stakhanovite", "200-percenter"]}


def test_an_authority_title_is_never_proposed() -> None:
    assert all(
        p.rule.code != "hero-of-socialist-labour"
        for p in evaluate_titles(RULEBOOK, SEPTEMBER, [Facts("W", tally("400"))]).proposals
    )


def incident(worker: str, severity: str = "minor") -> Incident:
    return Incident("I1", dt.date(1935, 9, 3), None, (worker,), severity)


def test_gates_bar_incidents_and_high_rejects() -> None:
    assert gate(Facts("W", tally("130"), (incident("W"),)), Gates()) == [
        "safety incident I1 on 1935-09-03 (minor)"
    ]
    # 1.2 std h rejected of 7.2 + 1.2: 14.3% of output.
    assert gate(Facts("W", tally("120", rejected="1.2")), Gates()) == [
        "rejected 14.3% of output (at most 5%)"
    ]
    assert gate(Facts("W", tally("120", rejected="0.3")), Gates()) == []  # 4.0%
    only_serious = Gates(severities=("serious",))
    assert gate(Facts("W", tally("130"), (incident("W"),)), only_serious) == []
    evaluation = evaluate_titles(RULEBOOK, SEPTEMBER, [Facts("W", tally("130"), (incident("W"),))])
    assert evaluation.proposals == () and evaluation.exclusions[0].worker_id == "W"


percents = st.integers(min_value=50, max_value=400).map(str)


@given(
    st.lists(
        st.tuples(percents, percents, st.booleans(), st.integers(min_value=0, max_value=30)),
        min_size=1,
        max_size=8,
    )
)
def test_gating_removes_every_worker_with_an_incident_and_only_fair_counts(
    workers: list[tuple[str, str, bool, int]],
) -> None:
    facts = []
    for i, (stated, fair, hurt, shifts) in enumerate(workers):
        lower = str(min(int(stated), int(fair)))
        incidents = (incident(f"W{i}"),) if hurt else ()
        facts.append(Facts(f"W{i}", tally(stated, shifts=shifts, fair=lower), incidents))
    evaluation = evaluate_titles(RULEBOOK, SEPTEMBER, facts)
    hurt_ids = {f.worker_id for f in facts if f.incidents}
    assert not {p.worker_id for p in evaluation.proposals} & hurt_ids
    assert {e.worker_id for e in evaluation.exclusions} == hurt_ids
    # The same workers judged on their stated figure as fair never lose a title by it.
    for proposal in evaluation.proposals:
        fair = next(f for f in facts if f.worker_id == proposal.worker_id).tally.fair_percent
        if proposal.rule.code in ("200-percenter", "300-percenter"):
            assert fair is not None and fair >= int(proposal.rule.code[:3])


def test_revocation_appeal_and_its_decision() -> None:
    revoked = TitleEvent(TitleEventKind.REVOKED, dt.date(1935, 12, 1), "unsafe tempo", "committee")
    appealed = TitleEvent(TitleEventKind.APPEALED, dt.date(1935, 12, 5), "no incident", "W")
    reinstated = TitleEvent(TitleEventKind.REINSTATED, dt.date(1935, 12, 9), "agreed", "trust")
    dismissed = TitleEvent(TitleEventKind.APPEAL_DISMISSED, dt.date(1935, 12, 9), "no", "trust")
    assert state_of([revoked]) is TitleState.REVOKED
    assert state_of([revoked, appealed]) is TitleState.UNDER_APPEAL
    assert state_of([revoked, appealed, reinstated]) is TitleState.HELD
    assert (
        refusal([], TitleEventKind.APPEALED) == "cannot record 'appealed' on a title that is held"
    )
    assert refusal([revoked, appealed, dismissed], TitleEventKind.APPEALED) == (
        "this revocation was already appealed and the appeal dismissed"
    )
    assert refusal([revoked, appealed, reinstated], TitleEventKind.REVOKED) is None
    start, end = dt.date(1935, 10, 1), dt.date(1936, 9, 30)
    assert valid_on(dt.date(1935, 11, 30), start, end, [revoked])
    assert not valid_on(dt.date(1935, 12, 1), start, end, [revoked, appealed])
    assert not valid_on(dt.date(1935, 12, 1), start, end, [revoked, appealed, reinstated])
    assert valid_on(dt.date(1935, 12, 9), start, end, [revoked, appealed, reinstated])
    assert not valid_on(dt.date(1936, 10, 1), start, end, [])


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [((1935, 10, 1), 12, (1936, 10, 1)), ((1936, 1, 31), 1, (1936, 2, 29))],
)
def test_add_months(day: tuple[int, int, int], months: int, expected: tuple[int, int, int]) -> None:
    assert add_months(dt.date(*day), months) == dt.date(*expected)


def test_thresholds_are_the_numbers_rules_pass_to_share_at_least() -> None:
    assert thresholds(RULEBOOK) == {Fraction(100), Fraction(110), Fraction(125)}
    rule = RULEBOOK.titles[0]
    asked = parse("share_at_least(62.5) >= 50 or share_at_least(100) > 1")
    book = dataclasses.replace(RULEBOOK, titles=(dataclasses.replace(rule, when=asked),))
    assert thresholds(book) == {Fraction(125, 2), Fraction(100)}
    # A percentage computed from the facts is known only then: every result's must be listed.
    computed = dataclasses.replace(rule, when=parse("share_at_least(fair_percent) >= 50"))
    assert thresholds(dataclasses.replace(RULEBOOK, titles=(computed,))) is None
    none = dataclasses.replace(RULEBOOK, titles=(dataclasses.replace(rule, when=None),))
    assert thresholds(none) == frozenset()
