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
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
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


class Summed(Mapping[tuple[str, str], Tally]):
    """The kept tallies per (worker, operation) summed over the months, less what was taken
    out (`out`: the doubtful results' tally and the shifts they alone held). Each is built
    when first asked, so that a board that shows a few workers builds theirs; a tally left
    with no result is none."""

    def __init__(
        self,
        rows: dict[tuple[str, str], list[Mapping[str, Any]]],
        out: Mapping[tuple[str, str], tuple[Tally, int]],
    ) -> None:
        self._rows = rows
        self._out = out
        self._built: dict[tuple[str, str], Tally] = {}
        self._keys = [
            key
            for key, kept in rows.items()
            if key not in out or sum(int(r["results"]) for r in kept) > out[key][0].results
        ]
        self._held = set(self._keys)

    def __getitem__(self, key: tuple[str, str]) -> Tally:
        if key not in self._held:
            raise KeyError(key)
        if key not in self._built:
            ts = [_tally(row) for row in self._rows[key]]
            summed = ts[0] if len(ts) == 1 else plus(ts)
            if key in self._out:
                summed = _less(summed, *self._out[key])
            self._built[key] = summed
        return self._built[key]

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._held

    def plus(self, keys: Iterable[tuple[str, str]], shifts: int) -> Tally:
        """`plus` of the keys' tallies with `shifts`, summed from the kept rows' integers
        where nothing was taken out (a team's members: no tally built for each)."""
        total = Tally(reached={}, shift_count=shifts)
        terms: dict[str, tuple[list[int | str], list[int | str]]] = {
            name: ([], []) for name in ("earned", "fair", "rejected")
        }
        for key in keys:
            if key in self._out:
                t = self[key]
                total.workers |= t.workers
                total.hours += t.hours
                total.checked += t.checked
                total.results += t.results
                for name, value in (
                    ("earned", t.earned),
                    ("fair", t.fair_earned),
                    ("rejected", t.rejected_hours),
                ):
                    terms[name][0].append(value.numerator)
                    terms[name][1].append(value.denominator)
                continue
            for row in self._rows[key]:
                total.workers.add(row["worker_id"])
                total.hours += Decimal(row["hours"])
                total.checked += int(row["checked"])
                total.results += int(row["results"])
                for name, (nums, dens) in terms.items():
                    nums.append(row[f"{name}_num"])
                    dens.append(row[f"{name}_den"])
        if terms["earned"][0]:
            total.earned = over_lcm(*terms["earned"])
            total.fair_earned = over_lcm(*terms["fair"])
            total.rejected_hours = over_lcm(*terms["rejected"])
        return total

    def approximate(self, key: tuple[str, str]) -> float | None:
        """The tally's fair percent as a float (within a few units in the last place: each
        ratio of integers is rounded once), None without hours; exact where work was taken
        out."""
        if key in self._out:
            exact = self[key].fair_percent
            return None if exact is None else float(exact)
        rows = self._rows[key]
        hours = sum(float(r["hours"]) for r in rows)
        if not hours:
            return None
        return sum(int(r["fair_num"]) / int(r["fair_den"]) for r in rows) / hours * 100


@dataclass
class Kept:
    """A unit's ordinary work over whole months, as a board ranks it: per worker and operation
    (`by_operation`, of the operation asked), per worker over them (`whole`), and each home's
    distinct shifts of them (`homes`). A worker tallied again from his results (`listed`: his
    shifts on the operations he ranks on are a union) has his shifts listed; the others'
    are counted. `summed` and `again` are what they are read from: the kept tallies (built
    when asked) and the listed workers' tallies per operation."""

    summed: Summed
    again: ByOperation
    homes: dict[str, int]
    listed: set[str]
    operation: str | None
    whole_only: bool
    _operations: dict[str, list[str]] = field(init=False)  # a kept worker's, by name
    _again: dict[str, list[tuple[str, Tally]]] = field(init=False)  # a listed worker's

    def operations(self, worker_id: str) -> list[tuple[str, Tally]]:
        """The worker's tallies per operation (of the operation asked)."""
        if worker_id in self.listed:
            return self._again.get(worker_id, [])
        return [(op, self.summed[(worker_id, op)]) for op in self._operations.get(worker_id, ())]

    def whole_of(self, worker_id: str) -> Tally:
        """The worker's tally over the operations of `operations`."""
        if worker_id in self.listed:
            return merged(t for _, t in self.operations(worker_id))
        return self.summed[(worker_id, ALL if self.operation is None else self.operation)]

    def ranked(self, worker_id: str, covers: Callable[[str], bool]) -> Tally | None:
        """The tally the worker ranks on, of the operations his trade `covers` (the domain's
        `ranked_tallies`, kept shifts counted); None if it covers none of his."""
        names = self._names(worker_id)
        covered = [op for op in names if covers(op)]
        if not covered:
            return None
        if worker_id in self.listed:  # his distinct shifts on them are a union
            tallies = [t for op, t in self._again[worker_id] if covers(op)]
            return tallies[0] if len(tallies) == 1 else merged(tallies)
        if len(covered) == len(names):
            return self.whole_of(worker_id)
        assert len(covered) == 1  # else listed
        return self.summed[(worker_id, covered[0])]

    def approximate(self, worker_id: str, covers: Callable[[str], bool]) -> float | None:
        """`ranked`'s fair percent as a float (Summed.approximate), where he ranks at all."""
        names = self._names(worker_id)
        covered = [op for op in names if covers(op)]
        if worker_id in self.listed or not covered:
            tally = self.ranked(worker_id, covers)
            exact = None if tally is None else tally.fair_percent
            return None if exact is None else float(exact)
        asked = ALL if self.operation is None else self.operation
        return self.summed.approximate(
            (worker_id, asked if len(covered) == len(names) else covered[0])
        )

    @property
    def ranking(self) -> list[str]:
        """The workers with a tally per operation (of the operation asked): who may rank."""
        return sorted(set(self._operations) | set(self._again))

    def _names(self, worker_id: str) -> list[str]:
        if worker_id in self.listed:
            return [op for op, _ in self._again.get(worker_id, ())]
        return self._operations.get(worker_id, [])

    @property
    def workers(self) -> list[str]:
        """The workers with a tally over the operation asked (all: '')."""
        asked = ALL if self.operation is None else self.operation
        found = {w for w, op in self.summed if op == asked and w not in self.listed}
        return sorted(found | {w for w, _ in self.again})

    @property
    def by_operation(self) -> ByOperation:
        if self.whole_only:
            return {}
        found = {(w, op): t for w, ops in self._operations.items() for op, t in self.operations(w)}
        return found | self.again

    @property
    def whole(self) -> dict[str, Tally]:
        return {w: self.whole_of(w) for w in self.workers}

    def __post_init__(self) -> None:
        self._operations = {}
        for w, op in self.summed:
            if op != ALL and w not in self.listed:
                self._operations.setdefault(w, []).append(op)
        self._again = {}
        for (w, op), t in self.again.items():
            self._again.setdefault(w, []).append((op, t))


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
    per_key: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in store.worker_months(connection, months, unit, operation, whole_only):
        per_key.setdefault((row["worker_id"], row["operation"]), []).append(row)
    operations: dict[str, set[str]] = {w: set() for w, _ in per_key}
    for worker_id, op in per_key:
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
    summed = Summed(per_key, _taken_out(connection, period, doubtful, rows))
    again = (
        []
        if to_list is None
        else sorted(w for w, ops in operations.items() if to_list(w, frozenset(ops)))
    )
    found = ordinary.tallies(connection, period, None, (), thresholds=(), worker_ids=again)
    listed = set(again)
    by_again = {k: t for k, t in found.items() if operation is None or k[1] == operation}
    homes = store.home_shifts(connection, months, unit, operation)
    _uncount(homes, doubtful, rows, operation)
    return Kept(summed, by_again, homes, listed, operation, whole_only)


def _taken_out(
    connection: Connection,
    period: Period,
    doubtful: Sequence[tuple[str, str, str]],
    rows: Sequence[tuple[str, str, str, str]],
) -> dict[tuple[str, str], tuple[Tally, int]]:
    """What to take out of the kept tallies for the doubtful results: their figures, tallied
    as the board tallies results, and the shifts they alone held (`rows`: every ordinary
    result of their shifts, as (shift, worker, home, operation)), per (worker, operation)."""
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
    out: dict[tuple[str, str], tuple[Tally, int]] = {}
    per_worker: dict[str, list[Tally]] = {}
    for (worker_id, op), t in found.items():
        per_worker.setdefault(worker_id, []).append(t)
        out[(worker_id, op)] = (t, t.shifts)
    for worker_id, tallies in per_worker.items():
        out[(worker_id, ALL)] = (merged(tallies), lost.get(worker_id, 0))
    return out


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
