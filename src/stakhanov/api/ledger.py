"""Writes to the ledger: imports, the shift form, the kiosk, and kiosk PINs.

All of them go through the import service, so the API accepts and refuses exactly what a file
would; the author's scope is checked on every row first. The author is the logged-in user.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path, PurePath
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, HTTPException, Request, UploadFile
from starlette.concurrency import run_in_threadpool

from stakhanov.api import convert, models
from stakhanov.api.errors import FieldError, at
from stakhanov.api.jobs import job_out, jobs_of
from stakhanov.api.limits import upload_limits
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import check_scope, client_of, engine_of, requires
from stakhanov.domain.access import Permission
from stakhanov.domain.errors import InvalidValue
from stakhanov.services import accounts, corrections, dashboard
from stakhanov.services.accounts import Session
from stakhanov.services.entry import ShiftForm, enter
from stakhanov.services.importing import Progress
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import RawBatch
from stakhanov.services.uploads import read_upload

router = APIRouter(route_class=PolicyRoute, tags=["ledger"])
MAX_UPLOAD = 50 * 1024 * 1024
Writer = Annotated[
    Session,
    requires(
        Permission.ENTER_SHIFTS,
        Permission.MANAGE_NORMS,
        Permission.MANAGE_WORKERS,
        Permission.MANAGE_PLANS,
    ),
]
Files = Annotated[
    list[UploadFile],
    File(description="CSV files named workers.csv, norms.csv, ... or one .xlsx workbook."),
]
Correct = Annotated[bool, Form(description="Record changed rows as corrections.")]
Reason = Annotated[str | None, Form(max_length=2000, description="Why corrections are made.")]
Check = Annotated[bool, Form(description="Only check and count: write nothing.")]


def _may(session: Session) -> Any:
    return session.account.allows


async def _read_upload(request: Request, files: list[UploadFile], folder: Path) -> RawBatch:
    """Save the uploaded files under their own base names and read them as an import."""
    names = []
    for upload in files:
        name = PurePath((upload.filename or "").replace("\\", "/")).name
        if not name or name.startswith("."):
            raise FieldError(["body", "files"], f"unusable file name {upload.filename!r}")
        content = await upload.read(MAX_UPLOAD + 1)
        if len(content) > MAX_UPLOAD:
            raise FieldError(["body", "files"], f"{name} is larger than 50 MiB", status=413)
        (folder / name).write_bytes(content)
        names.append(name)
    if not names:
        raise FieldError(["body", "files"], "send at least one file")
    workbooks = [n for n in names if n.lower().endswith(".xlsx")]
    if workbooks and len(names) > 1:
        raise FieldError(["body", "files"], "send one workbook, or CSV files, not both")
    source = folder / workbooks[0] if workbooks else folder
    # Read in a child process: the server answers others meanwhile, and a bomb is stopped.
    batch = await run_in_threadpool(read_upload, source, set(FORMATS), upload_limits(request))
    batch.label = "upload: " + ", ".join(sorted(names))
    return batch


async def _importer(
    request: Request,
    session: Session,
    files: list[UploadFile],
    correct: bool,
    reason: str | None,
    check: bool,
) -> tuple[int, Callable[[Progress | None], models.ImportOut]]:
    """The upload read as a batch: its row count, and the import to run (now or as a job)."""
    with tempfile.TemporaryDirectory(prefix="stakhanov-upload-") as folder:
        batch = await _read_upload(request, files, Path(folder))
    engine, may, author = engine_of(request), _may(session), session.account.username

    def work(progress: Progress | None) -> models.ImportOut:
        report = enter(
            engine,
            batch,
            may,
            author=author,
            correct=correct,
            reason=reason,
            progress=progress,
            check=check,
        )
        return convert.imported(report, check)

    return batch.row_count, work


@router.post("/imports", responses={403: {}, 422: {}})
async def import_files(
    files: Files,
    session: Writer,
    request: Request,
    correct: Correct = False,
    reason: Reason = None,
    check: Check = False,
) -> models.ImportOut:
    """Import files as `stakhanov import` does: all or nothing, idempotent, errors located.

    With `correct`, each shift named in output or crew files is taken as complete: its stored
    rows the files leave out are withdrawn. With `check`, nothing is written.
    """
    _, work = await _importer(request, session, files, correct, reason, check)
    return await run_in_threadpool(work, None)


@router.post("/import-jobs", status_code=202, responses={403: {}, 422: {}})
async def start_import(
    files: Files,
    session: Writer,
    request: Request,
    correct: Correct = False,
    reason: Reason = None,
    check: Check = False,
) -> models.JobOut:
    """Start an import in the background; follow it with GET /api/jobs/{job_id}."""
    rows, work = await _importer(request, session, files, correct, reason, check)
    return job_out(jobs_of(request).start(session.account.user_id, rows, work))


def _text(value: object) -> str:
    return "" if value is None else str(value)


@router.post("/shifts", status_code=201, responses={403: {}, 422: {}})
def enter_shift(
    body: models.ShiftIn,
    session: Annotated[Session, requires(Permission.ENTER_SHIFTS)],
    request: Request,
) -> models.ImportOut:
    """Enter a shift, its measured output and its crew; validated exactly like an import."""
    check_scope(session.account, Permission.ENTER_SHIFTS, [body.workplace.strip()])
    form = ShiftForm(
        shift={
            "shift_id": body.shift_id,
            "date": body.date.isoformat(),
            "hours": _text(body.hours),
            "workplace": body.workplace,
            "conditions": body.conditions.value,
            "note": _text(body.note),
            "start_time": _text(body.start_time),
            "end_time": _text(body.end_time),
        },
        outputs=[{k: _text(v) for k, v in o.model_dump().items()} for o in body.outputs],
        crew=[{k: _text(v) for k, v in c.model_dump().items()} for c in body.crew],
    )
    report = enter(
        engine_of(request),
        form.batch(f"shift form: {body.shift_id}"),
        _may(session),
        author=session.account.username,
        correct=body.correct,
        reason=body.reason,
    )
    return convert.imported(report)


@router.post("/kiosk/crew", status_code=201, responses={401: {}, 403: {}, 422: {}, 429: {}})
def kiosk_crew(
    body: models.KioskCrewIn,
    session: Annotated[Session, requires(Permission.RUN_KIOSK)],
    request: Request,
) -> models.ImportOut:
    """A worker without an account adds their part of a shift at a kiosk, with their PIN.

    The kiosk is opened by a foreman; the entry's author names both the foreman and the worker.
    """
    engine = engine_of(request)
    if not accounts.check_pin(engine, body.worker_id, body.pin, client_of(request)):
        raise HTTPException(401, "wrong worker or PIN")
    form = ShiftForm(
        shift=None,
        crew=[
            {
                "shift_id": body.shift_id,
                "worker_id": body.worker_id,
                "operation": body.operation,
                "hours": _text(body.hours),
            }
        ],
    )
    batch = form.batch(f"kiosk: {body.worker_id}")
    author = f"{body.worker_id} by PIN at {session.account.username}'s kiosk"
    return convert.imported(enter(engine, batch, _may(session), author=author))


@router.put("/workers/{worker_id}/pin", status_code=204, responses={403: {}, 404: {}})
def set_pin(
    worker_id: str,
    body: models.PinIn,
    session: Annotated[Session, requires(Permission.SET_PINS)],
    request: Request,
) -> None:
    """Set a worker's kiosk PIN (only its argon2 hash is kept)."""
    engine = engine_of(request)
    found = dashboard.worker(engine, worker_id)
    if found is None:
        raise LookupError(f"worker {worker_id}")
    check_scope(session.account, Permission.SET_PINS, [found.unit])
    try:
        accounts.set_pin(engine, worker_id, body.pin, author=session.account.username)
    except InvalidValue as err:
        raise at("body", err) from err


@router.post("/shifts/{shift_id}/void", responses={403: {}, 404: {}, 422: {}})
def void(
    shift_id: str,
    body: models.VoidIn,
    session: Annotated[Session, requires(Permission.ENTER_SHIFTS)],
    request: Request,
) -> models.VoidOut:
    """Void a shift entered by mistake: reverse it with its output and crew, keeping history."""
    engine = engine_of(request)
    found = dashboard.shift(engine, shift_id)
    if found is None:
        raise LookupError(f"shift {shift_id}")
    check_scope(session.account, Permission.ENTER_SHIFTS, [found.workplace])
    done = corrections.void_shift(engine, shift_id, body.reason, session.account.username)
    return models.VoidOut(**asdict(done))
