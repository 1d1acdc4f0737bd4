"""The ledger's invariants: every breach becomes a located problem."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from stakhanov.domain.consistency import check
from stakhanov.domain.errors import Source
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from tests.ledgers import crew, hewing_norm, one_shift, shift, worker


def columns(ledger: Ledger) -> list[tuple[str, str]]:
    return [(p.column, p.message) for p in check(ledger)]


def test_a_consistent_ledger_has_no_problem() -> None:
    assert (
        check(one_shift("21", crew("A"), crew("B"), crew("T", "timbering"), crew("P", "assist")))
        == []
    )


def test_conservation_credits_must_add_up_to_the_measured_quantity() -> None:
    (problem,) = check(one_shift("102", crew("A", credited="100"), crew("B", credited="1")))
    assert problem.column == "credited"
    assert "add up to 101 t but 102 t was measured" in problem.message


def test_credited_on_some_rows_must_be_on_all() -> None:
    problems = columns(one_shift("10", crew("A", credited="10"), crew("B")))
    assert [c for c, _ in problems] == ["credited"]


def test_helpers_carry_no_credited_output() -> None:
    problems = columns(one_shift("10", crew("A"), crew("T", "timbering", credited="2")))
    assert [c for c, _ in problems] == ["credited"]


def test_unknown_worker_shift_and_operation() -> None:
    ledger = Ledger.of(
        workers=[worker("A")],
        norms=[hewing_norm()],
        shifts=[shift()],
        outputs=[
            MeasuredOutput("S1", "hewing", Decimal(7), "t"),
            MeasuredOutput("S9", "hewing", Decimal(7), "t"),
            MeasuredOutput("S1", "dancing", Decimal(7), "t"),
        ],
        crew=[crew("A"), crew("ZZ", "loading")],
    )
    found = {(p.column, p.message.split()[0]) for p in check(ledger, {"S1", "S9"})}
    assert ("worker_id", "unknown") in found
    assert ("shift_id", "unknown") in found
    assert ("operation", "unknown") in found
    assert ("operation", "'loading'") in found


def test_incompatible_output_unit() -> None:
    (problem,) = check(one_shift("7", crew("A"), unit="piece"))
    assert problem.column == "unit" and "'t'" in problem.message


def test_no_more_than_24_hours_a_day_across_shifts() -> None:
    source = Source("crew.csv", 9)
    ledger = Ledger.of(
        workers=[worker("A")],
        norms=[hewing_norm()],
        shifts=[shift("S1", "12"), shift("S2", "12"), shift("S3", "1")],
        outputs=[MeasuredOutput(s, "hewing", Decimal(1), "t") for s in ("S1", "S2", "S3")],
        crew=[
            CrewEntry("S1", "A", "hewing", Decimal(12)),
            CrewEntry("S2", "A", "hewing", Decimal(12)),
            CrewEntry("S3", "A", "hewing", Decimal("0.5"), origin=source),
        ],
    )
    (problem,) = check(ledger)
    assert problem.source == source and problem.column == "hours"
    assert "24.5" in problem.message


def test_the_next_day_is_a_new_day() -> None:
    ledger = Ledger.of(
        workers=[worker("A")],
        norms=[hewing_norm()],
        shifts=[shift("S1", "20"), shift("S2", "20", day=dt.date(1935, 9, 1))],
        outputs=[MeasuredOutput(s, "hewing", Decimal(1), "t") for s in ("S1", "S2")],
        crew=[
            CrewEntry("S1", "A", "hewing", Decimal(20)),
            CrewEntry("S2", "A", "hewing", Decimal(20)),
        ],
    )
    assert check(ledger) == []


def test_zero_coefficients_cannot_split() -> None:
    problems = columns(one_shift("10", crew("A", coefficient="0"), crew("B", coefficient="0")))
    assert [c for c, _ in problems] == ["coefficient"]


def test_no_one_works_longer_than_the_shift() -> None:
    (problem,) = check(one_shift("10", crew("A"), crew("B", hours="6.5")))
    assert problem.column == "hours"
    assert "6.5 hours is more than the 6 hours of shift S1" in problem.message
    assert check(one_shift("10", crew("A"), crew("B", hours="6"))) == []


def test_an_id_or_unit_that_differs_only_by_case_is_named_with_the_known_one() -> None:
    ledger = Ledger.of(
        workers=[worker("A")],
        norms=[hewing_norm()],
        shifts=[shift()],
        outputs=[
            MeasuredOutput("S1", "hewing", Decimal(21), "T"),  # T is tesla
            MeasuredOutput("S1", "Timbering", Decimal(3), "t"),
        ],
        crew=[crew("a")],
    )
    messages = [p.message for p in check(ledger)]
    assert any(m.endswith("; units are case-sensitive ('T' is not 't')") for m in messages)
    assert "unknown worker 'a'; did you mean 'A'?" in messages
    assert "unknown operation 'Timbering' (not in any norm); did you mean 'timbering'?" in messages


def test_a_crew_line_is_told_against_its_own_shift_not_a_day() -> None:
    # 26 hours on a 6-hour shift: the shift's length is the limit named, once.
    assert columns(one_shift("10", crew("A", hours="26"))) == [
        ("hours", "26 hours is more than the 6 hours of shift S1")
    ]
    # On a shift that is not known, a line longer than any shift is told so beside it.
    stray = Ledger.of(workers=[worker("A")], norms=[hewing_norm()], crew=[crew("A", hours="30")])
    assert [c for c, _ in columns(stray)] == []  # no shift in scope: nothing to judge
    found = {(p.column, p.message) for p in check(stray, {"S1"})}
    assert ("hours", "30 hours is more than a shift lasts (24)") in found
    assert any(c == "shift_id" for c, _ in found)
