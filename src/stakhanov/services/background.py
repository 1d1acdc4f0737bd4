"""Work a page starts and shows while it runs: the chain's check, an open period's totals.

Such work costs what the ledger holds, so it never runs inside a request: the page starts it
in a thread of the serving process, waits a moment, and otherwise shows how far it has got.
The serving process forgets it on restart; the ledger never depends on it.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field


@dataclass(kw_only=True)
class Background:
    """When it started and finished, and the error that stopped it (shown on the page)."""

    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    finished_at: dt.datetime | None = None
    error: str | None = None
    _done: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def running(self) -> bool:
        return not self._done.is_set()

    def wait(self, seconds: float) -> None:
        self._done.wait(seconds)

    def _finish(self, error: Exception | None = None) -> None:
        if error is not None:
            self.error = str(error) or type(error).__name__
        self.finished_at = dt.datetime.now(dt.UTC)
        self._done.set()
