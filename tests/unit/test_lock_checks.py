"""What blocks a lock, and how an override is written on the slip lines it concerns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.disputes import Answer, Dispute, Subject, Verdict
from stakhanov.domain.lock_checks import (
    Blocker,
    BlockKind,
    dispute_blockers,
    overridden,
    unpayable,
)
from stakhanov.domain.payslips import PayLine, PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.scales import ScaleBook
from tests.ledgers import crew, one_shift, stakhanov_shift
from tests.pay import AUGUST, graded, scale

WHEN = dt.datetime(1935, 9, 1, tzinfo=dt.UTC)
SEPTEMBER = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))


def line(key: str, amount: str = "1.00") -> PayLine:
    return PayLine(key.split(":")[0], key, Decimal(1), "t", Decimal(amount), Decimal(amount), "x")


def slip(worker_id: str, *keys: str) -> PaySlip:
    return PaySlip(worker_id, worker_id, "RUB", AUGUST, tuple(line(k) for k in keys))


def test_the_override_marks_the_questioned_shift_lines_of_the_workers_concerned() -> None:
    blocker = Blocker(BlockKind.IMPLAUSIBLE, "S5", ("H3",), "300 t/h", "hewing")
    slips = [
        slip("H3", "piece:S5:hewing", "tier-100:S5:hewing", "piece:S6:a", "piece:S5:timbering"),
        slip("H1", "piece:S5:hewing"),
    ]
    h3, h1 = overridden(slips, [blocker], "weighed again")
    noted = [x.key for x in h3.lines if "override: weighed again" in x.explain]
    assert noted == ["piece:S5:hewing", "tier-100:S5:hewing"]
    assert "paid over open implausible S5 hewing" in h3.lines[0].explain
    assert h1 == slips[1]


@given(st.lists(st.sampled_from(["piece:S1:a", "tier-100:S1:a", "piece:S2:b", "x:1935-08"])))
def test_an_override_never_changes_an_amount_and_nothing_to_override_changes_nothing(
    keys: list[str],
) -> None:
    slips = [slip("A", *keys)]
    blocker = Blocker(BlockKind.POOLED, "S1", ("A",), "pooled")
    marked = overridden(slips, [blocker], "why")
    assert [x.amount for x in marked[0].lines] == [x.amount for x in slips[0].lines]
    assert marked[0].gross == slips[0].gross and marked[0].net == slips[0].net
    assert overridden(slips, [], "why") == slips


def test_a_pay_line_dispute_names_its_line_and_an_answered_one_blocks_nothing() -> None:
    pay_line = Dispute(1, "A", Subject.PAY_LINE, f"{AUGUST}:piece:S1:a", "short", "A", WHEN)
    answered = Dispute(
        2, "A", Subject.SHIFT, "S1", "x", "A", WHEN, (Answer(Verdict.REJECTED, "ok", "f", WHEN),)
    )
    other_month = Dispute(3, "A", Subject.PAY_LINE, f"{SEPTEMBER}:piece:S9:a", "x", "A", WHEN)
    found = dispute_blockers([pay_line, answered, other_month], AUGUST, {"S1"})
    assert [(b.subject, b.line_key) for b in found] == [(pay_line.reference, "piece:S1:a")]
    marked = overridden([slip("A", "piece:S1:a", "piece:S2:a")], found, "r")[0]
    assert ["override" in x.explain for x in marked.lines] == [True, False]


def test_work_no_scale_pays_is_listed_with_its_worker() -> None:
    ledger = one_shift("10", crew("A"), crew("B"))
    book = ScaleBook.of([scale()])
    assert unpayable(graded(ledger), AUGUST, book) == []
    ungraded = unpayable(graded(ledger, "9"), AUGUST, book)
    assert [(b.worker_ids, b.overridable) for b in ungraded] == [(("A",), False), (("B",), False)]
    assert "grade 9 has no tariff" in ungraded[0].message
    uncovered = unpayable(graded(ledger), AUGUST, ScaleBook.of([]))
    assert not uncovered[0].blocks and "no pay scale covers hewing" in uncovered[0].message
    assert ungraded[0].blocks
    assert unpayable(graded(stakhanov_shift(), "9"), SEPTEMBER, book) == []


def _asked_of_every_line(slips: list[PaySlip], blockers: list[Blocker], reason: str) -> list[str]:
    """The definition: every blocker asked of every line, the notes in the blockers' order."""
    return [
        ", ".join(b.label for b in blockers if b.concerns(s.worker_id, x)) + f"|{reason}"
        for s in slips
        for x in (*s.lines, *s.deductions)
    ]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["A", "B", "C"]),
            st.lists(st.sampled_from(["piece:S1:a", "tier-100:S1:a", "piece:S2:b", "x:1"])),
        ),
        unique_by=lambda s: s[0],
    ),
    st.lists(
        st.builds(
            Blocker,
            st.sampled_from(list(BlockKind)),
            st.sampled_from(["S1", "S2", "S3"]),
            st.lists(st.sampled_from(["A", "B", "C", "D"]), min_size=1, max_size=3).map(tuple),
            st.just("m"),
            st.sampled_from([None, "a", "b"]),
            st.sampled_from([None, "piece:S1:a", "x:1"]),
        )
    ),
)
def test_an_override_notes_each_line_as_asking_every_blocker_would(
    drawn: list[tuple[str, list[str]]], blockers: list[Blocker]
) -> None:
    slips = [slip(worker, *keys) for worker, keys in drawn]
    marked = overridden(slips, blockers, "r")
    expected = _asked_of_every_line(slips, blockers, "r")
    found = [
        x.explain.removeprefix("x").removeprefix("; paid over open ").split(" (locked")[0] + "|r"
        for s in marked
        for x in (*s.lines, *s.deductions)
    ]
    assert found == expected
    assert [s.worker_id for s in marked] == [s.worker_id for s in slips]
