"""Work order use cases: settle a work order, its shares as a bonus source of the close, the
ledger piece pay reads without covered work, and the lists for commands and the API.

The close names `work_order_shares` among its sources (services/payroll.py SOURCES): a work
order is paid in the period that holds its last day (`to`). Its covered work leaves piece pay
in whatever period its shifts fall (domain/work_order_pay.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import ExternalBonus
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import shown
from stakhanov.domain.scales import ScaleBook
from stakhanov.domain.shifts import Shift
from stakhanov.domain.wording import say
from stakhanov.domain.work_order_pay import Tariff, bonuses, covered_pairs, settle, without
from stakhanov.domain.work_orders import Participation, Share, Split, WorkOrder
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.payroll import PayStore
from stakhanov.store.records import SHIFTS
from stakhanov.store.work_orders import WorkOrderStore


@dataclass(frozen=True)
class Settled:
    order: WorkOrder
    members: list[Participation]
    split: Split | None
    problem: str | None  # why it cannot be split now (no members yet, no tariff, ...)


def _ledger(connection: Connection, order: WorkOrder) -> Ledger:
    store = LedgerStore(connection)
    shift_ids = store.shift_ids_between(order.period_start, order.period_end)
    return store.snapshot(shift_ids, (order.period_start, order.period_end))


def _tariffs(connection: Connection, ledger: Ledger) -> Tariff:
    scales, _ = PayStore(connection).scales()
    book = ScaleBook.of(scales)

    def tariff(order: WorkOrder, worker_id: str) -> Decimal | None:
        """The worker's grade tariff under the scale of the work order's first operation."""
        worker = ledger.workers.get(worker_id)
        if worker is None or not order.operations:
            return None
        covering = book.covering(order.operations[0], order.period_end)
        return covering[0].tariff(worker.grade) if len(covering) == 1 else None

    return tariff


def settled(connection: Connection, order: WorkOrder, members: list[Participation]) -> Split:
    ledger = _ledger(connection, order)
    return settle(order, ledger, members, _tariffs(connection, ledger))


def work_order_shares(connection: Connection, period: Period) -> list[ExternalBonus]:
    """A bonus source: the shares of every work order whose last day lies in the period."""
    store = WorkOrderStore(connection)
    orders = [o for o in store.orders(period.start, period.end) if o.period_end in period]
    members = store.members(o.work_order for o in orders)
    found: list[ExternalBonus] = []
    for order in orders:
        found += bonuses(settled(connection, order, members[order.work_order]))
    return found


def piece_ledger(connection: Connection, period: Period, ledger: Ledger) -> Ledger:
    """The period's ledger as piece pay reads it: work that work orders pay is left out."""
    return without(ledger, WorkOrderStore(connection).orders(period.start, period.end))


def covered_in(connection: Connection, period: Period) -> set[tuple[str, str]]:
    """The (shift, operation) pairs of the period whose work the work orders pay: the engine's
    frames leave them out as `piece_ledger` leaves out their entries."""
    orders = [
        o for o in WorkOrderStore(connection).orders(period.start, period.end) if o.operations
    ]
    if not orders:
        return set()
    store = LedgerStore(connection)
    ids = store.shift_ids_between(period.start, period.end)
    return covered_pairs(orders, store.records(SHIFTS, Shift, "shift_id", ids))


def listed(engine: Engine, period: Period | None = None) -> list[WorkOrder]:
    with engine.connect() as connection:
        store = WorkOrderStore(connection)
        return store.orders(period.start, period.end) if period else store.orders()


class WorkOrderNotFound(Refused):
    kind = Refusal.NOT_FOUND


def show(engine: Engine, work_order: str) -> Settled:
    """A work order with its members and, where it can be split now, every share."""
    with engine.connect() as connection:
        store = WorkOrderStore(connection)
        order = store.order(work_order)
        if order is None:
            raise WorkOrderNotFound(
                say("no work order %(order)r", order=work_order), field="work_order"
            )
        members = store.members([work_order])[work_order]
        try:
            return Settled(order, members, settled(connection, order, members), None)
        except Refused as err:
            return Settled(order, members, None, "; ".join(err.reasons))


def order_dict(order: WorkOrder) -> dict[str, Any]:
    """A work order as `work-orders list --json` and the API write it (docs/work-orders.md)."""
    return {
        "work_order": order.work_order,
        "unit": order.unit,
        "from": order.period_start,
        "to": order.period_end,
        "operations": list(order.operations),
        "measure": order.measure,
        "rate": order.rate,
        "fund": None if order.fund is None else order.fund.quantize(order.minor_unit),
        "split": order.split.value,
        "currency": order.currency,
        "minor_unit": order.minor_unit,
        "ktu_min": order.ktu_min,
        "ktu_max": order.ktu_max,
        "note": order.note,
    }


def share_dict(found: Split, share: Share) -> dict[str, Any]:
    return {
        "worker_id": share.worker_id,
        "factors": {name.lower(): value for name, value in share.factors},
        "weight": shown(share.weight),
        "exact": shown(share.exact),
        "share": share.amount,
        "explain": found.explain(share),
    }


def settled_dict(done: Settled, worker_id: str | None = None) -> dict[str, Any]:
    """`work-orders show --json`: the work order, its members, and the split (one member's
    share alone when `worker_id` is given: what a worker may see of his brigade's split)."""
    members = [m for m in done.members if worker_id is None or m.worker_id == worker_id]
    found = done.split
    shares = [] if found is None else found.shares
    return {
        **order_dict(done.order),
        "members": [
            {
                "worker_id": m.worker_id,
                "ktu": m.ktu,
                "reason": m.ktu_reason,
                "hours": m.hours,
                "tariff": m.tariff,
            }
            for m in members
        ],
        "settled_fund": None if found is None else found.fund,
        "fund_explain": None if found is None else found.how,
        "total_weight": None if found is None else shown(found.total_weight),
        "shares": [
            share_dict(found, s)
            for s in shares
            if found is not None and (worker_id is None or s.worker_id == worker_id)
        ],
        "problem": done.problem,
    }
