"""The honour board: teams (by default) or workers of a unit, ranked by fair fulfilment.

Who ranks follows declared rules (the rulebook's `[honour]` table, `HonourRules`): a minimum
number of shifts in the period, so that one lucky shift does not top the board, and the
operations each trade ranks on, so that a worker ranks only on work of their own trade. No money
is shown. A worker who opted out of public boards is never named, though their work
still counts for their team; a worker the title gates bar (a safety incident, a high reject
share) is not honoured by name either. Names can be masked to initials.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from stakhanov.domain.performance import Tally, Work, merged_by, tally_by
from stakhanov.domain.rankings import rank
from stakhanov.domain.rounding import percent

MIN_SHIFTS = 3
"""Shifts a worker must have worked in the period to be ranked, unless the rulebook says."""


@dataclass(frozen=True)
class HonourRules:
    """Who may be ranked on a worker board.

    `trades` maps a trade to the operations it ranks on; a trade it does not list (or a worker
    without a trade) ranks on every operation, so that declaring nothing changes nothing.
    """

    min_shifts: int = MIN_SHIFTS
    trades: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def covers(self, trade: str | None, operation: str) -> bool:
        """Whether a worker of this trade ranks on this operation."""
        if trade is None or trade not in self.trades:
            return True
        return operation in self.trades[trade]

    def as_dict(self) -> dict[str, object]:
        return {
            "min_shifts": self.min_shifts,
            "trades": {t: sorted(ops) for t, ops in sorted(self.trades.items())},
        }


def ranked_work(
    works: Iterable[Work], rules: HonourRules, trades: Mapping[str, str | None]
) -> list[Work]:
    """The work a worker ranks on: only operations the worker's trade covers."""
    return [w for w in works if rules.covers(trades.get(w.worker_id), w.result.operation)]


def mask(name: str) -> str:
    """Initials only: 'Alexei Stakhanov' becomes 'A. S.'."""
    return " ".join(f"{part[0]}." for part in name.split() if part)


@dataclass(frozen=True)
class Entry:
    rank: int | None
    name: str
    unit: str | None
    workers: int
    shifts: int
    fair_percent: Decimal | None
    worker_id: str | None = None  # on an unmasked worker board only
    trade: str | None = None  # on a worker board: the trade the worker ranked under


def _fair(tally: Tally) -> Decimal | None:
    value = tally.fair_percent
    return None if value is None else percent(value)


def team_board(
    works: Iterable[Work], team_of: Callable[[str], str | None], min_shifts: int = 1
) -> list[Entry]:
    """Teams ranked by their fair fulfilment; every member's ordinary work counts."""
    return team_entries(tally_by(works, lambda w: team_of(w.worker_id)), min_shifts)


def team_entries(tallies: Mapping[str, Tally], min_shifts: int = 1) -> list[Entry]:
    """Teams ranked by the fair fulfilment of their tallies, those with `min_shifts` or more."""
    eligible = [(team, t) for team, t in tallies.items() if t.shifts >= min_shifts]
    return [
        Entry(r.rank, r.item[0], r.item[0], len(r.item[1].workers), r.item[1].shifts, r.score)
        for r in rank(eligible, lambda item: _fair(item[1]), lambda item: item[0])
    ]


def ranked_tallies(
    by_operation: Mapping[tuple[str, str], Tally],
    rules: HonourRules,
    trades: Mapping[str, str | None],
) -> dict[str, Tally]:
    """Per worker the tally a worker ranks on, from tallies per (worker, operation): only
    operations the worker's trade covers (ranked_work, summed)."""
    covered = {
        (worker_id, operation): tally
        for (worker_id, operation), tally in by_operation.items()
        if rules.covers(trades.get(worker_id), operation)
    }
    return merged_by(covered, lambda worker_id: worker_id)


def worker_board(
    works: Iterable[Work],
    names: Mapping[str, str],
    units: Mapping[str, str],
    hidden: set[str],
    masked: bool = False,
    min_shifts: int = 1,
    trades: Mapping[str, str | None] | None = None,
) -> list[Entry]:
    """Workers ranked by fair fulfilment, leaving out the hidden (opted out or gated) and
    those with fewer than `min_shifts` shifts."""
    tallies = tally_by((w for w in works if w.worker_id not in hidden), lambda w: w.worker_id)
    return worker_entries(tallies, names, units, masked, min_shifts, trades)


def worker_entries(
    tallies: Mapping[str, Tally],
    names: Mapping[str, str],
    units: Mapping[str, str],
    masked: bool = False,
    min_shifts: int = 1,
    trades: Mapping[str, str | None] | None = None,
) -> list[Entry]:
    """Workers ranked by the fair fulfilment of their tallies (the hidden already left out),
    those with `min_shifts` or more; equal scores and names are listed by worker id."""
    eligible = sorted(
        ((worker, t) for worker, t in tallies.items() if t.shifts >= min_shifts),
        key=lambda item: item[0],
    )

    def shown(worker_id: str) -> str:
        name = names.get(worker_id, worker_id)
        return mask(name) if masked else name

    ranked = rank(eligible, lambda item: _fair(item[1]), lambda item: shown(item[0]))
    return [
        Entry(
            r.rank,
            shown(r.item[0]),
            units.get(r.item[0]),
            1,
            r.item[1].shifts,
            r.score,
            None if masked else r.item[0],
            (trades or {}).get(r.item[0]),
        )
        for r in ranked
    ]


def leading(
    approximate: Mapping[str, float | None],
    score: Callable[[str], Decimal | None],
    shown: Callable[[str], bool],
    top: int,
) -> list[str]:
    """The workers among whom the first `top` entries of a worker board are found, with
    everyone ranked above or level with them, so that `worker_entries` of them gives those
    entries and ranks as of the whole board; reading `score` (the shown fair percent) and
    `shown` (not hidden, gated or short of shifts) of few more than `top` workers.

    `approximate` holds each worker's fair percent within a relative 10**-12 (None: no
    hours). Workers are walked from the highest; once `top` are shown, one whose percent is
    below the `top`-th best shown score less half its last place (0.05) rounds below it:
    neither he nor anyone after him can be among the first `top` or level with them."""
    order = sorted(
        (w for w, a in approximate.items() if a is not None),
        key=lambda w: approximate[w],  # type: ignore[arg-type, return-value]
        reverse=True,
    )
    order += sorted(w for w, a in approximate.items() if a is None)
    found: list[str] = []
    best: list[Decimal] = []  # the `top` best scores shown so far, the least first
    for worker_id in order:
        value = approximate[worker_id]
        if len(best) == top and (value is None or value < _below(best[0])):
            break
        if not shown(worker_id):
            continue
        found.append(worker_id)
        exact = score(worker_id)
        if exact is not None:
            if len(best) < top:
                heapq.heappush(best, exact)
            elif exact > best[0]:
                heapq.heapreplace(best, exact)
    return found


def _below(score: Decimal) -> float:
    """Less than any fair percent that rounds to `score` (half-up to 0.1), with room for the
    approximation's error."""
    edge = float(score - Decimal("0.05"))
    return edge - 1e-9 * max(1.0, abs(edge))
