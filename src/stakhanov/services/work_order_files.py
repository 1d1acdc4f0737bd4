"""work_orders.csv and ktu.csv: their rows, and their checks against the ledger and each other.

parsing.py registers them as files of import format v1; this module holds only their rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from stakhanov.domain.errors import InvalidValue, Problem
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.periods import parse_date
from stakhanov.domain.units import parse_path
from stakhanov.domain.values import require_non_negative, require_positive
from stakhanov.domain.wording import say
from stakhanov.domain.work_orders import Participation, SplitRule, WorkOrder

if TYPE_CHECKING:
    from stakhanov.services.parsing import Row

CENT = Decimal("0.01")

WORK_ORDER_COLUMNS = (
    "work_order",
    "unit",
    "from",
    "to",
    "operations",
    "measure",
    "rate",
    "fund",
    "split",
    "currency",
    "minor_unit",
    "ktu_min",
    "ktu_max",
    "note",
)
WORK_ORDER_REQUIRED = ("work_order", "unit", "from", "to", "split", "currency")
KTU_COLUMNS = ("work_order", "worker_id", "ktu", "reason", "hours", "tariff")
KTU_REQUIRED = ("work_order", "worker_id", "ktu")


def parse_work_order(row: Row) -> WorkOrder | None:
    operations_text = row.text("operations") or ""
    operations = tuple(part.strip() for part in operations_text.split(";") if part.strip())
    values = {
        "work_order": row.text("work_order", True),
        "unit": row.convert("unit", parse_path, True),
        "period_start": row.convert("from", parse_date, True),
        "period_end": row.convert("to", parse_date, True),
        "split": row.choice("split", SplitRule),
        "currency": row.text("currency", True),
    }
    if row.text("split") is None:
        options = ", ".join(r.value for r in SplitRule)
        row.problems.append(
            Problem(row.source, "split", say("is required (%(options)s)", options=options))
        )
    rate = row.number_("rate", check=require_non_negative)
    fund = row.number_("fund", check=require_non_negative)
    minor = row.number_("minor_unit", check=require_positive) or CENT
    low = row.number_("ktu_min", check=require_non_negative)
    high = row.number_("ktu_max", check=require_non_negative)
    if any(v is None for v in values.values()):
        return None
    if fund is not None and fund % minor:
        raise InvalidValue(
            "fund", fund, say("is not a whole number of the minor unit %(minor)s", minor=minor)
        )
    return WorkOrder(
        operations=operations,
        measure=row.text("measure"),
        rate=rate,
        fund=fund,
        minor_unit=minor,
        ktu_min=low,
        ktu_max=high,
        note=row.text("note"),
        origin=row.source,
        **values,
    )


def parse_participation(row: Row) -> Participation | None:
    values = (
        row.text("work_order", True),
        row.text("worker_id", True),
        row.number_("ktu", True, require_non_negative),
    )
    reason = row.text("reason")
    hours = row.hours_("hours", check=require_positive)
    tariff = row.number_("tariff", check=require_positive)
    if None in values:
        return None
    return Participation(*values, reason, hours, tariff, origin=row.source)  # type: ignore[arg-type]


def check_work_orders(records: list[Any], _ledger: Ledger, units: set[str]) -> list[Problem]:
    return [
        Problem(order.origin, "unit", say("unknown unit %(unit)r", unit=order.unit))
        for order in records
        if order.unit not in units
    ]


def check_participation(records: list[Any], ledger: Ledger, _units: set[str]) -> list[Problem]:
    return [
        Problem(p.origin, "worker_id", say("unknown worker %(worker_id)r", worker_id=p.worker_id))
        for p in records
        if p.worker_id not in ledger.workers
    ]


def check_members(
    orders: Sequence[WorkOrder],
    members: Sequence[Participation],
    new_orders: Sequence[WorkOrder],
    new_members: Sequence[Participation],
) -> list[Problem]:
    """KTU rows against their work orders as the batch would leave them (`orders`, `members`):
    a new KTU row names a known work order within its bounds; a changed work order's bounds
    hold for the KTU rows it already has."""
    by_id = {o.work_order: o for o in orders}
    problems = []
    for member in new_members:
        order = by_id.get(member.work_order)
        if order is None:
            message = say("unknown work order %(work_order)r", work_order=member.work_order)
            problems.append(Problem(member.origin, "work_order", message))
        elif (why := order.bounds_problem(member.ktu)) is not None:
            problems.append(Problem(member.origin, "ktu", why))
    checked = {id(m) for m in new_members}
    for order in new_orders:
        for member in members:
            if member.work_order != order.work_order or id(member) in checked:
                continue
            if (why := order.bounds_problem(member.ktu)) is not None:
                problems.append(
                    Problem(
                        order.origin,
                        "ktu_min",
                        say("%(worker_id)s: %(why)s", worker_id=member.worker_id, why=why),
                    )
                )
    return problems
