"""The honour board of a unit for a period, and workers' choice to stay off public boards."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.honour import (
    Entry,
    HonourRules,
    leading,
    ranked_tallies,
    team_entries,
    worker_entries,
)
from stakhanov.domain.incidents import Incident
from stakhanov.domain.performance import Tally, merged_by
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import percent
from stakhanov.domain.scopes import Scope
from stakhanov.domain.titles import Facts, Gates, gate
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker
from stakhanov.services import ordinary, ordinary_sums, rulebooks
from stakhanov.services.incidents import load_incidents
from stakhanov.services.read_sums import whole_months
from stakhanov.store import honour as honour_store
from stakhanov.store import ordinary as ordinary_store
from stakhanov.store import worker_lists
from stakhanov.store.ledger import LedgerStore


class PreferenceRefused(Refused):
    """The preference names an unknown worker."""


def opted_out(connection: Connection) -> set[str]:
    """Workers whose latest preference keeps them off public boards."""
    return honour_store.opted_out(connection)


def set_public(engine: Engine, worker_id: str, public: bool, by: str, reason: str | None) -> None:
    """Record a worker's choice to appear on public boards or not (the latest choice counts)."""
    with engine.begin() as connection:
        if worker_id not in LedgerStore(connection).master([worker_id]).workers:
            raise PreferenceRefused(
                say("unknown worker %(id)r%(hint)s", id=worker_id, hint=""),
                field="worker_id",
                kind=Refusal.NOT_FOUND,
            )
        honour_store.write_preference(connection, worker_id, public, by, reason)


def rules(engine: Engine) -> HonourRules:
    """The honour board's declared rules, from the rulebook in force."""
    with engine.connect() as connection:
        return rulebooks.in_force(connection).rulebook.honour


def board(
    engine: Engine,
    unit: str,
    period: Period,
    *,
    workers: bool = False,
    level: Scope | None = None,
    masked: bool = False,
    min_shifts: int | None = None,
    operation: str | None = None,
    reference: bool = False,
    top: int | None = None,
) -> list[Entry]:
    """Teams (each worker's home unit, or its ancestor at a level) or workers of a unit, on
    one operation or all. Workers rank by the rulebook's honour rules (their least shifts, and
    only on operations their trade covers); teams count every member's work, from one shift
    unless `min_shifts` asks more.

    The unit's ordinary work is tallied per worker and operation from the stored results
    (services.ordinary, set-based; `reference`: by the domain's code over the shifts worked),
    and the domain ranks those tallies: one per worker, however many results they hold. For
    whole months (without `level`) they are those kept per worker-month (decision 0899).

    `top`: only the first so many entries (a page that shows the leaders), the same as the
    whole board's first; of whole months, a worker board then tallies, gates and names only
    the workers that may lead (decision 0905)."""
    months = whole_months(period)
    if months is not None and not reference and level is None:
        return _kept_board(
            engine, unit, period, months, workers, masked, min_shifts, operation, top
        )
    return _board(engine, unit, period, workers, level, masked, min_shifts, operation, reference)[
        :top
    ]


def _board(
    engine: Engine,
    unit: str,
    period: Period,
    workers: bool,
    level: Scope | None,
    masked: bool,
    min_shifts: int | None,
    operation: str | None,
    reference: bool,
) -> list[Entry]:
    """`board` from the stored results (decision 0890), or by the domain's reference."""
    with engine.connect() as connection:
        rulebook = rulebooks.in_force(connection).rulebook
        roster = worker_lists.workers_within(connection, unit)
        homes = None if workers else ordinary_store.home_units(connection)
        hurt = load_incidents(connection, period)
        hidden = opted_out(connection)
        if reference:
            found = ordinary.reference_tallies(connection, period, unit, hurt)
        else:  # ranks and gates read no result's percentage (share_at_least): none is carried
            found = ordinary.tallies(connection, period, unit, hurt, thresholds=())
    by_operation = {k: t for k, t in found.items() if operation is None or k[1] == operation}
    home = {w.worker_id: w.unit for w in roster}
    if not workers:
        assert homes is not None
        organisation = rulebook.organisation.fitted(homes)

        def team_of(worker_id: str) -> str | None:
            path = home.get(worker_id)
            if path is None or level is None:
                return path
            return organisation.unit_at(path, level)

        return team_entries(merged_by(by_operation, team_of), min_shifts or 1)
    hidden.update(_gated(merged_by(by_operation, lambda w: w), hurt, rulebook.gates))
    names = {w.worker_id: w.name for w in roster}
    trades = {w.worker_id: w.trade for w in roster}
    declared = rulebook.honour
    ranked = ranked_tallies(by_operation, declared, trades)
    least = declared.min_shifts if min_shifts is None else min_shifts
    shown = {w: t for w, t in ranked.items() if w not in hidden}
    return worker_entries(shown, names, home, masked, least, trades)


def _gated(tallies: Mapping[str, Tally], hurt: Sequence[Incident], gates: Gates) -> Iterable[str]:
    """The workers the title gates bar, of their tallies over all operations ranked."""
    involved: dict[str, list[Incident]] = {}
    for incident in hurt:  # in the period's order, as each worker's facts list them
        for worker_id in dict.fromkeys(incident.worker_ids):
            involved.setdefault(worker_id, []).append(incident)
    for worker_id, tally in tallies.items():
        incidents = tuple(involved.get(worker_id, ()))
        if gate(Facts(worker_id, tally, incidents), gates):
            yield worker_id


def _kept_board(
    engine: Engine,
    unit: str,
    period: Period,
    months: tuple[dt.date, dt.date],
    workers: bool,
    masked: bool,
    min_shifts: int | None,
    operation: str | None,
    top: int | None,
) -> list[Entry]:
    """`board` of whole months from the ordinary work kept per worker and operation
    (decision 0899): a row per worker (home) and operation, the doubtful results of now
    taken out; the same entries as from the results. With `top`, only the workers that may
    lead are tallied, gated and named (decision 0905)."""
    with engine.connect() as connection:
        rulebook = rulebooks.in_force(connection).rulebook
        declared = rulebook.honour
        # only a trade the rules list ranks on less than all (HonourRules.covers)
        listed = worker_lists.trades_within(connection, unit, declared.trades)

        def to_list(worker_id: str, operations: frozenset[str]) -> bool:
            covered = [o for o in operations if declared.covers(listed.get(worker_id), o)]
            return 1 < len(covered) < len(operations)

        found = ordinary_sums.kept(
            connection, period, months, unit, operation, to_list if workers else None
        )
        hurt = load_incidents(connection, period) if workers else []
        hidden = opted_out(connection) if workers else set()
        least = declared.min_shifts if min_shifts is None else min_shifts
        barred = _barring(hurt, rulebook.gates)

        def covers(worker_id: str) -> Callable[[str], bool]:
            return partial(declared.covers, listed.get(worker_id))

        def ranked(worker_id: str) -> Tally | None:
            return found.ranked(worker_id, covers(worker_id))

        if workers and top is not None:
            approximate = {w: found.approximate(w, covers(w)) for w in found.ranking}

            def shown(worker_id: str) -> bool:
                tally = ranked(worker_id)
                return (
                    tally is not None
                    and tally.shifts >= least
                    and worker_id not in hidden
                    and not barred(worker_id, found.whole_of(worker_id))
                )

            def score(worker_id: str) -> Decimal | None:
                value = ranked(worker_id)
                fair = None if value is None else value.fair_percent
                return None if fair is None else percent(fair)

            chosen = leading(approximate, score, shown, top)
            roster = worker_lists.workers_within(connection, unit, chosen)
            tallies = {w: t for w in chosen if (t := ranked(w)) is not None}
            return _worker_entries(tallies, roster, masked, least)[:top]
        if not workers:
            home = worker_lists.homes_within(connection, unit)
        else:
            roster = worker_lists.workers_within(connection, unit)
    if not workers:
        members: dict[str, list[tuple[str, str]]] = {}
        asked = ordinary_sums.ALL if operation is None else operation
        for worker_id in found.workers:  # (a team board lists no worker's shifts)
            if worker_id in home:
                members.setdefault(home[worker_id], []).append((worker_id, asked))
        teams = {
            team: found.summed.plus(keys, found.homes.get(team, 0))
            for team, keys in members.items()
        }
        entries = team_entries(teams, min_shifts or 1)
        return entries if top is None else entries[:top]
    hidden.update(w for w, t in found.whole.items() if barred(w, t))
    ranks = {w: t for w in found.ranking if w not in hidden and (t := ranked(w)) is not None}
    return _worker_entries(ranks, roster, masked, least)


def _worker_entries(
    tallies: Mapping[str, Tally], roster: Sequence[Worker], masked: bool, least: int
) -> list[Entry]:
    names = {w.worker_id: w.name for w in roster}
    home = {w.worker_id: w.unit for w in roster}
    trades = {w.worker_id: w.trade for w in roster}
    return worker_entries(tallies, names, home, masked, least, trades)


def _barring(hurt: Sequence[Incident], gates: Gates) -> Callable[[str, Tally], bool]:
    """Whether the title gates bar a worker, of his tally over all operations ranked."""
    involved: dict[str, list[Incident]] = {}
    for incident in hurt:  # in the period's order, as each worker's facts list them
        for worker_id in dict.fromkeys(incident.worker_ids):
            involved.setdefault(worker_id, []).append(incident)

    def barred(worker_id: str, tally: Tally) -> bool:
        incidents = tuple(involved.get(worker_id, ()))
        return bool(gate(Facts(worker_id, tally, incidents), gates))

    return barred


def rules_text(declared: HonourRules, min_shifts: int | None, workers: bool) -> str:
    """The rules a board was ranked by, in words, for the page and the table."""
    least = least_shifts(declared, min_shifts, workers)
    if not workers:
        return f"teams with at least {least} shift(s); every member's work counts"
    trades = "; ".join(f"{t}: {', '.join(sorted(o))}" for t, o in sorted(declared.trades.items()))
    said = f"workers with at least {least} shift(s) in the period"
    if trades:
        said += f", ranked only on their trade's operations ({trades}; other trades: any)"
    return said


def entry_dict(
    entry: Entry,
    workers: bool,
    *,
    min_shifts: int | None = None,
    operation: str | None = None,
) -> dict[str, Any]:
    """A board's row; with `min_shifts`, also the rules it was ranked by (`min_shifts`,
    `operation`, and a worker's `trade`), added after the original keys."""
    row: dict[str, Any] = {"rank": entry.rank}
    if workers:
        if entry.worker_id is not None:  # left out when masked: an id names the worker too
            row["worker_id"] = entry.worker_id
        row["name"] = entry.name
        row["unit"] = entry.unit
    else:
        row["team"] = entry.name
        row["workers"] = entry.workers
    row["shifts"] = entry.shifts
    row["fair_percent"] = entry.fair_percent
    if min_shifts is not None:
        row["min_shifts"] = min_shifts
        row["operation"] = operation
        if workers:
            row["trade"] = entry.trade
    return row


def least_shifts(declared: HonourRules, min_shifts: int | None, workers: bool) -> int:
    """The least shifts a board ranks: asked, else the rulebook's for workers, 1 for teams."""
    if min_shifts is not None:
        return min_shifts
    return declared.min_shifts if workers else 1
