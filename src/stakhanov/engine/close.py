"""The period close over frames: the results set-based in DuckDB, the slips by the domain's code.

Credits, crew groups and every result's exact numbers come from the engine's SQL (attribution.py)
instead of a Python object per crew row; they reach the domain's `payroll_of` as its own Result
values, in the order `domain.fulfilment.results` yields them, so every line, amount,
explanation, problem and the digest are the reference close's. Results whose lines the slip
takes whole (engine/lines.py `taken`, decision 0566) are left out of those Result values: each
worker's slip gets their lines and hours from the SQL instead. The entries pay looks up by key
(workers, norms, paid time, reject faults) come in a small Ledger without crew
(store.pay_inputs).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import TypeVar

import duckdb

from stakhanov.domain.average_wage import PayHistory
from stakhanov.domain.fulfilment import Result
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import Adjustments, ExternalBonus, Payroll, payroll_of
from stakhanov.domain.periods import Period
from stakhanov.domain.rejects import RejectFault
from stakhanov.domain.scales import ScaleBook
from stakhanov.domain.timesheets import TimeEntry
from stakhanov.engine.exact import decimal_at, of_micro, ratio
from stakhanov.engine.lines import EVERYONE, Span, paid_lines, span
from stakhanov.engine.session import session
from stakhanov.store.frames import Frames, NotMicro

# The domain's order: shifts by date and id; in a shift the measured operations by name, each
# with its doers in crew order, then the crew rows of unmeasured operations in crew order.
# A helper's row is the one without a unit (a doer's carries the norm's or the output's).
RESULTS = """
SELECT shift_id, date, worker_id, operation, hours, hours_places, unit,
       output_num, output_den, output_places, norm_output_num, norm_output_den,
       earned_num, earned_den, fair_num, fair_den, assisted, pooled, prepared
FROM results
WHERE ($first::VARCHAR IS NULL OR worker_id BETWEEN $first AND $last)
  AND NOT EXISTS (  -- results taken whole from the SQL lines (engine/lines.py, TakenWork)
    SELECT 1 FROM taken_results t WHERE t.shift_id = results.shift_id
      AND t.worker_id = results.worker_id AND t.operation = results.operation)
ORDER BY date, shift_id, unit IS NULL, CASE WHEN unit IS NOT NULL THEN operation END, entry_id
"""


def domain_results(db: duckdb.DuckDBPyConnection, workers: Span = EVERYONE) -> list[Result]:
    """The session's results (of a span of workers) as the domain's Result values, in the
    domain's order."""
    hours: dict[tuple[int, int | None], Decimal] = {}  # a month repeats a few shift lengths
    return [
        Result(
            shift_id=row[0],
            date=row[1],
            worker_id=row[2],
            operation=row[3],
            hours=hours.get((row[4], row[5]))
            or hours.setdefault((row[4], row[5]), of_micro(row[4], row[5])),
            # The domain's Decimal product of credit and factor keeps both their scales.
            output=decimal_at(row[7], row[8], int(row[9])),
            unit=row[6],
            norm_output=ratio(row[10], row[11]),
            earned=ratio(row[12], row[13]),
            fair_earned=ratio(row[14], row[15]),
            assisted=bool(row[16]),
            pooled=bool(row[17]),
            prepared=bool(row[18]),
        )
        for row in db.execute(RESULTS, workers).fetchall()
    ]


def close_payroll(
    frames: Frames,
    lookups: Ledger,
    period: Period,
    scales: ScaleBook,
    bonuses: Sequence[ExternalBonus] = (),
    adjustments: Mapping[str, Adjustments] | None = None,
    history: Mapping[str, PayHistory] | None = None,
    among: Collection[str] | None = None,
) -> Payroll:
    """Every slip of the period, as domain.payroll.compute_payroll gives it for the same ledger;
    with `among`, the slips of those workers alone, as payroll_of gives them for their own
    results (close_in_parts).

    Raises Unsupported (store.frames.NotMicro) when the period holds values the engine cannot
    keep exact; the caller then closes it by the reference path.
    """
    parts = close_in_parts(
        frames, lookups, period, scales, bonuses, adjustments, history, None, among=among
    )
    return next(parts, Payroll(period, ()))  # one part: every worker


T = TypeVar("T")
PART_WORKERS = 2_000
"""Workers per part of a streamed close: its slips, lines and results are all it holds."""


def close_in_parts(
    frames: Frames,
    lookups: Ledger,
    period: Period,
    scales: ScaleBook,
    bonuses: Sequence[ExternalBonus] = (),
    adjustments: Mapping[str, Adjustments] | None = None,
    history: Mapping[str, PayHistory] | None = None,
    size: int | None = PART_WORKERS,
    only: tuple[str, str] | None = None,
    among: Collection[str] | None = None,
) -> Iterator[Payroll]:
    """The period's slips in parts of `size` workers (None: all in one), in worker order;
    together the slips of close_payroll. A worker's slip reads only his own results (the crews
    were split by the SQL over the whole period), his paid time, bonuses, adjustments and pay
    history, so a part is a span of workers and the session is built once. With `only` (the
    first and last worker, in text order), the slips of those workers alone: the frames then
    hold the shifts they worked with their whole crews, whose other members get no slip here.
    With `among`, the slips of those workers alone, from their own results, paid time, bonuses
    and adjustments: the crew-mates the frames hold get none, and no problem is met paying
    them (a proposal's pay of one operation's workers). Raises NotMicro as close_payroll does."""
    adjustments = dict(adjustments or {})
    history = history or {}
    chosen = None if among is None else frozenset(among)
    if chosen is not None:
        bonuses = [b for b in bonuses if b.worker_id in chosen]
        adjustments = {w: a for w, a in adjustments.items() if w in chosen}
    try:
        with session(frames) as db:
            lines = paid_lines(db, frames, scales, chosen)
            paid = {w for (w,) in db.execute("SELECT DISTINCT worker_id FROM results").fetchall()}
            paid |= {t.worker_id for t in lookups.time if t.date in period}
            paid |= {b.worker_id for b in bonuses if b.date in period} | set(adjustments)
            workers = sorted(
                w
                for w in paid
                if (only is None or only[0] <= w <= only[1]) and (chosen is None or w in chosen)
            )
            size = size or max(1, len(workers))
            firsts, lasts = workers[::size], workers[size - 1 :: size] + workers[-1:]
            # Each worker's entries go to his part once, not searched again for every part.
            time = [t for t in lookups.time if chosen is None or t.worker_id in chosen]
            times = _by_part(time, lambda t: t.worker_id, firsts, lasts)
            paid_bonuses = _by_part(bonuses, lambda b: b.worker_id, firsts, lasts)
            adjusted = _by_part(adjustments.items(), lambda a: a[0], firsts, lasts)
            histories = _by_part(history.items(), lambda h: h[0], firsts, lasts)
            faults = _by_part(lookups.faults, lambda f: f.worker_id, firsts, lasts)
            for index, first in enumerate(firsts):
                within = span(first, lasts[index])
                found = domain_results(db, within)
                taken = lines.taken(lookups, within)
                if chosen is not None:  # a span holds crew-mates too (their lines none)
                    found = [r for r in found if r.worker_id in chosen]
                yield payroll_of(
                    _part_lookups(lookups, times[index], faults[index]),
                    period,
                    scales,
                    found,
                    paid_bonuses[index],
                    dict(adjusted[index]),
                    given=lines.given(within),
                    history=dict(histories[index]),
                    taken=taken,
                )
    except duckdb.OutOfRangeException as err:  # a HUGEINT overflowed: never a wrong number
        raise NotMicro(str(err)) from err


def _by_part(
    items: Iterable[T], worker: Callable[[T], str], firsts: list[str], lasts: list[str]
) -> list[list[T]]:
    """The items of each part, by their worker's place among the parts' first and last
    workers (items of a worker in no part are no one's slip and are left out)."""
    parts: list[list[T]] = [[] for _ in firsts]
    for item in items:
        who = worker(item)
        index = bisect_right(firsts, who) - 1
        if index >= 0 and who <= lasts[index]:
            parts[index].append(item)
    return parts


def _part_lookups(lookups: Ledger, time: list[TimeEntry], faults: list[RejectFault]) -> Ledger:
    """The lookups with only the part's paid time (pay gives a slip to whoever has some) and
    reject faults (each slip looks through them)."""
    return Ledger(
        lookups.workers,
        lookups.norms,
        lookups.shifts,
        lookups.outputs,
        (),
        tuple(time),
        tuple(faults),
    )
