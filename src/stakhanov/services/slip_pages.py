"""The pay page's slip list, a page at a time (decision 0875).

A closed period's list is its locked slips read from the store: scoped, searched, sorted,
counted, totalled and cut in SQL. An open period's list is the workers it pays, read the same
way, and the page's slips are computed for the page's workers alone; its totals and its sorts
by amount need every slip, which only a background computation (services/pay_totals.py)
gives, so they wait for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import Problem
from stakhanov.domain.payslips import PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.slip_lists import SlipHead, Totals, paying, sorted_by, totals
from stakhanov.services import payroll
from stakhanov.services.pay_totals import Computation
from stakhanov.store import slip_pages
from stakhanov.store.payroll import ClosedPeriod, PayStore
from stakhanov.store.slip_pages import MONEY, Scope


@dataclass(frozen=True)
class Asked:
    """What the reader asked of the list: a search, a sort, a direction, a window."""

    search: str = ""
    sort: str = "worker"
    descending: bool = False
    limit: int = 50
    page: int = 1  # 1-based; past the last page, the last

    def offset(self, found: int) -> tuple[int, int]:
        """The page that exists and where it starts, among `found` slips."""
        page = min(self.page, max(1, -(-found // self.limit)))
        return page, (page - 1) * self.limit


@dataclass
class SlipList:
    """One page of the slips found, with the counts and, once known, the totals."""

    rows: list[SlipHead]
    found: int  # slips the search finds
    everyone: int  # slips in the reader's scope
    totals: list[Totals] | None  # None: an open period's are being computed
    page: int = 1
    problems: list[Problem] = field(default_factory=list)
    sorted_as_asked: bool = True  # False: by worker, until the amounts are computed


def closed_list(engine: Engine, closed: ClosedPeriod, scope: Scope, asked: Asked) -> SlipList:
    with engine.connect() as connection:
        found = _closed_count(connection, closed, scope, asked.search)
        everyone = _closed_count(connection, closed, scope, "") if asked.search else found
        page, start = asked.offset(found)
        rows = list(
            slip_pages.closed_page(
                connection,
                closed.period_id,
                scope,
                asked.search,
                asked.sort,
                asked.descending,
                asked.limit,
                start,
            )
        )
        sums = slip_pages.closed_totals(connection, closed.period_id, scope, asked.search)
    return SlipList(rows, found, everyone, sums, page=page)


def closed_heads(engine: Engine, period: Period) -> tuple[ClosedPeriod, list[SlipHead]] | None:
    """A closed period's every slip as its list shows it, read from the store as they come,
    without a line (None: the period is open)."""
    with engine.connect() as connection:
        closed = next((c for c in PayStore(connection).periods() if c.period == period), None)
        if closed is None:
            return None
        found = slip_pages.closed_page(connection, closed.period_id, None, "", "worker", False)
        return closed, list(found)


def _closed_count(connection: Connection, closed: ClosedPeriod, scope: Scope, text: str) -> int:
    return slip_pages.count(connection, slip_pages.closed_query(closed.period_id, scope, text))


def open_list(
    engine: Engine,
    period: Period,
    scope: Scope,
    asked: Asked,
    computation: Computation | None,
) -> SlipList:
    """The page's workers' slips computed for them alone; the totals and a sort by amount
    from the computation of every slip once it has finished."""
    done = computation if computation is not None and not computation.running else None
    with engine.connect() as connection:
        inputs = payroll.pay_inputs(connection, period)
        query = _open_query(period, inputs, scope, asked.search)
        found = slip_pages.count(connection, query)
        everyone = found
        if asked.search:
            unsearched = _open_query(period, inputs, scope, "")
            everyone = slip_pages.count(connection, unsearched)
        page, start = asked.offset(found)
        by_amount = asked.sort in MONEY
        mine = set(slip_pages.worker_ids(connection, query, "worker", False)) if done else set()
        heads = [h for h in done.slips if h.worker_id in mine] if done else []
        if by_amount and done is not None:
            ordered = sorted_by(heads, asked.sort, asked.descending)
            return SlipList(
                ordered[start : start + asked.limit],
                found,
                everyone,
                totals(heads),
                page=page,
                problems=list(done.problems),
            )
        descending = asked.descending and not by_amount
        sort = "worker" if by_amount else asked.sort
        ids = slip_pages.worker_ids(connection, query, sort, descending, asked.limit, start)
        # No worker on the page (none found): nothing to compute, not the whole period.
        computed = payroll.compute(connection, period, workers=ids, inputs=inputs) if ids else None
    slips = {s.worker_id: SlipHead.of(s) for s in computed.slips} if computed else {}
    problems = list(computed.problems) if computed else []
    problems = problems or (list(done.problems) if done else [])
    return SlipList(
        [slips[i] for i in ids if i in slips],
        found,
        everyone,
        totals(heads) if done else None,
        page=page,
        problems=problems,
        sorted_as_asked=not by_amount,
    )


def _open_query(
    period: Period,
    inputs: payroll.PayInputs,
    scope: Scope,
    search: str,
) -> slip_pages.WorkerQuery:
    book, bonuses, adjustments, _ = inputs
    others = sorted({b.worker_id for b in bonuses if b.date in period} | set(adjustments))
    return slip_pages.open_workers(paying(book, period), others, scope, search)


def exported(
    engine: Engine, period: Period, closed: ClosedPeriod | None, scope: Scope, asked: Asked
) -> Iterator[SlipHead]:
    """Every slip found, in the order asked, as they are read: a closed period's from the
    store, an open period's computed whole first (a download may take its time)."""
    with engine.connect() as connection:
        if closed is not None:
            yield from slip_pages.closed_page(
                connection, closed.period_id, scope, asked.search, asked.sort, asked.descending
            )
            return
        inputs = payroll.pay_inputs(connection, period)
        query = _open_query(period, inputs, scope, asked.search)
        mine = set(slip_pages.worker_ids(connection, query, "worker", False))
        every = payroll.compute(connection, period, inputs=inputs)
    found = [SlipHead.of(s) for s in every.slips if s.worker_id in mine]
    yield from sorted_by(found, asked.sort, asked.descending)


def slip(engine: Engine, period: Period, scope: Scope, worker_id: str) -> PaySlip | None:
    """One worker's slip in full (locked, or computed for him alone), if he is in the scope."""
    with engine.connect() as connection:
        if not slip_pages.in_scope(connection, worker_id, scope):
            return None
    return next(iter(payroll.slips(engine, period, worker_id).slips), None)
