"""Ordinary work over the read model's rows, summed set-based: a tally per worker and operation.

The same tallies as domain.performance.tally_by(ordinary_work(...)), number for number, without
a Result per crew row: the rows read are the normed results of standard shifts; DuckDB leaves
out the doubtful ones, marks the unsafe ones and those whose output's rejects were checked,
and sums numerators per denominator; Python adds the few terms left per tally exactly
(exact.over_lcm).

A result's share of its output's rejected quantity, in standard hours, is its earned hours
times rejected / quantity (domain.performance.rejected_hours_of: the credit's share of the
quantity, both in the norm's unit, so the conversion factor cancels). Where the output's
quantity is zero the share goes by hours; those few results come computed by the domain.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from fractions import Fraction

import pyarrow as pa

from stakhanov.domain.incidents import Incident
from stakhanov.domain.ledger import MeasuredOutput
from stakhanov.domain.performance import Tally, hurt_keys
from stakhanov.engine.exact import MICRO, of_micro, over_lcm
from stakhanov.engine.stored import ORDINARY, results_session

Key = tuple[str, str, str]  # shift, operation, worker

_WORK = """
CREATE TEMP TABLE work AS
SELECT r.shift_id, r.worker_id, {operation} AS operation, r.hours, r.hours_places,
       r.earned_num, r.earned_den, r.fair_num, r.fair_den,
       o.shift_id IS NOT NULL AS checked,
       CASE WHEN o.zero THEN z.num ELSE r.earned_num * o.num END AS rejected_num,
       CASE WHEN o.zero THEN z.den ELSE r.earned_den * o.den END AS rejected_den,
       EXISTS (SELECT 1 FROM hurt h WHERE h.shift_id = r.shift_id AND h.worker_id = r.worker_id)
       OR EXISTS (SELECT 1 FROM hurt_days d WHERE d.worker_id = r.worker_id AND d.date = r.date)
       AS unsafe
FROM results r
LEFT JOIN (SELECT shift_id, operation, zero, CAST(num AS HUGEINT) AS num,
                  CAST(den AS HUGEINT) AS den FROM rejects) o
       ON o.shift_id = r.shift_id AND o.operation = r.operation
LEFT JOIN (SELECT shift_id, operation, worker_id, CAST(num AS HUGEINT) AS num,
                  CAST(den AS HUGEINT) AS den FROM zero) z
       ON z.shift_id = r.shift_id AND z.operation = r.operation AND z.worker_id = r.worker_id
WHERE NOT EXISTS (
  SELECT 1 FROM doubtful x
  WHERE x.shift_id = r.shift_id AND x.operation = r.operation AND x.worker_id = r.worker_id)
"""

_COUNTS = """
SELECT worker_id, operation, {shifts}, sum(hours), max(hours_places),
       count(*) FILTER (WHERE checked), count(*), {percents}
FROM work GROUP BY worker_id, operation
"""
_PERCENTS = "list([fair_num, fair_den, CAST(hours AS HUGEINT)])"  # each result's, listed


def _reached(thresholds: Sequence[Fraction]) -> str:
    """SQL: per threshold, how many results' fair fulfilment reached it: fair / hours * 100 >=
    a / b, so fair_num * 100 * b >= a * fair_den * hours (micro-units; fair_den, hours > 0)."""
    counts = [
        f"count(*) FILTER (WHERE fair_num * CAST('{100 * MICRO * t.denominator}' AS HUGEINT)"
        f" >= CAST('{t.numerator}' AS HUGEINT) * fair_den * CAST(hours AS HUGEINT))"
        for t in thresholds
    ]
    return f"[{', '.join(counts)}]" if counts else "CAST([] AS BIGINT[])"


# Numerators summed per denominator: 0 earned, 1 fair, 2 rejected, 3 fair earned unsafely.
_TERMS = """
SELECT worker_id, operation, 0, earned_den, sum(earned_num) FROM work
GROUP BY worker_id, operation, earned_den
UNION ALL SELECT worker_id, operation, 1, fair_den, sum(fair_num) FROM work
GROUP BY worker_id, operation, fair_den
UNION ALL SELECT worker_id, operation, 2, rejected_den, sum(rejected_num) FROM work
WHERE rejected_num IS NOT NULL GROUP BY worker_id, operation, rejected_den
UNION ALL SELECT worker_id, operation, 3, fair_den, sum(fair_num) FROM work WHERE unsafe
GROUP BY worker_id, operation, fair_den
"""


def _strings(**columns: list[str]) -> pa.Table:
    return pa.table({name: pa.array(values, pa.string()) for name, values in columns.items()})


def rejects(outputs: Iterable[MeasuredOutput]) -> pa.Table:
    """Per checked output its rejected / quantity (zero: the share goes by hours)."""
    shifts, operations, zero, nums, dens = [], [], [], [], []
    for output in outputs:
        assert output.rejected is not None
        empty = not output.quantity and bool(output.rejected)
        ratio = Fraction(0)
        if output.rejected and output.quantity:
            ratio = Fraction(output.rejected) / Fraction(output.quantity)
        shifts.append(output.shift_id)
        operations.append(output.operation)
        zero.append(empty)
        nums.append(str(ratio.numerator))
        dens.append(str(ratio.denominator))
    table = _strings(shift_id=shifts, operation=operations, num=nums, den=dens)
    return table.append_column("zero", pa.array(zero, pa.bool_()))


def _zero(shares: Mapping[Key, Fraction]) -> pa.Table:
    keys = list(shares)
    return _strings(
        shift_id=[k[0] for k in keys],
        operation=[k[1] for k in keys],
        worker_id=[k[2] for k in keys],
        num=[str(shares[k].numerator) for k in keys],
        den=[str(shares[k].denominator) for k in keys],
    )


def _hurt(incidents: Iterable[Incident]) -> tuple[pa.Table, pa.Table]:
    """(shift, worker) hurt on a shift, and (worker, date) hurt on a day without one."""
    on_shift, on_day = hurt_keys(incidents)
    shifts = _strings(shift_id=[s for s, _ in on_shift], worker_id=[w for _, w in on_shift])
    days = pa.table(
        {
            "worker_id": pa.array([w for w, _ in on_day], pa.string()),
            "date": pa.array([d for _, d in on_day], pa.date32()),
        }
    )
    return shifts, days


def tallies(
    rows: pa.Table,
    outputs: Iterable[MeasuredOutput] | pa.Table,
    doubtful: Collection[Key] = frozenset(),
    incidents: Iterable[Incident] = (),
    zero_shares: Mapping[Key, Fraction] | None = None,
    thresholds: Collection[Fraction] | None = None,
    per_worker: bool = False,
) -> dict[tuple[str, str], Tally]:
    """Tallies per (worker, operation) of the ordinary work among the stored rows (normed
    results of standard shifts, store.read_model.ordinary_frame): `outputs` the checked
    outputs of their shifts (a rejected quantity recorded; or their `rejects` table, made once
    for several batches), `doubtful` the results to leave out, `zero_shares` the rejected
    hours of results whose output's quantity is zero.
    NotMicro where the engine's integers cannot hold a figure exactly: the reference path
    then computes it. With `thresholds` the tallies count the results whose percentage
    reached each (`reached`: share_at_least of those alone, as a rulebook asks; none: what
    a board asks), held per tally, not per result; None lists every result's percentage.
    `per_worker`: one tally per worker of all his operations (keyed (worker, "")), its
    distinct shifts counted (`shift_count`), not listed."""
    hurt, hurt_days = _hurt(incidents)
    doubted = list(doubtful)
    asked = None if thresholds is None else sorted(set(thresholds))
    with results_session(rows, ORDINARY) as db:
        db.register("rejects", outputs if isinstance(outputs, pa.Table) else rejects(outputs))
        db.register("zero", _zero(zero_shares or {}))
        db.register("hurt", hurt)
        db.register("hurt_days", hurt_days)
        db.register(
            "doubtful",
            _strings(
                shift_id=[k[0] for k in doubted],
                operation=[k[1] for k in doubted],
                worker_id=[k[2] for k in doubted],
            ),
        )
        db.execute(_WORK.format(operation="''" if per_worker else "r.operation"))
        percents = _PERCENTS if asked is None else _reached(asked)
        shifts = "count(DISTINCT shift_id)" if per_worker else "list(DISTINCT shift_id)"
        counts = db.execute(_COUNTS.format(percents=percents, shifts=shifts)).fetchall()
        terms = db.execute(_TERMS).fetchall()
    found: dict[tuple[str, str], Tally] = {}
    for worker_id, operation, shift_ids, hours, places, checked, count, percents in counts:
        tally = Tally(
            shift_ids=set() if per_worker else set(shift_ids),
            shift_count=shift_ids if per_worker else None,
            workers={worker_id},
            hours=of_micro(hours, places),
            checked=checked,
            results=count,
        )
        if asked is None:
            tally.shift_percents = [Fraction(n * 100 * MICRO, d * h) for n, d, h in percents]
        else:
            tally.reached = dict(zip(asked, percents, strict=True))
        found[(worker_id, operation)] = tally
    parts: dict[tuple[str, str, int], tuple[list[int], list[int]]] = {}
    for worker_id, operation, kind, den, num in terms:
        nums, dens = parts.setdefault((worker_id, operation, kind), ([], []))
        nums.append(num)
        dens.append(den)
    fields = ("earned", "fair_earned", "rejected_hours", "unsafe_earned")
    for (worker_id, operation, kind), (nums, dens) in parts.items():
        setattr(found[(worker_id, operation)], fields[kind], over_lcm(nums, dens))
    return found
