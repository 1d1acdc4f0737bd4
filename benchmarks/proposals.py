"""`norms propose` before and after decision 0903, side by side in one run.

`before` is the reference path (`propose(..., reference=True)`: the whole window's ledger,
audited whole, every worker's pay replayed twice); `after` reads the shifts that measured the
operation and the pay of its workers. Both dry runs, on the database given (a copy: the
generated month's scale is imported into it when it has none, and an upgrade may run on
first open), for one operation with the default window; the two documents must be equal.

    PYTHONPATH=src python benchmarks/proposals.py --db /tmp/copy.db --operation hewing
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from stakhanov.domain.proposals import Basis
from stakhanov.services import proposals
from stakhanov.services.generator import month_scale
from stakhanov.services.scales import import_scales
from stakhanov.store.db import make_engine
from stakhanov.store.payroll import PayStore


def timed(work: Callable[[], Any]) -> tuple[Any, float]:
    wall = time.perf_counter()
    found = work()
    return found, time.perf_counter() - wall


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True, help="a copy of an imported database (SQLite)")
    parser.add_argument("--operation", default="hewing")
    parser.add_argument("--basis", choices=["statistical", "technical"], default="statistical")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", choices=["before", "after"], help="one path (its own peak)")
    asked = parser.parse_args()
    engine = make_engine(f"sqlite:///{asked.db}")
    with engine.connect() as connection:
        scales, _ = PayStore(connection).scales()
    if not scales:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "bench.toml"
            path.write_text(month_scale("bench"))
            import_scales(engine, [path])
    technical = asked.basis == "technical"
    request = proposals.Request(
        operation=asked.operation,
        basis=Basis(asked.basis),
        by="bench",
        reason="benchmark",
        proposed_on=dt.date.today(),
        evidence="bench" if technical else None,
        norm=Decimal("1.05") if technical else None,
    )
    paths = {"before": True, "after": False}
    chosen = [asked.only] if asked.only else list(paths)
    documents = {}
    for name in chosen:
        best = None
        for _ in range(asked.repeat):
            document, seconds = timed(
                lambda name=name: proposals.propose(
                    engine, request, dry_run=True, reference=paths[name]
                )
            )
            best = seconds if best is None else min(best, seconds)
        documents[name] = document
        impact = document["impact"]
        print(
            f"{name}: {best:.2f} s (best of {asked.repeat}), workers shown "
            f"{impact['workers_count']}, pay {impact['pay_old']} -> {impact['pay_new']}, "
            f"peak {peak_mb():.0f} MB so far"
        )
    if len(documents) == 2:
        assert documents["before"] == documents["after"], "the documents differ"
        print("documents equal")


if __name__ == "__main__":
    main()
