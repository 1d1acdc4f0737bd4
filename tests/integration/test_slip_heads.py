"""The printed pay slip's head: employer, unit, grade, tariff and pay date (issue 12)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine

from stakhanov.data import preset_scales
from stakhanov.domain.periods import Period
from stakhanov.services import payroll, slip_heads
from stakhanov.services.printing import write_pdf
from stakhanov.services.scales import import_scales
from tests.api.conftest import populate

pytestmark = pytest.mark.storage
AUGUST = Period(dt.date(1935, 8, 1), dt.date(1935, 8, 31))


def test_a_slip_names_employer_unit_grade_tariff_and_pay_date(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(slip_heads.ENV_EMPLOYER, raising=False)
    monkeypatch.delenv(slip_heads.ENV_PAY_DAY, raising=False)
    populate(engine)
    import_scales(engine, [preset_scales()["coal-1935"]], author="test")
    open_head = slip_heads.heads(engine, payroll.slips(engine, AUGUST, "H1"))["H1"]
    assert open_head.employer == "Mine"  # the top unit of Mine/Section 1/Brigade 1
    assert open_head.unit == "Mine/Section 1/Brigade 1"
    assert open_head.grade == "5"
    assert open_head.tariff == "1.12 RUB per hour (coal-1935 (1935-01-01))"
    assert open_head.pay_date.startswith("not paid yet")

    payroll.close(engine, AUGUST, author="test")
    closed = payroll.slips(engine, AUGUST, "H1")
    assert closed.closed is not None
    head = slip_heads.heads(engine, closed)["H1"]
    assert (
        head.pay_date
        == f"{closed.closed.closed_at.date().isoformat()} (the day the period was closed)"
    )

    monkeypatch.setenv(slip_heads.ENV_EMPLOYER, "Central-Irmino mine")
    monkeypatch.setenv(slip_heads.ENV_PAY_DAY, "5")
    configured = slip_heads.heads(engine, closed)["H1"]
    assert (configured.employer, configured.pay_date) == ("Central-Irmino mine", "1935-09-05")

    printed = tmp_path / "slip.pdf"
    write_pdf(printed, closed.slips, "closed", {"H1": configured})
    assert printed.read_bytes().startswith(b"%PDF")


def test_a_pay_day_falls_after_the_period() -> None:
    half = Period(dt.date(1935, 8, 1), dt.date(1935, 8, 15))
    assert slip_heads.pay_date(half, None, "5") == "1935-09-05"
    assert slip_heads.pay_date(half, None, "20") == "1935-08-20"
    assert slip_heads.pay_date(AUGUST, None, "31") == "1935-09-28"  # a day every month has
