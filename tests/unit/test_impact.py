"""The impact of a revision on each worker, checked by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.fulfilment import results
from stakhanov.domain.governance import Validation
from stakhanov.domain.impact import impact
from tests.governance_ledgers import Builder, norm

D = Decimal


def effect_of(build: Builder, revised: str, flagged: tuple[tuple[str, str], ...] = ()) -> object:
    ledger = build.ledger()
    found = results(ledger, dt.date(1936, 1, 1), dt.date(1936, 12, 31))
    new = dataclasses.replace(norm(), norm=D(revised))
    return impact(
        found,
        ledger.norms,
        new,
        lambda w: ledger.workers[w].unit,
        Validation(experienced_shifts=2),
        flagged,
    )


def test_each_worker_under_old_and_new_norm_by_hand() -> None:
    build = Builder()
    build.shift("A", "6")  # 100%
    build.shift("A", "7.2")  # 120%
    build.shift("B", "5.4")  # 90%
    build.shift("B", "5.4")
    build.shift("C", "30", prepared=True)  # a prepared record: not ordinary work
    effect = effect_of(build, "6.6")
    rows = {w.worker_id: w for w in effect.workers}  # type: ignore[attr-defined]
    assert set(rows) == {"A", "B"}
    a, b = rows["A"], rows["B"]
    # A: 13.2 t in 12 h; under 6.6 t per 6 h that is 12 standard hours: exactly 100%.
    assert (a.percent_old, a.fair_percent_new, a.meets_new) == (110, 100, True)
    # To keep today's standard hours (so today's pay), A needs 13.2 x 1.1 = 14.52 t.
    assert a.needed_output == D("14.52")
    # B: 10.8 t in 12 h: 90% now, 10.8 / 13.2 = 81.8% after; needs 11.88 t.
    assert (b.percent_old, b.fair_percent_new, b.meets_new) == (90, D("81.8"), False)
    assert b.needed_output == D("11.88")
    assert effect.share_meeting == 50  # type: ignore[attr-defined]
    # Both are experienced (2 shifts): (13.2 + 10.8) / 24 h = 100% now; 24 / 1.1 / 24 = 90.9%.
    assert (effect.experienced_old, effect.experienced_new) == (100, D("90.9"))  # type: ignore[attr-defined]
    assert effect.warnings == ()  # type: ignore[attr-defined]


def test_too_steep_a_revision_is_warned_and_flagged_results_left_out() -> None:
    build = Builder()
    build.shift("A", "6")
    build.shift("A", "6")
    build.shift("A", "60")  # S3: an implausible credit with an open finding
    effect = effect_of(build, "7.5", flagged=(("S3", "hewing"),))
    (a,) = effect.workers  # type: ignore[attr-defined]
    assert len(a.shifts) == 2 and a.fair_percent_new == 80
    assert any("below the 85%" in w for w in effect.warnings)  # type: ignore[attr-defined]


@given(
    st.lists(st.integers(min_value=1, max_value=200), min_size=1, max_size=12),
    st.decimals(min_value=D("3"), max_value=D("12"), places=2),
)
def test_needed_output_keeps_standard_hours(tonnes: list[int], revised: Decimal) -> None:
    build = Builder()
    for i, t in enumerate(tonnes):
        build.shift(f"W{i % 3}", str(D(t) / 10))
    effect = effect_of(build, str(revised))
    for row in effect.workers:  # type: ignore[attr-defined]
        # Earned standard hours at the needed output under the revised norm = today's
        # (to Decimal's 28 digits: 6 / 8.84 does not terminate).
        assert abs(row.needed_output * 6 / revised - row.earned_old) < D("1e-20")
