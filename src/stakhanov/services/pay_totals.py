"""An open period's every slip, computed in the background for the pay page's totals and its
sorts by amount (decision 0875), as services/chain_checks.py checks the chain.

Computing every slip of a month costs the month's whole ledger (half a minute at 137,000 crew
rows), so the page never does it in the request: it starts a computation (one at a time per
serving process), shows its totals with the time it was made once it has finished, and asks
for a new one on *Recompute*. What the page shows of a page of workers is computed for them
alone, from the ledger as it stands.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from sqlalchemy import Engine

from stakhanov.domain.errors import Problem
from stakhanov.domain.periods import Period
from stakhanov.domain.slip_lists import SlipHead
from stakhanov.services import payroll
from stakhanov.services.background import Background

KEPT = 12
"""Periods whose last computation a server keeps (a slip head is a few numbers)."""


@dataclass
class Computation(Background):
    """One computation of every slip of an open period: their heads and problems, or the
    error that stopped it."""

    period: Period
    slips: list[SlipHead] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def _run(self, engine: Engine) -> None:
        try:
            with engine.connect() as connection:
                found = payroll.compute(connection, self.period)
            self.slips = [SlipHead.of(s) for s in found.slips]
            self.problems = list(found.problems)
        except Exception as err:  # shown on the page; the close says it again if it matters
            self._finish(err)
        else:
            self._finish()


class PayTotals:
    """The last computation of each open period in one serving process."""

    def __init__(self) -> None:
        self._latest: dict[Period, Computation] = {}
        self._lock = threading.Lock()

    def latest(self, period: Period) -> Computation | None:
        return self._latest.get(period)

    def running(self) -> Computation | None:
        return next((c for c in self._latest.values() if c.running), None)

    def compute(self, engine: Engine, period: Period, again: bool = False) -> Computation | None:
        """The period's computation: its last one (unless `again`), else a new one; None while
        another period's runs (it starts when the page asks again)."""
        with self._lock:
            latest = self._latest.get(period)
            if latest is not None and (latest.running or not again):
                return latest
            if self.running() is not None:
                return latest
            started = self._latest[period] = Computation(period)
            while len(self._latest) > KEPT:  # the oldest period asked first goes
                del self._latest[next(iter(self._latest))]
        threading.Thread(
            target=started._run, args=(engine,), name="pay-totals", daemon=True
        ).start()
        return started
