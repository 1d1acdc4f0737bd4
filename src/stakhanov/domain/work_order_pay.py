"""A work order against the ledger: the work it covers, its fund, its members' hours, the slips.

The rule that nothing is paid twice: the output of a work order's operations, on the shifts of
its unit within its dates, is *covered*. Covered output and its crew leave piece pay (`without`)
and are paid by the fund alone; everyone credited on covered output must be a member (a row in
ktu.csv), so no covered work goes unpaid either. A work order with no operations (a fixed fund,
such as a brigade bonus) covers nothing and is paid on top of piece pay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.errors import InvalidValue, Problem, Refused, Source
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import ExternalBonus
from stakhanov.domain.quantities import conversion_factor
from stakhanov.domain.shifts import Shift
from stakhanov.domain.units import is_within
from stakhanov.domain.wording import say
from stakhanov.domain.work_orders import Member, Participation, Split, WorkOrder, output_fund, split

Pair = tuple[str, str]  # (shift_id, operation)
Tariff = Callable[[WorkOrder, str], Decimal | None]  # a member's tariff when ktu.csv has none


def _shifts(order: WorkOrder, ledger: Ledger) -> set[str]:
    return {
        s.shift_id
        for s in ledger.shifts_between(order.period_start, order.period_end)
        if is_within(s.workplace, order.unit)
    }


def covered(order: WorkOrder, ledger: Ledger) -> set[Pair]:
    """The (shift, operation) pairs whose output the work order pays for."""
    if not order.operations:
        return set()
    shifts = _shifts(order, ledger)
    pairs = {(o.shift_id, o.operation) for o in ledger.outputs.values() if o.shift_id in shifts}
    pairs |= {(c.shift_id, c.operation) for c in ledger.crew if c.shift_id in shifts}
    return {p for p in pairs if p[1] in order.operations}


def covered_pairs(orders: Iterable[WorkOrder], shifts: Iterable[Shift]) -> set[Pair]:
    """Every (shift, operation) a work order covers, whether or not the shift has such work:
    its operations on the shifts of its unit within its dates. Leaving out the entries of
    these pairs leaves out what `covered` finds (the engine's frames do it so)."""
    shifts = list(shifts)
    found: set[Pair] = set()
    for order in orders:
        found |= {
            (s.shift_id, operation)
            for s in shifts
            if order.period_start <= s.date <= order.period_end
            and is_within(s.workplace, order.unit)
            for operation in order.operations
        }
    return found


def without(ledger: Ledger, orders: Iterable[WorkOrder]) -> Ledger:
    """The ledger that piece pay reads: covered output and its crew left out."""
    pairs: set[Pair] = set()
    for order in orders:
        pairs |= covered(order, ledger)
    if not pairs:
        return ledger
    return Ledger(
        ledger.workers,
        ledger.norms,
        ledger.shifts,
        {k: o for k, o in ledger.outputs.items() if (o.shift_id, o.operation) not in pairs},
        tuple(c for c in ledger.crew if (c.shift_id, c.operation) not in pairs),
        ledger.time,
        ledger.faults,
    )


def accepted_output(order: WorkOrder, ledger: Ledger) -> Fraction:
    """The covered accepted output in the work order's measure."""
    assert order.measure is not None
    found = Fraction(0)
    for pair in sorted(covered(order, ledger)):
        output = ledger.outputs.get(pair)
        if output is None:
            continue
        try:
            factor = conversion_factor(output.unit, order.measure)
        except InvalidValue as err:
            raise Refused(
                say(
                    "work order %(work_order)s: shift %(shift)s measured %(measured)s in "
                    "%(unit)r, which does not convert to its measure %(measure)r",
                    work_order=order.work_order,
                    shift=pair[0],
                    measured=pair[1],
                    unit=output.unit,
                    measure=order.measure,
                ),
                field="measure",
            ) from err
        found += Fraction(output.quantity) * Fraction(factor)
    return found


def ledger_hours(order: WorkOrder, ledger: Ledger, worker_id: str) -> Decimal:
    """A member's crew hours on covered output, or with no operations on the unit's shifts."""
    if order.operations:
        pairs = covered(order, ledger)
        entries = [c for c in ledger.crew if (c.shift_id, c.operation) in pairs]
    else:
        shifts = _shifts(order, ledger)
        entries = [c for c in ledger.crew if c.shift_id in shifts]
    return sum((c.hours for c in entries if c.worker_id == worker_id), Decimal(0))


def strangers(order: WorkOrder, ledger: Ledger, members: Sequence[Participation]) -> list[Problem]:
    """Crew on covered output who are not members: they would be paid by no one."""
    ids = {m.worker_id for m in members}
    pairs = covered(order, ledger)
    found = sorted({c.worker_id for c in ledger.crew if (c.shift_id, c.operation) in pairs} - ids)
    return [
        Problem(
            order.origin or Source("work_orders.csv", 0),
            "work_order",
            say(
                "worker %(w)s is credited on output that work order %(work_order)s covers but has "
                "no row in ktu.csv for it; add him (a KTU of 0 pays him nothing)",
                w=w,
                work_order=order.work_order,
            ),
        )
        for w in found
    ]


def settle(
    order: WorkOrder, ledger: Ledger, members: Sequence[Participation], tariff: Tariff
) -> Split:
    """The work order's fund and each member's share; refused if it cannot be split."""
    problems = strangers(order, ledger, members)
    if problems:
        raise Refused(problems=problems)
    if order.fund is not None:
        fund = order.fund.quantize(order.minor_unit)
        how = f"fixed {fund}"
    else:
        fund, how = output_fund(order, accepted_output(order, ledger))
    chosen = [
        Member(
            m.worker_id,
            m.ktu,
            m.hours if m.hours is not None else ledger_hours(order, ledger, m.worker_id),
            m.tariff if m.tariff is not None else tariff(order, m.worker_id),
            m.ktu_reason,
        )
        for m in members
    ]
    try:
        return split(order, fund, how, chosen)
    except InvalidValue as err:
        where = order.origin or Source("work_orders.csv", 0)
        raise Refused(
            problems=[
                Problem(
                    where,
                    err.field,
                    say(
                        "work order %(work_order)s: %(reason)s",
                        work_order=order.work_order,
                        reason=err.reason,
                    ),
                )
            ]
        ) from err


def bonuses(found: Split) -> list[ExternalBonus]:
    """Each share as a line on its member's slip, dated on the work order's last day."""
    order = found.order
    return [
        ExternalBonus(
            share.worker_id,
            order.period_end,
            order.code,
            share.amount,
            order.currency,
            found.explain(share),
            order.work_order,
            "share",
        )
        for share in found.shares
    ]
