"""Where a result counts: the scopes of records and boards, from a worker up to all time.

Units are paths, so a level (trust, enterprise, section, brigade) is a depth of the path. The
organisation names its depths from the root down (by default enterprise, section, brigade, as in
`Central-Irmino/Section 8/Brigade 1`); the workplace is the shift's own unit, and an industry is
assigned to subtrees, each root being its own industry unless mapped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.units import SEPARATOR, ancestors
from stakhanov.domain.wording import say


class Scope(StrEnum):
    WORKER = "worker"
    BRIGADE = "brigade"
    WORKPLACE = "workplace"
    SECTION = "section"
    ENTERPRISE = "enterprise"
    TRUST = "trust"
    INDUSTRY = "industry"
    ALL_TIME = "all-time"


# The scopes that name a depth of the unit path.
LEVELS = (Scope.TRUST, Scope.ENTERPRISE, Scope.SECTION, Scope.BRIGADE)
DEFAULT_LEVELS = (Scope.ENTERPRISE, Scope.SECTION, Scope.BRIGADE)


@dataclass(frozen=True)
class Organisation:
    """How unit paths map onto scope levels and industries."""

    levels: tuple[Scope, ...] = DEFAULT_LEVELS
    industries: Mapping[str, str] = field(default_factory=dict)
    fit: bool = False  # the levels were not declared: fit them to the tree (see `fitted`)
    top: int = 0  # the depth of the first level, 0 being the root

    def __post_init__(self) -> None:
        if not self.levels or any(level not in LEVELS for level in self.levels):
            names = ", ".join(level.value for level in LEVELS)
            raise InvalidValue(
                "levels", list(self.levels), say("must name depths among: %(names)s", names=names)
            )
        if len(set(self.levels)) != len(self.levels):
            raise InvalidValue("levels", list(self.levels), say("names a level twice"))
        order = [LEVELS.index(level) for level in self.levels]
        if order != sorted(order):
            raise InvalidValue("levels", list(self.levels), say("must run from the top level down"))

    def fitted(self, home_units: Iterable[str]) -> Organisation:
        """The levels for these workers' home units, where the rulebook did not declare them.

        Brigades are where workers belong, so a tree whose deepest home unit lies four levels
        (or more) down names them from the bottom: trust, enterprise, section, brigade, as in
        `Donbassugol/Central-Irmino/Section 8/Brigade 1`. A shallower tree keeps the default,
        from the root: enterprise, section, brigade. Declared levels are kept as they are.
        """
        if not self.fit:
            return self
        depth = max((len(path.split(SEPARATOR)) for path in home_units), default=0)
        if depth > len(DEFAULT_LEVELS):
            return Organisation(LEVELS, self.industries, top=depth - len(LEVELS))
        return Organisation(self.levels, self.industries)

    def unit_at(self, path: str, level: Scope) -> str | None:
        """The unit at a level above (or at) this path, or None if the path is not that deep."""
        if level not in self.levels:
            return None
        depth = self.top + self.levels.index(level)
        parts = path.split(SEPARATOR)
        return SEPARATOR.join(parts[: depth + 1]) if len(parts) > depth else None

    def industry_of(self, path: str) -> str:
        """The industry of the nearest mapped unit on the path; an unmapped root is its own."""
        for unit in reversed(ancestors(path)):
            if unit in self.industries:
                return self.industries[unit]
        return path.split(SEPARATOR)[0]

    def scopes_of(self, worker_id: str, home_unit: str, workplace: str) -> list[ScopeKey]:
        """Every scope a worker's result counts in: worker, workplace, levels, industry, all."""
        found = [ScopeKey(Scope.WORKER, worker_id), ScopeKey(Scope.WORKPLACE, workplace)]
        for level in self.levels:
            unit = self.unit_at(home_unit, level)
            if unit is not None:
                found.append(ScopeKey(level, unit))
        found.append(ScopeKey(Scope.INDUSTRY, self.industry_of(home_unit)))
        found.append(ScopeKey(Scope.ALL_TIME, None))
        return found


@dataclass(frozen=True, order=True)
class ScopeKey:
    scope: Scope
    scope_id: str | None


SCOPE_ORDER = {scope: i for i, scope in enumerate(Scope)}


def scope_order(key: ScopeKey) -> tuple[int, str]:
    return (SCOPE_ORDER[key.scope], key.scope_id or "")
