"""The honour board: teams (by default) or workers of a unit, ranked by fair fulfilment.

No money is shown. A worker who opted out of public boards is never named, though their work
still counts for their team; a worker the title gates bar (a safety incident, a high reject
share) is not honoured by name either. Names can be masked to initials.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from stakhanov.domain.performance import Tally, Work, tally_by
from stakhanov.domain.rankings import rank
from stakhanov.domain.rounding import percent


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


def _fair(tally: Tally) -> Decimal | None:
    value = tally.fair_percent
    return None if value is None else percent(value)


def team_board(
    works: Iterable[Work], team_of: Callable[[str], str | None], min_shifts: int = 1
) -> list[Entry]:
    """Teams ranked by their fair fulfilment; every member's ordinary work counts."""
    tallies = tally_by(works, lambda w: team_of(w.worker_id))
    eligible = [(team, t) for team, t in tallies.items() if t.shifts >= min_shifts]
    return [
        Entry(r.rank, r.item[0], r.item[0], len(r.item[1].workers), r.item[1].shifts, r.score)
        for r in rank(eligible, lambda item: _fair(item[1]), lambda item: item[0])
    ]


def worker_board(
    works: Iterable[Work],
    names: Mapping[str, str],
    units: Mapping[str, str],
    hidden: set[str],
    masked: bool = False,
    min_shifts: int = 1,
) -> list[Entry]:
    """Workers ranked by fair fulfilment, leaving out the hidden (opted out or gated)."""
    tallies = tally_by((w for w in works if w.worker_id not in hidden), lambda w: w.worker_id)
    eligible = [(worker, t) for worker, t in tallies.items() if t.shifts >= min_shifts]

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
        )
        for r in ranked
    ]
