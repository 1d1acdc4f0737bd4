"""A close's spool gives back the slips it kept, in order, with the whole period's totals."""

from __future__ import annotations

from decimal import Decimal

import pytest

from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.payroll import Payroll
from stakhanov.domain.payslips import Digest, PayLine, PaySlip, digest
from stakhanov.services.pay_spool import PartRefused, spooled
from tests.pay import AUGUST


def slip(worker_id: str, amount: str, deduction: str | None = None) -> PaySlip:
    line = PayLine(
        "piece", f"piece:{worker_id}", Decimal(1), "t", Decimal(amount), Decimal(amount), "x"
    )
    taken = (
        ()
        if deduction is None
        else (PayLine("dues", "dues", Decimal(1), "", Decimal(deduction), Decimal(deduction), "d"),)
    )
    return PaySlip(worker_id, worker_id, "RUB", AUGUST, (line,), taken)


def test_the_spool_keeps_every_part_and_the_period_s_totals() -> None:
    first = (slip("A", "10.50", "1.00"), slip("B", "3.25"))
    second = (slip("C", "7.00"),)
    parts = [Payroll(AUGUST, first), Payroll(AUGUST, ()), Payroll(AUGUST, second)]
    with spooled(AUGUST, parts) as spool:
        assert list(spool.slips()) == [*first, *second]
        assert list(spool.slips()) == [*first, *second]  # read again, from the top
        assert (spool.count, spool.lines) == (3, 4)
        assert (spool.gross, spool.net) == (Decimal("20.75"), Decimal("19.75"))
        assert spool.digest == digest((*second, *first))  # the digest sorts by worker


def test_the_streamed_digest_is_the_canonical_one_and_wants_worker_order() -> None:
    slips = [slip("A", "1.00"), slip("B", "2.00")]
    streamed = Digest()
    assert streamed.hexdigest() == digest(())
    for one in slips:
        streamed.add(one)
    assert streamed.hexdigest() == digest(slips)
    with pytest.raises(ValueError, match="worker order"):
        streamed.add(slip("A", "3.00"))


def test_a_part_with_problems_refuses_the_spool() -> None:
    problem = Problem(Source("scale x", 0), "operations", "paid by more than one scale")
    parts = [Payroll(AUGUST, (slip("A", "1.00"),)), Payroll(AUGUST, (), (problem,))]
    with pytest.raises(PartRefused) as refused:
        spooled(AUGUST, parts)
    assert refused.value.problems == [problem]


def test_slips_held_already_are_kept_as_they_are_with_the_same_totals() -> None:
    first = (slip("A", "10.50", "1.00"), slip("B", "3.25"))
    second = (slip("C", "7.00"),)
    parts = [Payroll(AUGUST, first), Payroll(AUGUST, second)]
    with spooled(AUGUST, parts) as disk, spooled(AUGUST, parts, on_disk=False) as held:
        assert disk.on_disk and not held.on_disk
        assert list(held.slips()) == list(disk.slips()) == [*first, *second]
        assert list(held.slips()) == [*first, *second]  # read again, from the top
        totals = ("count", "lines", "adjusted", "gross", "net", "digest")
        assert [getattr(held, t) for t in totals] == [getattr(disk, t) for t in totals]
    assert list(held.slips()) == []  # closed: nothing is kept
