"""A close's slips kept on disk while it computes them, so that a close holds one part at a time.

A period of a million crew rows pays hundreds of thousands of slips and millions of lines; as
Python objects they took gigabytes. The close computes the slips in parts of workers (in worker
order), and each part goes to a temporary file while its totals, line count and digest are
taken. Writing the period then reads the parts back one at a time. The file is the process's
own and is gone when the spool is closed.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from types import TracebackType

from stakhanov.domain.adjustments import adjustment_lines
from stakhanov.domain.errors import Problem, Refused
from stakhanov.domain.lock_checks import Blocker, overridden
from stakhanov.domain.payroll import Adjustments, Payroll
from stakhanov.domain.payslips import Digest, PaySlip
from stakhanov.domain.periods import Period
from stakhanov.store import pickles


class PartRefused(Refused):
    """A part of the period has problems: the whole period is refused (the close lists every
    problem of the period, as the reference computes them)."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        super().__init__(problems=problems)


class PaySpool:
    """The slips of a period in worker order, on disk, with what the period's row needs.

    `on_disk=False` keeps the parts as they are, for slips already held in memory (a period
    computed elsewhere, as the distributed close does): writing them to a file would only
    copy them."""

    def __init__(self, period: Period, on_disk: bool = True) -> None:
        self.period = period
        self.count = 0
        self.lines = 0
        self.adjusted = 0
        self.gross = Decimal(0)
        self.net = Decimal(0)
        self._digest = Digest()
        self._held: list[tuple[PaySlip, ...]] = []
        self._file = (
            tempfile.TemporaryFile(prefix="stakhanov-close-")  # noqa: SIM115 - closed by close()
            if on_disk
            else None
        )

    def add(self, slips: Iterable[PaySlip]) -> None:
        """Keep a part's slips; they come after every slip kept before (worker order)."""
        part = tuple(slips)
        for slip in part:
            self._digest.add(slip)
            self.gross += slip.gross
            self.net += slip.net
            self.lines += len(slip.lines) + len(slip.deductions)
            if adjustment_lines(slip) != Adjustments(slip.currency):
                self.adjusted += 1
        self.count += len(part)
        if self._file is None:
            self._held.append(part)
        else:
            pickles.keep(self._file, part)

    @property
    def on_disk(self) -> bool:
        return self._file is not None

    @property
    def digest(self) -> str:
        return self._digest.hexdigest()

    def parts(self) -> Iterator[tuple[PaySlip, ...]]:
        """The kept parts, in the order they were added."""
        if self._file is None:
            yield from self._held
            return
        yield from pickles.kept(self._file)

    def slips(self) -> Iterator[PaySlip]:
        for part in self.parts():
            yield from part

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._held.clear()

    def __enter__(self) -> PaySpool:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def spooled(
    period: Period,
    parts: Iterable[Payroll],
    blockers: tuple[Blocker, ...] = (),
    reason: str = "",
    on_disk: bool = True,
) -> PaySpool:
    """The parts' slips in one spool, each line a blocker questions saying so (an override);
    raises PartRefused at the first part with problems (nothing of the spool is kept)."""
    spool = PaySpool(period, on_disk)
    try:
        for part in parts:
            if part.problems:
                raise PartRefused(part.problems)
            spool.add(overridden(part.slips, blockers, reason) if blockers else part.slips)
    except BaseException:
        spool.close()
        raise
    return spool
