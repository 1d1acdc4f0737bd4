"""The work orders repository: work orders and their members' KTU as domain values."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import Connection

from stakhanov.domain.work_orders import Participation, WorkOrder
from stakhanov.store.ledger import current_query
from stakhanov.store.records import KTU, WORK_ORDERS
from stakhanov.store.work_order_tables import ktu_entries, work_order_entries


class WorkOrderStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def orders(self, start: dt.date | None = None, end: dt.date | None = None) -> list[WorkOrder]:
        """Current work orders, those sharing a day with start..end when given, by id."""
        query = current_query(WORK_ORDERS)
        if end is not None:
            query = query.where(work_order_entries.c.period_start <= end)
        if start is not None:
            query = query.where(work_order_entries.c.period_end >= start)
        found = [WORK_ORDERS.from_row(row) for row in self.connection.execute(query)]
        return sorted((o for o in found if isinstance(o, WorkOrder)), key=lambda o: o.work_order)

    def order(self, work_order: str) -> WorkOrder | None:
        query = current_query(WORK_ORDERS).where(work_order_entries.c.work_order == work_order)
        row = self.connection.execute(query).first()
        found = WORK_ORDERS.from_row(row) if row is not None else None
        return found if isinstance(found, WorkOrder) else None

    def members(self, work_orders: Iterable[str]) -> dict[str, list[Participation]]:
        """Each work order's KTU rows."""
        ids = sorted(set(work_orders))
        found: dict[str, list[Participation]] = {i: [] for i in ids}
        if not ids:
            return found
        query = current_query(KTU).where(ktu_entries.c.work_order.in_(ids))
        for row in self.connection.execute(query):
            member = KTU.from_row(row)
            if isinstance(member, Participation):
                found[member.work_order].append(member)
        return found
