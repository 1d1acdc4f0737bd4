"""Pay properties through storage, on SQLite and PostgreSQL, with random scales and output."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select

from stakhanov.domain.payslips import digest, total
from stakhanov.domain.periods import Period
from stakhanov.domain.scale_files import parse_scale
from stakhanov.services import payroll
from stakhanov.services.scales import import_scales
from stakhanov.store.pay_tables import pay_lines, pay_periods, pay_slips
from tests.integration.helpers import write
from tests.integration.test_import import load

pytestmark = pytest.mark.storage
months = itertools.count()


@st.composite
def scale_texts(draw: st.DrawFn) -> str:
    aboves = sorted(set(draw(st.lists(st.integers(100, 300), max_size=3))))
    tiers = "".join(
        f'[[tiers]]\nabove = {a}\nmultiplier = "{draw(st.decimals(1, 4, places=2))}"\n'
        for a in aboves
    )
    extra = ""
    if draw(st.booleans()):
        extra += f'[minimum_wage]\nhourly = "{draw(st.decimals("0.5", 3, places=2))}"\n'
    if draw(st.booleans()):
        extra += '[[deductions]]\ncode = "dues"\npercent = "1.5"\n[deduction_cap]\npercent = "1"\n'
    return (
        f'currency = "RUB"\nbasis = "{draw(st.sampled_from(["shift", "period"]))}"\n'
        f'percent = "{draw(st.sampled_from(["stated", "fair", "auto"]))}"\n'
        f'[grades]\n"5" = "{draw(st.decimals("0.5", 5, places=2))}"\n'
        f'[time_work]\nfraction = "1"\n{tiers}{extra}'
    )


def month_of(index: int) -> Period:
    first = dt.date(1936 + index // 12, index % 12 + 1, 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return Period(first, following - dt.timedelta(days=1))


@given(scale_texts(), st.lists(st.decimals(0, 40, places=1), min_size=1, max_size=6))
@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_closed_slips_add_up_and_match_the_domain(
    engine: Engine, tmp_path: Path, text: str, outputs: list[Decimal]
) -> None:
    period = month_of(next(months))
    folder = tmp_path / period.start.isoformat()
    prefix = period.start.strftime("%Y%m")
    write(
        folder,
        "workers.csv",
        "worker_id,name,unit,trade,grade\n"
        "A,Hewer A,Mine/S1,hewer,5\nB,Hewer B,Mine/S1,hewer,5\nT,Timberer,Mine/S1,timberer,5\n",
    )
    write(
        folder,
        "norms.csv",
        "operation,unit,kind,norm,norm_hours,includes,max_rate,"
        "effective_from,method,source\nhewing,t,output,7,6,timbering,,1935-01-01,decree,test\n",
    )
    shifts = ["shift_id,date,hours,workplace,conditions,note"]
    output = ["shift_id,operation,quantity,unit,rejected"]
    crew = ["shift_id,worker_id,operation,hours,credited,coefficient"]
    for day, quantity in enumerate(outputs, start=1):
        shift_id = f"{prefix}-{day}"
        shifts.append(f"{shift_id},{period.start.replace(day=day * 4)},6,Mine/S1,standard,")
        output.append(f"{shift_id},hewing,{quantity},t,")
        crew += [f"{shift_id},A,hewing,6,,", f"{shift_id},B,hewing,5,,"]
        if day % 2:
            crew.append(f"{shift_id},T,timbering,6,,")
    for name, rows in (("shifts.csv", shifts), ("output.csv", output), ("crew.csv", crew)):
        write(folder, name, "\n".join(rows) + "\n")
    load(engine, folder)
    scale = f'name = "prop"\neffective_from = "{period.start}"\n' + text
    import_scales(engine, [write(folder / "scale", "prop.toml", scale)])

    report = payroll.close(engine, period)
    found = payroll.slips(engine, period)
    assert digest(found.slips) == report.digest
    for slip in found.slips:
        assert slip.gross == total(slip.lines) and slip.net == slip.gross - slip.deducted
    with engine.connect() as connection:
        stored = connection.execute(
            select(pay_periods).where(pay_periods.c.start_date == period.start)
        ).one()
        slips_total = connection.scalar(
            select(func.sum(pay_slips.c.gross)).where(pay_slips.c.period_id == stored.period_id)
        )
        ids = select(pay_slips.c.slip_id).where(pay_slips.c.period_id == stored.period_id)
        lines_total = connection.scalar(
            select(func.count()).select_from(pay_lines).where(pay_lines.c.slip_id.in_(ids))
        )
    assert stored.gross == sum((s.gross for s in found.slips), Decimal(0)) == report.gross
    if found.slips and engine.dialect.name == "postgresql":
        assert Decimal(slips_total) == stored.gross  # summed by the database itself
    assert lines_total == sum(len(s.lines) + len(s.deductions) for s in found.slips)
    same, _ = parse_scale(scale, "prop.toml")
    replayed = payroll.whatif(engine, period, same)
    assert replayed.change == 0 and replayed.old_total == report.gross
