"""The demo's invented incidents fall on shifts their workers really worked."""

from __future__ import annotations

import csv
from pathlib import Path

from stakhanov.data.irmino import HEADERS, write_demo_dataset


def rows(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_incidents_name_workers_of_their_shifts(tmp_path: Path) -> None:
    write_demo_dataset(tmp_path)
    header = (tmp_path / "incidents.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header == ",".join(HEADERS["incidents.csv"])
    crews = {(r["shift_id"], r["worker_id"]) for r in rows(tmp_path, "crew.csv")}
    dates = {r["shift_id"]: r["date"] for r in rows(tmp_path, "shifts.csv")}
    incidents = rows(tmp_path, "incidents.csv")
    assert [i["incident_id"] for i in incidents] == ["INC-1", "INC-2", "INC-3"]
    for incident in incidents:
        assert (incident["shift_id"], incident["worker_ids"]) in crews
        assert dates[incident["shift_id"]] == incident["date"]
        assert incident["description"].endswith("(invented for the demo)")
