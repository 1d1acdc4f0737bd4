"""Ordinary work kept per month, worker and operation (decision 0899), for whole-month boards.

`keep` runs where a refresh sums a worker-month and a home-month again (services.read_sums):
the workers' tallies are taken by services.ordinary.tallies itself, with the doubtful results
kept in, and the homes' distinct shifts counted in SQL. `kept` reads a unit's months a row per
worker and operation and takes out what a review may have changed since: the standing doubtful
results, tallied from the stored results of their shifts as the board tallies them, and from
each home's shifts the doubtful shifts no other result of the home still holds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection

from stakhanov.domain.performance import Tally, merged
from stakhanov.domain.periods import Period
from stakhanov.engine.exact import over_lcm
from stakhanov.services import ordinary  # (it reads reviews, which read the read model)
from stakhanov.store import ordinary as ordinary_store
from stakhanov.store import ordinary_sums as store
from stakhanov.store import read_model as results_store

ByOperation = dict[tuple[str, str], Tally]  # (worker, operation) -> tally, as ordinary's
WORKERS_AT_ONCE = 1_000
FEW_WORKERS = 1_000  # a unit's findings are read by its shifts up to so many workers
ALL = ""  # the operation of a worker's (a home's) row over all his operations


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


def keep(
    connection: Connection,
    month: dt.date,
    workers: Sequence[str] | None,
    homes: Sequence[str] | None,
) -> None:
    """Tally the month's ordinary work of the workers and count the homes' shifts again (None:
    everyone's, every home's)."""
    period = Period(month, _month_end(month))
    if workers is None:
        store.replace_workers(connection, month, None, [])
    chosen = (
        store.workers_of(connection, period.start, period.end) if workers is None else list(workers)
    )
    for i in range(0, len(chosen), WORKERS_AT_ONCE):
        part = chosen[i : i + WORKERS_AT_ONCE]
        found = ordinary.tallies(
            connection, period, None, (), thresholds=(), worker_ids=part, audited=False
        )
        home = store.homes_of(connection, period.start, period.end, part)
        rows = _rows(month, found, home)
        store.replace_workers(connection, month, [] if workers is None else part, rows)
    store.replace_homes(connection, month, None if homes is None else sorted(set(homes)))


def fill(connection: Connection) -> None:
    """Keep every month held, from the stored results (a database from before them)."""
    store.clear(connection)
    for month in store.months_held(connection):
        keep(connection, month, None, None)


def is_missing(connection: Connection) -> bool:
    return store.is_missing(connection)


def clear(connection: Connection) -> None:
    store.clear(connection)


def _rows(month: dt.date, found: ByOperation, home: Mapping[str, str]) -> list[dict[str, Any]]:
    per_worker: dict[str, list[Tally]] = {}
    rows = []
    for (worker_id, operation), tally in sorted(found.items()):
        per_worker.setdefault(worker_id, []).append(tally)
        rows.append(_row(month, worker_id, home[worker_id], operation, tally))
    for worker_id, tallies in per_worker.items():
        rows.append(_row(month, worker_id, home[worker_id], ALL, merged(tallies)))
    return rows


def _parts(value: Fraction) -> tuple[str, str]:
    return str(value.numerator), str(value.denominator)


def _row(month: dt.date, worker_id: str, home: str, operation: str, t: Tally) -> dict[str, Any]:
    row: dict[str, Any] = {
        "month": month,
        "worker_id": worker_id,
        "home": home,
        "operation": operation,
        "results": t.results,
        "shifts": t.shifts,
        "checked": t.checked,
        "hours": format(t.hours, "f"),
    }
    for name, value in (("earned", t.earned), ("fair", t.fair_earned)):
        row[f"{name}_num"], row[f"{name}_den"] = _parts(value)
    row["rejected_num"], row["rejected_den"] = _parts(t.rejected_hours)
    return row


def _tally(row: Mapping[str, Any]) -> Tally:
    """A kept row as a tally whose shifts are counted (one worker's: nothing merges them)."""
    return Tally(
        workers={row["worker_id"]},
        hours=Decimal(row["hours"]),
        earned=Fraction(int(row["earned_num"]), int(row["earned_den"])),
        fair_earned=Fraction(int(row["fair_num"]), int(row["fair_den"])),
        rejected_hours=Fraction(int(row["rejected_num"]), int(row["rejected_den"])),
        checked=int(row["checked"]),
        shift_count=int(row["shifts"]),
        results=int(row["results"]),
        reached={},
    )


def plus(tallies: Iterable[Tally], shifts: int | None = None) -> Tally:
    """The sums of tallies of separate work (months of a worker, members of a team), their
    shifts counted: `shifts`, else the sum of theirs (a shift lies in one month). Each
    fraction is added over its terms' least common denominator, not term by term."""
    chosen = list(tallies)
    total = Tally(reached={})
    for t in chosen:
        total.workers |= t.workers
        total.hours += t.hours
    for name in ("earned", "fair_earned", "rejected_hours", "unsafe_earned"):
        values = [getattr(t, name) for t in chosen]
        if values:
            nums = [v.numerator for v in values]
            setattr(total, name, over_lcm(nums, [v.denominator for v in values]))
    total.checked = sum(t.checked for t in chosen)
    total.results = sum(t.results for t in chosen)
    total.shift_count = sum(t.shifts for t in chosen) if shifts is None else shifts
    return total


@dataclass
class Kept:
    """A unit's ordinary work over whole months, as a board ranks it: per worker and operation
    (`by_operation`, of the operation asked), per worker over them (`whole`), and each home's
    distinct shifts of them (`homes`). A worker tallied again from his results (`listed`: his
    shifts on the operations he ranks on are a union) has his shifts listed; the others'
    are counted."""

    by_operation: ByOperation
    whole: dict[str, Tally]
    homes: dict[str, int]
    listed: set[str]


def kept(
    connection: Connection,
    period: Period,
    months: tuple[dt.date, dt.date],
    unit: str,
    operation: str | None,
    to_list: Callable[[str, frozenset[str]], bool] | None = None,
) -> Kept:
    """The unit's kept ordinary work of the months (the whole months of `period`), without
    the doubtful results of now. `to_list(worker, operations)`: whether a worker's shifts
    must be listed (a subset of his operations ranks: its distinct shifts are no sum of
    counts); None: only each worker's tally over the operation asked (all: '') is read, and
    `by_operation` is left empty (a team board's)."""
    whole_only = to_list is None
    per_key: dict[tuple[str, str], list[Tally]] = {}
    for row in store.worker_months(connection, months, unit, operation, whole_only):
        per_key.setdefault((row["worker_id"], row["operation"]), []).append(_tally(row))
    summed = {key: ts[0] if len(ts) == 1 else plus(ts) for key, ts in per_key.items()}
    operations: dict[str, set[str]] = {w: set() for w, _ in summed}
    for worker_id, op in summed:
        if op != ALL:
            operations[worker_id].add(op)
    worked = None  # a small unit's findings by the shifts its workers worked, else the period's
    if len(operations) <= FEW_WORKERS:
        worked = results_store.worked_within(
            period.start, period.end, [unit], connection.dialect.name
        )
    found_doubtful = ordinary_store.doubtful(connection, period, worked)
    doubtful = [d for d in found_doubtful if d[2] in operations]
    rows = store.shift_rows(connection, sorted({d[0] for d in doubtful}))
    _take_out(connection, period, summed, doubtful, rows)
    again = (
        []
        if to_list is None
        else sorted(w for w, ops in operations.items() if to_list(w, frozenset(ops)))
    )
    found = ordinary.tallies(connection, period, None, (), thresholds=(), worker_ids=again)
    listed = set(again)
    by_operation = {
        key: t
        for key, t in summed.items()
        if key[1] != ALL and key[0] not in listed and not whole_only
    }
    by_operation |= {k: t for k, t in found.items() if operation is None or k[1] == operation}
    whole: dict[str, Tally] = {}
    for (worker_id, op), t in summed.items():
        if worker_id not in listed and op == (ALL if operation is None else operation):
            whole[worker_id] = t
    per_worker: dict[str, list[Tally]] = {}
    for (worker_id, _), t in by_operation.items():
        if worker_id in listed:
            per_worker.setdefault(worker_id, []).append(t)
    whole |= {w: merged(ts) for w, ts in per_worker.items()}
    homes = store.home_shifts(connection, months, unit, operation)
    _uncount(homes, doubtful, rows, operation)
    return Kept(by_operation, whole, homes, listed)


def _take_out(
    connection: Connection,
    period: Period,
    summed: dict[tuple[str, str], Tally],
    doubtful: Sequence[tuple[str, str, str]],
    rows: Sequence[tuple[str, str, str, str]],
) -> None:
    """Take the doubtful results out of the kept tallies: their figures, tallied as the board
    tallies results, and the shifts they alone held (`rows`: every ordinary result of their
    shifts, as (shift, worker, home, operation)). A tally left with no result goes."""
    left_out = set(doubtful)
    held: dict[tuple[str, str], bool] = {}  # (shift, worker) -> some result of his stays
    for shift_id, worker_id, _, op in rows:
        stays = (shift_id, op, worker_id) not in left_out
        held[(shift_id, worker_id)] = held.get((shift_id, worker_id), False) or stays
    lost: dict[str, int] = {}  # a worker's shifts held by doubtful results alone
    for (_, worker_id), stays in held.items():
        if not stays:
            lost[worker_id] = lost.get(worker_id, 0) + 1
    found = ordinary.of_results(connection, period, left_out)
    per_worker: dict[str, list[Tally]] = {}
    for (worker_id, op), t in found.items():
        per_worker.setdefault(worker_id, []).append(t)
        _take(summed, (worker_id, op), t, t.shifts)
    for worker_id, tallies in per_worker.items():
        _take(summed, (worker_id, ALL), merged(tallies), lost.get(worker_id, 0))


def _take(
    summed: dict[tuple[str, str], Tally], key: tuple[str, str], out: Tally, shifts: int
) -> None:
    if key not in summed:  # another operation than the one asked
        return
    left = _less(summed[key], out, shifts)
    if left.results:
        summed[key] = left
    else:
        del summed[key]


def _less(kept: Tally, out: Tally, shifts: int) -> Tally:
    """`kept` less the work of `out` and `shifts` of its shifts."""
    return Tally(
        workers=set(kept.workers),
        hours=kept.hours - out.hours,
        earned=kept.earned - out.earned,
        fair_earned=kept.fair_earned - out.fair_earned,
        rejected_hours=kept.rejected_hours - out.rejected_hours,
        checked=kept.checked - out.checked,
        shift_count=kept.shifts - shifts,
        results=kept.results - out.results,
        reached={},
    )


def _uncount(
    homes: dict[str, int],
    doubtful: Sequence[tuple[str, str, str]],
    rows: Sequence[tuple[str, str, str, str]],
    operation: str | None,
) -> None:
    """Take from each home's count the doubtful shifts that only doubtful results of the home
    (on the operation asked) held."""
    left_out = set(doubtful)
    held: dict[tuple[str, str], bool] = {}  # (shift, home) -> some result stays
    for shift_id, worker_id, home, op in rows:
        if home not in homes or (operation is not None and op != operation):
            continue
        stays = (shift_id, op, worker_id) not in left_out
        held[(shift_id, home)] = held.get((shift_id, home), False) or stays
    for (_, home), stays in held.items():
        if not stays:
            homes[home] -= 1
