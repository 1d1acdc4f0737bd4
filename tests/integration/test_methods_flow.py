"""A method carried from submission through evaluation to a governed norm revision, and its
authors' reward on their pay slips, on SQLite and PostgreSQL (docs/methods.md works it)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from stakhanov.domain.governance import Verdict
from stakhanov.domain.periods import Period
from stakhanov.services import payroll, policies, revisions
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.db import make_engine
from tests.commands import cli, ok
from tests.integration.helpers import append, mini_copy, write
from tests.pay import scale_text

pytestmark = pytest.mark.storage
SEPTEMBER = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))


def submitted(db_url: str) -> int:
    made = ok(db_url, "methods", "submit", "--operation", "hewing", "--title", "two benches",
              "--change", "hew in two benches while timberers follow", "--evidence",
              "shift S3 log", "--time-study", "12 observations", "--author", "H1",
              "--author", "H3", "--on", "1935-09-04")  # fmt: skip
    assert made["state"] == "submitted" and made["authors"] == ["H1", "H3"]
    return int(made["method_id"])


def test_a_method_becomes_a_revision_and_its_authors_are_paid_a_share(
    db_url: str, tmp_path: Path
) -> None:
    folder = mini_copy(tmp_path)
    assert cli(db_url, "import", str(folder))[0] == 0
    engine = make_engine(db_url)
    policies.write(engine, "notice_days = 0\nmin_interval_days = 0\n", "hr", None)
    method_id = submitted(db_url)
    # Adopting before an evaluation is out of turn; nothing is proposed.
    code, _, err = cli(db_url, "methods", "adopt", str(method_id), "--norm", "8.8", "--reason",
                       "x", "--share", "0.2", "--tariff", "2.50", "--on", "1935-09-05")  # fmt: skip
    assert code == 1 and "may go to under evaluation" in err
    assert revisions.revisions(engine) == []
    ok(db_url, "methods", "evaluate", str(method_id), "--reason", "time study ordered",
       "--on", "1935-09-05")  # fmt: skip
    adopted = ok(db_url, "methods", "adopt", str(method_id), "--norm", "8.8", "--reason",
                 "the time study confirms it", "--share", "0.2", "--tariff", "2.50",
                 "--months", "3", "--on", "1935-09-10")  # fmt: skip
    assert adopted["state"] == "adopted"
    revision_id = adopted["revision"]["revision_id"]
    assert adopted["revision_id"] == revision_id
    revision = revisions.revision(engine, revision_id)
    assert revision.basis == "technical" and f"method {method_id}" in revision.document["evidence"]
    # No reward while the revision is only proposed.
    assert ok(db_url, "methods", "rewards", "--period", "1935-09") == []
    day = dt.date(1935, 9, 10)
    for step in ("rate-setter", "representatives", "director"):
        revisions.decide(engine, revision_id, step, Verdict.APPROVE, step, "agreed", day)
    assert revisions.revision(engine, revision_id).effective_from == day
    # H1 hews 44 t after the new norm takes effect: 44 x (6/8 - 6/8.8) = 3 h saved.
    append(folder, "shifts.csv", "S9,1935-09-15,6,Mine/Section 1/Brigade 1,standard,")
    append(folder, "output.csv", "S9,hewing,44,t,")
    append(folder, "crew.csv", "S9,H1,hewing,6,,")
    import_batch(engine, read_source(folder, set(FORMATS)))
    lines = ok(db_url, "methods", "rewards", "--period", "1935-09")
    # 3 h x 2.50 x 0.2 = 1.50, in two equal parts.
    assert [(b["worker_id"], b["amount"], b["date"]) for b in lines] == [
        ("H1", "0.75", "1935-09-30"),
        ("H3", "0.75", "1935-09-30"),
    ]
    assert "3 h saved" in lines[0]["explain"]
    write(tmp_path / "scale", "coal.toml", scale_text())
    assert cli(db_url, "scales", "import", str(tmp_path / "scale" / "coal.toml"))[0] == 0
    slip = payroll.slips(engine, SEPTEMBER, "H1").slips[0]
    method_lines = [line for line in slip.lines if line.code == f"method:{method_id}"]
    assert [line.amount for line in method_lines] == [Decimal("0.75")]
    # Adopting counted an innovation for each author, which title rules may name.
    listed = ok(db_url, "methods", "list", "--state", "adopted")
    assert [m["method_id"] for m in listed] == [method_id]
    assert listed[0]["steps"][-1]["reason"] == "the time study confirms it"
    engine.dispose()


def test_a_brigade_submits_and_a_rejection_is_final(db_url: str, tmp_path: Path) -> None:
    assert cli(db_url, "import", str(mini_copy(tmp_path)))[0] == 0
    made = ok(db_url, "methods", "submit", "--operation", "hewing", "--title", "cart ring",
              "--change", "carts on a ring", "--brigade", "Mine/Section 1/Brigade 2",
              "--on", "1935-09-04")  # fmt: skip
    assert made["authors"] == ["H3"] and made["brigade"] == "Mine/Section 1/Brigade 2"
    method_id = str(made["method_id"])
    ok(db_url, "methods", "evaluate", method_id, "--reason", "try", "--on", "1935-09-05")
    code, _, err = cli(db_url, "methods", "reject", method_id, "--reason", " ", "--on",
                       "1935-09-06")  # fmt: skip
    assert code == 1 and "reason" in err
    ok(db_url, "methods", "reject", method_id, "--reason", "no gain measured", "--on",
       "1935-09-06")  # fmt: skip
    code, _, err = cli(db_url, "methods", "evaluate", method_id, "--reason", "again")
    assert code == 1 and "decided" in err
    code, _, err = cli(db_url, "methods", "submit", "--operation", "hewing", "--title", "t",
                       "--change", "c", "--author", "NOBODY")  # fmt: skip
    assert code == 1 and "NOBODY" in err


def test_a_record_set_with_ones_own_method_stays_ones_own_and_says_so(
    db_url: str, tmp_path: Path
) -> None:
    from tests.governance_ledgers import Builder, norm

    build = Builder(norm("7"))
    _ = [build.shift(worker, "7") for worker in "ABCDEF"]
    record = build.shift("R", "10.5")
    write_all(tmp_path / "claimed", build.csv())
    assert cli(db_url, "import", str(tmp_path / "claimed"))[0] == 0
    ok(db_url, "methods", "submit", "--operation", "hewing", "--title", "steady rest",
       "--change", "a steady rest", "--author", "R", "--on", "1936-02-01")  # fmt: skip
    assert cli(db_url, "records", "claim", record, "--worker", "R")[0] == 0
    document = ok(db_url, "norms", "propose", "hewing", "--basis", "statistical", "--period",
                  "1936-03", "--percentile", "95", "--reason", "review", "--dry-run")  # fmt: skip
    (excluded,) = document["statistical"]["exclusions"]
    assert excluded["reasons"] == ["own record"]
    assert "set with his own method (method 1: steady rest)" in excluded["message"]


def write_all(folder: Path, files: dict[str, str]) -> None:
    for name, body in files.items():
        write(folder, name, body)
