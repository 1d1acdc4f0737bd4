"""A norm proposal read from the operation's own shifts and its workers' pay (decision 0903)
is the proposal read from the whole window, audited whole, with everyone's pay replayed.

Through storage, on SQLite and PostgreSQL: random ledgers with crews, helpers, pooled and
implausible results, paid time, faults and pay scales, some findings reviewed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from stakhanov.domain.audit import Decision
from stakhanov.domain.proposals import Basis
from stakhanov.services import proposals, reports, reviews
from stakhanov.store.ledger import LedgerStore
from tests.integration.test_engine_close_store import fresh, store  # noqa: F401
from tests.paid_ledgers import PaidCase, paid_cases

pytestmark = pytest.mark.storage

PAY_PROBLEMS = "pay under the revised norm has"


def proposal(engine: Engine, request: proposals.Request, reference: bool) -> Any:
    """The dry run's document, or the refusal's words."""
    try:
        return proposals.propose(engine, request, dry_run=True, reference=reference)
    except proposals.ProposalRefused as refused:
        return ("refused", str(refused))


def without_pay_problems(document: Any) -> Any:
    """The document less its warning of problems met computing pay, whose count is of the
    workers whose pay was computed (decision 0903)."""
    if not isinstance(document, dict):
        return document
    kept = [w for w in document["warnings"] if not w.startswith(PAY_PROBLEMS)]
    return {**document, "warnings": kept}


def review_some(engine: Engine, case: PaidCase, data: st.DataObject) -> None:
    """Explain or uphold some of the findings, so that flagged results are of each status."""
    for finding in reports.findings(engine, case.period):
        choice = data.draw(st.sampled_from([None, Decision.EXPLAINED, Decision.UPHELD]))
        if choice is not None:
            reviews.review(
                engine,
                finding.kind,
                finding.shift_id,
                finding.operation,
                choice,
                "checked",
                "auditor",
            )


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), case=paid_cases(known_workers=True))
def test_a_proposal_from_the_operation_s_work_is_the_whole_window_s(
    fresh,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
    case: PaidCase,
) -> None:  # type: ignore[no-untyped-def]
    operations = sorted({n.operation for n in case.ledger.norms.norms})
    # Mostly an operation with a norm, and a technical basis: a random window's results are
    # often all left out, and a statistical basis then refuses (in the same words, checked).
    operation = data.draw(st.sampled_from([*operations, *operations, "no such"]), label="op")
    basis = data.draw(st.sampled_from([Basis.STATISTICAL, *[Basis.TECHNICAL] * 2]), label="basis")
    request = proposals.Request(
        operation=operation,
        basis=basis,
        by="rate-setter",
        reason="review",
        proposed_on=case.period.end + dt.timedelta(days=1),
        window=data.draw(st.sampled_from([None, case.period]), label="window"),
        evidence="new picks" if basis is Basis.TECHNICAL else None,
        percentile=data.draw(st.sampled_from([None, Decimal(50), Decimal(90)])),
        norm=data.draw(st.sampled_from([Decimal("0.8"), Decimal(8), Decimal(13)]))
        if basis is Basis.TECHNICAL
        else None,
        pay_search=data.draw(st.booleans(), label="pay_search"),
    )
    with fresh() as engine:
        store(engine, case, tmp_path_factory.mktemp("scales"))
        review_some(engine, case, data)
        ours = proposal(engine, request, reference=False)
        reference = proposal(engine, request, reference=True)
        assert without_pay_problems(ours) == without_pay_problems(reference)
        if isinstance(reference, dict) and not any(
            w.startswith(PAY_PROBLEMS) for w in reference["warnings"]
        ):
            assert ours == reference  # no problem in everyone's pay: none in theirs
        with engine.connect() as connection:
            last = proposals.latest_shift_date(connection, operation)
            assert last == proposals.latest_shift_date(connection, operation, reference=True)


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), case=paid_cases(known_workers=True))
def test_the_workers_own_pay_from_the_shifts_they_worked_is_the_whole_window_s(
    fresh,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
    case: PaidCase,
) -> None:  # type: ignore[no-untyped-def]
    """Each chosen worker's old and new pay, read from his shifts, is the whole replay's."""
    norms = list(case.ledger.norms.norms)
    revised = data.draw(st.sampled_from(norms), label="revised")
    revised = dataclasses.replace(revised, norm=revised.norm * 2)
    workers = set(data.draw(st.lists(st.sampled_from(sorted(case.ledger.workers)), max_size=3)))
    search = data.draw(st.booleans(), label="search")
    with fresh() as engine:
        store(engine, case, tmp_path_factory.mktemp("scales"))
        whole = proposals.pay_effect(engine, case.period, revised, search)
        theirs = proposals.pay_effect(engine, case.period, revised, search, workers)
        with engine.connect() as connection:
            dates = (case.period.start, case.period.end)
            everyone = LedgerStore(connection).snapshot(None, dates)
            read = LedgerStore(connection).snapshot(None, dates, time_of=workers)
    assert theirs.workers == tuple(c for c in whole.workers if c.worker_id in workers)
    assert read.time == tuple(t for t in everyone.time if t.worker_id in workers)
