"""A month of shifts (September 1935, Monday to Saturday) whose titles, standings and boards
are worked out by hand in the tests. Hewing norm 7 t / 6 h (includes timbering), loading
14 t / 6 h. Every worker works every day, 6 h:

A  Section 1  7.7 t alone                      110%
B  Section 1  16.8 t while T timbers his face  240% stated, 120% fair
C  Section 1  15.4 t alone                     220%
D  Section 1  9.1 t alone; an incident on 10 September          130%
E  Section 1  8.4 t alone, 1.0 t rejected each shift (10.6%)    120%
F  Section 1  7.35 t alone, 0 t rejected (quality checked)      105%
L  Section 2  15.4 t of loading                110%
M  Section 3  7 t until 10 September (100%), then 14 t (200%)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

DAYS = [
    dt.date(1935, 9, day)
    for day in range(2, 29)
    if dt.date(1935, 9, day).weekday() != 6  # no Sundays
]
INCIDENT_DAY = dt.date(1935, 9, 10)
LINK_DAY = dt.date(1935, 9, 11)
WORKERS = {
    "A": "1",
    "B": "1",
    "C": "1",
    "D": "1",
    "E": "1",
    "F": "1",
    "T": "1",
    "L": "2",
    "M": "3",
}
OWN = {"A": "7.7", "C": "15.4", "D": "9.1", "E": "8.4", "F": "7.35"}
REJECTED = {"E": "1.0", "F": "0"}


def _unit(section: str) -> str:
    return f"Mine/Section {section}/Brigade 1"


def write_month(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    workers = ["worker_id,name,unit,trade,grade"]
    workers += [f"{w},Worker {w},{_unit(s)},hewer,5" for w, s in WORKERS.items()]
    norms = [
        "operation,unit,kind,norm,norm_hours,includes,max_rate,effective_from,method,source",
        "hewing,t,output,7,6,timbering,10,1935-01-01,decree,test",
        "loading,t,output,14,6,,6,1935-01-01,statistical,test",
    ]
    shifts = ["shift_id,date,hours,workplace,conditions,note"]
    output = ["shift_id,operation,quantity,unit,rejected"]
    crew = ["shift_id,worker_id,operation,hours,credited,coefficient"]
    for day in DAYS:
        for worker, section in WORKERS.items():
            if worker == "T":
                continue
            shift_id = f"{day.isoformat()}-{worker}"
            shifts.append(f"{shift_id},{day.isoformat()},6,{_unit(section)},standard,")
            operation, quantity = "hewing", OWN.get(worker)
            if worker == "B":
                quantity = "16.8"
                crew.append(f"{shift_id},T,timbering,6,,")
            if worker == "L":
                operation, quantity = "loading", "15.4"
            if worker == "M":
                quantity = "7" if day < LINK_DAY else "14"
            output.append(f"{shift_id},{operation},{quantity},t,{REJECTED.get(worker, '')}")
            crew.append(f"{shift_id},{worker},{operation},6,{quantity},")
    incidents = [
        "incident_id,date,shift_id,worker_ids,severity,description",
        f"I1,{INCIDENT_DAY.isoformat()},{INCIDENT_DAY.isoformat()}-D,D,minor,slipped on a wet rail",
    ]
    for name, lines in (
        ("workers.csv", workers),
        ("norms.csv", norms),
        ("shifts.csv", shifts),
        ("output.csv", output),
        ("crew.csv", crew),
        ("incidents.csv", incidents),
    ):
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
