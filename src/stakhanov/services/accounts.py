"""Accounts: users with argon2 password hashes, role grants, sessions with expiry, kiosk PINs.

Login attempts are counted in the database, so the limit holds across processes: too many
failures for one username or from one client in the window refuse further tries for a while.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, Row
from sqlalchemy.exc import IntegrityError

from stakhanov.domain.access import Grant, Permission, Role, allows, scopes
from stakhanov.domain.errors import InvalidValue, Refusal, Refused
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker
from stakhanov.store.accounts import AccountStore, aware
from stakhanov.store.ledger import LedgerStore, now
from stakhanov.store.records import WORKERS

SESSION_HOURS = 12
WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5
MAX_FAILURES_PER_CLIENT = 20
MIN_PASSWORD = 10
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
PIN = re.compile(r"\d{4,8}")

# OWASP's recommended minimum for argon2id: 19 MiB, two passes, one lane.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verifying against this keeps an unknown username as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class AccountError(InvalidValue):
    """A request about accounts that cannot be met; names the field."""


class LoginRefused(Refused):
    """Wrong username or password, or the account is inactive (never says which)."""

    kind = Refusal.UNAUTHORIZED

    def __init__(self) -> None:
        super().__init__("wrong username or password")


class TooManyAttempts(Refused):
    kind = Refusal.LIMITED

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            say("too many failed attempts; try again in %(seconds)s s", seconds=retry_after)
        )
        self.retry_after = retry_after


@dataclass(frozen=True)
class HeldGrant:
    grant_id: int
    grant: Grant
    granted_by: str
    granted_at: dt.datetime


@dataclass(frozen=True)
class Account:
    user_id: int
    username: str
    display_name: str
    worker_id: str | None
    active: bool
    created_by: str
    held: tuple[HeldGrant, ...] = ()
    language: str | None = None  # chosen on a page's selector; None: the browser's

    @property
    def grants(self) -> list[Grant]:
        return [h.grant for h in self.held]

    @property
    def roles(self) -> list[Role]:
        return sorted({g.role for g in self.grants}, key=list(Role).index)

    def allows(self, permission: Permission, unit: str | None = None) -> bool:
        return allows(self.grants, permission, unit)

    def scopes(self, permission: Permission) -> list[str] | None:
        return scopes(self.grants, permission)


@dataclass(frozen=True)
class Session:
    token: str
    csrf_token: str
    expires_at: dt.datetime
    account: Account


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def _verify(stored: str, secret: str) -> bool:
    try:
        return _hasher.verify(stored, secret)
    except (VerificationError, InvalidHashError):
        return False


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _account(store: AccountStore, row: Row[Any]) -> Account:
    held = tuple(
        HeldGrant(g.grant_id, Grant(Role(g.role), g.scope), g.granted_by, aware(g.granted_at))
        for g in store.current_grants([row.user_id])
    )
    return Account(
        row.user_id,
        row.username,
        row.display_name,
        row.worker_id,
        row.active,
        row.created_by,
        held,
        row.language,
    )


def _check_worker(engine: Engine, worker_id: str) -> None:
    with engine.connect() as connection:
        found = LedgerStore(connection).records(WORKERS, Worker, "worker_id", [worker_id])
    if not found:
        raise AccountError("worker_id", worker_id, say("is not a known worker"))


def _check_grants(grants: list[Grant], worker_id: str | None) -> None:
    if any(g.role is Role.WORKER for g in grants) and not worker_id:
        raise AccountError("worker_id", worker_id, say("is required for the worker role"))


def _check_scopes(engine: Engine, grants: list[Grant]) -> None:
    """A scope must be a unit the organisation has, once it has any: a mistyped unit would
    give a role that reaches nothing. (Before the first import, any unit may be named.)"""
    wanted = [g.scope for g in grants if g.scope is not None]
    if not wanted:
        return
    with engine.connect() as connection:
        known = LedgerStore(connection).unit_paths()
    for scope in wanted:
        if known and scope not in known:
            roots = ", ".join(sorted(u for u in known if "/" not in u)[:5])
            raise AccountError(
                "scope",
                scope,
                say(
                    "%(scope)r is not a unit of the organisation (under %(roots)s)",
                    scope=scope,
                    roots=roots,
                ),
            )


def add_user(
    engine: Engine,
    username: str,
    password: str,
    *,
    author: str,
    display_name: str | None = None,
    worker_id: str | None = None,
    grants: list[Grant] | None = None,
) -> Account:
    """Create a user with its grants; the username is unique regardless of case."""
    if not USERNAME.fullmatch(username):
        raise AccountError("username", username, say("use letters, digits, '.', '_' or '-'"))
    check_password(password)
    chosen = grants or []
    _check_grants(chosen, worker_id)
    _check_scopes(engine, chosen)
    if worker_id:
        _check_worker(engine, worker_id)
    at = now()
    try:
        with engine.begin() as connection:
            store = AccountStore(connection)
            if store.user(username=username) is not None:
                raise AccountError("username", username, say("is taken"))
            user_id = store.add_user(
                username=username,
                display_name=(display_name or username).strip() or username,
                password_hash=hash_secret(password),
                worker_id=worker_id or None,
                active=True,
                created_by=author,
                created_at=at,
            )
            for grant in chosen:
                store.add_grant(
                    user_id=user_id,
                    role=grant.role.value,
                    scope=grant.scope,
                    granted_by=author,
                    granted_at=at,
                )
    except IntegrityError as err:
        raise AccountError("username", username, say("is taken")) from err
    found = account(engine, user_id)
    assert found is not None
    return found


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            "password",
            "***",
            say("must be at least %(min_password)s characters", min_password=MIN_PASSWORD),
        )


def account(engine: Engine, user_id: int) -> Account | None:
    with engine.connect() as connection:
        store = AccountStore(connection)
        row = store.user(user_id=user_id)
        return None if row is None else _account(store, row)


def account_named(engine: Engine, username: str) -> Account | None:
    with engine.connect() as connection:
        store = AccountStore(connection)
        row = store.user(username=username)
        return None if row is None else _account(store, row)


def accounts(engine: Engine) -> list[Account]:
    with engine.connect() as connection:
        store = AccountStore(connection)
        return [_account(store, row) for row in store.all_users()]


def change_user(
    engine: Engine,
    user_id: int,
    *,
    author: str,
    password: str | None = None,
    active: bool | None = None,
    display_name: str | None = None,
) -> Account:
    """Reset a password, rename, or (de)activate; either of the first two ends their sessions."""
    values: dict[str, Any] = {}
    if password is not None:
        check_password(password)
        values["password_hash"] = hash_secret(password)
    if active is not None:
        values["active"] = active
    if display_name is not None:
        if not display_name.strip():
            raise AccountError("display_name", display_name, say("is required"))
        values["display_name"] = display_name.strip()
    with engine.begin() as connection:
        store = AccountStore(connection)
        if store.user(user_id=user_id) is None:
            raise LookupError(user_id)
        if values:
            store.change_user(user_id, **values)
        if password is not None or active is False:
            store.end_sessions(user_id=user_id)
    found = account(engine, user_id)
    assert found is not None
    return found


def choose_language(engine: Engine, user_id: int, language: str | None) -> None:
    """The person's own choice of language (None: follow the browser); a choice, not a record,
    so it is set as it is, by him."""
    with engine.begin() as connection:
        AccountStore(connection).change_user(user_id, language=language)


def languages_of(engine: Engine, worker_ids: Iterable[str]) -> dict[str, str]:
    """The language each worker chose on his own account, for the slips printed for him."""
    wanted = set(worker_ids)
    with engine.connect() as connection:
        chosen = AccountStore(connection).chosen_languages()  # the few who chose, not everyone
    return {worker: language for worker, language in chosen.items() if worker in wanted}


def add_grant(engine: Engine, user_id: int, grant: Grant, *, author: str) -> Account:
    found = account(engine, user_id)
    if found is None:
        raise LookupError(user_id)
    _check_grants([grant], found.worker_id)
    _check_scopes(engine, [grant])
    if grant in found.grants:
        raise AccountError("role", grant.role.value, say("is already granted on this scope"))
    with engine.begin() as connection:
        AccountStore(connection).add_grant(
            user_id=user_id,
            role=grant.role.value,
            scope=grant.scope,
            granted_by=author,
            granted_at=now(),
        )
    changed = account(engine, user_id)
    assert changed is not None
    return changed


def revoke_grant(engine: Engine, user_id: int, grant_id: int, *, author: str) -> Account:
    with engine.begin() as connection:
        store = AccountStore(connection)
        row = store.grant(grant_id)
        if row is None or row.user_id != user_id or row.revoked_at is not None:
            raise LookupError(grant_id)
        store.revoke_grant(grant_id, author, now())
    changed = account(engine, user_id)
    assert changed is not None
    return changed


def _refuse_if_limited(store: AccountStore, username: str, client: str, at: dt.datetime) -> None:
    since = at - WINDOW
    if (
        store.failures_since(since, username=username) >= MAX_FAILURES_PER_USER
        or store.failures_since(since, client=client) >= MAX_FAILURES_PER_CLIENT
    ):
        raise TooManyAttempts(int(WINDOW.total_seconds()))


def login(
    engine: Engine, username: str, password: str, client: str, hours: int = SESSION_HOURS
) -> Session:
    """Check the password and open a session; raise LoginRefused or TooManyAttempts."""
    at = now()
    with engine.begin() as connection:
        store = AccountStore(connection)
        _refuse_if_limited(store, username, client, at)
        row = store.user(username=username)
        ok = _verify(row.password_hash if row else _DUMMY_HASH, password)
        ok = ok and row is not None and bool(row.active)
        store.record_attempt(username, client, ok, at)
        if not ok or row is None:
            refused = True
        else:
            refused = False
            token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
            expires = at + dt.timedelta(hours=hours)
            store.end_sessions(expired_by=at)
            store.add_session(
                token_hash=_digest(token),
                user_id=row.user_id,
                csrf_token=csrf,
                created_at=at,
                expires_at=expires,
            )
            opened = Session(token, csrf, expires, _account(store, row))
    # The failed attempt is committed before refusing, so it counts towards the limit.
    if refused:
        raise LoginRefused
    return opened


def session(engine: Engine, token: str) -> Session | None:
    """The live session for a token, or None when unknown, expired or the user is inactive."""
    with engine.connect() as connection:
        store = AccountStore(connection)
        row = store.session(_digest(token))
        if row is None or aware(row.expires_at) <= now():
            return None
        user = store.user(user_id=row.user_id)
        if user is None or not user.active:
            return None
        return Session(token, row.csrf_token, aware(row.expires_at), _account(store, user))


def logout(engine: Engine, token: str) -> None:
    with engine.begin() as connection:
        AccountStore(connection).end_sessions(token_hash=_digest(token))


def set_pin(engine: Engine, worker_id: str, pin: str, *, author: str) -> None:
    """Give a worker without an account a PIN for the kiosk (only its hash is kept)."""
    if not PIN.fullmatch(pin):
        raise AccountError("pin", "***", say("must be 4 to 8 digits"))
    _check_worker(engine, worker_id)
    with engine.begin() as connection:
        AccountStore(connection).set_pin(worker_id, hash_secret(pin), author, now())


def check_pin(engine: Engine, worker_id: str, pin: str, client: str) -> bool:
    """True if the PIN is the worker's; failures count towards the same limit as logins."""
    at = now()
    attempt = f"pin:{worker_id}"
    with engine.begin() as connection:
        store = AccountStore(connection)
        _refuse_if_limited(store, attempt, client, at)
        stored = store.pin_hash(worker_id)
        ok = _verify(stored or _DUMMY_HASH, pin) and stored is not None
        store.record_attempt(attempt, client, ok, at)
    return ok
