"""Refusals turned into HTTP answers at the edge, each naming the field at fault.

Every refusal a service raises derives from `Refused`; its `kind` picks the status here, once.
Validation errors keep FastAPI's shape, `{"detail": [{"loc", "msg", "type"}]}`; a rejected
import lists every problem the same way (loc: file, row, column) and as the CLI's lines.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from stakhanov.domain.errors import InvalidValue, Problem, Refusal, Refused
from stakhanov.i18n import reasons_of, said
from stakhanov.services.accounts import TooManyAttempts
from stakhanov.services.entry import FORM_NAMES

STATUS: dict[Refusal, int] = {
    Refusal.INVALID: 422,
    Refusal.NOT_FOUND: 404,
    Refusal.FORBIDDEN: 403,
    Refusal.CONFLICT: 409,
    Refusal.UNAUTHORIZED: 401,
    Refusal.LIMITED: 429,
}
"""The HTTP status of each kind of refusal (the web pages answer with the same)."""

REFUSALS = (Refused,)
"""Every refusal derives from the one base (kept a tuple for `except` and the handlers)."""


class FieldError(Exception):
    """A value the service refused, located where the client sent it."""

    def __init__(self, loc: list[str | int], message: str, status: int = 422) -> None:
        super().__init__(message)
        self.loc = loc
        self.message = message
        self.status = status


def at(where: str, err: InvalidValue) -> FieldError:
    """An InvalidValue raised for a value sent in `where` (body, query, path)."""
    return FieldError([where, err.field], err.reason)


def problem_loc(problem: Problem) -> list[str | int]:
    """Where a problem is: a form's list and index (`crew`, 0), or a file, row and column."""
    if problem.source is None:
        return ["body", problem.column]
    name, row = problem.source.file, problem.source.row
    if name in FORM_NAMES.values():
        if name == "shift":
            return ["body", problem.column]
        return ["body", "outputs" if name == "output" else name, row - 2, problem.column]
    return [name, row, problem.column]


def problems_detail(problems: list[Problem], kind: str) -> dict[str, Any]:
    return {
        "detail": [{"loc": problem_loc(p), "msg": p.message, "type": kind} for p in problems],
        "problems": [str(p) for p in problems],
    }


def status_of(err: Refused) -> int:
    return STATUS[err.kind]


def refusal_body(err: Refused) -> dict[str, Any]:
    """Problems located by file, row and column; a field's refusal, or invalid data, as a
    validation error; any other refusal (not found, forbidden...) as one sentence."""
    kind = err.kind.value
    if err.problems:
        return problems_detail(err.problems, kind)
    if err.field is not None or err.kind is Refusal.INVALID:
        loc = ["body", err.field] if err.field else ["body"]
        return {"detail": [{"loc": loc, "msg": "; ".join(err.reasons), "type": kind}]}
    return {"detail": str(err)}


def refused_response(err: Refused) -> JSONResponse:
    wait = {"Retry-After": str(err.retry_after)} if isinstance(err, TooManyAttempts) else {}
    return JSONResponse(refusal_body(err), status_code=status_of(err), headers=wait)


def sentence(err: Refused) -> str:
    """The refusal in words for a page, in the reader's language: "No revision 7." """
    text = "; ".join(reasons_of(err)) or said(err)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def install(app: FastAPI) -> None:
    @app.exception_handler(FieldError)
    async def field_error(_request: Request, err: FieldError) -> JSONResponse:
        body = {"detail": [{"loc": err.loc, "msg": err.message, "type": "value_error"}]}
        return JSONResponse(body, status_code=err.status)

    async def refused(_request: Request, err: Exception) -> JSONResponse:
        assert isinstance(err, REFUSALS)
        return refused_response(err)

    for refusal in REFUSALS:
        app.add_exception_handler(refusal, refused)

    @app.exception_handler(LookupError)
    async def not_found(_request: Request, err: LookupError) -> JSONResponse:
        return JSONResponse({"detail": f"not found: {err}"}, status_code=404)
