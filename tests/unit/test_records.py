"""Record claims: every staged result is caught, no honest one is blocked; records are chosen
by fair value among verified claims only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.audit import Decision, audit
from stakhanov.domain.fulfilment import Result
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.records import (
    Candidate,
    Claim,
    ClaimStatus,
    CrewMember,
    FindingState,
    Measure,
    assess,
    select_records,
)
from stakhanov.domain.scopes import Scope, ScopeKey
from stakhanov.domain.shifts import Conditions
from tests.ledgers import DAY, crew, one_shift, stakhanov_shift

AUDITOR = "A. Outsider"


def claim(worker: str = "A", **extra: object) -> Claim:
    return Claim("C1", worker, "hewing", DAY, **extra)  # type: ignore[arg-type]


def states(ledger: Ledger, decision: Decision | None = None) -> list[FindingState]:
    return [(f, decision) for f in audit(ledger, DAY, DAY)]


def test_an_honest_result_is_verified_at_once() -> None:
    ledger = one_shift("14", crew("A", credited="14"))
    found = assess(claim(), ledger, states(ledger), AUDITOR)
    assert (found.blockers, found.outcome, found.reasons) == ((), ClaimStatus.VERIFIED, ())
    assert found.located.result is not None
    assert found.located.result.percent == found.located.result.fair_percent == Decimal(200)


def test_an_honest_shared_face_is_verified_for_each_hewer() -> None:
    ledger = one_shift("20", crew("A"), crew("B"))
    assert assess(claim("B"), ledger, states(ledger), AUDITOR).outcome is ClaimStatus.VERIFIED


def test_the_1935_record_can_stand_only_as_an_assisted_record() -> None:
    ledger = stakhanov_shift()
    found = assess(claim("AS"), ledger, states(ledger), AUDITOR)
    assert found.blockers == ()
    assert found.outcome is ClaimStatus.ASSISTED
    assert found.reasons[0] == "the shift ran under prepared conditions"
    assert "KP (assist), T1 (timbering), T2 (timbering)" in found.reasons[1]
    result = found.located.result
    assert result is not None
    assert round(result.percent or 0, 1) == Decimal("1457.1")
    assert round(result.fair_percent or 0, 1) == Decimal("364.3")


def test_a_prepared_shift_alone_makes_an_assisted_record() -> None:
    ledger = one_shift("21", crew("A", credited="21"), prepared=True)
    found = assess(claim(), ledger, states(ledger), AUDITOR)
    assert found.outcome is ClaimStatus.ASSISTED


def test_prepared_conditions_declared_for_the_attempt_count_too() -> None:
    ledger = one_shift("21", crew("A", credited="21"))
    declared = claim(declared=True, resources="extra tubs")
    assert assess(declared, ledger, states(ledger), AUDITOR).outcome is ClaimStatus.ASSISTED


POOLED = ("31.5", crew("A", credited="30.0"), crew("B", credited="1.5"), crew("C", credited="0.0"))


def test_pooled_output_blocks_until_reviewed_then_upheld_rejects() -> None:
    ledger = one_shift(*POOLED)  # type: ignore[arg-type]
    blocked = assess(claim(), ledger, states(ledger), AUDITOR)
    assert len(blocked.blockers) == 1 and blocked.blockers[0].startswith("open pooled finding")
    assert [f.kind.value for f in blocked.open_findings] == ["pooled"]
    upheld = assess(claim(), ledger, states(ledger, Decision.UPHELD), AUDITOR)
    assert (upheld.blockers, upheld.outcome) == ((), ClaimStatus.REJECTED)
    explained = assess(claim(), ledger, states(ledger, Decision.EXPLAINED), AUDITOR)
    assert explained.outcome is ClaimStatus.ASSISTED


def test_implausible_rate_blocks_until_reviewed() -> None:
    ledger = one_shift("250", crew("A", credited="250"))  # 41.67 t/h over the 40 t/h maximum
    assert assess(claim(), ledger, states(ledger), AUDITOR).blockers
    assert assess(claim(), ledger, states(ledger, Decision.UPHELD)).outcome is (
        ClaimStatus.REJECTED
    )
    assert assess(claim(), ledger, states(ledger, Decision.EXPLAINED)).outcome is (
        ClaimStatus.VERIFIED
    )


def test_an_implausible_credit_concerns_only_the_worker_it_names() -> None:
    ledger = one_shift("350", crew("A", credited="250"), crew("B", credited="100"))
    assert [f.kind.value for f in audit(ledger, DAY, DAY)] == ["implausible"]
    assert assess(claim("A"), ledger, states(ledger), AUDITOR).blockers
    honest = assess(claim("B"), ledger, states(ledger), AUDITOR)
    assert (honest.blockers, honest.outcome) == ((), ClaimStatus.VERIFIED)
    upheld = assess(claim("B"), ledger, states(ledger, Decision.UPHELD), AUDITOR)
    assert upheld.outcome is ClaimStatus.VERIFIED


def test_undeclared_helpers_make_it_assisted_and_are_noted() -> None:
    ledger = one_shift("24", crew("A", credited="24"), crew("T1", "timbering"), crew("P", "assist"))
    declared = claim(declared=True, pre_registered=True)
    found = assess(declared, ledger, states(ledger), AUDITOR)
    assert found.outcome is ClaimStatus.ASSISTED
    assert found.notes == ("not declared before the shift: P (assist), T1 (timbering)",)
    assert found.located.result is not None
    assert round(found.located.result.fair_percent or 0, 1) == Decimal("114.3")  # 24 / 21


def test_an_undeclared_co_worker_on_the_same_face_makes_a_declared_claim_assisted() -> None:
    ledger = one_shift("24", crew("A"), crew("B"))  # split by hours: 12 t each, not pooled
    alone = claim(declared=True, pre_registered=True)
    found = assess(alone, ledger, states(ledger), AUDITOR)
    assert found.outcome is ClaimStatus.ASSISTED
    assert found.reasons == ("co-workers on hewing in the ledger were not declared: B",)
    assert found.notes == ("not declared before the shift: B (hewing)",)
    both = claim(declared=True, pre_registered=True, crew=(CrewMember("B", "hewing"),))
    assert assess(both, ledger, states(ledger), AUDITOR).outcome is ClaimStatus.VERIFIED
    # Claimed after the shift without a declaration, the shared face is honest as it stands.
    assert assess(claim(), ledger, states(ledger), AUDITOR).outcome is ClaimStatus.VERIFIED


def test_a_declared_helper_missing_from_the_ledger_blocks() -> None:
    ledger = one_shift("21", crew("A", credited="21"))
    declared = claim(declared=True, crew=(CrewMember("T1", "timbering"),))
    found = assess(declared, ledger, states(ledger), AUDITOR)
    assert found.blockers[0].startswith("declared crew missing from the ledger: T1 (timbering)")


def test_a_declared_helper_logged_in_another_role_is_noted_not_blocking() -> None:
    ledger = one_shift("21", crew("A", credited="21"), crew("T1", "timbering"))
    declared = claim(declared=True, crew=(CrewMember("T1", "hewing"),))  # --crew T1
    found = assess(declared, ledger, states(ledger), AUDITOR)
    assert (found.blockers, found.outcome) == ((), ClaimStatus.ASSISTED)
    assert found.notes == ("declared in another role than logged: T1 (declared hewing, "
                           "logged timbering)",)  # fmt: skip


def test_the_auditor_must_not_be_in_the_crew_by_id_or_name() -> None:
    ledger = stakhanov_shift()
    for auditor in ("T1", "worker kp", "AS"):
        found = assess(claim("AS"), ledger, states(ledger), auditor)
        assert any("is in the crew" in b for b in found.blockers), auditor


def test_the_auditor_s_name_matches_whatever_its_spacing() -> None:
    ledger = stakhanov_shift()
    for auditor in ("  Worker  KP ", "worker\tkp", " t1 "):
        found = assess(claim("AS"), ledger, states(ledger), auditor)
        assert any("is in the crew" in b for b in found.blockers), auditor


def test_a_claim_without_a_result_is_blocked() -> None:
    ledger = one_shift("14", crew("A", credited="14"))
    found = assess(claim("B"), ledger, states(ledger), AUDITOR)
    assert found.blockers == ("no result in the ledger for B hewing on 1935-08-31",)
    assert found.fingerprint is None


def test_the_fingerprint_changes_with_the_ledger() -> None:
    one = assess(claim(), one_shift("14", crew("A", credited="14")))
    other = assess(claim(), one_shift("14.0", crew("A", credited="14.0")))
    assert one.fingerprint and other.fingerprint and one.fingerprint != other.fingerprint


# --- choosing records ------------------------------------------------------------------------


def result(
    worker: str, output: str, hours: str = "6", day: int = 1, fair: str | None = None
) -> Result:
    earned = Fraction(output) * 6 / 7
    fair_earned = earned if fair is None else Fraction(fair) * Fraction(hours) / 100
    return Result(
        shift_id=f"S-{worker}-{day}",
        date=dt.date(1935, 9, day),
        worker_id=worker,
        operation="hewing",
        hours=Decimal(hours),
        output=Decimal(output),
        unit="t",
        norm_output=Fraction(7) * Fraction(hours) / 6,
        earned=earned,
        fair_earned=fair_earned,
        assisted=fair is not None,
    )


MINE = ScopeKey(Scope.ENTERPRISE, "Mine")


def candidate(claim_id: str, status: ClaimStatus, res: Result) -> Candidate:
    return Candidate(claim_id, status, res, (ScopeKey(Scope.WORKER, res.worker_id), MINE))


def held(records: list, measure: Measure, status: ClaimStatus = ClaimStatus.VERIFIED) -> dict:
    return {
        (r.slot.scope, r.slot.hours): r.candidate.claim_id
        for r in records
        if r.slot.measure is measure and r.status is status
    }


def test_shorter_shifts_are_not_compared_with_full_ones_on_output() -> None:
    full = candidate("C1", ClaimStatus.VERIFIED, result("A", "14"))
    short = candidate("C2", ClaimStatus.VERIFIED, result("B", "12", hours="4"))
    records = select_records([full, short])
    assert held(records, Measure.OUTPUT)[(MINE, Decimal(6))] == "C1"
    assert held(records, Measure.OUTPUT)[(MINE, Decimal(4))] == "C2"
    # On percent and per hour the 4-hour shift is better: 12 t in 4 h is 257.1% against 200%.
    assert held(records, Measure.PERCENT)[(MINE, None)] == "C2"
    assert held(records, Measure.PER_HOUR)[(MINE, None)] == "C2"


def test_assisted_records_stand_apart_and_rank_by_their_fair_value() -> None:
    honest = candidate("C1", ClaimStatus.VERIFIED, result("A", "14"))
    staged = candidate("C2", ClaimStatus.ASSISTED, result("B", "102", fair="364.3"))
    smaller = candidate("C3", ClaimStatus.ASSISTED, result("C", "60", day=2, fair="400"))
    records = select_records([honest, staged, smaller])
    assert held(records, Measure.PERCENT)[(MINE, None)] == "C1"
    assert held(records, Measure.PERCENT, ClaimStatus.ASSISTED)[(MINE, None)] == "C3"
    fair_output = next(
        r.candidate.fair_output
        for r in records
        if r.candidate.claim_id == "C2" and r.slot.measure is Measure.OUTPUT
    )
    assert round(fair_output or 0, 2) == Decimal("25.50")  # 364.3% of 7 t


def test_the_first_to_reach_a_value_holds_it() -> None:
    first = candidate("C9", ClaimStatus.VERIFIED, result("A", "14", day=1))
    later = candidate("C1", ClaimStatus.VERIFIED, result("B", "14", day=2))
    assert held(select_records([later, first]), Measure.OUTPUT)[(MINE, Decimal(6))] == "C9"


decided = st.sampled_from([ClaimStatus.VERIFIED, ClaimStatus.ASSISTED])
undecided = st.sampled_from([ClaimStatus.CLAIMED, ClaimStatus.REJECTED])
tonnes = st.integers(min_value=1, max_value=300).map(str)


@given(
    st.lists(st.tuples(decided, tonnes, st.sampled_from(["A", "B"])), min_size=1, max_size=6),
    st.lists(st.tuples(undecided, tonnes, st.sampled_from(["A", "B"])), max_size=6),
)
def test_a_record_is_never_beaten_by_an_unverified_result(
    good: list[tuple[ClaimStatus, str, str]], bad: list[tuple[ClaimStatus, str, str]]
) -> None:
    honest = [
        candidate(f"G{i}", status, result(worker, t, day=i + 1))
        for i, (status, t, worker) in enumerate(good)
    ]
    others = [
        candidate(f"X{i}", status, result(worker, t, day=i + 1))
        for i, (status, t, worker) in enumerate(bad)
    ]
    records = select_records(honest + others)
    assert records == select_records(honest)
    for record in records:
        rivals = [c for c in honest if c.status is record.status and record.slot.scope in c.scopes]
        best = max(c.value(record.slot.measure, fair=True) or 0 for c in rivals)
        assert record.candidate.value(record.slot.measure, fair=True) == best


def test_declared_conditions_are_kept() -> None:
    registered = claim(conditions=Conditions.PREPARED)
    assert registered.declared_prepared
