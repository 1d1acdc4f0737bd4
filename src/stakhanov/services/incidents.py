"""Safety incidents as imported from incidents.csv (a ledger kind: corrections reverse)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.incidents import Incident
from stakhanov.domain.periods import Period
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import INCIDENTS


def load_incidents(connection: Connection, period: Period | None = None) -> list[Incident]:
    found = LedgerStore(connection).records(INCIDENTS, Incident)
    chosen = [i for i in found if period is None or i.date in period]
    return sorted(chosen, key=lambda i: (i.date, i.incident_id))


def incidents(engine: Engine, period: Period | None = None) -> list[Incident]:
    with engine.connect() as connection:
        return load_incidents(connection, period)


def incident_dict(incident: Incident) -> dict[str, Any]:
    return {
        "incident_id": incident.incident_id,
        "date": incident.date,
        "shift_id": incident.shift_id,
        "worker_ids": list(incident.worker_ids),
        "severity": incident.severity,
        "description": incident.description,
    }
