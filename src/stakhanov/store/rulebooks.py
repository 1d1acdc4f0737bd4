"""Imported rulebooks, kept as the TOML text they came in, one row per version."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from stakhanov.store.ledger import now
from stakhanov.store.recognition_tables import rulebooks


@dataclass(frozen=True)
class RulebookText:
    text: str
    source: str | None


def highest(connection: Connection) -> RulebookText | None:
    """The imported rulebook of the highest version (the later of equals), or None."""
    row = connection.execute(
        select(rulebooks).order_by(rulebooks.c.version.desc(), rulebooks.c.rulebook_id.desc())
    ).first()
    return None if row is None else RulebookText(row.text, row.source)


def of_version(connection: Connection, version: int) -> RulebookText | None:
    row = connection.execute(select(rulebooks).where(rulebooks.c.version == version)).first()
    return None if row is None else RulebookText(row.text, row.source)


def write(
    connection: Connection, name: str, version: int, text: str, source: str, author: str
) -> None:
    connection.execute(
        insert(rulebooks).values(
            name=name,
            version=version,
            text=text,
            source=source,
            author=author,
            written_at=now(),
        )
    )
