"""Contract items at the command line's edge: a reading command never creates a database, a
correction needs a reason, and a service's refusal ends a command with exit 1 and its words."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stakhanov.store.db import ENV_URL
from tests.commands import cli
from tests.integration.helpers import mini_copy

READING = [
    ("fulfilment", "--period", "1935-08"),
    ("audit", "--json"),
    ("workers",),
    ("payroll", "show", "--worker", "H1", "--period", "1935-08"),
    ("norms",),
    ("records", "claims"),
]


def files_at(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + "*"))


@pytest.mark.parametrize("command", READING, ids=lambda c: " ".join(c[:2]))
def test_a_reading_command_on_a_missing_file_creates_nothing(
    command: tuple[str, ...], tmp_path: Path
) -> None:
    missing = tmp_path / "typo.db"
    code, out, err = cli(f"sqlite:///{missing}", *command)
    assert code == 2, err
    assert "no database at" in err and str(missing) in err
    assert "--db" in err and ENV_URL in err
    assert out == "" and files_at(missing) == []


def test_the_environment_variable_is_refused_alike(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from stakhanov.cli.main import app

    missing = tmp_path / "elsewhere.db"
    monkeypatch.setenv(ENV_URL, f"sqlite:///{missing}")
    result = CliRunner().invoke(app, ["workers", "--json"])
    assert result.exit_code == 2 and "no database at" in result.stderr
    assert files_at(missing) == []


def test_a_writing_command_creates_the_database(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    code, _, err = cli(f"sqlite:///{target}", "import", str(mini_copy(tmp_path)))
    assert code == 0, err and target.exists()
    code, out, _ = cli(f"sqlite:///{target}", "workers", "--json")
    assert code == 0 and {w["worker_id"] for w in json.loads(out)} >= {"H1", "H2"}
    fresh = tmp_path / "fresh.db"
    assert cli(f"sqlite:///{fresh}", "init")[0] == 0 and fresh.exists()


@pytest.mark.storage
@pytest.mark.parametrize("reason", [None, "", "   "])
def test_a_correction_without_a_reason_is_a_usage_error(
    db_url: str, tmp_path: Path, reason: str | None
) -> None:
    folder = mini_copy(tmp_path)
    assert cli(db_url, "import", str(folder))[0] == 0
    workers = folder / "workers.csv"
    workers.write_text(
        workers.read_text().replace(
            "Hewer Three,Mine/Section 1/Brigade 2", "Hewer Three,Mine/Section 1/Brigade 1"
        )
    )
    given = () if reason is None else ("--reason", reason)
    code, _, err = cli(db_url, "import", str(folder), "--correct", *given)
    assert code == 2 and "--correct needs --reason" in err
    code, out, _ = cli(db_url, "workers", "--unit", "Mine/Section 1/Brigade 2", "--json")
    assert [w["worker_id"] for w in json.loads(out)] == ["H3"]  # nothing was written
    code, _, err = cli(db_url, "import", str(folder), "--correct", "--reason", "re-weighed")
    assert code == 0, err


@pytest.mark.storage
def test_a_service_refusal_exits_1_with_its_reason(db_url: str, tmp_path: Path) -> None:
    assert cli(db_url, "import", str(mini_copy(tmp_path)))[0] == 0
    code, out, err = cli(db_url, "records", "verify", "NOPE", "--by", "auditor", "--evidence", "x")
    assert code == 1 and "unknown claim 'NOPE'" in err and out == ""
    code, _, err = cli(db_url, "void", "S1", "--reason", " ")
    assert code == 1 and "needs a reason" in err
