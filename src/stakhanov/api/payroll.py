"""Pay: closing periods, pay slips as data and as printable PDF, a worker's own slips."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from stakhanov.api import convert, models
from stakhanov.api.errors import FieldError
from stakhanov.api.jobs import job_out, jobs_of
from stakhanov.api.params import Bounded, Paged
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import engine_of, own_worker, requires
from stakhanov.data import preset_scales
from stakhanov.data.rulepacks import pack_text
from stakhanov.domain.access import Permission, within_any
from stakhanov.domain.errors import Problem
from stakhanov.domain.payslips import PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.scale_files import parse_scale
from stakhanov.i18n import COOKIE, _, of_request, speaking
from stakhanov.services import accounts, lock_check, payroll, reports, slip_heads
from stakhanov.services.accounts import Session
from stakhanov.services.importing import ImportRejected, Progress
from stakhanov.services.lock_check import check_dict
from stakhanov.services.parsing import FORMATS, parse_table
from stakhanov.services.payroll import PayrollRejected
from stakhanov.services.printing import write_pdf
from stakhanov.services.scales import import_scales, stored_scales
from stakhanov.services.tables import table_from_text
from stakhanov.services.whatif_views import visible_whatif, whatif_view

router = APIRouter(route_class=PolicyRoute, tags=["pay"])
PDF: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/pdf": {}}, "description": "The slips, one per page."}
}


PayPeriod = Bounded
MAX_SCALE = 1024 * 1024
WorkerQuery = Annotated[str | None, Query(max_length=100, description="Only this worker.")]


def close_out(report: payroll.CloseReport) -> models.CloseOut:
    return models.CloseOut.model_validate(
        {
            "from": report.period.start,
            "to": report.period.end,
            "slips": report.slips,
            "gross": str(report.gross),
            "net": str(report.net),
            "adjusted": report.adjusted,
            "digest": report.digest,
            "already_closed": report.already,
            "unpaid_before": None
            if report.unpaid is None
            else {"from": report.unpaid.start, "to": report.unpaid.end, "days": report.unpaid.days},
        }
    )


def _status(found: payroll.Slips) -> str:
    """The slips' state in the PDF's words (the JSON says `open` or `closed`)."""
    if found.closed is None:
        return _("open: provisional, as it would close now")
    return _("closed %(when)s UTC") % {"when": f"{found.closed.closed_at:%Y-%m-%d %H:%M}"}


def _visible(
    request: Request, session: Session, chosen: Period, worker_id: str | None
) -> tuple[payroll.Slips, list[PaySlip]]:
    """The period's slips, and those of workers in the caller's scope."""
    engine = engine_of(request)
    found = payroll.slips(engine, chosen, worker_id)
    if found.problems:
        raise PayrollRejected(found.problems)
    subtrees = session.account.scopes(Permission.VIEW_PAY)
    units = reports.homes(engine, {s.worker_id for s in found.slips})
    shown = [s for s in found.slips if within_any(units.get(s.worker_id, ""), subtrees)]
    return found, shown


def _slip(found: payroll.Slips, slip: PaySlip) -> models.SlipOut:
    return models.SlipOut.model_validate(
        {**slip.as_dict(), "status": "closed" if found.closed else "open"}
    )


def _pdf(request: Request, found: payroll.Slips, slips: list[PaySlip], name: str) -> Response:
    """The slips in the reader's language (the pages' selector, else Accept-Language)."""
    language = of_request(request.cookies.get(COOKIE), request.headers.get("accept-language"))
    with tempfile.TemporaryDirectory(prefix="stakhanov-pdf-") as folder:
        path = Path(folder) / "slips.pdf"
        with speaking(language):
            status = _status(found)
        engine = engine_of(request)
        languages = accounts.languages_of(engine, [s.worker_id for s in slips])
        write_pdf(path, slips, status, slip_heads.heads(engine, found), language, languages)
        content = path.read_bytes()
    headers = {"Content-Disposition": f'inline; filename="{name}"'}
    return Response(content, media_type="application/pdf", headers=headers)


@router.get("/payroll/periods")
def closed_periods(
    session: Annotated[Session, requires(Permission.VIEW_PAY)], request: Request
) -> list[models.ClosedPeriodOut]:
    """Every closed (locked) pay period with its totals and digest."""
    return [
        models.ClosedPeriodOut.model_validate(
            {
                "from": c.period.start,
                "to": c.period.end,
                "closed_at": c.closed_at,
                "batch_id": c.batch_id,
                "slips": c.slips,
                "gross": str(c.gross),
                "net": str(c.net),
                "digest": c.digest,
            }
        )
        for c in payroll.periods(engine_of(request))
    ]


OverrideQuery = Annotated[
    str | None,
    Query(
        max_length=500,
        description="Lock over what /payroll/check lists, for this reason; the slip lines it "
        "concerns say so.",
    ),
]


@router.get("/payroll/check", responses={403: {}, 422: {}})
def check(
    session: Annotated[Session, requires(Permission.CLOSE_PERIODS, organisation_wide=True)],
    chosen: PayPeriod,
    request: Request,
    paged: Paged,
) -> models.LockCheckOut:
    """What blocks locking the period: open findings, uncredited output, unpayable work,
    open disputes; every item, or one page of them with `page_size` (`total` counts them all,
    `clear` is the whole check's)."""
    found = lock_check.page(engine_of(request), chosen, paged.offset, paged.size)
    shown = lock_check.LockCheck(chosen, found.blockers, found.closed)
    return models.LockCheckOut.model_validate(
        check_dict(shown) | {"clear": found.clear, "total": found.total}
    )


@router.post("/payroll/close", responses={403: {}, 409: {}, 422: {}})
def close(
    session: Annotated[Session, requires(Permission.CLOSE_PERIODS, organisation_wide=True)],
    chosen: PayPeriod,
    request: Request,
    override: OverrideQuery = None,
) -> models.CloseOut:
    """Check, compute every slip of the period and lock it; closing it again changes nothing.
    Refused (409) while the check lists something and no override reason is given."""
    report = lock_check.lock(engine_of(request), chosen, session.account.username, override)
    return close_out(report)


@router.post("/payroll/close-jobs", status_code=202, responses={403: {}, 422: {}})
def start_close(
    session: Annotated[Session, requires(Permission.CLOSE_PERIODS, organisation_wide=True)],
    chosen: PayPeriod,
    request: Request,
    override: OverrideQuery = None,
) -> models.JobOut:
    """Check and close a period in the background; follow it with GET /api/jobs/{job_id}."""
    engine, author = engine_of(request), session.account.username

    def work(progress: Progress) -> models.CloseOut:
        progress("closing", 0)
        return close_out(lock_check.lock(engine, chosen, author, override))

    return job_out(jobs_of(request).start(session.account.user_id, 0, work))


@router.get("/payroll/slips", responses={403: {}, 422: {}})
def slips(
    session: Annotated[Session, requires(Permission.VIEW_PAY)],
    chosen: PayPeriod,
    request: Request,
    worker_id: WorkerQuery = None,
) -> list[models.SlipOut]:
    """The period's slips of workers in your scope: locked if closed, else provisional."""
    found, shown = _visible(request, session, chosen, worker_id)
    return [_slip(found, s) for s in shown]


@router.get("/payroll/slips.pdf", response_class=Response, responses=PDF)
def slips_pdf(
    session: Annotated[Session, requires(Permission.VIEW_PAY)],
    chosen: PayPeriod,
    request: Request,
    worker_id: WorkerQuery = None,
) -> Response:
    """The same slips as a PDF to print, one page per slip."""
    found, shown = _visible(request, session, chosen, worker_id)
    if not shown:
        raise LookupError("no pay slips in your scope for this period")
    return _pdf(request, found, shown, f"slips-{chosen.start}-{chosen.end}.pdf")


@router.get("/me/payslip", responses={403: {}, 404: {}})
def my_slip(
    session: Annotated[Session, requires(Permission.VIEW_OWN)],
    chosen: PayPeriod,
    request: Request,
) -> models.SlipOut:
    """Your own pay slip for the period, every line explained."""
    found = payroll.slips(engine_of(request), chosen, own_worker(session))
    if not found.slips:
        raise LookupError("no pay slip of yours for this period")
    return _slip(found, found.slips[0])


@router.get("/me/payslip.pdf", response_class=Response, responses=PDF)
def my_slip_pdf(
    session: Annotated[Session, requires(Permission.VIEW_OWN)],
    chosen: PayPeriod,
    request: Request,
) -> Response:
    """Your own pay slip as a PDF."""
    found = payroll.slips(engine_of(request), chosen, own_worker(session))
    if not found.slips:
        raise LookupError("no pay slip of yours for this period")
    return _pdf(request, found, found.slips[:1], f"payslip-{chosen.start}-{chosen.end}.pdf")


@router.get("/scales")
def scales(
    session: Annotated[Session, requires(Permission.VIEW_PAY)], request: Request
) -> list[models.ScaleOut]:
    """Every stored pay scale version."""
    return [
        models.ScaleOut(
            name=s.name,
            effective_from=s.effective_from,
            currency=s.currency,
            operations=list(s.operations) if s.operations else None,
            basis=s.basis.value,
            percent=s.percent.value,
            grades={grade: str(tariff) for grade, tariff in s.grades},
            tiers=[models.TierOut(above=t.above, multiplier=str(t.multiplier)) for t in s.tiers],
        )
        for s in stored_scales(engine_of(request))
    ]


@router.get("/scales/presets")
def scale_presets(
    session: Annotated[Session, requires(Permission.VIEW_PAY)],
) -> dict[str, str]:
    """The bundled example scales (historical presets), by name, as TOML to adapt."""
    return {name: path.read_text(encoding="utf-8") for name, path in preset_scales().items()}


@router.post("/scales", responses={403: {}, 422: {}})
async def import_scale_files(
    files: Annotated[list[UploadFile], File(description="Pay scale files (TOML).")],
    session: Annotated[Session, requires(Permission.MANAGE_SCALES, organisation_wide=True)],
    request: Request,
    correct: Annotated[bool, Form(description="Record changed versions as corrections.")] = False,
    reason: Annotated[str | None, Form(max_length=2000)] = None,
) -> models.ScaleImportOut:
    """Import pay scale files as `stakhanov scales import` does: all or nothing."""
    with tempfile.TemporaryDirectory(prefix="stakhanov-scales-") as folder:
        paths = []
        for number, upload in enumerate(files):
            path = Path(folder) / f"{number:03d}-{PurePath(upload.filename or 'scale').name}"
            content = await upload.read(MAX_SCALE + 1)
            if len(content) > MAX_SCALE:
                raise FieldError(["body", "files"], f"{path.name} is larger than 1 MiB", 413)
            path.write_bytes(content)
            paths.append(path)
        done = await run_in_threadpool(
            lambda: import_scales(
                engine_of(request),
                paths,
                correct=correct,
                reason=reason,
                author=session.account.username,
                label="upload: " + ", ".join(p.name.split("-", 1)[1] for p in paths),
            )
        )
    return models.ScaleImportOut(
        batch_id=done.batch_id,
        added=done.added,
        unchanged=done.unchanged,
        corrected=done.corrected,
    )


@router.post("/payroll/whatif", responses={403: {}, 422: {}})
async def whatif(
    session: Annotated[Session, requires(Permission.MANAGE_NORMS, Permission.VIEW_PAY)],
    chosen: PayPeriod,
    request: Request,
    norms: Annotated[UploadFile | None, File(description="Proposed norms (norms.csv).")] = None,
    scale: Annotated[UploadFile | None, File(description="A proposed pay scale (TOML).")] = None,
) -> models.WhatIfOut:
    """Replay a period under proposed norms and/or a scale, as `stakhanov payroll whatif`."""
    if norms is None and scale is None:
        raise FieldError(["body", "norms"], "send proposed norms and/or a scale")
    problems: list[Problem] = []
    proposed_scale = None
    if scale is not None:
        text = (await scale.read(MAX_SCALE + 1)).decode("utf-8", errors="replace")
        name = PurePath(scale.filename or "scale.toml").name
        proposed_scale, found = await run_in_threadpool(
            parse_scale, text, name, pack_text
        )  # off the loop
        problems += found
    proposed_norms = None
    if norms is not None:
        raw = await norms.read(MAX_SCALE + 1)
        if len(raw) > MAX_SCALE:  # refused whole, never read cut short
            raise FieldError(["body", "norms"], "norms.csv is larger than 1 MiB", 413)
        content = raw.decode("utf-8-sig", errors="replace")
        table = await run_in_threadpool(table_from_text, "norms.csv", content)
        proposed_norms, found = await run_in_threadpool(parse_table, table, FORMATS["norms.csv"])
        problems += found
    if problems:
        raise ImportRejected(problems)
    report = await run_in_threadpool(
        payroll.whatif, engine_of(request), chosen, proposed_scale, proposed_norms
    )
    if report.problems:
        raise ImportRejected(list(report.problems))
    view = whatif_view(report)
    named = [row.worker_id for row in view.workers]
    units = await run_in_threadpool(reports.homes, engine_of(request), named)
    return convert.whatif_out(
        visible_whatif(session.account, view, units, proposed_norms is not None)
    )
