"""One shift of a section, discrete-event (SimPy): faces, crews, buffers, shared resources.

Every face works the same workplace with its own crew and buffers. Shared resources are one
pool for the section; a face's own resources (room at the face) are its alone. A favoured face
is served first on every shared resource and gets its share of each stock before the others.

Quantities stay exact: work moves in batches of the workplace's batch size, counted as whole
numbers, so a crew's credits add up to the measured output by construction. Only the clock is
a float (hours). A worker's time draws come from its own seeded stream, so a run depends only
on the workplace, the organisations and the seed.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import simpy

from stakhanov.sim.workplace import Member, Operation, Organisation, ResourceKind, Workplace


@dataclass(frozen=True)
class Scenario:
    """Who works each face, and which face (if any) is favoured."""

    organisations: tuple[Organisation, ...]
    """One per face, in face order."""
    favoured: int | None = None
    """The favoured face's index (0-based)."""
    favoured_share: Decimal = Decimal("0.5")
    """The share of each stock the favoured face receives before the others split the rest."""


@dataclass
class WorkerResult:
    face: int
    member: Member
    batches: dict[str, int] = field(default_factory=dict)
    busy: dict[str, float] = field(default_factory=dict)
    waiting: float = 0.0
    """Hours spent waiting for a held resource."""


@dataclass
class ShiftResult:
    seed: int
    batches: list[dict[str, int]]
    """Finished batches per face and operation."""
    workers: list[WorkerResult]
    held: dict[str, float]
    """Resource-hours held, per resource (per face for unshared ones: `space@1`)."""
    drawn: dict[str, Decimal]
    """Stock drawn per resource (and face)."""
    stock: dict[str, Decimal]
    """Stock available per resource (and face)."""


def stock_shares(
    amount: Decimal, faces: int, favoured: int | None, share: Decimal
) -> list[Decimal]:
    """Each face's part of a shared stock: equal, or the favoured share first."""
    if favoured is None or faces == 1:
        return [amount / faces] * faces
    rest = amount * (1 - share) / (faces - 1)
    return [amount * share if i == favoured else rest for i in range(faces)]


class _Face:
    def __init__(self, env: simpy.Environment, workplace: Workplace, index: int) -> None:
        self.env, self.index = env, index
        self.ready = {op.name: 0 for op in workplace.operations}  # finished, waiting downstream
        self.reserved = {op.name: 0 for op in workplace.operations}  # places taken by work in hand
        self.done = {op.name: 0 for op in workplace.operations}
        self.arrived = 0  # batches arrived and not yet started (with an arrival stream)
        self.stock: dict[str, Decimal] = {}
        self.changed = env.event()

    def notify(self) -> None:
        event, self.changed = self.changed, self.env.event()
        event.succeed()


class _Shift:
    def __init__(self, workplace: Workplace, scenario: Scenario, seed: int) -> None:
        self.workplace, self.scenario, self.seed = workplace, scenario, seed
        self.env = simpy.Environment()
        self.end = float(workplace.shift_hours)
        self.ops = list(workplace.operations)
        self.faces = [_Face(self.env, workplace, i) for i in range(len(scenario.organisations))]
        self.pools: dict[str, simpy.PriorityResource] = {}
        self.held: dict[str, float] = defaultdict(float)
        self.drawn: dict[str, Decimal] = defaultdict(Decimal)
        self.stock: dict[str, Decimal] = {}
        self.active: dict[int, tuple[str, float]] = {}
        n = len(self.faces)
        for res in workplace.resources.values():
            if res.kind is ResourceKind.CAPACITY:
                keys = [res.name] if res.shared else [f"{res.name}@{i + 1}" for i in range(n)]
                for key in keys:
                    self.pools[key] = simpy.PriorityResource(self.env, int(res.amount))
            else:
                shares = (
                    stock_shares(res.amount, n, scenario.favoured, scenario.favoured_share)
                    if res.shared
                    else [res.amount] * n
                )
                for face, part in zip(self.faces, shares, strict=True):
                    face.stock[res.name] = part
                    self.stock[f"{res.name}@{face.index + 1}"] = part
        if workplace.arrival_rate is not None:
            for face in self.faces:
                self.env.process(self._arrivals(face))
        self.workers: list[WorkerResult] = []
        for face, organisation in zip(self.faces, scenario.organisations, strict=True):
            for member in organisation.members:
                result = WorkerResult(face.index, member)
                self.workers.append(result)
                self.env.process(self._work(face, result))

    def _arrivals(self, face: _Face) -> Any:
        rng = random.Random(f"{self.seed}:{face.index}:arrivals")
        per_hour = float((self.workplace.arrival_rate or Decimal(0)) / self.workplace.batch)
        while True:
            yield self.env.timeout(rng.expovariate(per_hour))
            face.arrived += 1
            face.notify()

    def _pool(self, name: str, face: _Face) -> str:
        return name if self.workplace.resources[name].shared else f"{name}@{face.index + 1}"

    def _available(self, face: _Face, position: int) -> bool:
        op = self.ops[position]
        if position > 0 and face.ready[self.ops[position - 1].name] < 1:
            return False
        if position == 0 and self.workplace.arrival_rate is not None and face.arrived < 1:
            return False
        if op.buffer is not None and face.ready[op.name] + face.reserved[op.name] >= op.buffer:
            return False
        need = self.workplace.batch
        return all(face.stock[r] >= per * need for r, per in op.consumes.items())

    def _work(self, face: _Face, me: WorkerResult) -> Any:
        env, rng = self.env, random.Random(f"{self.seed}:{face.index}:{me.member.id}")
        breaks = list(self.workplace.breaks)
        positions = [self.workplace.names.index(r) for r in me.member.roles]
        while True:
            while breaks and env.now >= float(breaks[0].at):
                yield env.timeout(float(breaks.pop(0).minutes) / 60)
            position = next((p for p in positions if self._available(face, p)), None)
            if position is None:
                upcoming = [float(b.at) - env.now for b in breaks[:1]]
                yield face.changed | env.timeout(upcoming[0]) if upcoming else face.changed
                continue
            op = self.ops[position]
            if position > 0:
                face.ready[self.ops[position - 1].name] -= 1
            elif self.workplace.arrival_rate is not None:
                face.arrived -= 1
            face.reserved[op.name] += 1
            for r, per in op.consumes.items():
                face.stock[r] -= per * self.workplace.batch
                self.drawn[f"{r}@{face.index + 1}"] += per * self.workplace.batch
            face.notify()
            yield from self._batch(face, me, op, rng)

    def _batch(self, face: _Face, me: WorkerResult, op: Operation, rng: random.Random) -> Any:
        env = self.env
        priority = 0 if self.scenario.favoured in (None, face.index) else 1
        requests = []
        for name in sorted(op.needs):
            key = self._pool(name, face)
            for _ in range(op.needs[name]):
                asked = env.now
                request = self.pools[key].request(priority=priority)
                yield request
                me.waiting += env.now - asked
                requests.append((key, request, env.now))
        rate = op.rates[me.member.skills[op.name]]
        mean = float(self.workplace.batch / rate)
        cv = float(op.variability)
        duration = rng.gammavariate(1 / cv**2, mean * cv**2) if cv > 0 else mean
        me.busy[op.name] = me.busy.get(op.name, 0.0) + max(0.0, min(duration, self.end - env.now))
        for key, request, granted in requests:
            self.active[id(request)] = (key, granted)
        yield env.timeout(duration)
        for key, request, granted in requests:
            del self.active[id(request)]
            self.held[key] += env.now - granted
            self.pools[key].release(request)
        face.reserved[op.name] -= 1
        face.ready[op.name] += 1
        face.done[op.name] += 1
        me.batches[op.name] = me.batches.get(op.name, 0) + 1
        if op is self.ops[-1]:
            face.ready[op.name] -= 1  # leaves the workplace, measured
        face.notify()

    def run(self) -> ShiftResult:
        self.env.run(until=self.end)
        # Resources still held when the shift ends count up to its end.
        for key, granted in self.active.values():
            self.held[key] += self.end - granted
        return ShiftResult(
            self.seed,
            [dict(face.done) for face in self.faces],
            self.workers,
            dict(self.held),
            dict(self.drawn),
            self.stock,
        )


def run_shift(workplace: Workplace, scenario: Scenario, seed: int) -> ShiftResult:
    """One shift of the section for one seed: the same seed gives the same result."""
    return _Shift(workplace, scenario, seed).run()
