"""Random ledgers with everything pay reads, and random scales, for the engine close's proofs.

On top of tests.ledgers' random crews: tariff grades (one a scale may not pay), rejected output,
reject faults, idle, rest and non-productive time, named bonuses, and one or two scales drawn
from every feature pay has (tiers per shift or per period, stated, fair or auto percent,
time work, guarantees, rest, the weekly minimum wage, bonuses, deductions and caps).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal

from hypothesis import strategies as st

from stakhanov.domain.ledger import Ledger
from stakhanov.domain.payroll import ExternalBonus
from stakhanov.domain.periods import Period
from stakhanov.domain.rejects import RejectFault
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.scales import PayScale
from stakhanov.domain.timesheets import TimeEntry, TimeKind
from stakhanov.services.parsing import parse_hours_text
from tests.ledgers import NORMED, WORKERS, ledgers, worker


@dataclass(frozen=True)
class PaidCase:
    ledger: Ledger
    period: Period
    scales: tuple[PayScale, ...]
    texts: tuple[str, ...]
    bonuses: tuple[ExternalBonus, ...]


def _money(draw: st.DrawFn, low: str, high: str) -> str:
    return str(draw(st.decimals(low, high, places=2)))


@st.composite
def scale_texts(
    draw: st.DrawFn, name: str = "test", operations: str = "", whole: bool = False
) -> str:
    """A scale with random features; `whole`: one whose piece work the engine close takes
    whole from its SQL lines (per-shift tiers, no bonuses: the benchmark's kind of scale)."""
    aboves = sorted(set(draw(st.lists(st.integers(100, 200), max_size=2))))
    multipliers = sorted(draw(st.lists(st.decimals("1.05", 3, places=2), min_size=len(aboves))))
    text = (
        f'name = "{name}"\neffective_from = "1935-01-01"\ncurrency = "RUB"\n{operations}'
        f'basis = "{"shift" if whole else draw(st.sampled_from(["shift", "period"]))}"\n'
        f'percent = "{draw(st.sampled_from(["stated", "fair", "auto"]))}"\n'
        f'[grades]\n"5" = "{_money(draw, "0.5", "5")}"\n"4" = "{_money(draw, "0.5", "5")}"\n'
    )
    text += "".join(
        f'[[tiers]]\nabove = {a}\nmultiplier = "{m}"\n'
        for a, m in zip(aboves, multipliers[: len(aboves)], strict=True)
    )
    optional = {
        "time_work": '[time_work]\nfraction = "{f}"\n',
        "guarantee": '[guarantee]\nfraction = "{f}"\n',
        "rest": '[rest]\npay = "{rest}"\n',
        "minimum_wage": '[minimum_wage]\nhourly = "{m}"\nweek_starts = "{week}"\n',
        "rejects": '[rejects]\ndeduction = "{f}"\n',
        "shift_bonus": '[[bonuses]]\ncode = "record"\nper = "shift"\nmin_percent = 110\n'
        'amount = "{m}"\n',
        "prepared_bonus": '[[bonuses]]\ncode = "prep"\nper = "shift"\nconditions = "prepared"\n'
        'percent = "5"\n',
        "period_bonus": '[[bonuses]]\ncode = "month"\nper = "period"\npercent = "{f}"\n',
        "deductions": '[[deductions]]\ncode = "dues"\npercent = "1.5"\ncap_percent = "1"\n'
        '[[deductions]]\ncode = "loan"\namount = "{m}"\n[deduction_cap]\npercent = "20"\n',
    }
    for key, block in optional.items():
        if draw(st.booleans()) and not (whole and "bonus" in key):
            text += block.format(
                f=draw(st.sampled_from(["1", "0.6667", "0.5", "10"][: 4 if "bonus" in key else 3])),
                m=_money(draw, "0.05", "3"),
                rest=draw(st.sampled_from(["average", "tariff"])),
                week=draw(st.sampled_from(["monday", "sunday"])),
            )
    return text


def scale_of(text: str) -> PayScale:
    parsed, problems = parse_scale(text, "test.toml")
    assert parsed is not None, problems
    return parsed


@st.composite
def paid_cases(
    draw: st.DrawFn, known_workers: bool = False, exact_hours: bool = True, whole: bool = False
) -> PaidCase:
    """A random ledger with grades, rejects, paid time and bonuses, a period and scales
    (`whole`: scales of the kind scale_texts' `whole` draws)."""
    ledger, start, end = draw(ledgers(exact_hours))
    period = Period(start, end)
    grades = st.sampled_from(["5", "5", "5", "4", "9"])  # 9: a grade no scale pays
    known = WORKERS if known_workers else tuple(ledger.workers)
    workers = [
        replace(
            ledger.workers.get(w) or worker(w), grade=draw(grades) if draw(st.booleans()) else "5"
        )
        for w in known
    ]
    outputs = [
        replace(o, rejected=Decimal(draw(st.sampled_from(["1.5", "0", "2"]))))
        if draw(st.booleans())
        else o
        for o in ledger.outputs.values()
    ]
    faults = []
    for output in outputs:
        # A fault names a known worker (the import checks it).
        names = {w.worker_id for w in workers}
        doers = [e.worker_id for e in ledger.crew_of(output.shift_id) if e.worker_id in names]
        if doers and draw(st.booleans()):
            faults.append(
                RejectFault(
                    output.shift_id,
                    output.operation,
                    draw(st.sampled_from(doers)),
                    Decimal(draw(st.sampled_from(["0.5", "1", "0.25"]))),
                    draw(st.sampled_from([None, "rock in the coal"])),
                )
            )
    days = [start + dt.timedelta(days=d) for d in range((end - start).days + 1)]
    time = {
        (e.worker_id, e.date, e.kind, e.operation): e
        for e in draw(
            st.lists(
                st.builds(
                    TimeEntry,
                    st.sampled_from([w.worker_id for w in workers]),
                    st.sampled_from(days),
                    st.sampled_from(list(TimeKind)),
                    st.sampled_from([*sorted(NORMED), "hauling"]),
                    st.sampled_from(
                        ["1", "0.5", "2.25", "1h30min", "45min", "20min", "10min", "1/3"]
                    ).map(lambda text: parse_hours_text(text, "hours")),
                    st.sampled_from([None, "no empty tubs"]),
                ),
                max_size=4,
            )
        )
    }
    texts = [draw(scale_texts(whole=whole))]
    if draw(st.booleans()):  # a second scale pays loading only; the first then overlaps it
        texts.append(draw(scale_texts("second", 'operations = ["loading"]\n', whole)))
    bonuses = tuple(
        ExternalBonus(w, d, "award", Decimal(a), "RUB", "Record of the month", f"award-{i}")
        for i, (w, d, a) in enumerate(
            draw(
                st.lists(
                    st.tuples(
                        st.sampled_from([w.worker_id for w in workers]),
                        st.sampled_from(days),
                        st.sampled_from(["10", "2.50"]),
                    ),
                    max_size=2,
                )
            )
        )
    )
    paid = Ledger.of(
        workers, ledger.norms, ledger.shifts.values(), outputs, ledger.crew, time.values(), faults
    )
    return PaidCase(paid, period, tuple(scale_of(t) for t in texts), tuple(texts), bonuses)
