"""The domain's texts in Russian where a person reads them (decision 0870): a pay slip's PDF
and table, a norm notice; the JSON keeps the English the domain wrote."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.commands import cli
from tests.e2e.test_payroll_cli import AUGUST, ready
from tests.integration.helpers import write

pytestmark = pytest.mark.storage


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
def test_a_slip_in_russian_explains_each_line(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready(db_url, tmp_path)
    assert cli(db_url, "payroll", "close", *AUGUST)[0] == 0
    english = json.loads(cli(db_url, "payroll", "show", "--worker", "H1", *AUGUST, "--json")[1])
    monkeypatch.setenv("LANGUAGE", "ru")
    pdf = tmp_path / "slip.pdf"
    code, out, err = cli(db_url, "payroll", "show", "--worker", "H1", *AUGUST, "--pdf", str(pdf))
    assert code == 0, err
    text = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "сдельная расценка = тарифная ставка" in flat
    assert "выработка сверх 150% (10,5 t): 102 − 10,5 = 91,5 t" in flat  # numbers as read in ru
    assert "accepted x piece rate" not in flat and "tariff" not in flat
    # The table too, and the JSON as the domain wrote it, in any language.
    assert "принято" in " ".join(out.split())
    russian = json.loads(cli(db_url, "payroll", "show", "--worker", "H1", *AUGUST, "--json")[1])
    assert russian == english
    assert "accepted x piece rate" in english["lines"][0]["explain"]


def test_a_norm_notice_in_russian_says_how_the_norm_was_set(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "works"
    write(
        folder, "workers.csv", "worker_id,name,unit,trade,grade\nL1,Turner,Works/Shop 1,presser,4\n"
    )
    write(
        folder,
        "norms.csv",
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source\n"
        "pressing,piece,output,100,8,,,1935-01-01,time study,study 3\n",
    )
    write(
        folder,
        "provenance.csv",
        "operation,effective_from,method,observations,pace_rating,allowances,evidence,approved_by\n"
        "pressing,1935-01-01,time study,40,100,12,study 3,engineer\n",
    )
    write(
        folder,
        "shifts.csv",
        "shift_id,date,hours,workplace,conditions,note\nT1,1935-09-02,8,Works/Shop 1,standard,\n",
    )
    write(
        folder, "output.csv", "shift_id,operation,quantity,unit,rejected\nT1,pressing,95,piece,\n"
    )
    write(
        folder,
        "crew.csv",
        "shift_id,worker_id,operation,hours,credited,coefficient\nT1,L1,pressing,8,,\n",
    )
    assert cli(db_url, "import", str(folder))[0] == 0
    asked = ("norms", "notice", "--worker", "L1", "--on", "1935-09-30")
    english = json.loads(cli(db_url, *asked, "--json")[1])
    monkeypatch.setenv("LANGUAGE", "ru")
    code, out, err = cli(db_url, *asked)
    assert code == 0, err
    flat = " ".join(out.split())
    assert (
        "установлена хронометражем (наблюдений: 40, оценка темпа 100%, надбавки 12%); "
        "обоснование: study 3; утвердил(а): engineer"
    ) in flat
    assert "смена 8 ч: 100 piece при" in flat and "за рабочий час (темп" in flat
    assert json.loads(cli(db_url, *asked, "--json")[1]) == english
    assert english["norms"][0]["how_set"].startswith("set by time study (40 observations")
