"""The honour board service follows the rulebook's honour rules, on each database: the least
shifts to be ranked and the operations a trade ranks on, with teams still counting all work."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import Engine

from stakhanov.domain.periods import parse_period
from stakhanov.services import honour, rulebooks
from stakhanov.services.entry import ShiftForm
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from tests.integration.helpers import MINI

pytestmark = pytest.mark.storage

OCTOBER = parse_period("1935-10")
BRIGADE = "Mine/Section 1/Brigade 1"


def shift(engine: Engine, shift_id: str, day: int, worker_id: str, operation: str, t: str) -> None:
    """A 6 h shift of one worker at Brigade 1 in October 1935 (hewing: 8 t per 6 h)."""
    form = ShiftForm(
        shift={
            "shift_id": shift_id,
            "date": f"1935-10-{day:02d}",
            "hours": "6",
            "workplace": BRIGADE,
            "conditions": "standard",
        },
        outputs=[{"operation": operation, "quantity": t, "unit": "t"}],
        crew=[{"worker_id": worker_id, "operation": operation, "hours": "6"}],
    )
    import_batch(engine, form.batch(f"test: {shift_id}"), author="test")


@pytest.fixture
def october(engine: Engine) -> Engine:
    """H1 hews once at 278.6%; H2 hews three times at 120%; T1, a timberer, hews three
    times at 150%."""
    import_batch(engine, read_source(MINI, set(FORMATS)), author="test")
    shift(engine, "LUCKY", 1, "H1", "hewing", "22.288")
    for day in (2, 3, 4):
        shift(engine, f"H2-{day}", day, "H2", "hewing", "9.6")
        shift(engine, f"T1-{day}", day, "T1", "hewing", "12")
    return engine


def ranked(engine: Engine, **asked: object) -> list[tuple[int | None, str | None, Decimal | None]]:
    board = honour.board(engine, "Mine", OCTOBER, workers=True, **asked)  # type: ignore[arg-type]
    return [(e.rank, e.worker_id, e.fair_percent) for e in board]


def test_one_lucky_shift_is_not_ranked_under_the_bundled_rules(october: Engine) -> None:
    assert honour.rules(october).min_shifts == 3
    # The timberer's trade is not listed in the bundled rulebook: he ranks on any operation.
    assert ranked(october) == [(1, "T1", Decimal("150.0")), (2, "H2", Decimal("120.0"))]
    assert ranked(october, min_shifts=1)[0] == (1, "H1", Decimal("278.6"))


def test_a_declared_trade_ranks_only_on_its_operations(october: Engine) -> None:
    text = rulebooks.bundled_text().replace("version = 1", "version = 2", 1)
    text = text.replace('hewer = ["hewing"]', 'hewer = ["hewing"]\ntimberer = ["timbering"]')
    text = text.replace("min_shifts = 3", "min_shifts = 2")
    rulebooks.import_text(october, text, "rulebook.toml", "test")
    declared = honour.rules(october)
    assert declared.min_shifts == 2 and not declared.covers("timberer", "hewing")
    assert ranked(october) == [(1, "H2", Decimal("120.0"))]
    assert ranked(october, operation="hewing") == [(1, "H2", Decimal("120.0"))]
    assert ranked(october, operation="turning") == []
    # The brigade still counts the timberer's and the lucky shift's work, summed both sides:
    # (22.288 + 3 * 9.6 + 3 * 12) t at 6/8 standard hours a tonne, over 42 h (the sums of
    # both sides; tests/unit/test_honour_rules.py shows it with shifts of unequal hours).
    team = honour.board(october, "Mine", OCTOBER)
    assert [(e.name, e.workers, e.shifts) for e in team] == [(BRIGADE, 3, 7)]
    assert team[0].fair_percent == Decimal("155.5")
    rows = [
        honour.entry_dict(e, True, min_shifts=2)
        for e in honour.board(october, "Mine", OCTOBER, workers=True)
    ]
    assert rows == [
        {
            "rank": 1,
            "worker_id": "H2",
            "name": "Hewer Two",
            "unit": BRIGADE,
            "shifts": 3,
            "fair_percent": Decimal("120.0"),
            "min_shifts": 2,
            "operation": None,
            "trade": "hewer",
        }
    ]
