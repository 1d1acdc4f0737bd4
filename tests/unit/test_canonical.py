"""The canonical form of a row: one byte string per content, whatever the order or driver."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.canonical import (
    canonical_value,
    content_hash,
    encode,
    link_hash,
    row_hasher,
)

names = st.text(alphabet="abcdefghij_", min_size=1, max_size=8)
values = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20))
rows = st.dictionaries(names, values, max_size=8)


@given(rows, st.randoms())
def test_the_order_of_columns_does_not_matter_and_nulls_are_left_out(
    row: dict[str, object], random: object
) -> None:
    shuffled = list(row.items())
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert encode(dict(shuffled)) == encode(row)  # type: ignore[arg-type]
    present = {k: v for k, v in row.items() if v is not None}
    assert content_hash(present) == content_hash(row)  # type: ignore[arg-type]
    hashed = row_hasher(list(row))
    assert hashed(list(row.values())) == content_hash(row)  # type: ignore[arg-type]


odd = st.one_of(
    st.floats(), st.decimals(), st.lists(st.integers(), max_size=2), st.text().map(lambda t: [t])
)


@given(
    st.dictionaries(st.text(min_size=1, max_size=6), st.one_of(values, odd), max_size=10),
    st.text(max_size=40),
)
def test_the_row_hasher_writes_the_bytes_of_encode_for_any_cell(
    row: dict[str, object], text: str
) -> None:
    """Quotes, escapes, non-ASCII and huge numbers as `encode` writes them; a tampered cell of
    another type still hashes as `encode` writes it."""
    row = {**row, "text": text, "big": 10**40, "flag": False}
    hashed = row_hasher(list(row))
    assert hashed(list(row.values())) == content_hash(row)  # type: ignore[arg-type]


@given(st.decimals(min_value=-(10**6), max_value=10**6, places=6, allow_nan=False))
def test_an_exact_decimal_is_its_micro_units_whatever_its_scale(value: Decimal) -> None:
    assert canonical_value(value) == int(value * 10**6)
    assert canonical_value(value.normalize()) == canonical_value(value.quantize(Decimal("1e-6")))


def test_moments_are_utc_and_dates_iso() -> None:
    moscow = dt.timezone(dt.timedelta(hours=3))
    moment = dt.datetime(1935, 9, 1, 1, 30, tzinfo=moscow)
    assert canonical_value(moment) == "1935-08-31 22:30:00.000000"
    assert canonical_value(moment.astimezone(dt.UTC).replace(tzinfo=None)) == canonical_value(
        moment
    )
    assert canonical_value(dt.date(1935, 8, 31)) == "1935-08-31"


def test_a_link_covers_every_part() -> None:
    base = link_hash("0" * 64, "crew_entries", "7", 3, "a" * 64)
    changed = [
        link_hash("1" * 64, "crew_entries", "7", 3, "a" * 64),
        link_hash("0" * 64, "output_entries", "7", 3, "a" * 64),
        link_hash("0" * 64, "crew_entries", "8", 3, "a" * 64),
        link_hash("0" * 64, "crew_entries", "7", None, "a" * 64),
        link_hash("0" * 64, "crew_entries", "7", 3, "b" * 64),
    ]
    assert base not in changed and len(set(changed)) == len(changed)
