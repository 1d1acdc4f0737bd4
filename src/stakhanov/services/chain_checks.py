"""The chain page's verification, run in the background so that the page costs what it shows.

Recomputing the chain reads every chained row: seconds at 100,000 crew rows a month, a minute
at a million. The page starts a check (one at a time per serving process), waits a moment for
it, and otherwise shows how far it has got and reloads; a check finished within the last
`FRESH` is shown again rather than repeated, with the time it was made, and anyone may ask for a
new one. The API's and the command line's verification stay synchronous: a script waits for
its answer.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from stakhanov.services.background import Background
from stakhanov.services.chain import chain_state, verify_ledger

FRESH = dt.timedelta(minutes=1)


@dataclass
class Check(Background):
    """One recomputation of the chain: rows compared so far, then the state or the error."""

    rows: int = 0
    state: dict[str, Any] | None = None

    def _run(self, engine: Engine) -> None:
        try:
            self.state = chain_state(verify_ledger(engine, self._advance))
        except Exception as err:  # shown on the page; the CLI and the API raise it
            self._finish(err)
        else:
            self._finish()

    def _advance(self, rows: int) -> None:
        self.rows += rows


class ChainChecks:
    """The latest check of one serving process."""

    def __init__(self) -> None:
        self._latest: Check | None = None
        self._lock = threading.Lock()

    def check(self, engine: Engine, again: bool = False) -> Check:
        """The running check, else a fresh finished one (unless `again`), else a new one."""
        with self._lock:
            latest = self._latest
            if latest is not None and (latest.running or (not again and _fresh(latest))):
                return latest
            started = self._latest = Check()
        threading.Thread(
            target=started._run, args=(engine,), name="chain-check", daemon=True
        ).start()
        return started


def _fresh(check: Check) -> bool:
    finished = check.finished_at
    return finished is not None and dt.datetime.now(dt.UTC) - finished < FRESH
