"""How many findings a queue holds, by kind and by review status, from two small counts:
every finding per kind, and the reviewed findings per kind and status (decision 0901).

Reviews are few and findings many, so a finding without a review is open and needs no
reading: the open ones of a kind are all of that kind less its reviewed ones not open.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

OPEN = "open"


@dataclass(frozen=True)
class FindingTally:
    per_kind: Mapping[str, int]  # every finding, whatever its status
    reviewed: Mapping[tuple[str, str], int]  # (kind, status of its latest review)

    def _of(self, kind: str, status: str) -> int:
        if status != OPEN:
            return self.reviewed.get((kind, status), 0)
        closed = sum(n for (k, s), n in self.reviewed.items() if k == kind and s != OPEN)
        return self.per_kind.get(kind, 0) - closed

    def kinds(self, status: str | None) -> Counter[str]:
        """Findings per kind of one status (None: any), none where there are none."""
        found = Counter({k: self._of(k, status) if status else n for k, n in self.per_kind.items()})
        return +found

    def statuses(self, kinds: Iterable[str] = ()) -> Counter[str]:
        """Findings per status among the kinds (none given: every kind), none where none."""
        chosen = set(kinds) or set(self.per_kind)
        found: Counter[str] = Counter()
        for kind in chosen:
            found[OPEN] += self._of(kind, OPEN)
        for (kind, status), n in self.reviewed.items():
            if kind in chosen and status != OPEN:
                found[status] += n
        return +found


def status_slices(
    statuses: Mapping[str, int], descending: bool, limit: int, offset: int
) -> list[tuple[str, int, int]]:
    """Where a page of findings sorted by status lies: (status, limit, offset) in each status's
    own findings, which are read in the queue's next order. Counted, so no status is worked
    out for every finding to sort on it."""
    found: list[tuple[str, int, int]] = []
    for status in sorted(statuses, reverse=descending):
        held = statuses[status]
        if offset >= held:
            offset -= held
            continue
        take = min(limit, held - offset)
        if take <= 0:
            break
        found.append((status, take, offset))
        limit, offset = limit - take, 0
    return found
