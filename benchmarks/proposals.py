"""`norms propose` before and after decisions 0903 and 0906, side by side in one run.

`reference` is the whole path (`propose(..., reference=True)`: the whole window's ledger,
audited whole, every worker's pay replayed twice); `domain` reads the shifts that measured the
operation and replays the pay of its workers with the domain's `payroll_of` (decision 0903);
`engine` computes that pay with the set-based close engine (decision 0906). All dry runs, on
the database given (a copy: the generated month's scale is imported into it when it has none,
and an upgrade may run on first open), for one operation with the default window; the
documents must be equal.

    PYTHONPATH=src python benchmarks/proposals.py --db /tmp/copy.db --operation hewing
    PYTHONPATH=src python benchmarks/proposals.py --db /tmp/copy.db --paths reference,engine
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
from stakhanov.services import payroll_engine, proposals
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
    parser.add_argument(
        "--paths",
        default="domain,engine",
        help="comma-separated, in order: reference, domain, engine (one alone: its own peak)",
    )
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
    # (the whole window, the pay's method)
    paths = {
        "reference": (True, payroll_engine.REFERENCE),
        "domain": (False, payroll_engine.REFERENCE),
        "engine": (False, payroll_engine.ENGINE),
    }
    chosen = asked.paths.split(",")
    documents, times = {}, {}
    for name in chosen:
        whole, method = paths[name]
        best = None
        for _ in range(asked.repeat):
            with payroll_engine.computed_by(method):
                document, seconds = timed(
                    lambda whole=whole: proposals.propose(
                        engine, request, dry_run=True, reference=whole
                    )
                )
            best = seconds if best is None else min(best, seconds)
        documents[name], times[name] = document, best
        impact = document["impact"]
        print(
            f"{name}: {best:.2f} s (best of {asked.repeat}), workers shown "
            f"{impact['workers_count']}, pay {impact['pay_old']} -> {impact['pay_new']}, "
            f"peak {peak_mb():.0f} MB so far"
        )
    first = chosen[0]
    for name in chosen[1:]:
        assert documents[name] == documents[first], f"{name}'s document differs from {first}'s"
        print(f"{first} / {name}: {times[first] / times[name]:.2f}x, documents equal")


if __name__ == "__main__":
    main()
