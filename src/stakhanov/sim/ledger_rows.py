"""Simulated shifts as the ledger sees them: measured output, credits and import-format rows.

A measured operation is one with a norm of its own. Its group is itself and the operations its
norm includes (timbering in the hewing norm); the group's output is measured where it leaves the
group (the coal hauled out to the weighbridge), and it is credited to the workers of the
measured operation in proportion to the batches each finished, split exactly by the ledger's own
largest-remainder rule. The credits of a shift and operation therefore add up to its measured
output: nothing is lost or invented.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from stakhanov.domain.attribution import split_exact
from stakhanov.sim.site import ShiftResult, WorkerResult
from stakhanov.sim.workplace import Operation, Workplace

HOURS = Decimal("0.01")


@dataclass(frozen=True)
class Measured:
    operation: str
    quantity: Decimal
    credits: tuple[tuple[WorkerResult, Decimal], ...]


def measured_operations(workplace: Workplace) -> list[tuple[Operation, list[Operation]]]:
    """Each operation with a norm of its own, and the operations its norm includes."""
    return [
        (op, [o for o in workplace.operations if o.included_in == op.name])
        for op in workplace.operations
        if op.norm is not None and op.included_in is None
    ]


def measured(workplace: Workplace, result: ShiftResult, face: int) -> list[Measured]:
    found = []
    crew = [w for w in result.workers if w.face == face]
    for op, included in measured_operations(workplace):
        group = [op, *included]
        last = max(group, key=lambda o: workplace.names.index(o.name))
        quantity = result.batches[face][last.name] * workplace.batch
        workers = [w for w in crew if w.batches.get(op.name)]
        if not workers or quantity == 0:
            continue
        weights = [Decimal(w.batches[op.name]) for w in workers]
        shares = split_exact(quantity, weights)
        found.append(Measured(op.name, quantity, tuple(zip(workers, shares, strict=True))))
    return found


def worker_id(face: int, worker: WorkerResult, faces: int) -> str:
    return worker.member.id if faces == 1 else f"F{face + 1}-{worker.member.id}"


def _hours(workplace: Workplace, worker: WorkerResult) -> list[tuple[str, Decimal]]:
    """The worker's shift hours split over the operations by the time spent on each."""
    ledger_ops = [o for o in worker.member.roles if worker.busy.get(o, 0.0) > 0]
    if not ledger_ops:
        return [(worker.member.roles[0], workplace.shift_hours)]
    weights = [Decimal(str(round(worker.busy[o], 6))) for o in ledger_ops]
    total = workplace.shift_hours.quantize(HOURS)
    hours = split_exact(total, weights)
    return [(o, h) for o, h in zip(ledger_ops, hours, strict=True) if h > 0]


def import_rows(
    workplace: Workplace, results: list[ShiftResult], prefix: str = "SIM"
) -> dict[str, list[tuple[str, ...]]]:
    """The runs as import format v1 rows, one shift per face and run, one run a day."""
    faces = len(results[0].batches) if results else 1
    first = dt.date.fromisoformat(workplace.date)
    files: dict[str, list[tuple[str, ...]]] = {
        "workers.csv": [],
        "norms.csv": [],
        "shifts.csv": [],
        "output.csv": [],
        "crew.csv": [],
    }
    for op, included in measured_operations(workplace):
        files["norms.csv"].append(
            (op.name, workplace.unit, "output", str(op.norm), str(op.norm_hours),
             ";".join(o.name for o in included), "", workplace.date, "statistical",
             f"workplace model {workplace.name}")
        )  # fmt: skip
    people: dict[str, tuple[str, ...]] = {}
    for run, result in enumerate(results):
        date = (first + dt.timedelta(days=run)).isoformat()
        for face in range(faces):
            found = measured(workplace, result, face)
            if not found:
                continue
            shift_id = f"{prefix}-{run + 1:04d}-F{face + 1}"
            where = f"{workplace.site}/Face {face + 1}"
            files["shifts.csv"].append(
                (shift_id, date, str(workplace.shift_hours), where, "standard",
                 f"simulated, seed {result.seed}")
            )  # fmt: skip
            credited = {m.operation: {id(w): q for w, q in m.credits} for m in found}
            for m in found:
                files["output.csv"].append(
                    (shift_id, m.operation, str(m.quantity), workplace.unit, "")
                )
            for worker in (w for w in result.workers if w.face == face):
                ident = worker_id(face, worker, faces)
                people[ident] = (
                    ident,
                    worker.member.name,
                    where,
                    worker.member.roles[0],
                    worker.member.grade,
                )
                files["crew.csv"].extend(_crew(workplace, shift_id, ident, worker, credited))
    files["workers.csv"] = sorted(people.values())
    return files


def _crew(
    workplace: Workplace,
    shift_id: str,
    ident: str,
    worker: WorkerResult,
    credited: dict[str, dict[int, Decimal]],
) -> Iterator[tuple[str, ...]]:
    split = dict(_hours(workplace, worker))
    # A worker's own included work (a solo miner propping his own roof) is part of the row of
    # the operation whose norm includes it: nobody assisted him.
    for name in list(split):
        owner = workplace.operation(name).included_in
        if owner in split and owner in credited:
            split[owner] += split.pop(name)
    assisting = Decimal(0)
    for op_name, hours in split.items():
        op = workplace.operation(op_name)
        if op.name in credited:
            share = credited[op.name].get(id(worker), Decimal(0) * workplace.batch)
            yield (shift_id, ident, op.name, str(hours), str(share), "")
        elif op.included_in in credited:
            yield (shift_id, ident, op.name, str(hours), "", "")
        else:  # work no measured operation's norm covers: visible as assistance
            assisting += hours
    if assisting:
        yield (shift_id, ident, "assist", str(assisting), "", "")


HEADERS = {
    "workers.csv": ("worker_id", "name", "unit", "trade", "grade"),
    "norms.csv": (
        "operation", "unit", "kind", "norm", "norm_hours", "includes", "max_rate",
        "effective_from", "method", "source",
    ),
    "shifts.csv": ("shift_id", "date", "hours", "workplace", "conditions", "note"),
    "output.csv": ("shift_id", "operation", "quantity", "unit", "rejected"),
    "crew.csv": ("shift_id", "worker_id", "operation", "hours", "credited", "coefficient"),
}  # fmt: skip
