"""Audit finding messages (domain/audit.py; engine/audit.py writes the same in SQL), and what
else blocks a period's lock (domain/lock_checks.py)."""

from __future__ import annotations

from stakhanov.domain.texts import T_

TEMPLATES: tuple[str, ...] = (
    T_(
        "{operation} result contains helpers' work ({work}); fair fulfilment counts the crew's "
        "{hours} h"
    ),
    T_("output pooled onto {workers}: {donors} credited under a tenth of their hours share"),
    T_("credited output per hour above the physical maximum of {maximum} {unit}/h: {rates}"),
    T_("shift run under prepared conditions; kept out of norm statistics"),
    T_("shift run under prepared conditions: {note}; kept out of norm statistics"),
    T_("{quantity} {unit} measured but credited to no one"),
    T_(
        "worker {worker} cannot be paid for {operation}: no pay scale covers {operation} on "
        "{date}; not paid here"
    ),
    T_("worker {worker} cannot be paid for {operation}: grade {grade} has no tariff in {scales}"),
    T_("dispute {dispute} by {worker} on {subject} is open: {text}"),
)
