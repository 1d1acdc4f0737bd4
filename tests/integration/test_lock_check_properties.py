"""The set-based lock check equals the domain's reference on random ledgers, on both databases.

Each random ledger (grades a scale may not pay, workers the ledger does not list, shifts
outside the period) is written to a fresh database with random scales (none, one for every
operation, one for hewing only), work orders, reviews and disputes; `lock_check.check` must
give the very blockers, in the very order, of `lock_check.reference_check` (decision 0880).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from stakhanov.domain.audit import Decision, FindingKind
from stakhanov.domain.disputes import Subject, Verdict
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.lock_checks import Blocker, BlockKind
from stakhanov.domain.periods import Period
from stakhanov.services import lock_check, read_model, reviews
from stakhanov.store import disputes as dispute_store
from tests.integration.test_engine_close_store import fresh, store  # noqa: F401
from tests.paid_ledgers import PaidCase, paid_cases, scale_texts
from tests.unit.test_engine_close_work_orders import work_orders

pytestmark = pytest.mark.storage


def disputes_in(period: Period) -> st.SearchStrategy[list[tuple[Subject, str, bool]]]:
    """Disputes on shifts (some outside the period, one unknown), on lines of this period's
    slips and of another's, and on a norm; some answered."""
    other = Period(period.start - dt.timedelta(days=30), period.end - dt.timedelta(days=30))
    references = st.one_of(
        st.tuples(st.just(Subject.SHIFT), st.sampled_from(["S0", "S1", "S2", "S3", "S4", "S9"])),
        st.tuples(
            st.just(Subject.PAY_LINE),
            st.sampled_from([f"{period}:piece:S1:hewing", f"{other}:piece:S0:hewing"]),
        ),
        st.tuples(st.just(Subject.NORM), st.just("hewing")),
    )
    return st.lists(
        st.tuples(references, st.booleans()).map(lambda t: (t[0][0], t[0][1], t[1])),
        max_size=4,
    )


def stored_case(engine: Engine, data: st.DataObject, folder: Path) -> PaidCase:
    """A random case written to the engine's database, some findings reviewed and some
    disputes opened (some answered)."""
    case = data.draw(paid_cases(known_workers=data.draw(st.booleans())))
    # No scale (every row unpayable, none blocking), the case's, or one for hewing only.
    choice = data.draw(st.sampled_from(["none", "drawn", "hewing"]))
    if choice != "drawn":
        hewing = 'operations = ["hewing"]\n'
        texts = (data.draw(scale_texts("hewing", hewing)),) if choice == "hewing" else ()
        case = replace(case, scales=(), texts=texts)
    # A worker of a grade no scale pays, or of none.
    regraded = data.draw(st.sampled_from([None, "9", "5"]))
    ledger = case.ledger
    workers = [
        replace(w, grade=regraded) if w.worker_id == "W1" else w for w in ledger.workers.values()
    ]
    ledger = Ledger.of(
        workers,
        ledger.norms,
        ledger.shifts.values(),
        ledger.outputs.values(),
        ledger.crew,
        ledger.time,
        ledger.faults,
    )
    case = replace(case, ledger=ledger)
    orders = data.draw(work_orders(case)) if data.draw(st.booleans()) else []
    store(engine, case, folder, orders)
    read_model.rebuild(engine)  # the ledger was written directly: derive its findings
    period = case.period
    reference = lock_check.reference_check(engine, period)
    findings = [
        b for b in reference.blockers if b.kind not in (BlockKind.UNPAYABLE, BlockKind.DISPUTE)
    ]
    reviewed = (
        data.draw(st.lists(st.sampled_from(findings), max_size=2, unique=True)) if findings else []
    )
    for blocker in reviewed:
        reviews.review(
            engine,
            FindingKind(blocker.kind.value),
            blocker.subject,
            blocker.operation,
            data.draw(st.sampled_from(Decision)),
            "seen",
            "auditor",
        )
    with engine.begin() as connection:
        for subject, reference_text, answered in data.draw(disputes_in(period)):
            made = dispute_store.write_dispute(
                connection, "W1", subject, reference_text, "short", "W1"
            )
            if answered:
                dispute_store.write_answer(
                    connection, made.dispute_id, Verdict.ANSWERED, "weighed", "foreman"
                )
    return case


CASES = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@CASES
@given(st.data())
def test_the_set_based_check_is_the_reference(
    fresh,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
) -> None:  # type: ignore[no-untyped-def]
    with fresh() as engine:
        case = stored_case(engine, data, tmp_path_factory.mktemp("scales"))
        expected = lock_check.reference_check(engine, case.period)
        assert lock_check.check(engine, case.period) == expected
        for b in expected.blockers:
            event(f"{b.kind.value} blocks={b.blocks}")
        # The scale decides: with none, every row of the period is listed and blocks nothing.
        if not case.texts:
            unpaid = [b for b in expected.blockers if b.kind is BlockKind.UNPAYABLE]
            assert all(not b.blocks and b.overridable for b in unpaid)


def searched(data: st.DataObject, found: list[Blocker]) -> list[str]:
    """Up to two words to search for: pieces of the items' words, some in capitals, or bits
    of text that may be in none (LIKE's own % and _ among them)."""
    tokens = [t for b in found for t in b.words.split()]
    words = []
    for _ in range(data.draw(st.integers(0, 2), label="words")):
        if tokens and data.draw(st.booleans()):
            token = data.draw(st.sampled_from(tokens))
            start = data.draw(st.integers(0, len(token) - 1))
            word = token[start : data.draw(st.integers(start + 1, len(token)))]
            words.append(word.upper() if data.draw(st.booleans()) else word)
        else:
            words.append(data.draw(st.text("aW1:_%x", min_size=1, max_size=3)))
    return words


@CASES
@given(st.data())
def test_the_paged_check_is_the_check_cut_in_pages(
    fresh,  # noqa: F811
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
) -> None:  # type: ignore[no-untyped-def]
    """Pages of `lock_check.page`, one after another, are the whole check in its order (and,
    blocking first, the pay page's order), searched as the page searched it, with the whole
    check's counts (decision 0885)."""
    with fresh() as engine:
        period = stored_case(engine, data, tmp_path_factory.mktemp("scales")).period
        whole = lock_check.check(engine, period)
        size = data.draw(st.integers(1, 7), label="page size")
        blocking_first = data.draw(st.booleans(), label="blocking first")
        words = searched(data, whole.blockers)
        ordered = (
            sorted(whole.blockers, key=lambda b: not b.blocks) if blocking_first else whole.blockers
        )
        expected = [b for b in ordered if all(w.casefold() in b.words.casefold() for w in words)]
        pages = [
            lock_check.page(engine, period, offset, size, blocking_first, words)
            for offset in range(0, len(expected) + size, size)  # one page past the end
        ]
        assert [b for p in pages for b in p.blockers] == expected
        assert all(len(p.blockers) <= size for p in pages) and not pages[-1].blockers
        assert {(p.total, p.found, p.blocking, p.clear, p.closed) for p in pages} == {
            (len(whole.blockers), len(expected), len(whole.blocking), whole.clear, whole.closed)
        }
        every = lock_check.page(engine, period, 0, None, blocking_first, words)
        assert every.blockers == expected
        event(f"{len(expected) // size} full pages")
        event(f"searched: {bool(words)}, found {'some' if expected else 'none'}")
        unpaid = [b for b in whole.blockers if b.kind is BlockKind.UNPAYABLE]
        event(f"unpayable items: {bool(unpaid)}, blocking: {any(b.blocks for b in unpaid)}")
