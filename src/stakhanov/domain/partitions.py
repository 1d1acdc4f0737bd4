"""Parts of a period for a distributed close: workers grouped so that crews stay together.

A worker's pay needs every shift he worked with its whole crew (the split and the fair figure
count everyone on the shift). Workers who shared a shift are kept in one part where the part
stays small enough; a group larger than one part's share is split by worker, and the shifts its
parts share are then read by each of them. Either way each worker's slip is computed in exactly
one part, from exactly the entries a local close would use.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass

from stakhanov.domain.ledger import Ledger


@dataclass(frozen=True)
class Part:
    """The workers whose slips one task computes, and the shifts it needs for them."""

    index: int
    workers: frozenset[str]
    shift_ids: frozenset[str]
    rows: int  # crew rows the part reads: its share of the work


class _Groups:
    """Union-find over workers: two workers who shared a shift are in one group."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, worker: str) -> str:
        root = self.parent.setdefault(worker, worker)
        while root != self.parent[root]:
            self.parent[root] = self.parent[self.parent[root]]
            root = self.parent[root]
        return root

    def join(self, first: str, second: str) -> None:
        a, b = self.find(first), self.find(second)
        if a != b:
            self.parent[max(a, b)] = min(a, b)


def parts_of(ledger: Ledger, paid: Iterable[str], count: int) -> list[Part]:
    """Split the workers to be paid into at most `count` parts of similar size.

    Groups of co-workers are packed whole, largest first, into the lightest part; a group
    heavier than an even share is dealt out worker by worker instead.
    """
    groups = _Groups()
    rows: dict[str, int] = {}
    shifts_of: dict[str, set[str]] = {}
    for entry in ledger.crew:
        groups.join(entry.worker_id, ledger.crew_of(entry.shift_id)[0].worker_id)
        rows[entry.worker_id] = rows.get(entry.worker_id, 0) + 1
        shifts_of.setdefault(entry.worker_id, set()).add(entry.shift_id)
    members: dict[str, list[str]] = {}
    for worker in sorted(set(paid)):
        members.setdefault(groups.find(worker), []).append(worker)
    count = max(1, min(count, len(members) or 1))
    share = max(1, sum(rows.values()) // count)
    units: list[tuple[int, list[str]]] = []  # (weight, workers) packed as one
    for workers in members.values():
        weight = sum(rows.get(w, 0) for w in workers)
        if weight > share:
            units += [(rows.get(w, 0), [w]) for w in workers]
        else:
            units.append((weight, workers))
    units.sort(key=lambda unit: (-unit[0], unit[1][0]))
    loads = [(0, index) for index in range(count)]
    chosen: list[list[str]] = [[] for _ in range(count)]
    for weight, workers in units:
        load, index = heapq.heappop(loads)
        chosen[index] += workers
        heapq.heappush(loads, (load + weight, index))
    parts: list[Part] = []
    for workers in chosen:
        if not workers:
            continue
        shift_ids = frozenset(s for w in workers for s in shifts_of.get(w, ()))
        weight = sum(len(ledger.crew_of(s)) for s in shift_ids)
        parts.append(Part(len(parts), frozenset(workers), shift_ids, weight))
    return parts


def part_ledger(ledger: Ledger, part: Part) -> Ledger:
    """The entries a part needs: its shifts with their whole crews, its workers' paid time and
    reject faults, every norm, and the workers it names."""
    crew = [e for s in sorted(part.shift_ids) for e in ledger.crew_of(s)]
    named = part.workers | {e.worker_id for e in crew}
    return Ledger.of(
        workers=[w for i, w in ledger.workers.items() if i in named],
        norms=ledger.norms,
        shifts=[ledger.shifts[s] for s in sorted(part.shift_ids) if s in ledger.shifts],
        outputs=[o for s in sorted(part.shift_ids) for o in ledger.outputs_of(s)],
        crew=crew,  # each shift's crew in ledger order: ties in a split go to the earlier row
        time=[t for t in ledger.time if t.worker_id in part.workers],
        faults=[f for f in ledger.faults if f.worker_id in part.workers],
    )
