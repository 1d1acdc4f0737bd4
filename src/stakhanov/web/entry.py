"""The shift form: a foreman enters a shift chosen from his own lists, with an id proposed for
him, adds and removes lines (in the page with static/entry.js, or by the form's own buttons
without it), and after saving sees the shift's stated and fair percentages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from stakhanov.api.errors import REFUSALS, status_of
from stakhanov.api.security import engine_of
from stakhanov.domain.access import Permission
from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.periods import parse_date
from stakhanov.i18n import N_, _, reasons_of
from stakhanov.services import dashboard, entry
from stakhanov.services.accounts import Session
from stakhanov.services.entry import ShiftForm, enter
from stakhanov.services.importing import ImportRejected
from stakhanov.web.auth import PageError, fields, page, posted
from stakhanov.web.pages import _field_errors, render

router = APIRouter(include_in_schema=False)
Foreman = Annotated[Session, page(Permission.ENTER_SHIFTS)]

SHIFT_FIELDS = ("shift_id", "date", "hours", "workplace", "conditions", "note")
OUTPUT_FIELDS = ("operation", "quantity", "unit", "rejected")
CREW_FIELDS = ("worker_id", "operation", "hours", "credited", "coefficient")
LINES = {"outputs": OUTPUT_FIELDS, "crew": CREW_FIELDS}
SHOWN = {"outputs": 2, "crew": 4}
"""Empty lines a new form shows; "more lines" adds MORE at a time, up to MOST."""
MORE = 3
MOST = 200


def _lines(form: Any, prefix: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """The numbered lines of a form (crew.0.worker_id, ...) in number order, wholly empty ones
    and those ticked to remove dropped; numbers may have gaps where the page removed a line."""
    pattern = re.compile(rf"{re.escape(prefix)}\.(\d{{1,4}})\.(\w+)")
    numbers = sorted(
        {int(m[1]) for key in form if (m := pattern.fullmatch(key)) and m[2] in columns}
    )
    found = []
    for number in numbers:
        line = {c: str(form.get(f"{prefix}.{number}.{c}", "")).strip() for c in columns}
        if any(line.values()) and form.get(f"{prefix}.{number}.remove") != "on":
            found.append(line)
    return found


def _refusal_errors(err: Refused | ImportRejected) -> dict[str, str]:
    """A refusal keyed by form field: its located problems, or the one field it names."""
    if err.problems or not isinstance(err, Refused):
        return _field_errors(err.problems)
    return {err.field or "shift_id": "; ".join(reasons_of(err))}


def _unplaced(errors: dict[str, str], shown: dict[str, int]) -> dict[str, str]:
    """Problems the form has no field for (a shift-level column it does not show): listed
    under the summary, so that every problem the summary counts is shown somewhere."""
    known = {*SHIFT_FIELDS, "reason"}
    for prefix, columns in LINES.items():
        known |= {f"{prefix}.{i}.{c}" for i in range(shown[prefix]) for c in columns}
    return {key: message for key, message in errors.items() if key not in known}


def _day(text: str | None) -> dt.date | None:
    try:
        return parse_date(text or "")
    except InvalidValue:
        return None


def _entry_page(
    request: Request,
    session: Session,
    status: int = 200,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    message: str | None = None,
    shown: dict[str, int] | None = None,
    outcome: Any = None,
) -> HTMLResponse:
    engine = engine_of(request)
    subtrees = session.account.scopes(Permission.ENTER_SHIFTS)
    chosen = values or {"shift": {"conditions": "standard"}, "outputs": [], "crew": []}
    shift = chosen["shift"]
    on = _day(shift.get("date")) or dt.date.today()
    offered = entry.choices(engine, subtrees, on)
    if not shift.get("date"):
        shift["date"] = on.isoformat()
    if not shift.get("shift_id"):
        workplace = shift.get("workplace") or (offered.workplaces or ["W"])[0]
        shift["shift_id"] = chosen["proposed"] = entry.propose_shift_id(engine, on, workplace)
    counts = {
        prefix: max((shown or {}).get(prefix, 0), SHOWN[prefix], len(chosen[prefix]) + 1)
        for prefix in LINES
    }
    return render(
        request,
        "entry.html",
        session,
        status=status,
        title=N_("Enter a shift"),
        values=chosen,
        errors=errors or {},
        unplaced=_unplaced(errors or {}, counts),
        message=message,
        output_lines=counts["outputs"],
        crew_lines=counts["crew"],
        workplaces=offered.workplaces,
        workers=offered.workers,
        operations=offered.operations,
        units=offered.units,
        outcome=outcome,
        proposed=chosen.get("proposed", ""),
    )


@router.get("/shifts/new")
def entry_page(request: Request, session: Foreman) -> HTMLResponse:
    return _entry_page(request, session)


@router.get("/shifts/new/proposal")
def proposal(
    request: Request,
    session: Foreman,
    date: Annotated[str, Query(max_length=10)],
    workplace: Annotated[str, Query(max_length=500)] = "",
) -> JSONResponse:
    """The shift id the form proposes for a day and workplace (JSON: `shift_id`)."""
    on = _day(date)
    if on is None:
        return JSONResponse({"detail": f"{date!r} is not a date like 1935-11-02"}, 422)
    if workplace and not session.account.allows(Permission.ENTER_SHIFTS, workplace):
        return JSONResponse({"detail": f"{workplace} is outside your scope"}, 403)
    if not workplace:
        workplace = (
            entry.choices(
                engine_of(request), session.account.scopes(Permission.ENTER_SHIFTS), on
            ).workplaces
            or ["W"]
        )[0]
    return JSONResponse({"shift_id": entry.propose_shift_id(engine_of(request), on, workplace)})


def _shown(form: Any, values: dict[str, Any]) -> dict[str, int]:
    """How many lines the page showed, plus more where "more lines" was pressed."""
    shown = {}
    for prefix in LINES:
        try:
            count = int(str(form.get(f"{prefix}_lines", "0")))
        except ValueError:
            count = 0
        if form.get("more") == prefix:
            count = max(count, len(values[prefix]) + 1) + MORE
        shown[prefix] = min(max(count, 0), MOST)
    return shown


def _resolve(request: Request, session: Session, values: dict[str, Any], proposed: str) -> None:
    """Fill what the form may work out: the workplace from the crew's one home unit, the
    units of measure from the norms in force, and the id where the proposal was left as it
    was but no longer fits the day and workplace (a resubmitted form keeps its id)."""
    engine = engine_of(request)
    shift = values["shift"]
    subtrees = session.account.scopes(Permission.ENTER_SHIFTS)
    if not shift["workplace"]:
        workers = [c["worker_id"] for c in values["crew"] if c["worker_id"]]
        shift["workplace"] = entry.crew_workplace(engine, workers, subtrees) or ""
    on = _day(shift["date"])
    if on is None:
        return
    units = entry.choices(engine, subtrees, on).units
    for line in values["outputs"]:
        if line["operation"] and not line["unit"] and line["operation"] in units:
            line["unit"] = units[line["operation"]]
    untouched = not shift["shift_id"] or shift["shift_id"] == proposed
    if untouched and shift["workplace"]:
        stem = f"{on.isoformat()}-{entry.short_name(shift['workplace'])}-"
        if not shift["shift_id"].startswith(stem):
            shift["shift_id"] = values["proposed"] = entry.propose_shift_id(
                engine, on, shift["workplace"]
            )


@router.post("/shifts/new")
async def enter_shift(request: Request, session: Foreman) -> Response:
    form = await posted(request, session)
    shift = fields(form, *SHIFT_FIELDS)
    values: dict[str, Any] = {
        "shift": shift,
        "outputs": _lines(form, "outputs", OUTPUT_FIELDS),
        "crew": _lines(form, "crew", CREW_FIELDS),
        "proposed": str(form.get("proposed_id", "")),
    }
    shown = _shown(form, values)
    if form.get("more"):  # the page without its script asks for lines: nothing is written
        return _entry_page(request, session, 200, values, shown=shown)
    await run_in_threadpool(_resolve, request, session, values, values["proposed"])
    correct = form.get("correct") == "on"
    reason = str(form.get("reason", "")).strip() or None
    if not shift["workplace"]:
        errors = {
            "workplace": _("choose the workplace: the crew's workers belong to different units")
        }
        return _entry_page(request, session, 422, values, errors, shown=shown)
    if not session.account.allows(Permission.ENTER_SHIFTS, shift["workplace"]):
        errors = {"workplace": f"{shift['workplace']} is outside your scope"}
        return _entry_page(request, session, 403, values, errors, shown=shown)
    made = ShiftForm(shift, values["outputs"], values["crew"])
    engine = engine_of(request)
    try:
        report = await run_in_threadpool(
            enter,
            engine,
            made.batch(f"shift form: {shift['shift_id']}"),
            session.account.allows,
            author=session.account.username,
            correct=correct,
            reason=reason,
        )
    except REFUSALS as err:
        errors = _refusal_errors(err)
        return _entry_page(request, session, status_of(err), values, errors, shown=shown)
    if not report.changed:
        message = _("Shift %(id)s is already recorded exactly so; nothing changed.") % {
            "id": shift["shift_id"]
        }
    else:
        message = _("Shift %(id)s recorded as batch %(batch)s.") % {
            "id": shift["shift_id"],
            "batch": report.batch_id,
        }
    outcome = await run_in_threadpool(dashboard.shift_outcome, engine, shift["shift_id"])
    if outcome is None:  # written a moment ago: only a concurrent void could remove it
        raise PageError(404, _("There is no shift %(id)s.") % {"id": shift["shift_id"]})
    fresh = {
        "shift": {
            "conditions": shift["conditions"] or "standard",
            "date": shift["date"],
            "workplace": shift["workplace"],
        },
        "outputs": [],
        "crew": [],
    }
    return _entry_page(request, session, 201, fresh, message=message, outcome=outcome)
