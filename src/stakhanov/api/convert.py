"""Service values to response models."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from stakhanov.api import models
from stakhanov.domain.access import PERMISSIONS
from stakhanov.domain.workers import Worker
from stakhanov.services import reports
from stakhanov.services.accounts import Account
from stakhanov.services.dashboard import ShiftView, Total
from stakhanov.services.importing import ImportReport
from stakhanov.services.reviews import ReviewedFinding
from stakhanov.services.whatif_views import WhatIfView


def user(account: Account) -> models.UserOut:
    return models.UserOut(
        user_id=account.user_id,
        username=account.username,
        display_name=account.display_name,
        worker_id=account.worker_id,
        active=account.active,
        created_by=account.created_by,
        grants=[
            models.GrantOut(
                grant_id=h.grant_id,
                role=h.grant.role,
                scope=h.grant.scope,
                granted_by=h.granted_by,
                granted_at=h.granted_at,
            )
            for h in account.held
        ],
    )


def permissions(account: Account) -> list[str]:
    held = {p for role in account.roles for p in PERMISSIONS[role]}
    return sorted(p.name.lower() for p in held)


def worker(found: Worker) -> models.WorkerOut:
    return models.WorkerOut(**reports.worker_dict(found))


def fulfilment(rows: list[reports.FulfilmentRow]) -> list[models.FulfilmentOut]:
    return [models.FulfilmentOut(**r.as_dict()) for r in rows]


def trend(points: list[Total]) -> list[models.TrendOut]:
    return [
        models.TrendOut(date=p.date, hours=p.hours, percent=p.percent, fair_percent=p.fair_percent)
        for p in points
    ]


def shift(view: ShiftView) -> models.ShiftOut:
    s = view.shift
    return models.ShiftOut(
        shift_id=s.shift_id,
        date=s.date,
        hours=s.hours,
        workplace=s.workplace,
        conditions=s.conditions,
        note=s.note,
        resources=list(s.resources),
        start_time=s.start_time,
        end_time=s.end_time,
        outputs=[models.OutputOut(**o) for o in view.outputs],
        crew=[models.CrewRowOut(**c) for c in view.crew],
    )


def imported(report: ImportReport, check: bool = False) -> models.ImportOut:
    return models.ImportOut(
        batch_id=report.batch_id,
        changed=report.changed,
        checked_only=check,
        files=[
            models.FileCountsOut(
                file=name,
                source=report.sources.get(name),
                added=c.added,
                unchanged=c.unchanged,
                corrected=c.corrected,
                withdrawn=c.withdrawn,
            )
            for name, c in report.files.items()
        ],
    )


def finding(item: ReviewedFinding) -> models.FindingOut:
    made = item.review
    return models.FindingOut(
        **reports.finding_dict(item.finding),
        status=item.status,
        review=None
        if made is None
        else models.ReviewOut(decision=made.decision, reason=made.reason, reviewer=made.reviewer),
    )


def claim(values: dict[str, Any]) -> models.ClaimOut:
    return models.ClaimOut(**values)


def whatif_out(view: WhatIfView) -> models.WhatIfOut:
    """The replay as the API shows it (services/whatif_views.py says what the caller sees)."""
    return models.WhatIfOut.model_validate(asdict(view))


def job_result(result: Any) -> models.ImportOut | models.CloseOut | models.WhatIfOut | None:
    """A finished job's result as its model: the web's replay job keeps the view it renders."""
    return whatif_out(result) if isinstance(result, WhatIfView) else result
