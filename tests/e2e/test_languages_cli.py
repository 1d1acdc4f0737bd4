"""The command line in the reader's language (LANGUAGE/LC_ALL/LC_MESSAGES/LANG), JSON unchanged,
and a pay slip PDF in Spanish with its money in the Spanish locale."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.commands import cli
from tests.e2e.test_payroll_cli import AUGUST, ready

pytestmark = pytest.mark.storage
BROKEN = Path(__file__).parent.parent / "fixtures" / "broken"


def test_a_refusal_in_russian_with_its_plural(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    code, _, err = cli(db_url, "import", str(BROKEN))
    assert code == 1
    assert err.splitlines()[-1] == "3 ошибки; ничего не записано"
    monkeypatch.setenv("LANGUAGE", "es:ru")  # LANGUAGE's list comes before LANG
    assert cli(db_url, "import", str(BROKEN))[2].splitlines()[-1] == (
        "3 problemas; no se escribió nada"
    )


def test_reports_in_russian_and_json_unchanged(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready(db_url, tmp_path)
    english = cli(db_url, "payroll", "close", *AUGUST, "--json")[1]
    monkeypatch.setenv("LC_ALL", "ru_RU.UTF-8")
    code, out, err = cli(db_url, "payroll", "close", *AUGUST)
    assert code == 0, err
    assert "уже был закрыт; ничего не изменилось." in out
    assert "6 расчётных листков, начислено" in out
    russian = cli(db_url, "payroll", "close", *AUGUST, "--json")[1]
    assert json.loads(russian) == {**json.loads(english), "already_closed": True}
    monkeypatch.setenv("COLUMNS", "200")  # headings on one line each, whatever the data's width
    code, out, _ = cli(db_url, "payroll", "list", *AUGUST)
    assert code == 0 and "к выплате" in out and "табельный номер" in out  # the headings


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
def test_a_slip_pdf_in_spanish(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready(db_url, tmp_path)
    assert cli(db_url, "payroll", "close", *AUGUST)[0] == 0
    monkeypatch.setenv("LANGUAGE", "es")
    pdf = tmp_path / "slip.pdf"
    code, _, err = cli(db_url, "payroll", "show", "--worker", "H1", *AUGUST, "--pdf", str(pdf))
    assert code == 0, err
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Recibo de sueldo" in text
    assert "Neto a pagar: 341,56\xa0RUB" in text or "Neto a pagar: 341,56 RUB" in text
    assert "345,01" in text  # the gross, with the Spanish decimal comma, every kopeck kept
    assert "1 ago 1935" in text  # the period's dates in Spanish


def test_a_services_refusal_in_russian_and_english_for_json(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A refusal's reason in the reader's words (decision 0871); asked for JSON, a script reads
    it in English, as the JSON."""
    ready(db_url, tmp_path)
    target = tmp_path / "journal.csv"
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    code, _, err = cli(db_url, "payroll", "export", *AUGUST, "--journal", str(target))
    assert code == 1 and not target.exists()
    assert "1935-08-01..1935-08-31 — не закрытый расчётный период" in err
    assert "not a closed pay period" not in err
    code, out, err = cli(db_url, "payroll", "export", *AUGUST, "--journal", str(target), "--json")
    assert code == 1 and out == ""
    assert "1935-08-01..1935-08-31 is not a closed pay period" in err
    code, _, err = cli(db_url, "import", str(BROKEN))
    assert "shifts.csv:7:date: должна быть датой ISO, например 1935-08-31" in err
    assert "crew.csv:13:worker_id: неизвестный работник 'NOBODY'" in err


@pytest.mark.parametrize(
    ("language", "labels", "heading"),
    [("ru", ("сводная", "неправдоподобная"), "вид"), ("es", ("agrupado", "inverosímil"), "tipo")],
)
def test_what_blocks_a_lock_by_its_finding_kinds_labels(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    language: str,
    labels: tuple[str, str],
    heading: str,
) -> None:
    """`payroll check` names each blocking item's kind by its label; --json keeps the code."""
    ready(db_url, tmp_path)
    september = ("--from", "1935-09-01", "--to", "1935-09-30")
    english = cli(db_url, "payroll", "check", *september, "--json")[1]
    monkeypatch.setenv("LANGUAGE", language)
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = cli(db_url, "payroll", "check", *september)
    assert code == 0, err
    assert all(label in out for label in labels) and heading in out.casefold()
    assert "implausible" not in out and "pooled" not in out
    assert cli(db_url, "payroll", "check", *september, "--json")[1] == english


def test_a_refused_close_names_what_blocks_it_in_the_readers_words(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`payroll close` refused by open findings lists them by their kinds' labels and their
    translated messages; asked for JSON, in English, as before."""
    ready(db_url, tmp_path)
    september = ("--from", "1935-09-01", "--to", "1935-09-30")
    code, _, english = cli(db_url, "payroll", "close", *september, "--json")
    assert code == 1 and "implausible S5:" in english
    monkeypatch.setenv("LANGUAGE", "ru")
    monkeypatch.setenv("COLUMNS", "200")
    code, _, err = cli(db_url, "payroll", "close", *september)
    assert code == 1
    assert "неправдоподобная S5: записанная выработка в час выше физического предела" in err
    assert "implausible" not in err
