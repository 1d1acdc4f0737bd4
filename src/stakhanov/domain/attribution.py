"""Who produced what: credits per worker, the exact split, and the crew behind each result.

Conservation is the invariant here: the credits of a shift and measured operation add up
exactly to its measured accepted quantity, so no tonne is lost and none is invented.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import ASSIST, Norm
from stakhanov.domain.shifts import Shift

POOLED_SHARE = Fraction(1, 10)


def quantum_of(total: Decimal) -> Decimal:
    """The last written digit of a quantity: '50' splits into units, '50.0' into tenths."""
    exponent = total.as_tuple().exponent
    assert isinstance(exponent, int), "quantities are finite"
    return Decimal(1).scaleb(min(exponent, 0))


def split_exact(total: Decimal, weights: Sequence[Decimal | Fraction]) -> list[Decimal]:
    """Split total in proportion to weights, exactly, at the precision total is written with.

    Largest remainder: everyone gets the floor of their quota in quanta, and the quanta left
    over go to the largest fractional remainders, ties to the earliest row.
    """
    if total < 0:
        raise InvalidValue("quantity", total, "must not be negative")
    if any(w < 0 for w in weights):
        raise InvalidValue("coefficient", min(weights), "must not be negative")
    weight_sum = sum((Fraction(w) for w in weights), Fraction(0))
    if weight_sum == 0:
        raise InvalidValue("coefficient", "0", "hours x coefficient add up to zero")
    quantum = quantum_of(total)
    units = int(total / quantum)
    quotas = [Fraction(units) * Fraction(w) / weight_sum for w in weights]
    floors = [int(q) for q in quotas]
    left_over = units - sum(floors)
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - floors[i]), i))
    for i in by_remainder[:left_over]:
        floors[i] += 1
    return [(quantum * n).quantize(quantum) for n in floors]


@dataclass(frozen=True)
class Credit:
    """A worker's resolved part of a shift's measured output."""

    entry: CrewEntry
    quantity: Decimal

    @property
    def worker_id(self) -> str:
        return self.entry.worker_id

    @property
    def hours(self) -> Decimal:
        return self.entry.hours


def credits_for(output: MeasuredOutput, entries: Sequence[CrewEntry]) -> list[Credit]:
    """Resolve the credits of one shift and measured operation.

    Given credits are taken as they are (their conservation is checked elsewhere); when none is
    given the quantity is split by hours x coefficient.
    """
    if not entries:
        return []
    if all(e.credited is None for e in entries):
        parts = split_exact(output.quantity, [e.weight for e in entries])
        return [Credit(e, part) for e, part in zip(entries, parts, strict=True)]
    return [Credit(e, e.credited if e.credited is not None else Decimal(0)) for e in entries]


@dataclass(frozen=True)
class CrewGroup:
    """Everyone whose work a measured result contains.

    `doers` are credited on the measured operation itself; `helpers` did work its norm
    includes (timbering in the hewing norm) or assisted. Helpers make the result assisted.
    """

    shift: Shift
    output: MeasuredOutput
    norm: Norm | None
    doers: tuple[Credit, ...]
    helpers: tuple[CrewEntry, ...]

    @property
    def operation(self) -> str:
        return self.output.operation

    @property
    def assisted(self) -> bool:
        return bool(self.helpers)

    @property
    def crew_hours(self) -> Decimal:
        return sum((c.hours for c in self.doers), Decimal(0)) + sum(
            (h.hours for h in self.helpers), Decimal(0)
        )

    def pooling(self) -> tuple[list[str], list[str]]:
        """(beneficiaries, donors) when output was pooled onto someone, else two empty lists.

        Pooled: a worker was credited less than a tenth of their hours share while another was
        credited more than their own share.
        """
        if len(self.doers) < 2:  # one worker cannot pool onto themself
            return [], []
        hours = sum((Fraction(c.hours) for c in self.doers), Fraction(0))
        quantity = Fraction(self.output.quantity)
        if hours == 0 or quantity == 0:
            return [], []

        def share(credit: Credit) -> Fraction:
            return quantity * Fraction(credit.hours) / hours

        donors = [c.worker_id for c in self.doers if Fraction(c.quantity) < POOLED_SHARE * share(c)]
        beneficiaries = [c.worker_id for c in self.doers if Fraction(c.quantity) > share(c)]
        if donors and beneficiaries:
            return beneficiaries, donors
        return [], []

    @property
    def pooled(self) -> bool:
        return bool(self.pooling()[0])


def crew_groups(ledger: Ledger, shift: Shift) -> list[CrewGroup]:
    """One group per measured operation of the shift, in operation order."""
    entries = ledger.crew_of(shift.shift_id)
    groups = []
    for output in sorted(ledger.outputs_of(shift.shift_id), key=lambda o: o.operation):
        norm = ledger.norms.in_force(output.operation, shift.date)
        included = set(norm.includes) if norm else set()
        doers = [e for e in entries if e.operation == output.operation]
        helpers = tuple(e for e in entries if e.operation in included or e.operation == ASSIST)
        groups.append(CrewGroup(shift, output, norm, tuple(credits_for(output, doers)), helpers))
    return groups
