"""Domain errors turned into HTTP answers at the edge, each naming the field at fault.

Validation errors keep FastAPI's shape, `{"detail": [{"loc", "msg", "type"}]}`; a rejected
import lists every problem the same way (loc: file, row, column) and as the CLI's lines.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from stakhanov.domain.errors import InvalidValue, Problem
from stakhanov.services.accounts import LoginRefused, TooManyAttempts
from stakhanov.services.entry import FORM_NAMES, OutOfScope
from stakhanov.services.importing import ImportRejected
from stakhanov.services.payroll import PayrollRejected


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


def install(app: FastAPI) -> None:
    @app.exception_handler(FieldError)
    async def field_error(_request: Request, err: FieldError) -> JSONResponse:
        body = {"detail": [{"loc": err.loc, "msg": err.message, "type": "value_error"}]}
        return JSONResponse(body, status_code=err.status)

    @app.exception_handler(InvalidValue)
    async def invalid_value(_request: Request, err: InvalidValue) -> JSONResponse:
        body = {"detail": [{"loc": ["body", err.field], "msg": err.reason, "type": "value_error"}]}
        return JSONResponse(body, status_code=422)

    @app.exception_handler(ImportRejected)
    async def rejected(_request: Request, err: ImportRejected) -> JSONResponse:
        return JSONResponse(problems_detail(err.problems, "invalid_row"), status_code=422)

    @app.exception_handler(PayrollRejected)
    async def pay_rejected(_request: Request, err: PayrollRejected) -> JSONResponse:
        return JSONResponse(problems_detail(err.problems, "invalid_pay"), status_code=422)

    @app.exception_handler(OutOfScope)
    async def out_of_scope(_request: Request, err: OutOfScope) -> JSONResponse:
        return JSONResponse(problems_detail(err.problems, "out_of_scope"), status_code=403)

    @app.exception_handler(LoginRefused)
    async def refused(_request: Request, _err: LoginRefused) -> JSONResponse:
        return JSONResponse({"detail": "wrong username or password"}, status_code=401)

    @app.exception_handler(TooManyAttempts)
    async def limited(_request: Request, err: TooManyAttempts) -> JSONResponse:
        return JSONResponse(
            {"detail": str(err)},
            status_code=429,
            headers={"Retry-After": str(err.retry_after)},
        )

    @app.exception_handler(LookupError)
    async def not_found(_request: Request, err: LookupError) -> JSONResponse:
        return JSONResponse({"detail": f"not found: {err}"}, status_code=404)
