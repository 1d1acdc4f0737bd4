"""Read-side use cases seen through a person's scope: only the units they may see.

`subtrees` is always the list of unit subtrees a person may see, or None for everywhere;
an empty list sees nothing. Helpers such as the daily trend add up earned standard hours
across operations, which is sound because standard hours are the common measure of work.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from stakhanov.domain.access import within_any
from stakhanov.domain.attribution import crew_groups
from stakhanov.domain.audit import Finding, review_of
from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.fulfilment import Grouping, Result
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.mentoring import Mentorship
from stakhanov.domain.norms import Norm
from stakhanov.domain.numbers import shown_sum
from stakhanov.domain.periods import Period
from stakhanov.domain.provenance import Provenance
from stakhanov.domain.records import in_crew
from stakhanov.domain.rounding import percent_or_none, ratio_percent
from stakhanov.domain.shifts import Shift
from stakhanov.domain.units import ancestors
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker
from stakhanov.services import (
    audit_queue,
    claims,
    competitions,
    mentoring,
    read_model,
    read_sums,
    reports,
    reviews,
    unit_sums,
)
from stakhanov.store import overview
from stakhanov.store import read_findings as stored_findings
from stakhanov.store import unit_sums as unit_store
from stakhanov.store import worker_sums as worker_store
from stakhanov.store.db import Source, reading
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import NORMS, PROVENANCE, SHIFTS, WORKERS

Subtrees = list[str] | None


def fulfilment(
    engine: Source,
    period: Period,
    grouping: Grouping,
    subtrees: Subtrees,
    unit: str | None = None,
) -> list[reports.FulfilmentRow]:
    """Fulfilment of the workers one may see; unit roll-ups stop at the top of one's scope.
    By unit, whole months read the kept unit sums of the units within one's scopes, however
    many (decision 0904)."""
    chosen = _narrowed(subtrees, unit)
    if grouping is not Grouping.UNIT:
        return reports.fulfilment(engine, period, grouping, chosen)
    kept = read_model.units_within(engine, period, chosen)
    if kept is not None:
        rows = [reports.FulfilmentRow(grouping, f) for f in kept]
    else:
        rows = reports.fulfilment(engine, period, grouping, chosen)
    return [r for r in rows if within_any(r.fulfilment.group[0], chosen)]


def _narrowed(subtrees: Subtrees, unit: str | None) -> Subtrees:
    """The subtrees to show: one's scope, or the unit asked for (already checked to be in it)."""
    return [unit] if unit else subtrees


@dataclass(frozen=True)
class Total:
    """Fulfilment of everything under one key (a day, a unit), over all operations."""

    key: Any
    hours: Decimal
    percent: Decimal | None
    fair_percent: Decimal | None

    @property
    def date(self) -> dt.date:
        assert isinstance(self.key, dt.date)
        return self.key


TrendPoint = Total


def totals(found: Iterable[Result], keys: Callable[[Result], Iterable[Any]]) -> list[Total]:
    """Sum hours, earned and fair standard hours per key; percentages only at the end."""
    sums: dict[Any, tuple[Decimal, Fraction, Fraction]] = {}
    for result in found:
        if result.earned is None or result.fair_earned is None:
            continue
        for key in keys(result):
            hours, earned, fair = sums.get(key, (Decimal(0), Fraction(0), Fraction(0)))
            sums[key] = (hours + result.hours, earned + result.earned, fair + result.fair_earned)
    return [total(key, hours, earned, fair) for key, (hours, earned, fair) in sorted(sums.items())]


def total(key: Any, hours: Decimal, earned: Fraction, fair: Fraction) -> Total:
    """A key's total from its exact sums: the hours as a sum is shown, the percentages once."""
    return Total(key, shown_sum(hours), ratio_percent(earned, hours), ratio_percent(fair, hours))


def trend(
    engine: Source,
    period: Period,
    subtrees: Subtrees,
    unit: str | None = None,
    worker_id: str | None = None,
) -> list[Total]:
    """Fulfilment per day (stated and fair), summing both sides of the ratio."""
    within = _narrowed(subtrees, unit)
    if worker_id is None:  # a row per day from each unit's day totals
        with reading(engine) as connection:
            return _finished(unit_sums.day_totals(connection, period.start, period.end, within))
    sums = read_model.day_sums(engine, period, within, worker_id)
    if sums is not None:
        return _finished(sums)
    found = read_model.stored_results(engine, period, within, worker_id)
    return totals(found, lambda r: [r.date])


def _finished(sums: read_model.Sums) -> list[Total]:
    return [total(key, hours, earned, fair) for key, hours, earned, fair in sums]


def unit_totals(engine: Source, period: Period, subtrees: Subtrees) -> list[Total]:
    """Fulfilment of every unit one may see, over all operations, rolled up the tree."""

    def keys(home: str) -> list[str]:
        return [u for u in ancestors(home) if within_any(u, subtrees)]

    sums = read_model.unit_sums(engine, period, subtrees, keys)
    if sums is not None:
        return _finished(sums)
    found = read_model.stored_with_homes(engine, period, subtrees)
    homes = {r.worker_id: home for r, home in found}
    return totals((r for r, _ in found), lambda r: keys(homes[r.worker_id]))


@dataclass(frozen=True)
class Page:
    """One page of a long list: words to search, a column to sort by, its number and size."""

    search: str = ""
    sort: str = ""
    descending: bool = False
    number: int = 1
    per_page: int = 50


@dataclass(frozen=True)
class Found:
    """A page's rows, and how many rows the whole list has after the search."""

    rows: list[dict[str, Any]]
    total: int


def unit_page(engine: Source, period: Period, subtrees: Subtrees, page: Page) -> Found | None:
    """A page of `unit_totals` (dicts: unit, hours, percent, fair_percent), searched, sorted
    and counted in SQL from the unit sums; None where the period is not one whole month."""
    month = _one_month(period)
    if month is None:
        return None
    with reading(engine) as connection:
        found = _paged(page, lambda *cut: unit_store.totals_page(connection, month, subtrees, *cut))
    return Found([unit_sums.unit_total(r) for r in found.rows], found.total)


def unit_operations(engine: Source, period: Period, subtrees: Subtrees, page: Page) -> Found | None:
    """A page of the rows of `fulfilment` by unit that have a percentage (as dicts), searched,
    sorted and counted in SQL from the unit sums; None where the period is not one whole
    month."""
    month = _one_month(period)
    if month is None:
        return None
    with reading(engine) as connection:
        found = _paged(
            page, lambda *cut: unit_store.operations_page(connection, month, subtrees, *cut)
        )
    rows = [
        reports.FulfilmentRow(Grouping.UNIT, unit_sums.stored_fulfilment(r)) for r in found.rows
    ]
    return Found([r.as_dict() for r in rows], found.total)


def fulfilment_page(
    engine: Source, period: Period, subtrees: Subtrees, unit: str | None, limit: int, offset: int
) -> list[reports.FulfilmentRow] | None:
    """`limit` rows of `fulfilment` by unit after `offset` (none past the end), read from the
    unit sums in SQL; None where the period is not one whole month."""
    month = _one_month(period)
    if month is None:
        return None
    chosen = _narrowed(subtrees, unit)
    with reading(engine) as connection:
        rows, _ = unit_store.operations_page(
            connection, month, chosen, [], "", False, limit, offset, normed=False
        )
    return [reports.FulfilmentRow(Grouping.UNIT, unit_sums.stored_fulfilment(r)) for r in rows]


@dataclass(frozen=True)
class WorkersFound(Found):
    """A page of a unit's workers by operation, with how many workers the unit's list holds
    (before the search)."""

    workers: int


def worker_page(engine: Source, period: Period, unit: str, page: Page) -> WorkersFound | None:
    """A page of `fulfilment` by worker of the unit's workers (dicts, as `as_dict` with the
    worker's `name`), searched by name, worker id or operation, sorted and counted in SQL from
    the worker month sums (decision 0900); None where the period is not one whole month."""
    month = _one_month(period)
    if month is None:
        return None
    within = [unit]
    with reading(engine) as connection:
        scoped = worker_store.scope(connection, month, within)
        words = page.search.casefold().split()
        cut = (scoped, within, words, page.sort, page.descending, page.per_page)
        offset = (max(page.number, 1) - 1) * page.per_page
        keys, total = worker_store.worker_page(connection, *cut, offset)
        if total is None:  # past the end: the last page
            counted = worker_store.row_count(connection, scoped, within, words)
            last = max(0, (counted - 1) // page.per_page) * page.per_page
            keys, total = worker_store.worker_page(connection, *cut, last)
        rows = _worker_rows(connection, month, within, keys)
        ids = [r.fulfilment.group[0] for r in rows]
        names = worker_store.names_within(connection, within, ids)
        workers = worker_store.worker_count(connection, scoped)
    shown = [{**r.as_dict(), "name": names.get(i, i)} for r, i in zip(rows, ids, strict=True)]
    return WorkersFound(shown, total or 0, workers)


def worker_fulfilment_page(
    engine: Source, period: Period, subtrees: Subtrees, unit: str | None, limit: int, offset: int
) -> list[reports.FulfilmentRow] | None:
    """`limit` rows of `fulfilment` by worker after `offset` (none past the end), read from
    the worker month sums in SQL; None where the period is not one whole month."""
    month = _one_month(period)
    if month is None:
        return None
    chosen = _narrowed(subtrees, unit)
    if chosen == []:
        return []
    with reading(engine) as connection:
        scoped = worker_store.scope(connection, month, chosen)
        keys, _ = worker_store.worker_page(connection, scoped, chosen, [], "", False, limit, offset)
        return _worker_rows(connection, month, chosen, keys)


def _worker_rows(
    connection: Any, month: dt.date, within: Subtrees, keys: list[dict[str, Any]]
) -> list[reports.FulfilmentRow]:
    """The page's rows (keys: worker_id, operation, unit), each summed from its worker's month
    sums at homes in the scope, in the page's order."""
    found = read_sums.by_worker(worker_store.rows_of(connection, month, within, keys))
    summed = {(f.group[0], f.operation, f.unit): f for f in found}
    return [
        reports.FulfilmentRow(Grouping.WORKER, summed[(k["worker_id"], k["operation"], k["unit"])])
        for k in keys
    ]


def _one_month(period: Period) -> dt.date | None:
    months = read_sums.whole_months(period)
    return months[0] if months is not None and months[0] == months[1] else None


def _paged(page: Page, read: Callable[..., tuple[list[dict[str, Any]], int]]) -> Found:
    """Read the page asked for; past the last page, the last (as web/listing.py's `paged`)."""
    words = page.search.casefold().split()
    offset = (max(page.number, 1) - 1) * page.per_page
    rows, total = read(words, page.sort, page.descending, page.per_page, offset)
    last = max(0, (total - 1) // page.per_page) * page.per_page
    if offset > last:
        rows, total = read(words, page.sort, page.descending, page.per_page, last)
    return Found(rows, total)


def findings(
    engine: Source,
    period: Period,
    subtrees: Subtrees,
    kinds: set[str] | None = None,
    status: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[Finding]:
    """Audit findings on shifts whose workplace one may see, as stored by the read model, in
    the audit's order: those of one review status and one page of them when asked, in SQL."""
    conditions = stored_findings.where(period.start, period.end, subtrees, kinds, None)
    with reading(engine) as connection:
        return stored_findings.in_audit_order(connection, conditions, status, limit, offset)


def finding_counts(engine: Source, period: Period, subtrees: Subtrees) -> Counter[str]:
    """How many findings of each kind one may see in the period: for whole months, summed from
    the counts kept per month, kind and unit (a row per kind and scope, decision 0898); else
    counted in SQL."""
    with reading(engine) as connection:
        return Counter(audit_queue.per_kind(connection, period, subtrees))


def reviewed(
    engine: Source,
    period: Period,
    subtrees: Subtrees,
    kinds: set[str] | None = None,
    status: str | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> list[reviews.ReviewedFinding]:
    """The findings one may see, each with its latest review (open when none applies): of
    one status and one page when asked, the reviews read for that page's shifts only."""
    found = findings(engine, period, subtrees, kinds, status, limit, offset)
    with reading(engine) as connection:
        held = reviews.load_reviews(connection, {f.shift_id for f in found})
    return [reviews.ReviewedFinding(f, review_of(f, held)) for f in found]


def shift(engine: Source, shift_id: str) -> Shift | None:
    with reading(engine) as connection:
        found = LedgerStore(connection).records(SHIFTS, Shift, "shift_id", [shift_id])
    return found[0] if found else None


@dataclass(frozen=True)
class ShiftView:
    """A shift with its measured output and each crew row's resolved credit and result."""

    shift: Shift
    outputs: list[dict[str, Any]]
    crew: list[dict[str, Any]]


def shifts(
    engine: Source,
    period: Period,
    subtrees: Subtrees,
    unit: str | None = None,
    worker_id: str | None = None,
    limit: int | None = None,
    offset: int = 0,
    search: str | None = None,
    sort: str = "date",
    descending: bool = True,
) -> list[ShiftView]:
    """Shifts at workplaces one may see (or one worker's shifts), newest first unless sorted
    otherwise; with a search (a LIKE pattern), those whose id, workplace or crew matches.

    Only the page asked for (`limit` shifts after `offset`) is read and worked out.
    """
    with reading(engine) as connection:
        ids = read_model.shift_page(
            connection,
            period,
            _narrowed(subtrees, unit),
            worker_id,
            limit,
            offset,
            search,
            sort,
            descending,
        )
        ledger = read_model.shifts_snapshot(connection, ids)
    views = _views(ledger, reports.results_within(ledger, period), period)
    order = {shift_id: n for n, shift_id in enumerate(ids)}
    return sorted(views, key=lambda v: order.get(v.shift.shift_id, len(order)))


def shift_count(
    engine: Source,
    period: Period,
    subtrees: Subtrees,
    unit: str | None = None,
    search: str | None = None,
) -> int:
    """How many shifts `shifts` pages through."""
    with reading(engine) as connection:
        return read_model.shift_count(connection, period, _narrowed(subtrees, unit), search)


def shift_outcome(engine: Source, shift_id: str) -> tuple[ShiftView, Total | None] | None:
    """One shift as the pages show it, with the shift's own stated and fair percentages
    (earned and fair standard hours summed over its crew, divided by their hours)."""
    with reading(engine) as connection:
        ledger = read_model.shifts_snapshot(connection, [shift_id])
    found = ledger.shifts.get(shift_id)
    if found is None:
        return None
    on = Period(found.date, found.date)
    results = [r for r in reports.results_within(ledger, on) if r.shift_id == shift_id]
    views = [v for v in _views(ledger, results, on) if v.shift.shift_id == shift_id]
    total = totals(results, lambda r: [r.shift_id])
    return views[0], total[0] if total else None


def _views(ledger: Ledger, results: Iterable[Result], period: Period) -> list[ShiftView]:
    found: dict[tuple[str, str, str], Result] = {
        (r.shift_id, r.worker_id, r.operation): r for r in results
    }
    views = []
    for shift in reversed(ledger.shifts_between(period.start, period.end)):
        crew = ledger.crew_of(shift.shift_id)
        credits = {
            (c.worker_id, g.operation): c.quantity
            for g in crew_groups(ledger, shift)
            for c in g.doers
        }
        rows = []
        for entry in crew:
            result = found.get((shift.shift_id, entry.worker_id, entry.operation))
            rows.append(
                {
                    "worker_id": entry.worker_id,
                    "name": _name(ledger.workers, entry.worker_id),
                    "operation": entry.operation,
                    "hours": entry.hours,
                    "credited": credits.get((entry.worker_id, entry.operation)),
                    "declared": entry.credited,
                    "coefficient": entry.coefficient,
                    "percent": percent_or_none(result.percent if result else None),
                    "fair_percent": percent_or_none(result.fair_percent if result else None),
                }
            )
        outputs = [
            {
                "operation": o.operation,
                "quantity": o.quantity,
                "unit": o.unit,
                "rejected": o.rejected,
            }
            for o in ledger.outputs_of(shift.shift_id)
        ]
        views.append(ShiftView(shift, outputs, rows))
    return views


def _name(workers: Any, worker_id: str) -> str:
    worker = workers.get(worker_id)
    return worker.name if worker else worker_id


def unit_paths(engine: Source, subtrees: Subtrees) -> list[str]:
    """Every known unit one may see, in tree order."""
    with reading(engine) as connection:
        paths = overview.unit_paths(connection)
    return [p for p in paths if within_any(p, subtrees)]


def recent_batches(engine: Source, limit: int = 200) -> list[dict[str, Any]]:
    """Who wrote what, newest first: every write to the ledger is a batch with its author.

    A source that names files by their path on the server shows their names only."""
    with reading(engine) as connection:
        rows = overview.recent_batches(connection, limit)
    return [{**row, "source": file_names(row["source"])} for row in rows]


PATH = re.compile(r"(?<![^\s,;:])(?:[A-Za-z]:)?[\\/][^\s,;]*[\\/]([^\s,;\\/]+)")


def file_names(source: str | None) -> str | None:
    """`/srv/data/scales/coal.toml, /tmp/x/book.xlsx` as `coal.toml, book.xlsx`."""
    return PATH.sub(r"\1", source) if source else source


def worker(engine: Source, worker_id: str) -> Worker | None:
    with reading(engine) as connection:
        found = LedgerStore(connection).records(WORKERS, Worker, "worker_id", [worker_id])
    return found[0] if found else None


def latest_date(engine: Source, worker_id: str | None = None) -> dt.date | None:
    """The date of the newest shift (of the worker's, if named), where the pages' default
    period ends."""
    with reading(engine) as connection:
        return overview.latest_date(connection, worker_id)


def claim_states(engine: Source) -> list[claims.ClaimState]:
    """Every record claim with what the ledger says of it now."""
    with reading(engine) as connection:
        return list(claims.claim_book(connection).states)


def claim_state(engine: Source, claim_id: str, auditor: str | None = None) -> claims.ClaimState:
    """What verifying a claim would decide now (checking the auditor, if named, is outside)."""
    with reading(engine) as connection:
        return claims.state_of(connection, claim_id, auditor)


class NotYourClaim(Refused):
    """The claim lies outside the auditor's scope, or the auditor is in its crew."""

    kind = Refusal.FORBIDDEN


def claim_to_decide(
    engine: Source, claim_id: str, may: Callable[[str], bool], names: Iterable[str | None]
) -> claims.ClaimState:
    """The claim an auditor is about to decide, once it is theirs to decide.

    An auditor cannot verify a record of a crew they belong to. The claim service checks the
    one name it is given; a person who logs in has several (username, name, worker id).
    """
    with reading(engine) as connection:
        try:
            state, ledger = claims.judged(connection, claim_id)
        except claims.ClaimRefused as unknown:
            raise LookupError(f"claim {claim_id}") from unknown
    home = ledger.workers.get(state.claim.worker_id)
    if home is None or not may(home.unit):
        raise NotYourClaim(say("that claim is outside your scope"))
    group = state.assessment.located.group
    shift_id = group.shift.shift_id if group else state.claim.shift_id
    if any(in_crew(n, state.claim, ledger, shift_id) for n in names if n):
        raise NotYourClaim(
            say("you are in the crew of this record; another auditor must decide it")
        )
    return state


def declared_competitions(engine: Source) -> list[competitions.Competition]:
    with reading(engine) as connection:
        return competitions.load(connection)


def provenance(engine: Source, operation: str | None = None) -> list[dict[str, Any]]:
    """How each norm version was set: method, time-study figures, evidence, approvals.

    Every norm version is listed. Its recorded provenance (provenance.csv, or a governed
    revision) gives the figures; a version without one shows the method and source of its
    norms.csv row, with `recorded` false.
    """
    with reading(engine) as connection:
        store = LedgerStore(connection)
        found = {p.key: p for p in store.records(PROVENANCE, Provenance)}
        norms = store.records(NORMS, Norm)
    rows = []
    for norm in sorted(norms, key=lambda n: (n.operation, n.effective_from)):
        if operation is not None and norm.operation != operation:
            continue
        p = found.get((norm.operation, norm.effective_from))
        rows.append(
            {
                "operation": norm.operation,
                "effective_from": norm.effective_from,
                "method": p.method.value if p else norm.method,
                "observations": p.observations if p else None,
                "pace_rating": p.pace_rating if p else None,
                "allowances": p.allowances if p else None,
                "evidence": p.evidence if p else None,
                "approved_by": p.approved_by if p else None,
                "source": norm.source,
                "recorded": p is not None,
            }
        )
    return rows


def mentorships(engine: Source) -> list[Mentorship]:
    with reading(engine) as connection:
        return mentoring.load_links(connection)
