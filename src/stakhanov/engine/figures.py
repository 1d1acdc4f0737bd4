"""The domain's rounding and figures (domain/rounding.py, payslips.figure) as DuckDB macros.

Each takes an exact value as a HUGEINT numerator and a positive denominator and gives the text
the domain writes: integer division and string padding only, never a float. A value too large
for HUGEINT raises DuckDB's OutOfRangeException, and the caller falls back to the reference.
"""

from __future__ import annotations

import duckdb

MACROS = (
    # Half-up (away from zero at a half) steps of 1/scale: |n| / d rounded, sign apart.
    "CREATE OR REPLACE TEMP MACRO steps_of(n, d, scale) AS\n"
    "  (abs(CAST(n AS HUGEINT)) * 2 * scale + d) // (2 * CAST(d AS HUGEINT))",
    # figure: half-up to six decimals, trailing zeros dropped.
    """CREATE OR REPLACE TEMP MACRO fig_steps(s, negative) AS
         (CASE WHEN negative AND s > 0 THEN '-' ELSE '' END) || CAST(s // 1000000 AS VARCHAR)
         || CASE WHEN s % 1000000 = 0 THEN ''
                 ELSE rtrim('.' || lpad(CAST(s % 1000000 AS VARCHAR), 6, '0'), '0') END""",
    "CREATE OR REPLACE TEMP MACRO fig(n, d) AS fig_steps(steps_of(n, d, 1000000), n < 0)",
    # percent_figure: half-up to one decimal, then as a figure.
    """CREATE OR REPLACE TEMP MACRO pct_steps(s, negative) AS
         (CASE WHEN negative AND s > 0 THEN '-' ELSE '' END) || CAST(s // 10 AS VARCHAR)
         || CASE WHEN s % 10 = 0 THEN '' ELSE '.' || CAST(s % 10 AS VARCHAR) END""",
    "CREATE OR REPLACE TEMP MACRO pct(n, d) AS pct_steps(steps_of(n, d, 10), n < 0)",
    # shown: exact at the fewest places from `least` up to six, else half-up at six.
    """CREATE OR REPLACE TEMP MACRO places_of(n, d, least) AS
         CASE WHEN least <= 0 AND abs(CAST(n AS HUGEINT)) % d = 0 THEN 0
              WHEN least <= 1 AND abs(CAST(n AS HUGEINT)) * 10 % d = 0 THEN 1
              WHEN least <= 2 AND abs(CAST(n AS HUGEINT)) * 100 % d = 0 THEN 2
              WHEN least <= 3 AND abs(CAST(n AS HUGEINT)) * 1000 % d = 0 THEN 3
              WHEN least <= 4 AND abs(CAST(n AS HUGEINT)) * 10000 % d = 0 THEN 4
              WHEN least <= 5 AND abs(CAST(n AS HUGEINT)) * 100000 % d = 0 THEN 5
              ELSE 6 END""",
    """CREATE OR REPLACE TEMP MACRO at_places(s, negative, p) AS
         (CASE WHEN negative AND s > 0 THEN '-' ELSE '' END)
         || CAST(s // CAST(10 ** p AS HUGEINT) AS VARCHAR)
         || CASE WHEN p = 0 THEN ''
                 ELSE '.' || lpad(CAST(s % CAST(10 ** p AS HUGEINT) AS VARCHAR), p, '0') END""",
    """CREATE OR REPLACE TEMP MACRO shown_text(n, d, least) AS
         CASE WHEN abs(CAST(n AS HUGEINT)) * 1000000 % d = 0
              THEN at_places(abs(CAST(n AS HUGEINT))
                             * CAST(10 ** places_of(n, d, least) AS HUGEINT) // d,
                             n < 0, places_of(n, d, least))
              ELSE at_places(steps_of(n, d, 1000000), n < 0, 6) END""",
    # money: half-up steps of the minor unit m_num / m_den, signed.
    """CREATE OR REPLACE TEMP MACRO minor_steps(n, d, m_num, m_den) AS
         sign(n) * steps_of(n * m_den, d * m_num, 1)""",
    # a Decimal as written (hours): micro-units at `places` decimals, or plain without them.
    """CREATE OR REPLACE TEMP MACRO written(micro, places) AS
         CASE WHEN places IS NULL OR places > 6 THEN fig(CAST(micro AS HUGEINT), 1000000)
              ELSE at_places(abs(CAST(micro AS HUGEINT)) // CAST(10 ** (6 - places) AS HUGEINT),
                             micro < 0,
                             places) END""",
)


def define(db: duckdb.DuckDBPyConnection) -> None:
    """Create the macros on the connection."""
    for statement in MACROS:
        db.execute(statement)
