"""Reading and writing accounts on one connection: users, grants, sessions, attempts, PINs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select, update

from stakhanov.store.account_tables import grants, kiosk_pins, login_attempts, sessions, users


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every time stored here is UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class AccountStore:
    """Accounts on one connection (one unit of work)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add_user(self, **values: Any) -> int:
        result = self.connection.execute(insert(users).values(**values))
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    def user(self, *, user_id: int | None = None, username: str | None = None) -> Row[Any] | None:
        query = select(users)
        if user_id is not None:
            query = query.where(users.c.user_id == user_id)
        if username is not None:
            query = query.where(func.lower(users.c.username) == username.lower())
        return self.connection.execute(query).first()

    def all_users(self) -> list[Row[Any]]:
        return list(self.connection.execute(select(users).order_by(users.c.username)))

    def chosen_languages(self) -> dict[str, str]:
        """Worker id -> language, for active workers' accounts with a language chosen."""
        query = select(users.c.worker_id, users.c.language).where(
            users.c.worker_id.is_not(None), users.c.language.is_not(None), users.c.active
        )
        return {str(row.worker_id): str(row.language) for row in self.connection.execute(query)}

    def change_user(self, user_id: int, **values: Any) -> None:
        self.connection.execute(update(users).where(users.c.user_id == user_id).values(**values))

    def add_grant(self, **values: Any) -> int:
        result = self.connection.execute(insert(grants).values(**values))
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    def current_grants(self, user_ids: list[int] | None = None) -> list[Row[Any]]:
        query = select(grants).where(grants.c.revoked_at.is_(None)).order_by(grants.c.grant_id)
        if user_ids is not None:
            query = query.where(grants.c.user_id.in_(user_ids))
        return list(self.connection.execute(query))

    def revoke_grant(self, grant_id: int, by: str, at: dt.datetime) -> bool:
        result = self.connection.execute(
            update(grants)
            .where(grants.c.grant_id == grant_id, grants.c.revoked_at.is_(None))
            .values(revoked_by=by, revoked_at=at)
        )
        return bool(result.rowcount)

    def grant(self, grant_id: int) -> Row[Any] | None:
        return self.connection.execute(select(grants).where(grants.c.grant_id == grant_id)).first()

    def add_session(self, **values: Any) -> None:
        self.connection.execute(insert(sessions).values(**values))

    def session(self, token_hash: str) -> Row[Any] | None:
        query = select(sessions).where(sessions.c.token_hash == token_hash)
        return self.connection.execute(query).first()

    def end_sessions(
        self,
        *,
        token_hash: str | None = None,
        user_id: int | None = None,
        expired_by: dt.datetime | None = None,
    ) -> None:
        query = delete(sessions)
        if token_hash is not None:
            query = query.where(sessions.c.token_hash == token_hash)
        if user_id is not None:
            query = query.where(sessions.c.user_id == user_id)
        if expired_by is not None:
            query = query.where(sessions.c.expires_at <= expired_by)
        self.connection.execute(query)

    def record_attempt(self, username: str, client: str, succeeded: bool, at: dt.datetime) -> None:
        self.connection.execute(
            insert(login_attempts).values(
                username=username.lower()[:100], client=client[:100], succeeded=succeeded, at=at
            )
        )

    def failures_since(
        self, since: dt.datetime, *, username: str | None = None, client: str | None = None
    ) -> int:
        query = (
            select(func.count())
            .select_from(login_attempts)
            .where(login_attempts.c.at > since, login_attempts.c.succeeded.is_(False))
        )
        if username is not None:
            query = query.where(login_attempts.c.username == username.lower()[:100])
        if client is not None:
            query = query.where(login_attempts.c.client == client[:100])
        return int(self.connection.scalar(query) or 0)

    def set_pin(self, worker_id: str, pin_hash: str, by: str, at: dt.datetime) -> None:
        self.connection.execute(delete(kiosk_pins).where(kiosk_pins.c.worker_id == worker_id))
        self.connection.execute(
            insert(kiosk_pins).values(worker_id=worker_id, pin_hash=pin_hash, set_by=by, set_at=at)
        )

    def pin_hash(self, worker_id: str) -> str | None:
        query = select(kiosk_pins.c.pin_hash).where(kiosk_pins.c.worker_id == worker_id)
        value = self.connection.scalar(query)
        return None if value is None else str(value)
