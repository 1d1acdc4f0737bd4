"""Workers' choices to appear on public boards or not: appended; the latest one counts."""

from __future__ import annotations

from sqlalchemy import Connection, insert, select

from stakhanov.store.ledger import now
from stakhanov.store.recognition_tables import board_preferences


def opted_out(connection: Connection) -> set[str]:
    """Workers whose latest preference keeps them off public boards."""
    latest: dict[str, bool] = {}
    query = select(board_preferences).order_by(board_preferences.c.preference_id)
    for row in connection.execute(query):
        latest[row.worker_id] = bool(row.public)
    return {worker for worker, public in latest.items() if not public}


def write_preference(
    connection: Connection, worker_id: str, public: bool, by: str, reason: str | None
) -> None:
    connection.execute(
        insert(board_preferences).values(
            worker_id=worker_id, public=public, reason=reason, by=by, written_at=now()
        )
    )
