"""The read model's sums written by SQL: the text Python's Decimal and Fraction would write."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal, localcontext
from fractions import Fraction

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.engine.session import connect
from stakhanov.engine.stored_sums import decimal_text, finished, reduced_sum

BIG = st.integers(-(10**30), 10**30)


@pytest.fixture(scope="module")
def db() -> Iterator[duckdb.DuckDBPyConnection]:
    connection = connect()
    yield connection
    connection.close()


@given(value=BIG, places=st.integers(0, 6), scale_more=st.integers(0, 6))
def test_sql_writes_a_decimal_as_python_formats_it(
    db: duckdb.DuckDBPyConnection, value: int, places: int, scale_more: int
) -> None:
    scale = places + scale_more
    digits = value * 10**scale_more  # the digits beyond `places` are zero, as in a sum
    sql = decimal_text(f"CAST('{digits}' AS HUGEINT)", str(scale), str(places))
    written = db.execute(f"SELECT {sql}").fetchall()[0][0]
    with localcontext(prec=80):  # beyond the default 28 digits, as a HUGEINT sum may be
        expected = Decimal(digits).scaleb(-scale).quantize(Decimal(1).scaleb(-places))
    assert written == format(expected, "f")


@given(terms=st.lists(st.tuples(BIG, st.integers(1, 10**12)), max_size=6))
def test_a_sum_of_ratios_is_reduced_as_a_fraction_is(terms: list[tuple[int, int]]) -> None:
    exact = sum((Fraction(n, d) for n, d in terms), Fraction(0))
    assert reduced_sum(terms) == (str(exact.numerator), str(exact.denominator))


@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["a", "b"]),
            st.integers(0, 10**8),
            st.integers(0, 3),
            st.integers(-(10**6), 10**6),
            st.integers(0, 3),
            st.booleans(),
            st.integers(-1000, 1000),
            st.sampled_from([1, 2, 3, 7, 12]),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_sums_per_key_are_the_exact_sums_as_text(
    db: duckdb.DuckDBPyConnection, rows: list[tuple[object, ...]]
) -> None:
    db.execute("DROP TABLE IF EXISTS keyed")
    db.execute(
        "CREATE TABLE keyed (k VARCHAR, shift_id VARCHAR, operation VARCHAR, unit VARCHAR,"
        " hours BIGINT, hours_places INTEGER, output_num HUGEINT, output_places INTEGER,"
        " normed BOOLEAN, norm_output_num HUGEINT, norm_output_den HUGEINT,"
        " earned_num HUGEINT, earned_den HUGEINT, fair_num HUGEINT, fair_den HUGEINT)"
    )
    for i, (k, hours, hp, out, op, normed, num, den) in enumerate(rows):
        hours -= hours % 10 ** (6 - hp)  # the hours hold no more decimals than written
        ratio = (num, den) if normed else (None, None)
        db.execute(
            "INSERT INTO keyed VALUES (?, ?, 'hew', 't', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [k, f"S{i}", hours, hp, out, op, normed, *ratio, *ratio, *ratio],
        )
        rows[i] = (k, hours, hp, out, op, normed, num, den)
    found = {row[0]: row for row in finished(db, ["k"])}
    for key in {r[0] for r in rows}:
        mine = [r for r in rows if r[0] == key]
        normed = [r for r in mine if r[5]]
        hours = sum(Decimal(r[1]).scaleb(-6).quantize(Decimal(1).scaleb(-r[2])) for r in mine)
        output = sum(Decimal(r[3]).scaleb(-r[4]) for r in mine)
        normed_hours = sum(
            (Decimal(r[1]).scaleb(-6).quantize(Decimal(1).scaleb(-r[2])) for r in normed),
            Decimal(0),
        )
        ratio = sum((Fraction(r[6], r[7]) for r in normed), Fraction(0))
        text = [str(ratio.numerator), str(ratio.denominator)] * 3 if normed else [None] * 6
        assert found[key][3:] == (
            len(mine),
            format(hours, "f"),
            format(output, "f"),
            format(normed_hours, "f"),
            *text,
        )
