"""The pure parts of `stakhanov generate`: exact text, the organisation, the norms' headroom."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.services.generator import Settings, organisation
from stakhanov.services.generator_profiles import INDUSTRIES
from stakhanov.services.generator_shifts import HOURS, quantity_text


@given(st.integers(min_value=0, max_value=10**14), st.integers(min_value=0, max_value=6))
def test_quantity_text_is_the_exact_decimal_at_its_scale(quanta: int, decimals: int) -> None:
    text = quantity_text(quanta, decimals)
    value = Decimal(text)
    assert value == Decimal(quanta).scaleb(-decimals)
    assert value.as_tuple().exponent == -decimals  # 8.0 t stays tenths, so it splits in tenths
    assert "e" not in text.lower()


def test_hours_are_exact_quarters() -> None:
    assert [Decimal(h) * 4 for h in HOURS] == list(range(97))


@given(st.integers(min_value=1, max_value=3000), st.integers(min_value=0, max_value=50))
def test_every_worker_is_in_one_brigade_of_ten_to_thirty(workers: int, seed: int) -> None:
    brigades = organisation(Settings(workers, 30, seed))
    assert sum(b.size for b in brigades) == workers
    assert [b.first_worker for b in brigades] == [
        1 + sum(b.size for b in brigades[:i]) for i in range(len(brigades))
    ]
    if workers >= 10:
        assert all(10 <= b.size <= 30 for b in brigades)
    units = [b.unit for b in brigades]
    assert len(set(units)) == len(units)
    assert all(b.in_section <= 8 for b in brigades)


def test_industries_are_mixed_by_worker_share() -> None:
    brigades = organisation(Settings(50_000, 30, 1))
    staffed: Counter[str] = Counter()
    for brigade in brigades:
        staffed[brigade.industry.name] += brigade.size
    for industry in INDUSTRIES:
        assert abs(staffed[industry.name] / 50_000 - industry.share) < 0.001


def test_every_max_rate_leaves_room_for_a_record() -> None:
    """Ordinary output reaches 3.3 times the norm at most; max_rate must sit above 4 times."""
    for industry in INDUSTRIES:
        for team in industry.teams:
            op = team.operation
            for norm in filter(None, (op.norm, op.revised)):
                assert op.scaled_max_rate >= 4 * float(op.per_hour(norm) * 10**op.decimals)


def test_the_norms_are_revised_mid_period_unless_it_is_one_day() -> None:
    assert Settings(10, 30, 1, dt.date(2025, 9, 1)).revision == dt.date(2025, 9, 16)
    assert Settings(10, 2, 1, dt.date(2025, 9, 1)).revision == dt.date(2025, 9, 2)
    assert Settings(10, 1, 1, dt.date(2025, 9, 1)).revision is None
