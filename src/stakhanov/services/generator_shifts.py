"""One crew's shift for `stakhanov generate`: its rows, and what was planted in it.

This is the hot path (one call per shift, millions in a big month), so it works on integers of
quanta and quarter hours and prebuilt text, with the draws of one random stream in a fixed order.

Why no ordinary shift is flagged pooled or implausible by accident: skill (0.8-1.35) times the
day's form (0.8-1.2) keeps a worker's own output within 0.64-1.62 of the norm, and at most 2 times
that under prepared conditions or 3 for a record; every `max_rate` is at least 4 times the norm
(see generator_profiles). A credit below a tenth of a worker's hours share is then impossible
(the least a worker makes is 0.64 of the norm, more than a tenth of what the best crew averages)
and split quantities are written fine enough (tenths of a tonne, kilograms) that the exact split
never rounds a share down to nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from stakhanov.domain.norms import ASSIST
from stakhanov.services.generator_profiles import Industry, Team

Add = Callable[[tuple[str, ...]], None]

# Shares of crews: planted anomalies, prepared shifts, lost hours; the rest are ordinary.
POOLED = 0.01
IMPLAUSIBLE = 0.01
PREPARED = 0.005
BREAKDOWN = 0.02
RECORD = 0.25  # of prepared shifts with one doer: a record attempt
PARTIAL = 0.05  # chance that a worker of an ordinary shift came late or left early
ASSISTING = 0.08  # chance that a helper is written as `assist` rather than his included work

HOURS = tuple(f"{q // 4}" + ("", ".25", ".5", ".75")[q % 4] for q in range(97))
REST_HOURS = "0.5"


class WorkerDraw(NamedTuple):
    worker_id: str
    skill: float
    number: int


@dataclass(frozen=True)
class BrigadeDay:
    brigade: str  # the brigade's code in shift ids
    day: str  # ISO date
    day_number: str
    workplace: str
    revised: bool  # the revised norms are in force
    hot: bool  # a paid rest break for every crew (harvest heat)


class Writers(NamedTuple):
    shifts: Add
    output: Add
    crew: Add
    time: Add
    rejects: Add


@dataclass
class Planted:
    """Shift ids of what the audit must find, by kind, and how many shifts had helpers."""

    pooled: list[str] = field(default_factory=list)
    implausible: list[str] = field(default_factory=list)
    prepared: list[str] = field(default_factory=list)
    record: list[str] = field(default_factory=list)
    assisted: int = 0

    def ids(self) -> list[tuple[str, list[str]]]:
        return [
            ("pooled", self.pooled),
            ("implausible", self.implausible),
            ("prepared", self.prepared),
            ("record", self.record),
        ]


def quantity_text(quanta: int, decimals: int) -> str:
    """Exact decimal text of a whole number of 10^-decimals units: 123, 1 -> '12.3'."""
    if not decimals:
        return str(quanta)
    digits = str(quanta).rjust(decimals + 1, "0")
    return f"{digits[:-decimals]}.{digits[-decimals:]}"


def work_crew(
    rng: random.Random,
    industry: Industry,
    team: Team,
    today: BrigadeDay,
    number: int,
    doers: list[WorkerDraw],
    helpers: list[WorkerDraw],
    write: Writers,
    planted: Planted,
) -> None:
    op = team.operation
    shift_id = f"{today.brigade}-{today.day_number}-{number}"
    full = industry.shift_quarters
    draw = rng.random
    u = draw()
    pooled = u < POOLED and len(doers) >= 2
    implausible = POOLED <= u < POOLED + IMPLAUSIBLE
    prepared = POOLED + IMPLAUSIBLE <= u < POOLED + IMPLAUSIBLE + PREPARED
    lost = 4 + int(draw() * 9) if u >= 1 - BREAKDOWN else 0  # 1-3 h lost
    record = prepared and len(doers) == 1 and draw() < RECORD
    ordinary = not (pooled or implausible or prepared or lost)

    per_quarter = op.scaled_per_hour(today.revised) / 4
    quarters, own = [], []
    for worker in doers:
        q = full - lost
        if ordinary and draw() < PARTIAL:
            q = full - 4 * (1 + int(draw() * 3))
        form = 0.8 + 0.2 * (draw() + draw())
        if record:
            form = (2.4 + 0.6 * draw()) / worker.skill
        elif prepared:
            form *= 1.3 + 0.7 * draw()
        quarters.append(q)
        own.append(int(per_quarter * worker.skill * form * q + 0.5))
    given = pooled or implausible or draw() < team.given
    if implausible:  # one credit beyond the physical maximum: a weighing or entry error
        own[0] = int(op.scaled_max_rate / 4 * full * (1.1 + 0.4 * draw())) + 1
    credits = own
    if pooled:  # the last worker's output written to the first: he keeps under a fiftieth
        kept = int(own[-1] * 0.02 * draw())
        credits = [own[0] + own[-1] - kept, *own[1:-1], kept]
    quantity = sum(credits)

    conditions, note = "standard", ""
    if prepared:
        conditions, note = "prepared", industry.prepared_note
        planted.prepared.append(shift_id)
        if record:
            note = f"record attempt: {note}"
            planted.record.append(shift_id)
    elif pooled:
        planted.pooled.append(shift_id)
    elif implausible:
        planted.implausible.append(shift_id)
    if helpers:
        planted.assisted += 1
    workplace = f"{today.workplace}-{number}"
    write.shifts((shift_id, today.day, HOURS[full], workplace, conditions, note))

    decimals = op.decimals
    rejected = ""
    if draw() < industry.rejected:
        spoilt = int(quantity * industry.rejected_most * draw())
        if spoilt:
            rejected = quantity_text(spoilt, decimals)
            if draw() < industry.fault:
                at_fault = doers[int(draw() * len(doers))].worker_id
                share = quantity_text(1 + int(draw() * spoilt), decimals)
                write.rejects((shift_id, op.name, at_fault, share, industry.fault_note))
    write.output((shift_id, op.name, quantity_text(quantity, decimals), op.written_unit, rejected))

    weighted = not given and draw() < team.coefficients
    for worker, q, credit in zip(doers, quarters, credits, strict=True):
        coefficient = ""
        if weighted:  # seniors weigh more in the split, apprentices less
            coefficient = "1.2" if worker.skill > 1.2 else "0.8" if worker.skill < 0.9 else "1"
        credited = quantity_text(credit, decimals) if given else ""
        write.crew((shift_id, worker.worker_id, op.name, HOURS[q], credited, coefficient))
    helping = op.includes or ASSIST
    for helper in helpers:
        operation = ASSIST if draw() < ASSISTING else helping
        write.crew((shift_id, helper.worker_id, operation, HOURS[full - lost], "", ""))
    for worker in (*doers, *helpers):
        if lost:
            write.time(
                (worker.worker_id, today.day, "idle", op.name, HOURS[lost], industry.idle_note)
            )
        if today.hot:
            write.time((worker.worker_id, today.day, "rest", op.name, REST_HOURS, "heat break"))
