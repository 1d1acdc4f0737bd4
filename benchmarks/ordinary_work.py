"""Honour boards and title evaluation: the domain's reference path (old) and the set-based
tallies from the stored results (new), side by side on one database (decision 0890).

Run: .venv/bin/python benchmarks/ordinary_work.py --db copy.db [--period 2025-09]
     [--unit "Zarya Combine"] [--section "Zarya Combine/Mine 1"]
     [--brigade "Zarya Combine/Mine 1/Brigade 1"]

Each call runs in a fresh process (old, then new, per call), so that its peak memory is its
own; it prints CPU seconds, wall seconds and peak resident memory, and whether old and new
gave the same answer. Use a copy of the database: nothing is written, but it is upgraded.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

CALLS = {
    "board": "honour.board(engine, {unit!r}, period, workers={workers}, reference={old})",
    "titles": "titles.evaluate(engine, period, reference={old})",
}
CHILD = """
import hashlib
from stakhanov.domain.periods import parse_period
from stakhanov.services import honour, titles
from stakhanov.store.db import make_engine
engine = make_engine({url!r})
period = parse_period({period!r})
found = {call}
shown = (found.proposals, found.exclusions) if hasattr(found, "proposals") else found
print(hashlib.sha256(repr(shown).encode()).hexdigest())
"""


def _run(url: str, period: str, call: str) -> tuple[float, float, float, str]:
    """CPU s, wall s, peak resident MB and the answer's digest of one call, in its own process."""
    code = CHILD.format(url=url, period=period, call=call)
    start = time.perf_counter()
    child = subprocess.Popen(
        ["nice", "-n", "10", sys.executable, "-c", code], stdout=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    digest = child.stdout.read().strip()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"failed: {call}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--period", default="2025-09")
    parser.add_argument("--unit", default="Zarya Combine")
    parser.add_argument("--section", default="Zarya Combine/Mine 1")
    parser.add_argument("--brigade", default="Zarya Combine/Mine 1/Brigade 1")
    args = parser.parse_args()
    url = f"sqlite:///{args.db}"
    cases = {
        "board, whole unit, workers": ("board", args.unit, True),
        "board, whole unit, teams": ("board", args.unit, False),
        "board, a section, workers": ("board", args.section, True),
        "board, a brigade, workers": ("board", args.brigade, True),
        "titles evaluate": ("titles", None, None),
    }
    found = {}
    for name, (kind, unit, workers) in cases.items():
        row = {}
        for side, old in (("old", True), ("new", False)):
            call = CALLS[kind].format(unit=unit, workers=workers, old=old)
            row[side] = _run(url, args.period, call)
        same = row["old"][3] == row["new"][3]
        found[name] = {side: row[side][:3] for side in row} | {"same": same}
        cells = "  ".join(
            f"{side} {cpu:6.2f} s cpu {wall:6.2f} s wall {rss:5.0f} MB"
            for side, (cpu, wall, rss, _) in row.items()
        )
        print(f"{name:28} {cells}  same: {same}", flush=True)
    print(json.dumps(found))


if __name__ == "__main__":
    main()
