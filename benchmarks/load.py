"""A bounded load test on loopback: shift entry, kiosk entry and dashboard reads at a steady rate.

    python benchmarks/load.py --db postgresql+psycopg://postgres@127.0.0.1/stk_load \\
        --seconds 60 --workers 4 --shifts 10 --kiosk 10 --reads 20

It fills the (empty or migrated) database with the mini data set, workers, a foreman and a
director, starts `stakhanov serve --workers N` on a free port, sends each kind of request at
its rate (an open loop: a slow answer does not slow the senders), then checks that every
accepted entry is in the ledger. It prints throughput and p50/p95/p99 per kind (--json too);
it exits 1 on any error or any accepted entry missing.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import math
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from stakhanov.domain.access import Grant, Role
from stakhanov.domain.ledger import CrewEntry
from stakhanov.domain.shifts import Shift
from stakhanov.services import accounts
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store.db import make_engine, upgrade
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import CREW, SHIFTS

MINI = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "mini"
BRIGADE = "Mine/Section 1/Brigade 1"
PASSWORD = "load test password"
PIN = "4321"
CREWS = 200  # hewers, and as many timberers: no one works over 24 hours a day
FIRST_DAY = dt.date(1936, 1, 1)


@dataclass
class Kind:
    name: str
    rate: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    busy: int = 0  # answers 503: the server asked the client to retry later
    accepted: list[str] = field(default_factory=list)

    def summary(self, seconds: float) -> dict[str, Any]:
        ordered = sorted(self.latencies)

        def at(share: float) -> float | None:
            if not ordered:
                return None
            return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)

        return {
            "kind": self.name,
            "rate": self.rate,
            "requests": len(ordered) + len(self.errors) + self.busy,
            "errors": len(self.errors),
            "busy": self.busy,
            "per_second": round(len(ordered) / seconds, 2),
            "p50_ms": at(0.50),
            "p95_ms": at(0.95),
            "p99_ms": at(0.99),
        }


def prepare(url: str, kiosk_shifts: int) -> None:
    """The mini data set, CREWS hewers and timberers with PINs, a foreman and a director, and
    the shifts the kiosk entries join (KIOSK-n, as shift n)."""
    engine = make_engine(url)
    upgrade(engine)
    import_batch(engine, read_source(MINI, set(FORMATS)), author="load")
    with tempfile.TemporaryDirectory() as folder:
        rows = [
            f"LH{n},Hewer {n},{BRIGADE},hewer,5\nLK{n},Timberer {n},{BRIGADE},timberer,4"
            for n in range(CREWS)
        ]
        (Path(folder) / "workers.csv").write_text(
            "worker_id,name,unit,trade,grade\n" + "\n".join(rows) + "\n"
        )
        import_batch(engine, read_source(Path(folder), set(FORMATS)), author="load")
    with tempfile.TemporaryDirectory() as folder:
        bodies = [shift_body(n, "KIOSK") for n in range(kiosk_shifts)]
        for name, header, rows in (
            (
                "shifts",
                "shift_id,date,hours,workplace",
                [f"{b['shift_id']},{b['date']},6,{BRIGADE}" for b in bodies],
            ),
            (
                "output",
                "shift_id,operation,quantity,unit",
                [f"{b['shift_id']},hewing,20,t" for b in bodies],
            ),
            (
                "crew",
                "shift_id,worker_id,operation,hours,credited",
                [f"{b['shift_id']},{b['crew'][0]['worker_id']},hewing,6,20" for b in bodies],
            ),
        ):
            (Path(folder) / f"{name}.csv").write_text("\n".join([header, *rows]) + "\n")
        import_batch(engine, read_source(Path(folder), set(FORMATS)), author="load")
    for n in range(min(CREWS, kiosk_shifts)):  # each PIN is a slow hash: only those used
        accounts.set_pin(engine, f"LK{n}", PIN, author="load")
    for username, role in (("load-foreman", Role.FOREMAN), ("load-director", Role.DIRECTOR)):
        if accounts.account_named(engine, username) is None:
            accounts.add_user(engine, username, PASSWORD, author="load", grants=[Grant(role)])
    engine.dispose()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    command = [
        sys.executable,
        "-m",
        "stakhanov",
        "--db",
        url,
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 600  # a loaded machine starts processes slowly
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2).status_code == 200:
                return server
        except httpx.HTTPError:
            time.sleep(0.2)
    stop(server)
    raise RuntimeError("the server did not answer within 600 s")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Ask the server to stop (its workers with it); kill it only if it will not."""
    server.terminate()
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def shift_body(n: int, prefix: str = "LOAD") -> dict[str, Any]:
    """Shift n: hewer LH(n mod CREWS) on day n // CREWS, 20 t in 6 hours."""
    day = FIRST_DAY + dt.timedelta(days=n // CREWS)
    hewer = f"LH{n % CREWS}"
    return {
        "shift_id": f"{prefix}-{n}",
        "date": day.isoformat(),
        "hours": "6",
        "workplace": BRIGADE,
        "outputs": [{"operation": "hewing", "quantity": "20", "unit": "t"}],
        "crew": [{"worker_id": hewer, "operation": "hewing", "hours": "6", "credited": "20"}],
    }


async def login(client: httpx.AsyncClient, username: str) -> None:
    response = await client.post(
        "/api/auth/login", json={"username": username, "password": PASSWORD}
    )
    response.raise_for_status()
    client.headers["Authorization"] = f"Bearer {response.json()['token']}"


async def run(base: str, seconds: float, kinds: dict[str, Kind], workers: int) -> None:
    limits = httpx.Limits(max_connections=200)
    async with (
        httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as foreman,
        httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as director,
    ):
        await login(foreman, "load-foreman")
        await login(director, "load-director")
        month = {"from": FIRST_DAY.isoformat(), "to": (FIRST_DAY + dt.timedelta(30)).isoformat()}
        # Each process loads what it needs on its first requests: not part of the figures.
        warm = [director.get("/api/fulfilment", params=month) for _ in range(4 * workers)]
        warm += [
            foreman.post("/api/shifts", json={**shift_body(0, "WARM"), "hours": "0"})
            for _ in range(4 * workers)
        ]
        await asyncio.gather(*warm)

        async def one(kind: Kind, n: int) -> None:
            started = time.perf_counter()
            try:
                if kind.name == "shift":
                    response = await foreman.post("/api/shifts", json=shift_body(n))
                    key = f"LOAD-{n}"
                elif kind.name == "kiosk":
                    shift = n
                    body = {
                        "worker_id": f"LK{shift % CREWS}",
                        "pin": PIN,
                        "shift_id": f"KIOSK-{shift}",
                        "operation": "timbering",
                        "hours": "6",
                    }
                    response = await foreman.post("/api/kiosk/crew", json=body)
                    key = f"KIOSK-{shift}:LK{shift % CREWS}"
                else:
                    response = await director.get("/api/fulfilment", params=month)
                    key = ""
            except httpx.HTTPError as err:
                kind.errors.append(f"{type(err).__name__}: {err}")
                return
            if response.is_success:
                kind.latencies.append(time.perf_counter() - started)
                if key:
                    kind.accepted.append(key)
            elif response.status_code == 503 and "Retry-After" in response.headers:
                kind.busy += 1
            else:
                kind.errors.append(f"{response.status_code} {response.text[:300]}")

        async def sender(kind: Kind) -> None:
            if kind.rate <= 0:
                return
            tasks, start, n = [], time.perf_counter(), 0
            while (due := start + n / kind.rate) < start + seconds:
                await asyncio.sleep(max(0.0, due - time.perf_counter()))
                tasks.append(asyncio.create_task(one(kind, n)))
                n += 1
            await asyncio.gather(*tasks)

        await asyncio.gather(*(sender(k) for k in kinds.values()))


def missing(url: str, kinds: dict[str, Kind]) -> list[str]:
    """Accepted entries that are not in the ledger."""
    engine = make_engine(url)
    with engine.connect() as connection:
        store = LedgerStore(connection)
        shift_ids = set(kinds["shift"].accepted)
        found = {s.shift_id for s in store.records(SHIFTS, Shift, "shift_id", shift_ids)}
        kiosk = {tuple(k.split(":")) for k in kinds["kiosk"].accepted}
        crew = store.records(CREW, CrewEntry, "shift_id", {s for s, _ in kiosk})
        joined = {(c.shift_id, c.worker_id) for c in crew}
    engine.dispose()
    return sorted(shift_ids - found) + sorted(":".join(k) for k in kiosk - joined)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="database URL (PostgreSQL for the figures)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4, help="server processes")
    parser.add_argument("--shifts", type=float, default=10, help="shift entries a second")
    parser.add_argument("--kiosk", type=float, default=10, help="kiosk entries a second")
    parser.add_argument("--reads", type=float, default=20, help="dashboard reads a second")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    args = parser.parse_args(argv)
    prepare(args.db, math.ceil(args.kiosk * args.seconds))
    port = free_port()
    server = serve(args.db, port, args.workers)
    kinds = {
        k: Kind(k, r)
        for k, r in (("shift", args.shifts), ("kiosk", args.kiosk), ("read", args.reads))
    }
    try:
        asyncio.run(run(f"http://127.0.0.1:{port}", args.seconds, kinds, args.workers))
    finally:
        stop(server)
    result = {
        "seconds": args.seconds,
        "workers": args.workers,
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()}",
        "kinds": [k.summary(args.seconds) for k in kinds.values()],
        "errors": [e for k in kinds.values() for e in k.errors[:5]],
        "missing": missing(args.db, kinds),
    }
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        print(f"{result['machine']}; {args.workers} workers, {args.seconds:g} s")
        print(
            f"{'kind':8} {'rate':>6} {'done':>6} {'errors':>6} {'503':>5} {'per s':>7} "
            f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
        )
        for row in result["kinds"]:
            print(
                f"{row['kind']:8} {row['rate']:>6g} {row['requests']:>6} {row['errors']:>6} "
                f"{row['busy']:>5} "
                f"{row['per_second']:>7} {row['p50_ms']!s:>8} {row['p95_ms']!s:>8} "
                f"{row['p99_ms']!s:>8}"
            )
        print(f"missing from the ledger: {len(result['missing'])}")
    return result


if __name__ == "__main__":
    outcome = main()
    sys.exit(1 if outcome["errors"] or outcome["missing"] else 0)
