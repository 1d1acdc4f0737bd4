"""Piece pay over whole periods: each result's piece line and per-shift tier lines, exactly.

The piece line (rate x accepted output, rounded half-up once to the minor unit) is computed in
SQL with HUGEINT integers. Tier lines are finished by the domain's own `brackets` and `to_money`
for the results above the first tier. The Python work grows with the paid results, which are
the lines of the slips, not with the ledger's rows. Not wired into the close yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pyarrow as pa

from stakhanov.domain.norms import Norm
from stakhanov.domain.payslips import figure
from stakhanov.domain.piecework import brackets, piece_rate
from stakhanov.domain.rounding import rounded
from stakhanov.domain.scales import Basis, PayScale, PercentRule, ScaleBook
from stakhanov.engine.session import versions
from stakhanov.store.frames import Frames


@dataclass(frozen=True)
class PiecePay:
    """What one result earns as piece work: the piece line and its per-shift tier lines."""

    shift_id: str
    worker_id: str
    operation: str
    piece: Decimal
    tiers: tuple[tuple[str, Decimal], ...]  # (line code such as "tier-150", amount)


def _table(columns: dict[str, tuple[Any, list[Any]]]) -> pa.Table:
    return pa.table({name: pa.array(values, kind) for name, (kind, values) in columns.items()})


def _paying(
    db: duckdb.DuckDBPyConnection, scales: ScaleBook
) -> tuple[list[PayScale], list[tuple[str, dt.date, int]]]:
    """The one scale that pays each (operation, date); several or none pay nothing here."""
    chosen: list[PayScale] = []
    paid = []
    pairs = "SELECT DISTINCT operation, date FROM results WHERE normed ORDER BY ALL"
    for operation, day in db.execute(pairs).fetchall():
        covering = scales.covering(operation, day)
        if len(covering) != 1 or not covering[0].engine_computable:
            continue  # other plan kinds and rate cards: the domain path pays them
        if covering[0] not in chosen:
            chosen.append(covering[0])
        paid.append((operation, day, chosen.index(covering[0])))
    return chosen, paid


def _rates(db: duckdb.DuckDBPyConnection, chosen: list[PayScale], norms: list[Norm]) -> pa.Table:
    """Per (grade, norm version, scale): the exact piece rate and the scale's minor unit."""
    combos = db.execute(
        "SELECT DISTINCT w.grade, r.norm_id, p.scale_id FROM results r "
        "JOIN paid p USING (operation, date) JOIN grades w USING (worker_id) WHERE r.normed"
    ).fetchall()
    rows: dict[str, list[Any]] = {k: [] for k in ("grade", "norm_id", "scale_id", "r", "m")}
    for grade, norm_id, scale_id in combos:
        tariff = chosen[scale_id].tariff(grade)
        if tariff is None:  # the domain reports the grade; nothing is paid
            continue
        rate = piece_rate(norms[norm_id], tariff)
        minor = Fraction(chosen[scale_id].minor_unit)
        for key, value in zip(rows, (grade, norm_id, scale_id, rate, minor), strict=True):
            rows[key].append(value)
    return _table(
        {
            "grade": (pa.string(), rows["grade"]),
            "norm_id": (pa.int64(), rows["norm_id"]),
            "scale_id": (pa.int64(), rows["scale_id"]),
            **{
                f"{key}_{part}": (
                    pa.string(),
                    [
                        str(getattr(v, f"{part}erator" if part == "num" else "denominator"))
                        for v in rows[key]
                    ],
                )
                for key in ("r", "m")
                for part in ("num", "den")
            },
        }
    )


# Half-up to the minor unit, in integers: floor((2 x amount / minor + 1) / 2).
PIECES = """
SELECT r.shift_id, r.worker_id, r.operation, p.scale_id,
       (2 * r.output_num * r_num * m_den + r.output_den * r_den * m_num)
         // (2 * r.output_den * r_den * m_num) AS minor_units,
       r.output_num, r.output_den, r.earned_num, r.earned_den, r.fair_num, r.fair_den, r.hours,
       r.assisted OR r.pooled AS helped, q.r_num, q.r_den
FROM results r JOIN paid p USING (operation, date) JOIN grades w USING (worker_id)
JOIN (SELECT grade, norm_id, scale_id,
             CAST(r_num AS HUGEINT) AS r_num, CAST(r_den AS HUGEINT) AS r_den,
             CAST(m_num AS HUGEINT) AS m_num, CAST(m_den AS HUGEINT) AS m_den FROM piece_rates) q
  ON q.grade = w.grade AND q.norm_id = r.norm_id AND q.scale_id = p.scale_id
WHERE r.normed
"""


def _counted(row: tuple[Any, ...], scale: PayScale) -> Fraction:
    """The percent the scale's tiers count: fair for assisted or pooled results if it says so."""
    earned_num, earned_den, fair_num, fair_den, hours, helped = row[7:13]
    fair = scale.percent is PercentRule.FAIR or scale.percent is PercentRule.AUTO
    num, den = (fair_num, fair_den) if fair and helped else (earned_num, earned_den)
    return Fraction(int(num), int(den)) / Fraction(int(hours), 10**6) * 100


def piece_pay(db: duckdb.DuckDBPyConnection, frames: Frames, scales: ScaleBook) -> list[PiecePay]:
    """Piece and per-shift tier amounts of every paid result of the frames' period."""
    chosen, paid = _paying(db, scales)
    db.register(
        "paid",
        _table(
            {
                "operation": (pa.string(), [p[0] for p in paid]),
                "date": (pa.date32(), [p[1] for p in paid]),
                "scale_id": (pa.int64(), [p[2] for p in paid]),
            }
        ),
    )
    workers = [w for (w,) in db.execute("SELECT DISTINCT worker_id FROM crew").fetchall()]
    db.register(
        "grades",
        _table(
            {
                "worker_id": (pa.string(), workers),
                "grade": (pa.string(), [frames.grades.get(w) for w in workers]),
            }
        ),
    )
    db.register("piece_rates", _rates(db, chosen, versions(frames.norms)))
    found = []
    for row in db.execute(PIECES).fetchall():
        shift_id, worker_id, operation, scale_id, minor_units = row[:5]
        scale = chosen[scale_id]
        tiers: Sequence[tuple[str, Decimal]] = ()
        if scale.basis is Basis.SHIFT and scale.tiers:
            tiers = _tiers(row, scale)
        amount = (scale.minor_unit * int(minor_units)).quantize(scale.minor_unit)
        found.append(PiecePay(shift_id, worker_id, operation, amount, tuple(tiers)))
    return found


def _tiers(row: tuple[Any, ...], scale: PayScale) -> list[tuple[str, Decimal]]:
    quantity = Fraction(int(row[5]), int(row[6]))
    percent = _counted(row, scale)
    if quantity <= 0 or percent <= Fraction(scale.tiers[0].above):
        return []
    rate = Fraction(int(row[13]), int(row[14]))
    return [
        (
            f"tier-{figure(bracket.tier.above)}",
            rounded(rate * bracket.step * bracket.eligible, scale.minor_unit),
        )
        for bracket in brackets(scale.tiers, quantity, percent)
    ]
