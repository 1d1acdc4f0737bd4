"""One login per role for the demo mine, so `stakhanov serve` on it can be tried at once.

The password is printed by the demo and documented: these accounts are for a demonstration
database only, never for real data.
"""

from __future__ import annotations

from sqlalchemy import Engine

from stakhanov.domain.access import Grant, Role
from stakhanov.services import accounts

PASSWORD = "stakhanov-demo"
BRIGADE = "Central-Irmino/Section 8/Brigade 1"
PEOPLE: tuple[tuple[str, str, Grant, str | None], ...] = (
    ("stakhanov", "Alexei Stakhanov", Grant(Role.WORKER), "W001"),
    ("foreman", "Brigade 1 foreman", Grant(Role.FOREMAN, BRIGADE), None),
    ("rate-setter", "Rate-setter", Grant(Role.RATE_SETTER), None),
    ("accountant", "Accountant", Grant(Role.ACCOUNTANT), None),
    ("auditor", "Auditor", Grant(Role.AUDITOR), None),
    ("director", "Mine director", Grant(Role.DIRECTOR), None),
    ("admin", "Administrator", Grant(Role.ADMIN), None),
    ("representative", "Workers' representative", Grant(Role.REPRESENTATIVE), None),
)
"""(username, name, grant, worker): the foreman runs Stakhanov's brigade."""


def add(engine: Engine) -> list[dict[str, str]]:
    """Create the demo logins; return them as rows for the demo's report."""
    created = []
    for username, name, grant, worker_id in PEOPLE:
        accounts.add_user(
            engine,
            username,
            PASSWORD,
            author="demo",
            display_name=name,
            worker_id=worker_id,
            grants=[grant],
        )
        created.append(
            {"username": username, "role": grant.role.value, "scope": grant.scope or "*"}
        )
    return created
