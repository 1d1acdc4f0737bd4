"""Piece and per-shift tier lines over a whole period, set-based: amounts, figures and texts.

For the results of a scale the engine computes (marginal, no rate card, no period rules: see
`eligible`), DuckDB builds each piece line and its tier lines exactly as
`domain.earnings.SlipBuilder.piece` words them, rounding in integers of minor units (decision
0562) and formatting figures with the macros of engine/figures.py. Python adds what is per
combination of grade, norm and scale (the rate, its formula, the tiers' texts), then turns each
row into the domain's PayLine. Results a text needs the fair percent for stay with the domain.
The lines of a scale whose pieces the slip never sums (`takes_whole`) and time work
(engine/time_work.py) go to each worker's slip whole, as `TakenWork` (decision 0566); the other
scales' as `GivenPiece` per result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any

import duckdb
import pyarrow as pa

from stakhanov.domain.earnings import (
    Dated,
    GivenPiece,
    TakenWork,
    rate_formula,
    rejected_note,
    takes_whole,
)
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import Norm
from stakhanov.domain.payslips import PayLine, figure
from stakhanov.domain.piecework import piece_rate
from stakhanov.domain.rounding import shown
from stakhanov.domain.scales import Basis, PayScale, PercentRule, ScaleBook
from stakhanov.engine.exact import of_micro
from stakhanov.engine.figures import define
from stakhanov.engine.session import versions
from stakhanov.engine.time_work import register as register_time_work
from stakhanov.engine.time_work import time_lines
from stakhanov.store.frames import Frames

Key = tuple[str, str, str]  # (shift, worker, operation)


def eligible(scale: PayScale) -> bool:
    """Whether the engine builds this scale's piece lines: a marginal scale without rate cards
    or period rules, with a minor unit that is a power of ten."""
    sign, digits, _ = scale.minor_unit.as_tuple()
    return scale.engine_computable and not scale.uses_period_rules and digits == (1,) and not sign


def _table(columns: dict[str, tuple[Any, list[Any]]]) -> pa.Table:
    return pa.table({name: pa.array(values, kind) for name, (kind, values) in columns.items()})


def _big(values: list[int]) -> tuple[Any, list[Any]]:
    """Integers of any size, as text DuckDB casts to HUGEINT."""
    return pa.string(), [str(v) for v in values]


def _one_scale(
    db: duckdb.DuckDBPyConnection, name: str, which: str, scales: ScaleBook, chosen: list[PayScale]
) -> None:
    """Register `name` (operation, date, scale_id): the one eligible scale of each pair of the
    results `which` selects, added to `chosen`."""
    paid: list[tuple[str, dt.date, int]] = []
    pairs = f"SELECT DISTINCT operation, date FROM results WHERE {which} ORDER BY ALL"
    for operation, day in db.execute(pairs).fetchall():
        covering = scales.covering(operation, day)
        if len(covering) != 1 or not eligible(covering[0]):
            continue
        if covering[0] not in chosen:
            chosen.append(covering[0])
        paid.append((operation, day, chosen.index(covering[0])))
    db.register(
        name,
        _table(
            {
                "operation": (pa.string(), [p[0] for p in paid]),
                "date": (pa.date32(), [p[1] for p in paid]),
                "scale_id": (pa.int64(), [p[2] for p in paid]),
            }
        ),
    )


def _paying(db: duckdb.DuckDBPyConnection, scales: ScaleBook) -> list[PayScale]:
    """Register `paid` for the measured results, `time_paid` for those without a norm
    (time work), and `scale_info`; the scales by id."""
    chosen: list[PayScale] = []
    _one_scale(db, "paid", "normed", scales, chosen)
    _one_scale(db, "time_paid", "earned_num IS NULL", scales, chosen)
    shift_tiers = [s.basis is Basis.SHIFT and bool(s.tiers) for s in chosen]
    db.register(
        "scale_info",
        _table(
            {
                "scale_id": (pa.int64(), list(range(len(chosen)))),
                # Texts that need the fair percent (domain: _counted_note, shift_tiers) are
                # left to the domain: helped results unless the percent is stated, and every
                # result of a fair scale with per-shift tiers.
                "takes_helped": (pa.bool_(), [s.percent is PercentRule.STATED for s in chosen]),
                "takes_plain": (
                    pa.bool_(),
                    [
                        not (s.percent is PercentRule.FAIR and tiers)
                        for s, tiers in zip(chosen, shift_tiers, strict=True)
                    ],
                ),
                "shift_tiers": (pa.bool_(), shift_tiers),
                "takes_whole": (pa.bool_(), [takes_whole(s, scales) for s in chosen]),
                "m_num": _big([s.minor_unit.as_integer_ratio()[0] for s in chosen]),
                "m_den": _big([s.minor_unit.as_integer_ratio()[1] for s in chosen]),
            }
        ),
    )
    return chosen


@dataclass(frozen=True)
class Combo:
    """A grade's piece rate for a norm version under a scale."""

    norm: Norm
    tariff: Decimal
    rate: Fraction
    shown: Decimal  # the rate as a line shows it
    scale_id: int


def _rates(
    db: duckdb.DuckDBPyConnection, chosen: list[PayScale], norms: list[Norm]
) -> dict[int, Combo]:
    """Register `piece_rates` per (grade, norm version, scale) with the rate's texts; the
    norm, tariff and exact rate by combination id."""
    combos = db.execute(
        "SELECT DISTINCT w.grade, r.norm_id, p.scale_id FROM results r "
        "JOIN paid p USING (operation, date) JOIN grades w USING (worker_id) WHERE r.normed "
        "ORDER BY ALL"
    ).fetchall()
    found: dict[int, Combo] = {}
    rows: dict[str, list[Any]] = {k: [] for k in ("grade", "norm_id", "scale_id", "combo")}
    rates: list[Fraction] = []
    texts: dict[str, list[str]] = {"rate_fig": [], "formula": []}
    for grade, norm_id, scale_id in combos:
        tariff = chosen[scale_id].tariff(grade)
        if tariff is None:  # the domain reports the grade; nothing is paid
            continue
        norm = norms[norm_id]
        rate = piece_rate(norm, tariff)
        found[len(rates)] = Combo(norm, tariff, rate, shown(rate, 2), scale_id)
        for key, value in zip(rows, (grade, norm_id, scale_id, len(rates)), strict=True):
            rows[key].append(value)
        rates.append(rate)
        texts["rate_fig"].append(figure(rate))
        texts["formula"].append(rate_formula(norm, tariff))
    db.register(
        "piece_rates",
        _table(
            {
                "grade": (pa.string(), rows["grade"]),
                "norm_id": (pa.int64(), rows["norm_id"]),
                "scale_id": (pa.int64(), rows["scale_id"]),
                "combo": (pa.int64(), rows["combo"]),
                "r_num": _big([r.numerator for r in rates]),
                "r_den": _big([r.denominator for r in rates]),
                **{name: (pa.string(), values) for name, values in texts.items()},
            }
        ),
    )
    return found


def _tiers(db: duckdb.DuckDBPyConnection, chosen: list[PayScale]) -> None:
    """Register `tiers`: each per-shift tier of each scale, its step and its texts."""
    rows: dict[str, list[Any]] = {
        k: [] for k in ("scale_id", "tier_no", "above", "step", "above_text", "mult", "prev")
    }
    for scale_id, scale in enumerate(chosen):
        previous = Fraction(1)
        for number, tier in enumerate(scale.tiers):
            multiplier = Fraction(tier.multiplier)
            values = (
                scale_id,
                number,
                Fraction(tier.above),
                multiplier - previous,
                figure(tier.above),
                figure(tier.multiplier),  # as written, as the domain's bracket has it
                figure(previous),
            )
            for key, value in zip(rows, values, strict=True):
                rows[key].append(value)
            previous = multiplier
    db.register(
        "tiers",
        _table(
            {
                "scale_id": (pa.int64(), rows["scale_id"]),
                "tier_no": (pa.int64(), rows["tier_no"]),
                "above_num": _big([v.numerator for v in rows["above"]]),
                "above_den": _big([v.denominator for v in rows["above"]]),
                "step_num": _big([v.numerator for v in rows["step"]]),
                "step_den": _big([v.denominator for v in rows["step"]]),
                "above_text": (pa.string(), rows["above_text"]),
                "mult_text": (pa.string(), rows["mult"]),
                "prev_text": (pa.string(), rows["prev"]),
            }
        ),
    )


# The paid results with their rate: exact quantity q, stated hours e, norm output o.
PAID = """
CREATE TEMP TABLE paid_results AS
SELECT r.shift_id, r.worker_id, r.operation, r.date, r.unit, r.hours, r.hours_places,
       r.output_num AS q_num, r.output_den AS q_den,
       r.earned_num AS e_num, r.earned_den AS e_den,
       r.norm_output_num AS o_num, r.norm_output_den AS o_den,
       p.scale_id, s.shift_tiers, s.takes_whole, CAST(s.m_num AS HUGEINT) AS m_num,
       CAST(s.m_den AS HUGEINT) AS m_den, q.combo,
       CAST(q.r_num AS HUGEINT) AS r_num, CAST(q.r_den AS HUGEINT) AS r_den,
       q.rate_fig, q.formula,
       CAST(r.date AS VARCHAR) || ' shift ' || r.shift_id || ', ' || r.operation AS place
FROM results r JOIN paid p USING (operation, date) JOIN scale_info s USING (scale_id)
JOIN grades w USING (worker_id)
JOIN piece_rates q ON q.grade = w.grade AND q.norm_id = r.norm_id AND q.scale_id = p.scale_id
WHERE r.normed AND CASE WHEN r.assisted OR r.pooled THEN s.takes_helped ELSE s.takes_plain END
"""

# SlipBuilder.piece's line: quantity accepted x piece rate, rounded once.
PIECES = """
SELECT shift_id, worker_id, operation, combo,
       -- the exact figures a GivenPiece keeps; work taken whole needs none
       CASE WHEN NOT $whole THEN q_num END, CASE WHEN NOT $whole THEN q_den END,
       CASE WHEN NOT $whole THEN e_num END, CASE WHEN NOT $whole THEN e_den END,
       shown_text(q_num, q_den, 0),
       minor_steps(q_num * r_num, q_den * r_den, m_num, m_den),
       place || ': ' || fig(q_num, q_den) || ' ' || unit || ' accepted x piece rate '
         || rate_fig || ' = ' || fig(q_num * r_num, q_den * r_den) || '; piece rate = '
         || formula,
       date, hours, hours_places
FROM paid_results
WHERE ($first::VARCHAR IS NULL OR worker_id BETWEEN $first AND $last)
  AND takes_whole = $whole
ORDER BY shift_id, worker_id, operation
"""

# SlipBuilder.shift_tiers at the stated percent p = e / hours x 100: the output above each
# tier's threshold t = o x above / 100 (the norm output at that percent), eligible x = q - t.
TIERS = """
WITH b AS (
  SELECT r.*, t.tier_no, t.above_text, t.mult_text, t.prev_text,
         CAST(t.step_num AS HUGEINT) AS s_num, CAST(t.step_den AS HUGEINT) AS s_den,
         r.o_num * CAST(t.above_num AS HUGEINT) AS t_num,
         r.o_den * 100 * CAST(t.above_den AS HUGEINT) AS t_den
  FROM paid_results r JOIN tiers t USING (scale_id)
  WHERE r.shift_tiers AND r.q_num > 0
    AND ($first::VARCHAR IS NULL OR r.worker_id BETWEEN $first AND $last)
    AND r.takes_whole = $whole AND r.e_num * 100000000 * CAST(t.above_den AS HUGEINT)
        > CAST(t.above_num AS HUGEINT) * r.e_den * r.hours),
x AS (SELECT *, q_num * t_den - t_num * q_den AS x_num, q_den * t_den AS x_den FROM b),
y AS (SELECT *, r_num * s_num AS w_num, r_den * s_den AS w_den FROM x)
SELECT shift_id, worker_id, operation, combo, above_text,
       shown_text(x_num, x_den, 0), shown_text(w_num, w_den, 2),
       minor_steps(w_num * x_num, w_den * x_den, m_num, m_den),
       place || ': ' || pct(e_num * 100000000, e_den * hours) || '% of the ' || fig(o_num, o_den)
         || ' ' || unit || ' norm for ' || written(hours, hours_places) || ' h; output above '
         || above_text || '% (' || fig(t_num, t_den) || ' ' || unit || '): '
         || fig(q_num, q_den) || ' - ' || fig(t_num, t_den) || ' = ' || fig(x_num, x_den) || ' '
         || unit || ' x ' || rate_fig || ' x (' || mult_text || ' - ' || prev_text || ') = '
         || fig(w_num * x_num, w_den * x_den),
       date
FROM y
ORDER BY shift_id, worker_id, operation, tier_no
"""


def _money(steps: int, places: int) -> Decimal:
    return Decimal(f"{int(steps)}E-{places}")


def _places(scale: PayScale) -> int:
    exponent = scale.minor_unit.as_tuple().exponent
    assert isinstance(exponent, int)
    return -exponent


def _tier_lines(
    db: duckdb.DuckDBPyConnection,
    units: dict[int, str],
    places: dict[int, int],
    workers: Span,
    whole: bool,
) -> Iterator[tuple[Key, dt.date, PayLine]]:
    for row in db.execute(TIERS, {**workers, "whole": whole}).fetchall():
        shift_id, worker_id, operation, combo, above = row[:5]
        yield (
            (shift_id, worker_id, operation),
            row[9],
            PayLine(
                f"tier-{above}",
                f"tier-{above}:{shift_id}:{operation}",
                Decimal(row[5]),
                units[combo],
                Decimal(row[6]),
                _money(row[7], places[combo]),
                row[8],
            ),
        )


Span = dict[str, str | None]  # the workers from `first` to `last` in text order; None: all
EVERYONE: Span = {"first": None, "last": None}


def span(first: str, last: str) -> Span:
    return {"first": first, "last": last}


# The hours of the results taken whole, per worker, day, shift and scale (a shift's length
# repeats, so the few distinct (hours, places) come with their count).
TAKEN_HOURS = """
SELECT worker_id, date, shift_id, scale_id, hours, hours_places, count(*)
FROM taken_results
WHERE ($first::VARCHAR IS NULL OR worker_id BETWEEN $first AND $last)
GROUP BY ALL
"""

# The results whose lines the slip takes whole: pieces of `takes_whole` scales, time work.
TAKEN = """
CREATE TEMP TABLE taken_results AS
SELECT shift_id, worker_id, operation, date, hours, hours_places, scale_id
FROM paid_results WHERE takes_whole
UNION ALL
SELECT shift_id, worker_id, operation, date, hours, hours_places, scale_id FROM time_results
"""


@dataclass(frozen=True)
class PaidLines:
    """The paid results of a session, ready to be turned into lines for any span of workers."""

    db: duckdb.DuckDBPyConnection
    chosen: list[PayScale]
    combos: dict[int, Combo]
    time_rates: dict[int, tuple[Decimal, int]]  # time work's shown rate and places, by combo

    @property
    def _units(self) -> dict[int, str]:
        return {c: found.norm.unit for c, found in self.combos.items()}

    @property
    def _places(self) -> dict[int, int]:
        return {c: _places(self.chosen[found.scale_id]) for c, found in self.combos.items()}

    def _pieces(self, workers: Span, whole: bool) -> Iterator[tuple[tuple[Any, ...], PayLine]]:
        places = self._places
        for row in self.db.execute(PIECES, {**workers, "whole": whole}).fetchall():
            combo_of = self.combos[row[3]]
            yield (
                row,
                PayLine(
                    "piece",
                    f"piece:{row[0]}:{row[2]}",
                    Decimal(row[8]),
                    combo_of.norm.unit,
                    combo_of.shown,
                    _money(row[9], places[row[3]]),
                    row[10],
                ),
            )

    def given(self, workers: Span = EVERYONE) -> dict[Key, GivenPiece]:
        """The piece and per-shift tier lines of the span's results the engine pays, for the
        scales whose pieces the slip still sums (not `takes_whole`)."""
        tiers: dict[Key, list[PayLine]] = {}
        for key, _, line in _tier_lines(self.db, self._units, self._places, workers, False):
            tiers.setdefault(key, []).append(line)
        given: dict[Key, GivenPiece] = {}
        for row, line in self._pieces(workers, False):
            combo_of = self.combos[row[3]]
            key = (row[0], row[1], row[2])
            given[key] = GivenPiece(
                combo_of.norm,
                combo_of.tariff,
                combo_of.rate,
                Fraction(int(row[4]), int(row[5])),
                Fraction(int(row[6]), int(row[7])),
                self.chosen[combo_of.scale_id].percent is PercentRule.FAIR,
                (line, *tiers.get(key, ())),
            )
        return given

    def taken(self, lookups: Ledger, workers: Span = EVERYONE) -> dict[str, TakenWork]:
        """The span's results taken whole, by worker: piece lines of `takes_whole` scales (with
        the note on rejected output), their tier lines, time work (engine/time_work.py) and
        their hours; `close.domain_results` leaves them out."""
        lines: dict[str, list[Dated]] = {}
        lengths: dict[tuple[int, int | None], Decimal] = {}  # a month repeats a few shift lengths
        for row, line in self._pieces(workers, True):
            if note := rejected_note(lookups, row[0], row[2]):
                line = replace(line, explain=line.explain + note)
            length = (row[12], row[13])
            if (piece_hours := lengths.get(length)) is None:
                piece_hours = lengths[length] = of_micro(*length)
            lines.setdefault(row[1], []).append(Dated(row[11], 0, line, piece_hours))
        for key, day, line in _tier_lines(self.db, self._units, self._places, workers, True):
            lines.setdefault(key[1], []).append(Dated(day, 1, line))
        for worker_id, dated in time_lines(self.db, self.time_rates, workers):
            lines.setdefault(worker_id, []).append(dated)
        hours: dict[str, list[tuple[dt.date, str, Decimal]]] = {}
        scales: dict[str, dict[int, Decimal]] = {}
        for worker_id, day, shift_id, scale_id, micro, places, count in self.db.execute(
            TAKEN_HOURS, workers
        ).fetchall():
            # As the domain adds them one by one: the same value, written with the same places.
            if (shift_length := lengths.get((micro, places))) is None:
                shift_length = lengths[(micro, places)] = of_micro(micro, places)
            worked = shift_length * count
            hours.setdefault(worker_id, []).append((day, shift_id, worked))
            by_scale = scales.setdefault(worker_id, {})
            by_scale[scale_id] = by_scale.get(scale_id, Decimal(0)) + worked
        return {
            worker_id: TakenWork(
                tuple(lines.get(worker_id, ())),
                tuple(worked),
                tuple((self.chosen[s], h) for s, h in scales[worker_id].items()),
            )
            for worker_id, worked in hours.items()
        }


def paid_lines(
    db: duckdb.DuckDBPyConnection,
    frames: Frames,
    scales: ScaleBook,
    among: Collection[str] | None = None,
) -> PaidLines:
    """Which results the engine pays and at what rates, kept in the session (paid_results);
    with `among`, the results of those workers only (the paid and time results join their
    grades), so that no line is made for a crew-mate who gets no slip."""
    define(db)
    workers = [
        w
        for (w,) in db.execute("SELECT DISTINCT worker_id FROM crew").fetchall()
        if among is None or w in among
    ]
    db.register(
        "grades",
        _table(
            {
                "worker_id": (pa.string(), workers),
                "grade": (pa.string(), [frames.grades.get(w) for w in workers]),
            }
        ),
    )
    chosen = _paying(db, scales)
    combos = _rates(db, chosen, versions(frames.norms))
    _tiers(db, chosen)
    db.execute(PAID)
    time_rates = register_time_work(db, chosen)
    db.execute(TAKEN)
    return PaidLines(db, chosen, combos, time_rates)
