"""Time work over a whole period, set-based: the line of each result without a norm.

A crew row of an operation without a norm (or a helper's own row) earns no standard hours; the
domain pays it as time work (`SlipBuilder.time_work`: hours x tariff x the scale's fraction) or,
under a scale without [time_work], writes a zero line that says why (`unpaid_time_work`).
DuckDB words both for the results of an eligible scale (engine/lines.py `time_paid`), rounding
in integers of minor units; Python adds the texts per grade and scale. Results whose grade the
scale does not pay stay with the domain, which reports the grade.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pyarrow as pa

from stakhanov.domain.earnings import Dated
from stakhanov.domain.payslips import PayLine, figure, places_of
from stakhanov.domain.rounding import shown
from stakhanov.domain.scales import PayScale
from stakhanov.engine.exact import of_micro

# The time results the engine words: the pair's one scale, the worker's grade and its rate.
TIME_RESULTS = """
CREATE TEMP TABLE time_results AS
SELECT r.shift_id, r.worker_id, r.operation, r.date, r.hours, r.hours_places, p.scale_id,
       t.combo, t.paid, t.tariff_fig, t.fraction_fig, t.label,
       CAST(s.m_num AS HUGEINT) AS m_num, CAST(s.m_den AS HUGEINT) AS m_den,
       CAST(t.r_num AS HUGEINT) AS r_num, CAST(t.r_den AS HUGEINT) AS r_den
FROM results r JOIN time_paid p USING (operation, date) JOIN scale_info s USING (scale_id)
JOIN grades w USING (worker_id)
JOIN time_rates t ON t.grade IS NOT DISTINCT FROM w.grade AND t.scale_id = p.scale_id
WHERE r.earned_num IS NULL
"""

# SlipBuilder.time_work's line (hours x tariff x fraction, rounded once), or unpaid_time_work's.
TIME_LINES = """
SELECT worker_id, date, shift_id, operation, hours, hours_places, combo,
       minor_steps(CAST(hours AS HUGEINT) * r_num, 1000000 * r_den, m_num, m_den),
       CAST(date AS VARCHAR) || ' shift ' || shift_id || ', ' || operation
         || ' (no measured output of its own): ' || written(hours, hours_places) || ' h'
         || CASE WHEN paid
                 THEN ' x tariff ' || tariff_fig || ' x ' || fraction_fig || ' = '
                      || fig(CAST(hours AS HUGEINT) * r_num, 1000000 * r_den)
                 ELSE ', not paid as time work (' || label || ' has no [time_work])' END
FROM time_results
WHERE ($first::VARCHAR IS NULL OR worker_id BETWEEN $first AND $last)
"""


Rates = dict[int, tuple[Decimal, int]]  # by combination: the rate as shown, the money places


def register(db: duckdb.DuckDBPyConnection, chosen: list[PayScale]) -> Rates:
    """Register `time_rates` per (grade, scale) of the time results and `time_results`; each
    combination's rate as its line shows it and the scale's decimal places, by id."""
    pairs = db.execute(
        "SELECT DISTINCT w.grade, p.scale_id FROM results r JOIN time_paid p "
        "USING (operation, date) JOIN grades w USING (worker_id) WHERE r.earned_num IS NULL "
        "ORDER BY ALL"
    ).fetchall()
    rows: dict[str, list[Any]] = {
        k: [] for k in ("grade", "scale_id", "combo", "paid", "tariff_fig", "fraction_fig", "label")
    }
    rates: list[Fraction] = []
    found: Rates = {}
    for grade, scale_id in pairs:
        scale = chosen[scale_id]
        fraction, tariff = scale.time_work, scale.tariff(grade)
        places = places_of(scale.minor_unit)
        if fraction is None:  # unpaid, whatever the grade: a zero line
            rate, values = Fraction(0), (False, "", "")
            found[len(rates)] = (_zero(places), places)
        elif tariff is None:  # the domain reports the grade
            continue
        else:
            rate = Fraction(tariff) * Fraction(fraction)
            values = (True, figure(tariff), figure(fraction))
            found[len(rates)] = (shown(rate, 2), places)
        for key, value in zip(
            rows, (grade, scale_id, len(rates), *values, scale.label), strict=True
        ):
            rows[key].append(value)
        rates.append(rate)
    db.register(
        "time_rates",
        pa.table(
            {
                "grade": pa.array(rows["grade"], pa.string()),
                "scale_id": pa.array(rows["scale_id"], pa.int64()),
                "combo": pa.array(rows["combo"], pa.int64()),
                "paid": pa.array(rows["paid"], pa.bool_()),
                "tariff_fig": pa.array(rows["tariff_fig"], pa.string()),
                "fraction_fig": pa.array(rows["fraction_fig"], pa.string()),
                "label": pa.array([str(v) for v in rows["label"]], pa.string()),
                "r_num": pa.array([str(r.numerator) for r in rates], pa.string()),
                "r_den": pa.array([str(r.denominator) for r in rates], pa.string()),
            }
        ),
    )
    db.execute(TIME_RESULTS)
    return found


def _zero(places: int) -> Decimal:
    return Decimal(f"0E-{places}")  # rounded(ZERO, minor): zero at the minor unit's places


def time_lines(
    db: duckdb.DuckDBPyConnection, rates: Rates, workers: dict[str, Any]
) -> Iterator[tuple[str, Dated]]:
    """(worker, dated line) of each time result of the span."""
    for row in db.execute(TIME_LINES, workers).fetchall():
        worker_id, day, shift_id, operation, micro, hours_places, combo, steps, text = row
        rate, places = rates[combo]
        line = PayLine(
            "time",
            f"time:{shift_id}:{operation}",
            of_micro(micro, hours_places),
            "h",
            rate,
            Decimal(f"{int(steps)}E-{places}"),
            text,
        )
        yield worker_id, Dated(day, 3, line)
