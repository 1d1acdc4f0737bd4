"""The server's own keys, made at random the first time one is asked for and kept since."""

from __future__ import annotations

import secrets

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from stakhanov.store.account_tables import server_keys
from stakhanov.store.ledger import now


def key(connection: Connection, name: str) -> bytes:
    """The named key; two servers asking for it first at once agree on the one kept."""
    query = select(server_keys.c.secret).where(server_keys.c.name == name)
    found = connection.scalar(query)
    if found is None:
        try:
            with connection.begin_nested():
                made = secrets.token_hex(32)
                connection.execute(
                    insert(server_keys).values(name=name, secret=made, made_at=now())
                )
        except IntegrityError:
            pass  # another made it meanwhile: read theirs
        found = connection.scalar(query)
    return bytes.fromhex(str(found))
