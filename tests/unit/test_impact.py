"""The impact of a revision on each worker, checked by hand."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

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


def test_a_revision_that_leaves_the_norm_loose_is_warned() -> None:
    build = Builder()
    build.shift("A", "9")
    build.shift("A", "9")  # 150% of 6 t; still 120% of a revised 7.5 t
    effect = effect_of(build, "7.5")
    assert effect.experienced_new == 120  # type: ignore[attr-defined]
    assert any("above the 100%" in w for w in effect.warnings)  # type: ignore[attr-defined]
    assert not effect_of(build, "9").warnings  # type: ignore[attr-defined]


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


def test_a_worker_at_exactly_the_revised_norm_meets_it() -> None:
    """7 t per 6 h revised to 7.7 t: shifts of 8.1 t and 7.3 t make 15.4 t in 12 h, 100%."""
    build = Builder(dataclasses.replace(norm(), norm=D(7)))
    build.shift("A", "8.1")
    build.shift("A", "7.3")
    for tonnes in ("6.3", "7.7", "7.7", "6.65", "8.4", "6.3"):
        build.shift("B", tonnes)
    effect = effect_of(build, "7.7")
    a, b = effect.workers  # type: ignore[attr-defined]
    assert (a.fair_percent_old, a.fair_percent_new, a.meets_new) == (110, 100, True)
    assert a.needed_output == D("16.94")
    # B: 43.05 t in 36 h; 43.05 / 42 = 102.5% now, 43.05 / 46.2 = 93.18...% after.
    assert (b.fair_percent_old, b.fair_percent_new, b.meets_new) == (D("102.5"), D("93.2"), False)
    assert b.needed_output == D("47.355")
    # Both experienced: 58.45 t in 48 h: (58.45 / 56) = 104.375% -> 104.4; / 1.1 -> 94.9%.
    assert (effect.experienced_old, effect.experienced_new) == (D("104.4"), D("94.9"))  # type: ignore[attr-defined]


@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.integers(min_value=300, max_value=1200)),
        min_size=1,
        max_size=10,
    ),
    st.sampled_from(["7", "6.5", "9", "7.35"]),
    st.decimals(min_value=D("5"), max_value=D("10"), places=2),
)
def test_meeting_the_revised_norm_by_exact_hand_arithmetic(
    shifts: list[tuple[int, int]], current: str, revised: Decimal
) -> None:
    """Each worker's figures equal the hand computation in fractions, at any boundary."""
    build = Builder(dataclasses.replace(norm(), norm=D(current)))
    for worker, hundredths in shifts:
        build.shift(f"W{worker}", str(D(hundredths) / 100))
    effect = effect_of(build, str(revised))
    for row in effect.workers:  # type: ignore[attr-defined]
        mine = [Fraction(t, 100) for w, t in shifts if f"W{w}" == row.worker_id]
        total, count = sum(mine, Fraction(0)), len(mine)
        assert row.meets_new == (total >= count * Fraction(revised))
        new = total / (count * Fraction(revised)) * 100
        assert row.fair_percent_new == D(math.floor(new * 10 + Fraction(1, 2))) / 10
        needed = total * Fraction(revised) / Fraction(current)
        assert row.needed_output == D(needed.numerator) / D(needed.denominator)
