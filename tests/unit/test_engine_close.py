"""The engine close gives compute_payroll's slips exactly: every line, text, problem, the digest."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import compute_payroll
from stakhanov.domain.payslips import Digest, digest
from stakhanov.domain.scales import ScaleBook
from stakhanov.engine.close import close_in_parts, close_payroll
from stakhanov.engine.frames import frames_of
from stakhanov.engine.lines import paid_lines
from stakhanov.engine.session import session
from tests.ledgers import stakhanov_shift
from tests.paid_ledgers import PaidCase, paid_cases
from tests.pay import AUGUST, graded, scale


def without_crew(ledger: Ledger) -> Ledger:
    """What the store's pay lookups hold: everything but the crew rows (and unfaulted shifts)."""
    faulted = {f.shift_id for f in ledger.faults}
    return Ledger.of(
        ledger.workers.values(),
        ledger.norms,
        [s for s in ledger.shifts.values() if s.shift_id in faulted],
        [o for o in ledger.outputs.values() if o.rejected is not None or o.shift_id in faulted],
        (),
        ledger.time,
        ledger.faults,
    )


def assert_same_close(case: PaidCase) -> None:
    book = ScaleBook.of(case.scales)
    period = case.period
    reference = compute_payroll(case.ledger, period, book, bonuses=case.bonuses)
    frames = frames_of(case.ledger, period.start, period.end)
    ours = close_payroll(frames, without_crew(case.ledger), period, book, case.bonuses)
    assert ours.slips == reference.slips
    assert ours.problems == reference.problems
    assert digest(ours.slips) == digest(reference.slips)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paid_cases(exact_hours=False))
def test_engine_close_equals_the_domain_reference(case: PaidCase) -> None:
    assert_same_close(case)


def test_a_hand_checked_shift_closes_alike() -> None:
    ledger = graded(stakhanov_shift())
    case = PaidCase(ledger, AUGUST, (scale(),), (), ())
    assert_same_close(case)
    book = ScaleBook.of(case.scales)
    frames = frames_of(ledger, AUGUST.start, AUGUST.end)
    slips = close_payroll(frames, without_crew(ledger), AUGUST, book).slips
    assert slips and any(line.code == "tier-150" for s in slips for line in s.lines)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paid_cases(exact_hours=False), st.integers(min_value=1, max_value=3))
def test_a_close_in_parts_gives_the_reference_slips_in_worker_order(
    case: PaidCase, size: int
) -> None:
    assert_same_parts(case, size)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paid_cases(exact_hours=False, whole=True), st.integers(min_value=1, max_value=3))
def test_work_taken_whole_from_the_sql_lines_closes_as_the_reference(
    case: PaidCase, size: int
) -> None:
    """Scales of the benchmark's kind (per-shift tiers, time work, guarantee, rest, minimum
    wage, capped deductions, no bonuses): their piece work comes as TakenWork, per worker."""
    assert_same_close(case)
    assert_same_parts(case, size)


def test_a_hand_checked_shift_is_taken_whole() -> None:
    ledger = graded(stakhanov_shift())
    book = ScaleBook.of((scale(),))
    frames = frames_of(ledger, AUGUST.start, AUGUST.end)
    with session(frames) as db:
        lines = paid_lines(db, frames, book)
        taken = lines.taken(without_crew(ledger))
        assert not lines.given()
    reference = compute_payroll(ledger, AUGUST, book)
    for slip in reference.slips:  # every piece, tier and time line of the slip, none twice
        work = taken[slip.worker_id].lines if slip.worker_id in taken else ()
        pieces = [line for line in slip.lines if line.code.startswith(("piece", "tier", "time"))]
        assert sorted(d.line.key for d in work) == sorted(line.key for line in pieces)
        assert {d.line for d in work} == set(pieces)
    codes = {d.line.code for work in taken.values() for d in work.lines}
    assert {"piece", "tier-150", "time"} <= codes
    assert_same_close(PaidCase(ledger, AUGUST, (scale(),), (), ()))


def assert_same_parts(case: PaidCase, size: int) -> None:
    book = ScaleBook.of(case.scales)
    period = case.period
    reference = compute_payroll(case.ledger, period, book, bonuses=case.bonuses)
    frames = frames_of(case.ledger, period.start, period.end)
    found = list(
        close_in_parts(frames, without_crew(case.ledger), period, book, case.bonuses, size=size)
    )
    assert all(len(part.slips) <= size for part in found)
    assert bool(reference.problems) == any(part.problems for part in found)
    if reference.problems:
        return
    slips = tuple(s for part in found for s in part.slips)
    assert slips == reference.slips
    streamed = Digest()
    for slip in slips:
        streamed.add(slip)
    assert streamed.hexdigest() == digest(reference.slips)
