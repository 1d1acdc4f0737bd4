"""Simulated shifts go through `stakhanov import` and the ledger conserves their credits."""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from typer.testing import CliRunner

from stakhanov.cli.main import app


def test_exported_shifts_import_and_their_credits_conserve_the_output(
    db_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "shifts"
    result = runner.invoke(
        app,
        ["simulate", "site", "central-irmino-1935", "-o", "solo", "-o", "brigade", "--runs", "3",
         "--faces", "2", "--export", str(out), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    for organisation in ("solo", "brigade"):
        folder = out / organisation
        imported = runner.invoke(app, ["--db", db_url, "import", str(folder)])
        assert imported.exit_code == 0, imported.output
        measured = {r["shift_id"]: Decimal(r["quantity"]) for r in _rows(folder / "output.csv")}
        credited: dict[str, Decimal] = defaultdict(Decimal)
        for row in _rows(folder / "crew.csv"):
            credited[row["shift_id"]] += Decimal(row["credited"] or 0)
        assert credited == measured
        assert len(measured) == 3 * 2
    shown = runner.invoke(
        app, ["--db", db_url, "fulfilment", "--by", "worker", "--json"], catch_exceptions=False
    )
    assert shown.exit_code == 0, shown.output
    import json

    rows = {(r["worker_id"], r["operation"]): r for r in json.loads(shown.output)}
    # The solo miner's own timbering, loading and haulage sit in his hewing row (the norm
    # includes them), so his stated and fair figures agree; the brigade hewer's do not.
    solo = rows[("F1-M1", "hewing")]
    assert solo["percent"] == solo["fair_percent"]
    hewer = rows[("F1-H1", "hewing")]
    assert Decimal(str(hewer["percent"])) > 3 * Decimal(str(hewer["fair_percent"]))
    audit = runner.invoke(app, ["--db", db_url, "audit", "--json"])
    kinds = {(f["kind"], f["shift_id"][:11]) for f in json.loads(audit.output)}
    assert ("assisted", "SIM-brigade") in kinds
    assert ("assisted", "SIM-solo-0") not in kinds


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
