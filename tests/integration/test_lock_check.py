"""The check before a period is locked, and the lock over it, on both databases."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from stakhanov.domain.audit import Decision, FindingKind
from stakhanov.domain.disputes import Subject, Verdict
from stakhanov.domain.errors import Refusal
from stakhanov.domain.payslips import digest
from stakhanov.domain.periods import Period
from stakhanov.services import disputes, lock_check, payroll
from stakhanov.services.reviews import review
from tests.integration.test_payroll import ready

pytestmark = pytest.mark.storage
SEPTEMBER = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))


def kinds(engine: Engine) -> set[tuple[str, str]]:
    return {(b.kind.value, b.subject) for b in lock_check.check(engine, SEPTEMBER).blockers}


def test_open_findings_block_the_lock_and_nothing_is_written(
    engine: Engine, tmp_path: Path
) -> None:
    ready(engine, tmp_path)
    assert kinds(engine) == {("pooled", "S3"), ("implausible", "S5")}
    for override in (None, "   "):
        with pytest.raises(lock_check.LockBlocked) as refused:
            lock_check.lock(engine, SEPTEMBER, "acc", override)
        assert refused.value.kind is Refusal.CONFLICT
        assert any("implausible S5" in r for r in refused.value.reasons)
        assert any("pooled S3" in r for r in refused.value.reasons)
    assert payroll.periods(engine) == []


def test_a_clear_period_locks_its_slips_unchanged(engine: Engine, tmp_path: Path) -> None:
    ready(engine, tmp_path)
    for kind, shift in ((FindingKind.POOLED, "S3"), (FindingKind.IMPLAUSIBLE, "S5")):
        review(engine, kind, shift, "hewing", Decision.EXPLAINED, "witnessed", "auditor")
    assert lock_check.check(engine, SEPTEMBER).clear
    with engine.connect() as connection:
        expected = payroll.compute(connection, SEPTEMBER)
    # An override with nothing to override changes nothing.
    report = lock_check.lock(engine, SEPTEMBER, "acc", "just in case")
    assert report.digest == digest(expected.slips)
    locked = payroll.slips(engine, SEPTEMBER).slips
    assert all("override" not in line.explain for s in locked for line in s.lines)
    assert lock_check.check(engine, SEPTEMBER).closed


def test_an_override_is_written_on_the_lines_it_concerns(engine: Engine, tmp_path: Path) -> None:
    ready(engine, tmp_path)
    with engine.connect() as connection:
        computed = {s.worker_id: s for s in payroll.compute(connection, SEPTEMBER).slips}
    report = lock_check.lock(engine, SEPTEMBER, "acc", "weighbridge verified by phone")
    assert not report.already
    locked = {s.worker_id: s for s in payroll.slips(engine, SEPTEMBER).slips}
    assert locked.keys() == computed.keys()
    for worker_id, slip in locked.items():
        assert (slip.gross, slip.net) == (computed[worker_id].gross, computed[worker_id].net)
    noted = {
        (s.worker_id, line.key): line.explain
        for s in locked.values()
        for line in s.lines
        if "override" in line.explain
    }
    assert noted, "the overridden lines say so"
    h3 = [e for (w, k), e in noted.items() if w == "H3" and k.startswith("piece:S5:hewing")]
    assert h3 and "implausible S5 hewing" in h3[0]
    assert "override: weighbridge verified by phone" in h3[0]
    # Only lines of the questioned shifts carry the note.
    assert all(k.split(":")[1] in ("S3", "S5") for _, k in noted)


def test_an_open_dispute_blocks_until_answered(engine: Engine, tmp_path: Path) -> None:
    ready(engine, tmp_path)
    for kind, shift in ((FindingKind.POOLED, "S3"), (FindingKind.IMPLAUSIBLE, "S5")):
        review(engine, kind, shift, "hewing", Decision.EXPLAINED, "witnessed", "auditor")
    opened = disputes.open_dispute(engine, "H3", Subject.SHIFT, "S5", "I cut more", "H3")
    assert kinds(engine) == {("dispute", "S5")}
    with pytest.raises(lock_check.LockBlocked, match="open item that blocks its lock"):
        lock_check.lock(engine, SEPTEMBER)
    disputes.answer(engine, opened.dispute_id, Verdict.REJECTED, "weighed", "foreman")
    assert lock_check.check(engine, SEPTEMBER).clear
