"""A what-if as the caller may see it: the rows and the pay of the people within their rights.

The replay follows the rule of norm revisions: a row naming a worker is shown where the caller
sees fulfilment (or it is the caller's own), and pay where the caller sees pay, or when the
caller judges a norm revision (a proposal of norms, from those who propose or decide them
organisation-wide). A scale alone is no norm revision: it shows pay only to those who see pay.

The API and the norms impact page both show a replay through this module (decision 0861): the
API validates the view into its model, the page renders it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal

from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.rounding import percent_or_none
from stakhanov.domain.whatif import Needed, WhatIf
from stakhanov.services.accounts import Account


@dataclass(frozen=True)
class Change:
    """One worker's pay now and under the proposal (decimal strings; None outside rights)."""

    worker_id: str
    name: str
    old: str | None
    new: str | None
    change: str | None
    old_percent: Decimal | None
    new_percent: Decimal | None
    minimum_wage_make_up: bool | None
    old_minimum_wage_make_up: bool | None
    needed: list[Needed]
    more_percent: Decimal | None


@dataclass(frozen=True)
class WhatIfView:
    start: dt.date
    end: dt.date
    old_total: str | None
    new_total: str | None
    change: str | None
    losers: int
    workers: list[Change]
    falls: list[str] = field(default_factory=list)


def whatif_view(report: WhatIf) -> WhatIfView:
    """The replay as the API and the pages show it; percentages rounded like the rest."""
    return WhatIfView(
        start=report.period.start,
        end=report.period.end,
        old_total=str(report.old_total),
        new_total=str(report.new_total),
        change=str(report.change),
        losers=report.losers,
        falls=list(report.falls),
        workers=[
            Change(
                worker_id=w.worker_id,
                name=w.name,
                old=str(w.old),
                new=str(w.new),
                change=str(w.change),
                old_percent=percent_or_none(w.old_percent),
                new_percent=percent_or_none(w.new_percent),
                minimum_wage_make_up=w.new_make_up,
                old_minimum_wage_make_up=w.old_make_up,
                needed=list(w.needed),
                more_percent=w.more_percent,
            )
            for w in report.workers
        ],
    )


def visible_whatif(
    account: Account, report: WhatIfView, units: Mapping[str, str], norms_proposed: bool
) -> WhatIfView:
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
            replace(
                row,
                old=None,
                new=None,
                change=None,
                minimum_wage_make_up=None,
                old_minimum_wage_make_up=None,
                needed=[],
                more_percent=None,
            )
        )
    if len(paid) == len(report.workers):
        return report
    old = sum((Decimal(r.old) for r in paid if r.old is not None), Decimal(0))
    new = sum((Decimal(r.new) for r in paid if r.new is not None), Decimal(0))
    return replace(
        report,
        workers=rows,
        old_total=str(old) if paid else None,
        new_total=str(new) if paid else None,
        change=str(new - old) if paid else None,
        losers=sum(1 for r in paid if r.change is not None and Decimal(r.change) < 0),
    )
