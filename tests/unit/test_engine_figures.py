"""The SQL macros of engine/figures.py write what the domain's rounding and figures write."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import duckdb
from hypothesis import given, settings
from hypothesis import strategies as st

from stakhanov.domain.payslips import figure, percent_figure
from stakhanov.domain.rounding import rounded, shown
from stakhanov.engine.figures import define
from stakhanov.store.types import from_column

numerators = st.integers(-(10**15), 10**15)
denominators = st.integers(1, 10**9) | st.sampled_from([1, 2, 3, 7, 8, 40, 1000, 10**6])


def _db() -> duckdb.DuckDBPyConnection:
    db = duckdb.connect()
    define(db)
    return db


DB = _db()


def _one(sql: str, *values: int) -> object:
    args = ", ".join(f"CAST('{v}' AS HUGEINT)" for v in values)
    return DB.execute(sql.format(args=args)).fetchone()[0]  # type: ignore[index]


@settings(max_examples=300)
@given(numerators, denominators)
def test_figures_and_percents_as_the_domain_writes_them(num: int, den: int) -> None:
    value = Fraction(num, den)
    assert _one("SELECT fig({args})", num, den) == figure(value)
    assert _one("SELECT pct({args})", num, den) == percent_figure(value)


@settings(max_examples=300)
@given(numerators, denominators, st.sampled_from([0, 2]))
def test_shown_values_keep_the_domain_places(num: int, den: int, least: int) -> None:
    text = _one(f"SELECT shown_text({{args}}, {least})", num, den)
    expected = shown(Fraction(num, den), least)
    assert Decimal(str(text)).as_tuple() == expected.as_tuple()


@settings(max_examples=300)
@given(numerators, denominators, st.sampled_from(["0.01", "1", "0.1", "0.001"]))
def test_money_rounds_half_up_to_the_minor_unit(num: int, den: int, minor: str) -> None:
    m_num, m_den = Decimal(minor).as_integer_ratio()
    steps = _one("SELECT minor_steps({args})", num, den, m_num, m_den)
    assert int(str(steps)) * Decimal(minor) == rounded(Fraction(num, den), Decimal(minor))


@settings(max_examples=200)
@given(st.integers(1, 24 * 10**6), st.none() | st.integers(0, 6))
def test_hours_are_written_as_the_store_reads_them(micro: int, places: int | None) -> None:
    if places is not None:
        micro -= micro % 10 ** (6 - places)  # a value written with that many places
        if micro == 0:
            return
    text = DB.execute(f"SELECT written({micro}, {'NULL' if places is None else places})")
    assert text.fetchone()[0] == figure(from_column(micro, places))  # type: ignore[index]
