"""Who may do what, where: roles granted on subtrees of units, and the permissions they carry.

A grant gives one role over one unit and everything below it, or over the whole organisation
when its scope is None. A worker's role is not scoped: it reaches only the worker's own data.
Organisation-wide resources (norms, users) need a grant whose scope is the whole organisation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.units import is_within, parse_path


class Role(StrEnum):
    WORKER = "worker"
    FOREMAN = "foreman"
    RATE_SETTER = "rate-setter"
    ACCOUNTANT = "accountant"
    AUDITOR = "auditor"
    DIRECTOR = "director"
    ADMIN = "admin"
    REPRESENTATIVE = "representative"


class Permission(StrEnum):
    VIEW_OWN = "view own shifts and fulfilment"
    VIEW_NORMS = "view norms"
    VIEW_HISTORY = "view the historical claims"
    VIEW_RECOGNITION = "view records, the honour board and competitions"
    REGISTER_RECORDS = "register record attempts"
    VERIFY_RECORDS = "verify or reject record claims"
    DECLARE_COMPETITIONS = "declare competitions between units"
    MANAGE_PLANS = "import plans for units"
    PLAN_WORK = "plan crews, balance lines and simulate work sites"
    CONFER_TITLES = "confer the titles the rulebook gives"
    SET_POLICY = "set the governance policy of norm revisions"
    VIEW_WORKERS = "view workers"
    VIEW_FULFILMENT = "view fulfilment"
    VIEW_SHIFTS = "view shifts"
    VIEW_AUDIT = "view the audit queue"
    REVIEW_FINDINGS = "explain or uphold audit findings"
    VIEW_BATCHES = "view who wrote what"
    VIEW_PAY = "view pay slips"
    CLOSE_PERIODS = "close pay periods"
    MANAGE_SCALES = "import pay scales"
    ENTER_SHIFTS = "enter shifts, output and crews"
    RUN_KIOSK = "run a kiosk for PIN entry"
    MANAGE_WORKERS = "add and correct workers"
    MANAGE_NORMS = "add and revise norms"
    DECIDE_REVISIONS = "decide on norm revisions at one's own step"
    SET_PINS = "set workers' kiosk PINs"
    MANAGE_USERS = "manage users and roles"


_EVERYONE = frozenset({Permission.VIEW_NORMS, Permission.VIEW_HISTORY, Permission.VIEW_RECOGNITION})
_READ = _EVERYONE | {Permission.VIEW_WORKERS, Permission.VIEW_SHIFTS}

PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.WORKER: _EVERYONE | {Permission.VIEW_OWN},
    Role.FOREMAN: _READ
    | {
        Permission.VIEW_FULFILMENT,
        Permission.ENTER_SHIFTS,
        Permission.REGISTER_RECORDS,
        Permission.RUN_KIOSK,
        Permission.MANAGE_WORKERS,
        Permission.SET_PINS,
        Permission.PLAN_WORK,
    },
    Role.RATE_SETTER: _READ
    | {
        Permission.VIEW_FULFILMENT,
        Permission.VIEW_AUDIT,
        Permission.MANAGE_NORMS,
        Permission.DECIDE_REVISIONS,
    },
    Role.ACCOUNTANT: _READ
    | {
        Permission.VIEW_FULFILMENT,
        Permission.VIEW_BATCHES,
        Permission.VIEW_PAY,
        Permission.CLOSE_PERIODS,
        Permission.MANAGE_SCALES,
    },
    Role.AUDITOR: _READ
    | {
        Permission.VIEW_FULFILMENT,
        Permission.VIEW_AUDIT,
        Permission.REVIEW_FINDINGS,
        Permission.VERIFY_RECORDS,
        Permission.VIEW_BATCHES,
    },
    Role.DIRECTOR: _READ
    | {
        Permission.VIEW_FULFILMENT,
        Permission.VIEW_AUDIT,
        Permission.VIEW_BATCHES,
        Permission.VIEW_PAY,
        Permission.MANAGE_WORKERS,
        Permission.DECIDE_REVISIONS,
        Permission.DECLARE_COMPETITIONS,
        Permission.MANAGE_PLANS,
        Permission.PLAN_WORK,
        Permission.CONFER_TITLES,
        Permission.SET_POLICY,
    },
    # Workers' representatives give their opinion on norm revisions, seeing what a rate-setter
    # sees of the results, and nothing of pay or accounts.
    Role.REPRESENTATIVE: _READ | {Permission.VIEW_FULFILMENT, Permission.DECIDE_REVISIONS},
    Role.ADMIN: _EVERYONE | {Permission.MANAGE_USERS, Permission.SET_PINS, Permission.VIEW_WORKERS},
}
"""What each role may do. Admins manage accounts, not output: they see no fulfilment."""

STEP_ROLES = {"representatives": Role.REPRESENTATIVE}
"""Approval steps of a governance policy whose names differ from the role that takes them."""


def may_decide(grants: Iterable[Grant], step: str) -> bool:
    """True if the grants include the role that takes this approval step, organisation-wide.

    A step is taken by the role of its name (`rate-setter`, `director`) or, for the
    representatives' step, by a representative; a step naming no role can be taken by no one
    here, only recorded from the command line.
    """
    role = STEP_ROLES.get(step) or next((r for r in Role if r.value == step), None)
    return role is not None and any(g.role is role and g.scope is None for g in grants)


@dataclass(frozen=True)
class Grant:
    """One role over a subtree of units (None: the whole organisation)."""

    role: Role
    scope: str | None = None

    def __post_init__(self) -> None:
        if self.scope is not None:
            object.__setattr__(self, "scope", parse_path(self.scope, "scope"))
        if self.role is Role.WORKER and self.scope is not None:
            raise InvalidValue("scope", self.scope, "a worker's role reaches only their own data")

    def covers(self, unit: str | None) -> bool:
        """True if this grant reaches the unit (None: an organisation-wide resource)."""
        if self.scope is None:
            return True
        return unit is not None and is_within(unit, self.scope)


def allows(grants: Iterable[Grant], permission: Permission, unit: str | None = None) -> bool:
    """True if some grant carries the permission and reaches the unit."""
    return any(permission in PERMISSIONS[g.role] and g.covers(unit) for g in grants)


def holds(grants: Iterable[Grant], permission: Permission) -> bool:
    """True if some grant carries the permission anywhere (what it reaches is checked later)."""
    return any(permission in PERMISSIONS[g.role] for g in grants)


def scopes(grants: Iterable[Grant], permission: Permission) -> list[str] | None:
    """The subtrees where the permission holds, or None when it holds everywhere."""
    found: list[str] = []
    for grant in grants:
        if permission not in PERMISSIONS[grant.role]:
            continue
        if grant.scope is None:
            return None
        found.append(grant.scope)
    return sorted(set(found))


def within_any(unit: str, subtrees: list[str] | None) -> bool:
    """True if the unit lies in one of the subtrees (None: everywhere)."""
    return subtrees is None or any(is_within(unit, s) for s in subtrees)
