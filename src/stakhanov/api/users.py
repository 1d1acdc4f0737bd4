"""Users and their role grants: the admin's work. Every change records who made it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request

from stakhanov.api import convert, models
from stakhanov.api.errors import FieldError, at
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import engine_of, requires
from stakhanov.domain.access import Grant, Permission
from stakhanov.domain.errors import InvalidValue
from stakhanov.services import accounts
from stakhanov.services.accounts import Session

router = APIRouter(route_class=PolicyRoute, tags=["users"])
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
"""Ids are 32-bit integers on every database."""
Admin = Annotated[Session, requires(Permission.MANAGE_USERS, organisation_wide=True)]


def _grant(body: models.GrantIn, where: list[str | int]) -> Grant:
    try:
        return Grant(body.role, body.scope or None)
    except InvalidValue as err:
        raise FieldError([*where, err.field], err.reason) from err


@router.get("/users")
def list_users(session: Admin, request: Request) -> list[models.UserOut]:
    """Every user with their current grants."""
    return [convert.user(a) for a in accounts.accounts(engine_of(request))]


@router.post("/users", status_code=201)
def add_user(body: models.UserIn, session: Admin, request: Request) -> models.UserOut:
    """Create a user. A worker role needs `worker_id`, the worker the user is."""
    grants = [_grant(g, ["body", "grants", i]) for i, g in enumerate(body.grants)]
    try:
        created = accounts.add_user(
            engine_of(request),
            body.username,
            body.password,
            author=session.account.username,
            display_name=body.display_name,
            worker_id=body.worker_id or None,
            grants=grants,
        )
    except InvalidValue as err:
        raise at("body", err) from err
    return convert.user(created)


@router.get("/users/{user_id}")
def get_user(user_id: Id, session: Admin, request: Request) -> models.UserOut:
    found = accounts.account(engine_of(request), user_id)
    if found is None:
        raise LookupError(f"user {user_id}")
    return convert.user(found)


@router.patch("/users/{user_id}")
def change_user(
    user_id: Id, body: models.UserPatch, session: Admin, request: Request
) -> models.UserOut:
    """Reset a password, rename, or deactivate; a reset or deactivation ends their sessions."""
    try:
        changed = accounts.change_user(
            engine_of(request),
            user_id,
            author=session.account.username,
            password=body.password,
            active=body.active,
            display_name=body.display_name,
        )
    except InvalidValue as err:
        raise at("body", err) from err
    return convert.user(changed)


@router.post("/users/{user_id}/grants", status_code=201)
def add_grant(
    user_id: Id, body: models.GrantIn, session: Admin, request: Request
) -> models.UserOut:
    """Grant a role on a subtree of units (no scope: the whole organisation)."""
    try:
        changed = accounts.add_grant(
            engine_of(request), user_id, _grant(body, ["body"]), author=session.account.username
        )
    except InvalidValue as err:
        raise at("body", err) from err
    return convert.user(changed)


@router.delete("/users/{user_id}/grants/{grant_id}")
def revoke_grant(user_id: Id, grant_id: Id, session: Admin, request: Request) -> models.UserOut:
    """Revoke a grant; it is kept with who revoked it and when."""
    return convert.user(
        accounts.revoke_grant(
            engine_of(request), user_id, grant_id, author=session.account.username
        )
    )
