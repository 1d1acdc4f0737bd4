"""Every pay line explanation and audit finding of the demo's closed periods and of a generated
month matches the domain's templates (decision 0870): shown in Russian or Spanish, no English
the domain wrote is left; the stored texts stay English."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from sqlalchemy import Engine

from stakhanov import stored_texts
from stakhanov.domain.periods import Period
from stakhanov.services import dashboard, demo, payroll
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.generator import Settings, generate, month_scale
from stakhanov.services.scales import import_scales

pytestmark = pytest.mark.storage
START = dt.date(2025, 9, 1)
# Every rule the generated month can meet: tiers, time work, idle, rest, the minimum wage, a
# capped deduction and a percent one.
SCALE = (
    month_scale("month")
    + """[[deductions]]
code = "union"
name = "Union dues"
percent = "1.5"
"""
)


def texts(engine: Engine, period: Period) -> list[str]:
    slips = payroll.slips(engine, period).slips
    found = [line.explain for s in slips for line in (*s.lines, *s.deductions)]
    found += [f.message for f in dashboard.findings(engine, period, None)]
    assert len(found) > 50
    return sorted(set(found))


def assert_translated(found: list[str]) -> None:
    assert stored_texts.untranslated(found) == []
    for language in ("ru", "es"):
        shown = [stored_texts.translate(text, language) for text in found]
        assert [t for t, s in zip(found, shown, strict=True) if s == t] == [], language


def test_the_demo_periods_in_russian_and_spanish(engine: Engine) -> None:
    demo.build(engine)
    for period in demo.PAY_PERIODS:
        found = texts(engine, period)
        assert_translated(found)
        assert any("accepted x piece rate" in t for t in found)  # stored as the domain wrote


def test_a_generated_month_in_russian_and_spanish(engine: Engine) -> None:
    with tempfile.TemporaryDirectory() as folder:
        generate(Settings(60, 30, 1, START), Path(folder) / "month")
        import_directory(engine, Path(folder) / "month")
        scale = Path(folder) / "month.toml"
        scale.write_text(SCALE)
        import_scales(engine, [scale])
    period = Period(START, START + dt.timedelta(days=29))
    payroll.close(engine, period)
    assert_translated(texts(engine, period))
