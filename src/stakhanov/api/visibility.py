"""A what-if as the caller may see it: the rows and the pay of the people within their rights.

The replay follows the rule of norm revisions: a row naming a worker is shown where the caller
sees fulfilment (or it is the caller's own), and pay where the caller sees pay, or when the
caller judges a norm revision (a proposal of norms, from those who propose or decide them
organisation-wide). A scale alone is no norm revision: it shows pay only to those who see pay.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from stakhanov.api import models
from stakhanov.domain.access import Permission, within_any
from stakhanov.services.accounts import Account


def visible_whatif(
    account: Account, report: models.WhatIfOut, units: Mapping[str, str], norms_proposed: bool
) -> models.WhatIfOut:
    """The report with unseen rows left out and unseen pay blanked; totals over the pay shown."""
    fulfilment = account.scopes(Permission.VIEW_FULFILMENT)
    pay = account.scopes(Permission.VIEW_PAY)
    judging = norms_proposed and (
        account.allows(Permission.MANAGE_NORMS) or account.allows(Permission.DECIDE_REVISIONS)
    )
    own = account.worker_id if account.scopes(Permission.VIEW_OWN) != [] else None

    def within(worker_id: str, subtrees: list[str] | None) -> bool:
        unit = units.get(worker_id)
        return worker_id == own or (
            unit is not None and subtrees != [] and within_any(unit, subtrees)
        )

    rows, paid = [], []
    for row in report.workers:
        if not (within(row.worker_id, fulfilment) or within(row.worker_id, pay)):
            continue
        if judging or within(row.worker_id, pay):
            paid.append(row)
            rows.append(row)
            continue
        rows.append(
            row.model_copy(
                update={
                    "old": None,
                    "new": None,
                    "change": None,
                    "minimum_wage_make_up": None,
                    "old_minimum_wage_make_up": None,
                    "needed": [],
                    "more_percent": None,
                }
            )
        )
    if len(paid) == len(report.workers):
        return report
    old = sum((Decimal(r.old) for r in paid if r.old is not None), Decimal(0))
    new = sum((Decimal(r.new) for r in paid if r.new is not None), Decimal(0))
    return report.model_copy(
        update={
            "workers": rows,
            "old_total": str(old) if paid else None,
            "new_total": str(new) if paid else None,
            "change": str(new - old) if paid else None,
            "losers": sum(1 for r in paid if r.change is not None and Decimal(r.change) < 0),
        }
    )
