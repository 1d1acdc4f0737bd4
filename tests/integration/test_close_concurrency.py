"""A close computes without the writers' lock: shifts entered meanwhile are paid by it or refused.

Real threads on both databases. A pause inside the computation (the real one, wrapped) makes the
interleaving certain where a test needs one; the race test has no pause at all.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from stakhanov.services import payroll
from stakhanov.services.importing import ImportRejected, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from tests.integration.helpers import write
from tests.integration.test_payroll import AUGUST, ready

pytestmark = pytest.mark.storage
WAIT = 300  # seconds; a bound against a hung test, never a measure of speed


def enter(engine: Engine, tmp_path: Path, shift: str, day: str = "1935-08-15") -> Any:
    """One shift of H1 as the shift form sends it: 20 t hewn in 6 hours."""
    folder = tmp_path / shift
    write(
        folder,
        "shifts.csv",
        f"shift_id,date,hours,workplace\n{shift},{day},6,Mine/Section 1/Brigade 1\n",
    )
    write(folder, "output.csv", f"shift_id,operation,quantity,unit\n{shift},hewing,20,t\n")
    write(
        folder, "crew.csv", f"shift_id,worker_id,operation,hours,credited\n{shift},H1,hewing,6,20\n"
    )
    return import_batch(engine, read_source(folder, set(FORMATS)), author="foreman")


def paid_shifts(engine: Engine) -> set[str]:
    """The shifts the closed August pays a piece line for."""
    slips = payroll.slips(engine, AUGUST)
    assert slips.closed is not None
    return {
        line.key.split(":")[1]
        for s in slips.slips
        for line in s.lines
        if line.key.startswith("piece:")
    }


def paused_compute(
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[threading.Event, threading.Event, list[int]]:
    """The first computation stops after reading until `go` is set; later ones run through."""
    computed, go = threading.Event(), threading.Event()
    calls: list[int] = []
    real = payroll.spool_of  # what a close computes its slips with, each time

    def compute(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        calls.append(1)
        if len(calls) == 1:
            computed.set()
            go.wait(timeout=WAIT)
        return result

    monkeypatch.setattr(payroll, "spool_of", compute)
    return computed, go, calls


def test_a_shift_entered_during_the_computation_is_paid_by_the_close(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready(engine, tmp_path)
    computed, go, calls = paused_compute(monkeypatch)
    reports: list[Any] = []
    closing = threading.Thread(target=lambda: reports.append(payroll.close(engine, AUGUST)))
    closing.start()
    assert computed.wait(timeout=WAIT)
    entered = enter(engine, tmp_path, "X1")  # does not wait for the close's computation
    still_computing = closing.is_alive()
    go.set()
    closing.join(timeout=WAIT)
    assert still_computing and entered.batch_id is not None
    assert reports and len(calls) == 2  # the close saw the ledger move, and computed again
    assert "X1" in paid_shifts(engine) and {"S1", "S2"} <= paid_shifts(engine)


def test_a_shift_entered_after_the_close_is_refused_clearly(engine: Engine, tmp_path: Path) -> None:
    ready(engine, tmp_path)
    payroll.close(engine, AUGUST)
    with pytest.raises(ImportRejected) as refused:
        enter(engine, tmp_path, "X2")
    assert [str(p) for p in refused.value.problems] == [
        "shifts.csv:2:date: 1935-08-15 lies in the closed period 1935-08-01..1935-08-31, whose "
        "pay is locked; enter the shift as a correction, with a reason, to pay it in the next "
        "close"
    ]
    assert "X2" not in paid_shifts(engine)
    # September is open: its shifts are entered as ever, and do not move August's close.
    assert enter(engine, tmp_path, "X3", "1935-09-03").batch_id is not None


def test_a_shift_of_a_later_period_does_not_make_the_close_compute_again(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready(engine, tmp_path)
    computed, go, calls = paused_compute(monkeypatch)
    closing = threading.Thread(target=lambda: payroll.close(engine, AUGUST))
    closing.start()
    assert computed.wait(timeout=WAIT)
    enter(engine, tmp_path, "X4", "1935-09-04")
    go.set()
    closing.join(timeout=WAIT)
    assert len(calls) == 1 and "X4" not in paid_shifts(engine)


def test_a_ledger_that_keeps_moving_is_closed_under_the_lock_at_last(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready(engine, tmp_path)
    real = payroll.spool_of
    writers: list[threading.Thread] = []
    outcomes: dict[str, str] = {}

    def writer(shift: str) -> None:
        try:
            enter(engine, tmp_path, shift)
            outcomes[shift] = "entered"
        except ImportRejected:
            outcomes[shift] = "refused"

    def compute(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        # A shift of August after each computation: the first is seen, and the close computes
        # again, under the lock; the second waits for that lock and finds August closed.
        writers.append(threading.Thread(target=writer, args=(f"M{len(writers)}",)))
        writers[-1].start()
        if len(writers) == 1:
            writers[-1].join(timeout=WAIT)
        return result

    monkeypatch.setattr(payroll, "spool_of", compute)
    payroll.close(engine, AUGUST, attempts=2)
    for thread in writers:
        thread.join(timeout=WAIT)
    assert outcomes == {"M0": "entered", "M1": "refused"}
    assert "M0" in paid_shifts(engine)


def test_racing_entries_are_each_paid_or_refused(engine: Engine, tmp_path: Path) -> None:
    ready(engine, tmp_path)
    outcomes: dict[str, str] = {}

    def writer(n: int) -> None:
        shift = f"R{n}"
        try:
            enter(engine, tmp_path, shift, f"1935-08-{10 + n % 15:02d}")
            outcomes[shift] = "entered"
        except ImportRejected as refused:
            assert "lies in the closed period" in str(refused.problems[0])
            outcomes[shift] = "refused"

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(12)]
    for n, thread in enumerate(threads):
        thread.start()
        if n == 3:
            report = payroll.close(engine, AUGUST)
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not report.already and len(outcomes) == 12
    paid = paid_shifts(engine)
    assert {s for s, o in outcomes.items() if o == "entered"} <= paid
    assert not {s for s, o in outcomes.items() if o == "refused"} & paid
