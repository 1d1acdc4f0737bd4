"""Brigade work orders, read: `stakhanov work-orders list|show` over HTTP.

The accountant (and the director) see every share of a work order in their scope; the foreman
sees the work orders of his units with their members' KTU, hours and weights, but no money (he
sees no pay); a worker sees his own share of a work order he is a member of.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request

from stakhanov.api.params import period
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import engine_of, forbidden, own_worker, requires
from stakhanov.domain.access import Permission
from stakhanov.domain.periods import Period
from stakhanov.services import work_orders
from stakhanov.services.accounts import Account, Session

router = APIRouter(route_class=PolicyRoute, tags=["work orders"])
Reader = Annotated[Session, requires(Permission.VIEW_PAY, Permission.ENTER_SHIFTS)]
WorkOrderId = Annotated[str, Path(min_length=1, max_length=100)]
MONEY = ("settled_fund", "fund_explain", "shares")


def _sees(account: Account, unit: str) -> bool:
    return any(account.allows(p, unit) for p in (Permission.VIEW_PAY, Permission.ENTER_SHIFTS))


@router.get("/work-orders")
def listed(
    session: Reader, request: Request, chosen: Annotated[Period, Depends(period)]
) -> list[dict[str, Any]]:
    """Work orders of units in your scope (with a period: those sharing a day with it)."""
    found = work_orders.listed(engine_of(request), chosen)
    return [work_orders.order_dict(o) for o in found if _sees(session.account, o.unit)]


@router.get("/work-orders/{work_order}", responses={403: {}, 404: {}})
def shown(work_order: WorkOrderId, session: Reader, request: Request) -> dict[str, Any]:
    """A work order, its members' KTU and, with the right to see pay, the fund and each share."""
    done = work_orders.show(engine_of(request), work_order)
    account = session.account
    if not _sees(account, done.order.unit):
        raise forbidden(f"outside your scope: {done.order.unit}")
    found = work_orders.settled_dict(done)
    if not account.allows(Permission.VIEW_PAY, done.order.unit):
        found.update(dict.fromkeys(MONEY))
        found["shares"] = []
    return found


@router.get("/me/work-orders/{work_order}", responses={403: {}, 404: {}})
def mine(
    work_order: WorkOrderId,
    session: Annotated[Session, requires(Permission.VIEW_OWN)],
    request: Request,
) -> dict[str, Any]:
    """Your own share of a work order you are a member of, explained."""
    worker_id = own_worker(session)
    done = work_orders.show(engine_of(request), work_order)
    if all(m.worker_id != worker_id for m in done.members):
        raise LookupError(f"you are not a member of work order {work_order}")
    return work_orders.settled_dict(done, worker_id)
