"""Pay inputs for the Central-Irmino demo, all invented (see PROVENANCE.md): a few hours of idle,
rest and non-productive time, and rejected coal found to be the hewer's own fault.

They are derived by fixed rules from the demo's own CSV files, so the same mine always gets the
same rows, and the mine itself (and its random draws) is untouched.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

__all__ = ["PAY_HEADERS", "write_pay_inputs"]

PAY_HEADERS = {
    "time.csv": ("worker_id", "date", "kind", "operation", "hours", "note"),
    "rejects.csv": ("shift_id", "operation", "worker_id", "quantity", "note"),
}
IDLE_DAY, IDLE_SECTION, IDLE_HOURS = "1935-08-20", "Section 7", "1.5"
IDLE_NOTE = "invented for the demo: compressor failure, no air for the drills"
TRAINING_DAY, TRAINING_SECTION = "1935-08-10", "Section 8"
TRAINING_NOTE = "invented for the demo: safety instruction before the shift"
REST_DAY, REST_SECTION = "1935-08-15", "Section 6"
REST_NOTE = "invented for the demo: paid rest break"
FAULT_SECTION, FAULT_MONTH, FAULT_LEAST = "Section 9", "1935-08", "0.3"
FAULT_NOTE = "invented for the demo: rock left in the coal"


def _rows(directory: Path, name: str) -> list[dict[str, str]]:
    with (directory / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_pay_inputs(directory: Path) -> None:
    """Write time.csv and rejects.csv next to the demo's other files."""
    shifts = {s["shift_id"]: s for s in _rows(directory, "shifts.csv")}
    crew = defaultdict(list)
    for row in _rows(directory, "crew.csv"):
        crew[row["shift_id"]].append(row)
    time: list[tuple[str, ...]] = []
    for shift_id, shift in sorted(shifts.items()):
        hewers = sorted(r["worker_id"] for r in crew[shift_id] if r["operation"] == "hewing")
        loaders = sorted(r["worker_id"] for r in crew[shift_id] if r["operation"] == "loading")
        place = shift["workplace"]
        if shift["date"] == IDLE_DAY and f"/{IDLE_SECTION}/" in place:
            time += [(w, IDLE_DAY, "idle", "hewing", IDLE_HOURS, IDLE_NOTE) for w in hewers]
        if shift["date"] == TRAINING_DAY and f"/{TRAINING_SECTION}/" in place:
            time += [
                (w, TRAINING_DAY, "nonproductive", "hewing", "1", TRAINING_NOTE) for w in hewers
            ]
        if shift["date"] == REST_DAY and f"/{REST_SECTION}/" in place:
            time += [(w, REST_DAY, "rest", "loading", "0.5", REST_NOTE) for w in loaders]
    rejects = []
    for row in _rows(directory, "output.csv"):
        shift = shifts[row["shift_id"]]
        doers = [r for r in crew[row["shift_id"]] if r["operation"] == row["operation"]]
        rejected = row["rejected"]
        if (
            row["operation"] == "hewing"
            and len(doers) == 1
            and shift["date"].startswith(FAULT_MONTH)
            and f"/{FAULT_SECTION}/" in shift["workplace"]
            and row["unit"] == "t"
            and rejected
            and Decimal(rejected) >= Decimal(FAULT_LEAST)
        ):
            worker = doers[0]["worker_id"]
            rejects.append((row["shift_id"], "hewing", worker, rejected, FAULT_NOTE))
    for name, rows in (("time.csv", sorted(time)), ("rejects.csv", sorted(rejects))):
        with (directory / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(PAY_HEADERS[name])
            writer.writerows(rows)
