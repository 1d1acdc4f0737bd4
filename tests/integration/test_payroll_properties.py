"""Pay properties through storage, on SQLite and PostgreSQL, with random scales and output."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

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
ZERO = Decimal(0)


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


@st.composite
def pay_cases(draw: st.DrawFn) -> dict[str, object]:
    """A random progressive scale and norm, and outputs that probe its properties."""
    aboves = sorted(set(draw(st.lists(st.integers(100, 300), min_size=1, max_size=3))))
    steps = draw(st.lists(st.decimals("0.05", 2, places=2), min_size=len(aboves)))
    multipliers = list(itertools.accumulate([Decimal(1), *steps[: len(aboves)]]))[1:]
    if draw(st.booleans()):
        norm, norm_hours = draw(st.decimals("0.5", 60, places=1)), draw(st.sampled_from("6785"))
        norm_row = f"output,{norm},{norm_hours}"
        exact = (Decimal(norm), Decimal(norm_hours))  # the norm quantity for the norm hours
    else:
        minutes = draw(st.integers(1, 20)) * 3
        pieces = draw(st.integers(1, 24 * 60 // minutes))
        norm_row = f"time,{minutes},"
        exact = (Decimal(pieces), Decimal(pieces * minutes) / 60)
    boundary = draw(st.sampled_from(aboves))
    low = draw(st.decimals(0, 200, places=3))
    return {
        "tariff": draw(st.decimals("0.5", 30, places=2)),
        "tiers": list(zip(aboves, multipliers, strict=True)),
        "basis": draw(st.sampled_from(["shift", "period"])),
        "norm_row": norm_row,
        "exact": exact,
        # At a tier's threshold and just above it, for the same hours as the exact shift.
        "boundary": exact[0] * boundary / 100,
        "low": low,
        "high": low + draw(st.decimals("0.001", 50, places=3)),
    }


@given(pay_cases())
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_closed_pay_is_exact_at_the_norm_continuous_and_never_falls(
    engine: Engine, tmp_path: Path, case: dict[str, Any]
) -> None:
    """Through import, close and the stored slips, on both databases: exactly 100% earns
    exactly tariff x hours; pay is continuous at a tier boundary; more output never pays less."""
    period = month_of(next(months))
    prefix = period.start.strftime("%Y%m")
    operation = f"op{prefix}"
    folder = tmp_path / prefix
    quantity, hours = case["exact"]
    outputs = {
        "E": quantity,
        "B": case["boundary"],
        "C": case["boundary"] + Decimal("0.001"),
        "L": case["low"],
        "H": case["high"],
    }
    write(
        folder,
        "workers.csv",
        "worker_id,name,unit,trade,grade\n"
        + "".join(f"{w},Worker {w},Shop,maker,5\n" for w in outputs),
    )
    write(
        folder,
        "norms.csv",
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source\n"
        f"{operation},piece,{case['norm_row']},,,1935-01-01,study,property\n",
    )
    shifts = ["shift_id,date,hours,workplace,conditions,note"]
    output = ["shift_id,operation,quantity,unit,rejected"]
    crew = ["shift_id,worker_id,operation,hours,credited,coefficient"]
    for day, (worker_id, made) in enumerate(outputs.items(), start=1):
        shift_id = f"{prefix}-{worker_id}"
        shifts.append(f"{shift_id},{period.start.replace(day=day)},{hours},Shop,standard,")
        output.append(f"{shift_id},{operation},{made},piece,")
        crew.append(f"{shift_id},{worker_id},{operation},{hours},{made},")
    for name, rows in (("shifts.csv", shifts), ("output.csv", output), ("crew.csv", crew)):
        write(folder, name, "\n".join(rows) + "\n")
    load(engine, folder)
    tiers = "".join(f'[[tiers]]\nabove = {a}\nmultiplier = "{m}"\n' for a, m in case["tiers"])
    text = (
        f'name = "p{prefix}"\neffective_from = "{period.start}"\ncurrency = "RUB"\n'
        f'operations = ["{operation}"]\nbasis = "{case["basis"]}"\npercent = "stated"\n'
        f'[grades]\n"5" = "{case["tariff"]}"\n{tiers}'
    )
    import_scales(engine, [write(folder / "scale", "scale.toml", text)])
    payroll.close(engine, period)
    gross = {s.worker_id: s.gross for s in payroll.slips(engine, period).slips}
    tariff = Decimal(case["tariff"])
    exact = next(s for s in payroll.slips(engine, period, "E").slips)
    assert [line.code for line in exact.lines] == ["piece"]
    assert gross["E"] == (tariff * hours).quantize(Decimal("0.01"), ROUND_HALF_UP)
    steepest = tariff * hours / quantity * max(m for _, m in case["tiers"])
    lines = 1 + len(case["tiers"])  # each line rounds once, by at most half a kopeck
    assert abs(gross.get("C", ZERO) - gross.get("B", ZERO)) <= (
        steepest * Decimal("0.001") + lines * Decimal("0.01")
    )
    assert gross.get("C", ZERO) >= gross.get("B", ZERO)
    assert gross.get("H", ZERO) >= gross.get("L", ZERO)
