"""Long operations run in the background, so a page can show their progress while they work.

Jobs live in the memory of the serving process: a restarted server forgets them, and the
ledger itself never depends on them (an import either committed or wrote nothing).
"""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from stakhanov.services.importing import Progress

KEEP = dt.timedelta(hours=1)


@dataclass
class Job:
    job_id: str
    owner: int
    total: int
    state: str = "running"
    stage: str = "queued"
    done: dict[str, int] = field(default_factory=dict)
    result: Any = None
    error: BaseException | None = None
    started_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    def advance(self, stage: str, rows: int) -> None:
        self.stage = stage
        self.done[stage] = self.done.get(stage, 0) + rows

    @property
    def fraction(self) -> float:
        """How far along, 0 to 1: checking is the first half and writing the second."""
        if self.state != "running":
            return 1.0
        if not self.total:
            return 0.0
        checked = min(self.done.get("checking", 0), self.total) / self.total
        written = min(self.done.get("writing", 0), self.total) / self.total
        return round(checked / 2 + written / 2, 3)


class Jobs:
    """The jobs of one serving process, each visible only to the person who started it."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(self, owner: int, total: int, work: Callable[[Progress], Any]) -> Job:
        job = Job(secrets.token_urlsafe(12), owner, total)
        with self._lock:
            self._forget_old()
            self._jobs[job.job_id] = job

        def run() -> None:
            try:
                job.result = work(job.advance)
                job.state = "done"
            except Exception as err:  # reported to the person through the job's state
                job.error = err
                job.state = "failed"

        threading.Thread(target=run, name=f"job-{job.job_id}", daemon=True).start()
        return job

    def get(self, job_id: str, owner: int) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def _forget_old(self) -> None:
        cutoff = dt.datetime.now(dt.UTC) - KEEP
        for job_id in [j for j, job in self._jobs.items() if job.started_at < cutoff]:
            del self._jobs[job_id]
