"""The users and their roles: the admin adds users, grants and revokes roles, resets passwords
and (de)activates, over a searched, sorted and paged list of users."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from stakhanov.api.security import engine_of
from stakhanov.domain.access import Grant, Permission, Role
from stakhanov.domain.errors import InvalidValue
from stakhanov.i18n import N_, _
from stakhanov.services import accounts, dashboard, lists
from stakhanov.services.accounts import Session
from stakhanov.web.auth import PageError, fields, page, posted
from stakhanov.web.exports import csv_file, like, offset, order, page_of, xlsx_file
from stakhanov.web.listing import Listing, Paged, listing
from stakhanov.web.pages import render

router = APIRouter(include_in_schema=False)
Admin = Annotated[Session, page(Permission.MANAGE_USERS, organisation_wide=True)]
USERS_PER_PAGE = 50
USER_COLUMNS = ("username", "display_name", "worker_id", "active", "roles", "created_by")
REASONS = (
    N_("is not a known worker"),
    N_("is required for the worker role"),
    N_("use letters, digits, '.', '_' or '-'"),
    N_("is taken"),
    N_("must be at least 10 characters"),
    N_("is required"),
    N_("is already granted on this scope"),
    N_("must be 4 to 8 digits"),
    N_("a worker's role reaches only their own data"),
    N_("choose a role"),
)
"""The account refusals a form shows beside its field, marked for the catalogs (the service
says them in English; the page in the reader's words)."""


ROLE_NAMES = (
    N_("worker"),
    N_("foreman"),
    N_("rate-setter"),
    N_("accountant"),
    N_("auditor"),
    N_("director"),
    N_("admin"),
    N_("representative"),
)
"""The roles as the pages name them (the header, the users), marked for the catalogs."""


def _asked(request: Request) -> tuple[Listing, str | None]:
    """The list as asked, on the users' own page also after a form posted to one user."""
    asked = listing(request, lists.USER_SORTS, per_page=USERS_PER_PAGE)
    asked = replace(asked, path="/admin/users")
    return asked, like(asked.q) if asked.q else None


def _users(
    request: Request,
    session: Session,
    status: int = 200,
    message: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
) -> HTMLResponse:
    engine = engine_of(request)
    asked, search = _asked(request)
    total = lists.account_count(engine, search)
    shown = page_of(asked, total)
    sort, descending = order(shown, "username")
    found = lists.accounts(engine, search, sort, descending, shown.per_page, offset(shown))
    return render(
        request,
        "users.html",
        session,
        status=status,
        title=N_("Users and roles"),
        listed=Paged(found, total, shown),
        roles=[r.value for r in Role],
        units=dashboard.unit_paths(engine, None),
        message=message,
        errors=errors or {},
        values=values or {},
    )


def _user_rows(request: Request) -> list[list[Any]]:
    engine = engine_of(request)
    asked, search = _asked(request)
    total = lists.account_count(engine, search)
    sort, descending = order(asked, "username")
    found = lists.accounts(engine, search, sort, descending, total, 0)
    return [
        [
            u.username,
            u.display_name,
            u.worker_id,
            "yes" if u.active else "no",
            "; ".join(f"{h.grant.role.value} on {h.grant.scope or '*'}" for h in u.held),
            u.created_by,
        ]
        for u in found
    ]


@router.get("/admin/users")
def users_page(request: Request, session: Admin) -> HTMLResponse:
    return _users(request, session)


@router.get("/admin/users.csv")
def users_csv(request: Request, session: Admin) -> Response:
    return csv_file("users", USER_COLUMNS, _user_rows(request))


@router.get("/admin/users.xlsx")
def users_xlsx(request: Request, session: Admin) -> Response:
    return xlsx_file("users", USER_COLUMNS, _user_rows(request))


@router.post("/admin/users")
async def add_user(request: Request, session: Admin) -> HTMLResponse:
    form = await posted(request, session)
    values = fields(form, "username", "display_name", "worker_id", "role", "scope")
    try:
        grant = Grant(Role(values["role"]), values["scope"] or None)
        created = await run_in_threadpool(
            lambda: accounts.add_user(
                engine_of(request),
                values["username"],
                str(form.get("password", "")),
                author=session.account.username,
                display_name=values["display_name"] or None,
                worker_id=values["worker_id"] or None,
                grants=[grant],
            )
        )
    except ValueError as err:
        field = err.field if isinstance(err, InvalidValue) else "role"
        reason = _(err.reason) if isinstance(err, InvalidValue) else _("choose a role")
        return _users(request, session, 422, errors={field: reason}, values=values)
    message = _("User %(name)s created.") % {"name": created.username}
    return _users(request, session, 201, message=message)


@router.post("/admin/users/{user_id}")
async def change_user(request: Request, user_id: int, session: Admin) -> HTMLResponse:
    """One form per user: grant a role, revoke a grant, (de)activate, or reset the password."""
    form = await posted(request, session)
    engine, author = engine_of(request), session.account.username
    action = str(form.get("action", ""))
    try:
        if action == "grant":
            scope = str(form.get("scope", "")).strip() or None
            grant = Grant(Role(str(form.get("role", ""))), scope)
            await run_in_threadpool(
                lambda: accounts.add_grant(engine, user_id, grant, author=author)
            )
        elif action.startswith("revoke:"):
            grant_id = int(action.partition(":")[2])
            await run_in_threadpool(
                lambda: accounts.revoke_grant(engine, user_id, grant_id, author=author)
            )
        elif action in ("activate", "deactivate"):
            await run_in_threadpool(
                lambda: accounts.change_user(
                    engine, user_id, author=author, active=action == "activate"
                )
            )
        elif action == "password":
            password = str(form.get("password", ""))
            await run_in_threadpool(
                lambda: accounts.change_user(engine, user_id, author=author, password=password)
            )
        else:
            raise PageError(422, _("Unknown action."))
    except LookupError as err:
        raise PageError(404, _("No such user or grant.")) from err
    except ValueError as err:
        reason = _(err.reason) if isinstance(err, InvalidValue) else _("choose a role")
        return _users(request, session, 422, errors={f"user{user_id}": reason})
    return _users(request, session, message=_("Saved."))
