"""What the pages and their API calls cost at two ledger sizes, read from the read model.

Run: .venv/bin/python benchmarks/pages.py [--rows 10000,100000] [--repeat 7] [--postgres URL]
     .venv/bin/python benchmarks/pages.py --db copy.db [--db copy2.db] [--only director]
         [--skip "domain reference"] [--repeat 7]

For each size it generates a month (`stakhanov generate`), imports it with the bulk import
(which keeps the read model), then times the service calls each page and API call makes for
one brigade, one worker and the director (the whole enterprise), `--repeat` times each, and
prints p50 and p95 wall seconds per call and the ratio largest size / smallest size (the
director's overview and the audit queue at 1x and 10x side by side with the default sizes). The
import itself is timed once, apart. No thresholds: ratios within one run are what compare.

With `--db` it times the calls on an existing SQLite database of a generated September 2025
(a copy: it is upgraded, and its read model filled where the upgrade added sums, timed apart),
so that two versions of the code can be timed on the same data, side by side; `--only` keeps
the calls whose name holds the text, `--skip` leaves out those whose name holds it. Several
`--db` (say 100k and 10M crew rows) are timed one after the other in the same run and printed
side by side with the ratio of the last to the first.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import inspect
import platform
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from stakhanov.domain.fulfilment import Grouping
from stakhanov.domain.periods import Period
from stakhanov.services import (
    audit_queue,
    dashboard,
    honour,
    plans,
    read_model,
    reports,
    slip_pages,
)
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.generator import DEFAULT_START, Settings, generate, month_scale
from stakhanov.services.scales import import_scales
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.payroll import PayStore

DAYS = 30  # September 2025, a whole month: the overview reads the month sums
ROWS_PER_WORKER = 16.7  # crew rows per worker in a generated 30-day month
PERIOD = Period(DEFAULT_START, DEFAULT_START + dt.timedelta(days=DAYS - 1))
WEEK = Period(DEFAULT_START + dt.timedelta(days=7), DEFAULT_START + dt.timedelta(days=13))


def _database(folder: Path, postgres: str | None) -> Engine:
    if postgres is None:
        engine = make_engine(f"sqlite:///{folder / 'ledger.db'}")
    else:
        name = f"stk_bench_{uuid.uuid4().hex[:8]}"
        admin = make_engine(postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        engine = make_engine(postgres.rsplit("/", 1)[0] + f"/{name}")
    upgrade(engine)
    return engine


def _calls(
    engine: Engine, only: str | None = None, skip: Sequence[str] = ()
) -> dict[str, Callable[[], Any]]:
    calls = _all_calls(engine)
    return {
        name: call
        for name, call in calls.items()
        if (only is None or only in name) and not any(text in name for text in skip)
    }


def _all_calls(engine: Engine) -> dict[str, Callable[[], Any]]:
    """Each page's service calls (the API's calls are the same ones), for one scope each."""
    with engine.connect() as connection:
        brigade, worker = connection.execute(
            text("SELECT home, worker_id FROM read_results ORDER BY home, worker_id LIMIT 1")
        ).one()
    return {
        "brigade page: fulfilment by worker": lambda: dashboard.fulfilment(
            engine, PERIOD, Grouping.WORKER, None, brigade
        ),
        "brigade page: daily trend": lambda: dashboard.trend(engine, PERIOD, None, brigade),
        "worker page: fulfilment": lambda: reports.fulfilment(
            engine, PERIOD, Grouping.WORKER, brigade, worker
        ),
        **_weeks(engine, brigade, worker),
        **_honour(engine, brigade),
        "worker page: trend": lambda: dashboard.trend(engine, PERIOD, [brigade], None, worker),
        "worker page: shifts": lambda: dashboard.shifts(engine, PERIOD, [], None, worker),
        "shifts list: first page (300)": lambda: dashboard.shifts(
            engine, PERIOD, None, None, limit=301
        ),
        "audit queue: brigade": lambda: dashboard.reviewed(engine, PERIOD, [brigade]),
        "director: fulfilment by unit": lambda: dashboard.fulfilment(
            engine, PERIOD, Grouping.UNIT, None
        ),
        "director: unit totals": lambda: dashboard.unit_totals(engine, PERIOD, None),
        "director: daily trend": lambda: dashboard.trend(engine, PERIOD, None),
        "director: findings per kind": lambda: dashboard.finding_counts(engine, PERIOD, None),
        "director: whole overview": lambda: _overview(engine),
        "director: overview, sorted by fair percent": lambda: _sorted_overview(engine),
        "director: a page of units (unit sums)": lambda: dashboard.unit_page(
            engine, PERIOD, None, dashboard.Page()
        ),
        "director: a page of units by operation (unit sums)": lambda: dashboard.unit_operations(
            engine, PERIOD, None, dashboard.Page()
        ),
        "audit queue: director, page 1": lambda: audit_queue.queue(
            engine, None, audit_queue.Query()
        ),
        "audit queue: director, page 20": lambda: audit_queue.queue(
            engine, None, audit_queue.Query(status=None, page=20)
        ),
        "audit queue: director, sorted by status, page 20": lambda: audit_queue.queue(
            engine, None, audit_queue.Query(status=None, sort=audit_queue.Sort.STATUS, page=20)
        ),
        "audit queue: brigade, page 1": lambda: audit_queue.queue(
            engine, None, audit_queue.Query(unit=brigade)
        ),
        "GET /api/audit: director, open, page 1 of 100": lambda: _api_audit(engine),
        "plans: status of every brigade's plan": lambda: plans.status(
            engine, PERIOD, None, PERIOD.end
        ),
        **_slips(engine, brigade, worker),
    }


def _slips(engine: Engine, brigade: str, worker: str) -> dict[str, Callable[[], Any]]:
    """The pay page: its list of slips, a page of 50 (the month's locked slips where it is
    closed, else the page's workers' slips computed for them), and one worker's slip."""
    with engine.connect() as connection:
        closed = next((c for c in PayStore(connection).periods() if c.period == PERIOD), None)
    state = "closed" if closed else "open"

    def listed(scope: list[str] | None) -> Any:
        if closed is not None:
            return slip_pages.closed_list(engine, closed, scope, slip_pages.Asked())
        return slip_pages.open_list(engine, PERIOD, scope, slip_pages.Asked(), None)

    return {
        f"pay slips list ({state}): director, page 1": lambda: listed(None),
        f"pay slips list ({state}): brigade, page 1": lambda: listed([brigade]),
        f"pay slip ({state}): one worker": lambda: slip_pages.slip(engine, PERIOD, None, worker),
    }


def _weeks(engine: Engine, brigade: str, worker: str) -> dict[str, Callable[[], Any]]:
    """Fulfilment of a week inside the month from the day sums, and from the rows as it was
    read before them (decision 0599), side by side in one run."""
    scopes = {
        "brigade by worker": (Grouping.WORKER, [brigade], None),
        "worker": (Grouping.WORKER, [brigade], worker),
        "director by unit": (Grouping.UNIT, None, None),
    }
    calls: dict[str, Callable[[], Any]] = {}
    for name, (grouping, within, one) in scopes.items():
        args = (engine, WEEK, grouping, within, one)
        calls[f"a week: {name}, day sums"] = partial(read_model.fulfilment, *args)
        calls[f"a week: {name}, rows (before)"] = partial(read_model.from_rows, *args)
    return calls


def _honour(engine: Engine, brigade: str) -> dict[str, Callable[[], Any]]:
    """The honour board of a brigade and of the director's whole unit, from the stored results
    (decision 0890), and the workers' boards by the domain's reference path, side by side."""
    top = brigade.split("/")[0]
    calls: dict[str, Callable[[], Any]] = {}
    for scope, unit in (("brigade", brigade), ("director", top)):
        for workers in (True, False):
            name = f"honour board: {scope}, {'workers' if workers else 'teams'}"
            calls[name] = partial(honour.board, engine, unit, PERIOD, workers=workers)
        calls[f"honour board: {scope}, workers (domain reference)"] = partial(
            honour.board, engine, unit, PERIOD, workers=True, reference=True
        )
    return calls


def _api_audit(engine: Engine) -> Any:
    """What `GET /api/audit?status=open&page_size=100` asks of the services."""
    if "limit" in inspect.signature(dashboard.reviewed).parameters:
        return dashboard.reviewed(engine, PERIOD, None, None, "open", 100, 0)
    found = dashboard.reviewed(engine, PERIOD, None)  # before it paged in SQL: all, then a page
    return [f for f in found if f.status == "open"][:100]


def _scale(engine: Engine, folder: Path) -> None:
    """The close benchmark's two-tier scale, where the database holds none: without a scale
    the open period pays no one, and the pay slip list would time an empty page."""
    with engine.connect() as connection:
        if PayStore(connection).scales()[0]:
            return
    (folder / "bench.toml").write_text(month_scale("bench"))
    import_scales(engine, [folder / "bench.toml"])


def _plans(engine: Engine, folder: Path) -> None:
    """A month's target for every brigade and operation it worked, imported as plans.csv."""
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT DISTINCT home, operation, unit FROM read_results WHERE unit IS NOT NULL")
        ).all()
    (folder / "plans").mkdir()
    with (folder / "plans" / "plans.csv").open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ("unit", "operation", "period_start", "period_end", "target", "unit_of_measure")
        )
        for home, operation, unit in found:
            writer.writerow((home, operation, PERIOD.start, PERIOD.end, 1000, unit))
    import_directory(engine, folder / "plans", author="bench")


def _overview(engine: Engine) -> None:
    """The director's overview page's service calls (web/overview.py `overview`), all of them:
    its first page of units and of units by operation, read from the unit sums."""
    dashboard.unit_page(engine, PERIOD, None, dashboard.Page())
    dashboard.unit_operations(engine, PERIOD, None, dashboard.Page())
    dashboard.trend(engine, PERIOD, None)
    dashboard.finding_counts(engine, PERIOD, None)


def _sorted_overview(engine: Engine) -> None:
    """The overview with both tables sorted by the fair percentage, lowest first."""
    page = dashboard.Page(sort="fair_percent")
    dashboard.unit_page(engine, PERIOD, None, page)
    dashboard.unit_operations(engine, PERIOD, None, page)


def _quantiles(seconds: list[float]) -> tuple[float, float]:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def measure(rows: int, repeat: int, postgres: str | None) -> dict[str, tuple[float, float]]:
    workers = max(10, round(rows / ROWS_PER_WORKER))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        made = generate(Settings(workers, DAYS, 1), folder / "month")
        crew = made.files["crew.csv"]
        engine = _database(folder, postgres)
        began = time.perf_counter()
        import_directory(engine, folder / "month", author="bench")
        print(
            f"{crew:,} crew rows ({workers:,} workers): import {time.perf_counter() - began:.1f} s"
        )
        _plans(engine, folder)
        _scale(engine, folder)
        found = _timed(engine, repeat, None)
        engine.dispose()
    return found


def _timed(
    engine: Engine, repeat: int, only: str | None, skip: Sequence[str] = ()
) -> dict[str, tuple[float, float]]:
    found = {}
    for name, call in _calls(engine, only, skip).items():
        call()  # warm: caches, first connection
        seconds = []
        for _ in range(repeat):
            start = time.perf_counter()
            call()
            seconds.append(time.perf_counter() - start)
        found[name] = _quantiles(seconds)
    return found


def measure_db(
    path: str, repeat: int, only: str | None, skip: Sequence[str] = ()
) -> dict[str, tuple[float, float]]:
    """The calls on an existing database: a SQLite file or a URL (upgraded, its read model
    filled if stale)."""
    engine = make_engine(path if "://" in path else f"sqlite:///{path}")
    began = time.perf_counter()
    upgrade(engine)
    filled = read_model.rebuild_if_stale(engine)
    with tempfile.TemporaryDirectory() as tmp:
        _scale(engine, Path(tmp))
    with engine.connect() as connection:
        crew = connection.execute(text("SELECT count(*) FROM read_results")).scalar()
    print(
        f"{path}: {crew:,} stored results; upgrade {time.perf_counter() - began:.1f} s"
        + (" (read model filled)" if filled else "")
    )
    found = _timed(engine, repeat, only, skip)
    engine.dispose()
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", default="10000,100000", help="crew rows, comma-separated")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--postgres", help="postgresql+psycopg://user@host/db to create in")
    parser.add_argument(
        "--db",
        action="append",
        help="a database to time: a SQLite file (a copy) or a URL; give two or more to print "
        "them side by side with the ratio last / first",
    )
    parser.add_argument("--only", help="time only the calls whose name holds this text")
    parser.add_argument(
        "--skip", action="append", default=[], help="leave out the calls whose name holds this"
    )
    args = parser.parse_args()
    if args.db is not None:
        print(f"machine: {platform.machine()}, {platform.system()}")
        timed = [measure_db(db, args.repeat, args.only, args.skip) for db in args.db]
        for name in timed[0]:
            cells = " ".join(f"{t[name][0]:>10.3f}/{t[name][1]:<11.3f}" for t in timed)
            ratio = timed[-1][name][0] / max(timed[0][name][0], 1e-9)
            print(f"{name:<48} {cells}" + (f" {ratio:>8.1f}x" if len(timed) > 1 else ""))
        return
    sizes = [int(s) for s in args.rows.split(",")]
    print(f"machine: {platform.machine()}, {platform.system()}, Python {platform.python_version()}")
    results = {size: measure(size, args.repeat, args.postgres) for size in sizes}
    small, large = sizes[0], sizes[-1]
    print(f"\n{'call':<48} " + " ".join(f"{f'p50/p95 @{s:,}':>22}" for s in sizes) + "  ratio p50")
    for name in results[small]:
        cells = " ".join(
            f"{results[s][name][0]:>10.3f}/{results[s][name][1]:<11.3f}" for s in sizes
        )
        ratio = results[large][name][0] / max(results[small][name][0], 1e-9)
        print(f"{name:<48} {cells} {ratio:>8.1f}x")


if __name__ == "__main__":
    main()
