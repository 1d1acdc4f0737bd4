"""Award bonuses reach the close because pay names its sources, not because a module was
imported first (a close in a fresh process that imports pay alone pays them)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from stakhanov.domain.periods import Period
from stakhanov.services import payroll
from stakhanov.services.awards import award_bonuses
from stakhanov.services.method_rewards import method_bonuses
from stakhanov.services.work_orders import work_order_shares
from stakhanov.store.db import make_engine
from tests.commands import cli, ok
from tests.integration.helpers import write
from tests.integration.test_titles_flow import month
from tests.pay import scale_text

pytestmark = pytest.mark.storage

CLOSE_ALONE = textwrap.dedent(
    """
    import datetime as dt, json, sys
    from stakhanov.domain.periods import Period
    from stakhanov.services import payroll
    from stakhanov.store.db import make_engine
    engine = make_engine(sys.argv[1])
    period = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))
    payroll.close(engine, period)
    slip = payroll.slips(engine, period, "C").slips[0]
    print(json.dumps([[l.code, str(l.amount)] for l in slip.lines]))
    print(json.dumps(sorted(m for m in sys.modules if m.startswith("stakhanov.services"))))
    """
)


def test_a_close_that_imports_pay_alone_pays_the_awards(db_url: str, tmp_path: Path) -> None:
    assert (award_bonuses, method_bonuses, work_order_shares) == payroll.SOURCES
    month(db_url, tmp_path)
    scale = write(tmp_path / "scale", "coal.toml", scale_text())
    assert cli(db_url, "scales", "import", str(scale))[0] == 0
    claim = ok(db_url, "records", "claim", "1935-09-20-C", "--worker", "C")["claim_id"]
    ok(db_url, "records", "verify", claim, "--by", "inspector", "--evidence", "slips")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", CLOSE_ALONE, db_url], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    lines_text, modules_text = done.stdout.strip().splitlines()
    assert ["award:record", "500.00"] in json.loads(lines_text)
    assert "stakhanov.services.records" not in json.loads(modules_text)  # nothing else loaded


def test_a_caller_may_name_other_sources_and_pays_only_those(db_url: str, tmp_path: Path) -> None:
    month(db_url, tmp_path)
    scale = write(tmp_path / "scale", "coal.toml", scale_text())
    assert cli(db_url, "scales", "import", str(scale))[0] == 0
    claim = ok(db_url, "records", "claim", "1935-09-20-C", "--worker", "C")["claim_id"]
    ok(db_url, "records", "verify", claim, "--by", "inspector", "--evidence", "slips")

    engine = make_engine(db_url)
    september = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))
    payroll.close(engine, september, sources=())
    slip = payroll.slips(engine, september, "C").slips[0]
    assert not [line for line in slip.lines if line.code.startswith("award:")]
    engine.dispose()
