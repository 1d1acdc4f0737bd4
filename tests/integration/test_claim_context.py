"""A claim is judged on its own shifts (the one it names, and those its claimant worked that
day) exactly as on every shift of its days: the same result, facts, blockers and outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from stakhanov.domain.records import Claim, assess, shifts_claimed
from stakhanov.services.claims import context_for, context_of
from stakhanov.store.ledger import LedgerStore
from tests.integration.test_read_model import ACTIONS, WORKERS, acted, loaded  # noqa: F401

pytestmark = pytest.mark.storage

CLAIMS = st.lists(
    st.tuples(
        st.integers(0, 10_000),  # a crew entry: its worker, operation and shift's date
        st.booleans(),  # the claim names that shift
        st.sampled_from([0, 0, 1]),  # days after that shift's date
        st.none() | WORKERS,  # someone else claims it
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(actions=st.lists(ACTIONS, min_size=1, max_size=5), wanted=CLAIMS, auditor=WORKERS)
def test_a_claim_is_judged_on_its_own_shifts_as_on_its_whole_days(
    loaded: Engine,  # noqa: F811
    actions: list[Any],
    wanted: list[tuple[int, bool, int, str | None]],
    auditor: str,
) -> None:
    acted(loaded, actions)
    with loaded.connect() as connection:
        ledger = LedgerStore(connection).snapshot(None, (dt.date.min, dt.date.min))
        crew = sorted(ledger.crew, key=lambda e: (e.shift_id, e.worker_id, e.operation))
        claims = []
        for i, (k, names, later, other) in enumerate(wanted):
            entry = crew[k % len(crew)]
            day = ledger.shifts[entry.shift_id].date + dt.timedelta(days=later)
            named = entry.shift_id if names else None
            claims.append(Claim(f"C{i}", other or entry.worker_id, entry.operation, day, named))
        own = context_of(connection, claims)
        # Every shift of the claims' days and of the days of the shifts they name.
        named_days = {ledger.shifts[c.shift_id].date for c in claims if c.shift_id}
        whole = context_for(connection, {c.date for c in claims} | named_days)
    located = 0
    assert set(own.ledger.shifts) <= set(whole.ledger.shifts)
    for claim in claims:
        for who in (None, auditor):
            mine = assess(claim, own.ledger, own.findings, who)
            theirs = assess(claim, whole.ledger, whole.findings, who)
            assert mine == theirs, claim
            located += mine.located.result is not None
        assert shifts_claimed(claim, own.ledger) == shifts_claimed(claim, whole.ledger)
    event(f"claims with a result: {min(located // 2, 2)}")
