"""The crew planner: workers to roles for the most expected output, with CP-SAT.

A flow line turns out what its slowest operation can do, so the expected output of a shift is
the smallest, over the operations, of the summed rates of the workers on it, times the working
hours. The planner maximises that; among equal plans it puts spare workers where they add the
most capacity. The rules are hard constraints:

- skills and certifications: a worker takes a role only with a skill level for it and any
  certification it requires;
- hours: only a worker available for the whole shift is assigned (a shift is not split);
- crew: every operation gets at least one worker and at least its minimum crew, at most its
  maximum;
- safety: when anyone is at the face, at least `min_at_face` workers are;
- rotation: nobody takes a role they held in each of their last `max_consecutive` shifts;
- fairness: a worker whose every recent shift was on the lowest-paid role does not get it again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stakhanov.sim.crew_file import CrewMember
from stakhanov.sim.workplace import Member, Organisation, Workplace


@dataclass(frozen=True)
class Plan:
    status: str
    """optimal, feasible (time limit: the best plan found) or infeasible."""
    roles: dict[str, str]
    """worker id -> operation."""
    rate: Decimal
    """Units per hour of the bottleneck operation: the line's expected rate."""
    expected_output: Decimal
    spare_rate: Decimal
    """The summed rates of every assignment: the tie-breaker among plans of equal output."""
    bound: Decimal | None
    reasons: dict[str, list[str]]
    """Why a worker may not take each role they cannot."""


def lowest_paid(workplace: Workplace) -> set[str]:
    pays = {op.pay for op in workplace.operations}
    if len(pays) < 2:
        return set()
    return {op.name for op in workplace.operations if op.pay == min(pays)}


def why_not(workplace: Workplace, worker: CrewMember, operation: str) -> str | None:
    """The rule that keeps a worker off a role, or None when they may take it."""
    op = workplace.operation(operation)
    if operation not in worker.skills:
        return "no skill for it"
    if op.certification and op.certification not in worker.certifications:
        return f"not certified ({op.certification})"
    if worker.hours < workplace.shift_hours:
        return f"available {worker.hours} h of the {workplace.shift_hours} h shift"
    k = workplace.max_consecutive
    if k and len(worker.recent) >= k and all(r == operation for r in worker.recent[:k]):
        return f"rotation: held it the last {k} shifts"
    low = lowest_paid(workplace)
    if operation in low and worker.recent and all(r in low for r in worker.recent):
        return "fairness: every recent shift was on the lowest-paid role"
    return None


def rate_of(workplace: Workplace, worker: CrewMember, operation: str) -> Decimal:
    return workplace.operation(operation).rates[worker.skills[operation]]


def _scale(workplace: Workplace) -> int:
    places = [-int(r.as_tuple().exponent) for op in workplace.operations for r in op.rates.values()]
    return int(10 ** max([0, *places]))


def line_rate(workplace: Workplace, crew: list[CrewMember], roles: dict[str, str]) -> Decimal:
    """The rate of the slowest operation under an assignment (0 when one is unstaffed)."""
    by_id = {w.worker_id: w for w in crew}
    return min(
        sum(
            (rate_of(workplace, by_id[w], op.name) for w, r in roles.items() if r == op.name),
            Decimal(0),
        )
        for op in workplace.operations
    )


def plan_crew(workplace: Workplace, crew: list[CrewMember], time_limit: float = 10.0) -> Plan:
    from ortools.sat.python import cp_model  # loaded when a plan is asked for: it is slow

    model = cp_model.CpModel()
    scale = _scale(workplace)
    reasons: dict[str, list[str]] = {}
    x: dict[tuple[str, str], Any] = {}
    for w in crew:
        for op in workplace.operations:
            reason = why_not(workplace, w, op.name)
            if reason is None:
                x[w.worker_id, op.name] = model.new_bool_var(f"x[{w.worker_id},{op.name}]")
            else:
                reasons.setdefault(w.worker_id, []).append(f"{op.name}: {reason}")
    for w in crew:
        model.add_at_most_one(v for (i, _), v in x.items() if i == w.worker_id)
    total = sum(int(rate_of(workplace, w, op) * scale) for w in crew for op in w.skills)
    z = model.new_int_var(0, max(total, 1), "line_rate")
    capacity = []
    for op in workplace.operations:
        on = [(w, v) for (i, o), v in x.items() if o == op.name for w in crew if w.worker_id == i]
        staffed = sum(v for _, v in on)
        model.add(staffed >= max(1, op.min_crew))
        if op.max_crew is not None:
            model.add(staffed <= op.max_crew)
        rate = sum(int(rate_of(workplace, w, op.name) * scale) * v for w, v in on)
        model.add(z <= rate)
        capacity.append(rate)
    face = [v for (_, o), v in x.items() if workplace.operation(o).at_face]
    if workplace.min_at_face and face:
        model.add(sum(face) >= workplace.min_at_face)
    model.maximize(z * (total + 1) + sum(capacity))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = 1  # one search thread: the same plan every time
    solver.parameters.random_seed = 0
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Plan("infeasible", {}, Decimal(0), Decimal(0), Decimal(0), None, reasons)
    roles = {i: o for (i, o), v in x.items() if solver.value(v)}
    rate = line_rate(workplace, crew, roles)
    spare = sum(
        (rate_of(workplace, w, roles[w.worker_id]) for w in crew if w.worker_id in roles),
        Decimal(0),
    )
    bound = Decimal(int(solver.best_objective_bound) // (total + 1)) / scale
    return Plan(
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        roles,
        rate,
        rate * workplace.working_hours,
        spare,
        None if status == cp_model.OPTIMAL else bound,
        reasons,
    )


def explain(workplace: Workplace, crew: list[CrewMember], plan: Plan) -> dict[str, Any]:
    """The plan as rows for people: each worker's role and rate, each operation's capacity and
    its slack over the bottleneck, and why each unassigned worker is not used."""
    by_id = {w.worker_id: w for w in crew}
    operations: list[dict[str, Any]] = []
    for op in workplace.operations:
        on = sorted(w for w, r in plan.roles.items() if r == op.name)
        rate = sum((rate_of(workplace, by_id[w], op.name) for w in on), Decimal(0))
        operations.append(
            {
                "operation": op.name,
                "workers": on,
                "rate": rate,
                "output_if_alone": rate * workplace.working_hours,
                "slack_percent": ((rate / plan.rate - 1) * 100).quantize(Decimal("0.1"))
                if plan.rate
                else None,
            }
        )
    bottleneck = min(operations, key=lambda o: o["rate"])["operation"] if plan.roles else None
    workers = []
    for w in crew:
        role = plan.roles.get(w.worker_id)
        if role:
            note = f"{w.skills[role]} {role} at {rate_of(workplace, w, role)} {workplace.unit}/h"
        else:
            note = "; ".join(plan.reasons.get(w.worker_id, [])) or "spare: no place adds output"
        workers.append({"worker_id": w.worker_id, "name": w.name, "role": role, "why": note})
    return {
        "status": plan.status,
        "expected_output": plan.expected_output,
        "unit": workplace.unit,
        "rate": plan.rate,
        "bound_rate": plan.bound,
        "bottleneck": bottleneck,
        "operations": operations,
        "workers": workers,
    }


def planned_organisation(crew: list[CrewMember], plan: Plan, name: str = "planned") -> Organisation:
    """The plan as an organisation the simulation can run: each worker on their one role."""
    members = tuple(
        Member(
            w.worker_id,
            w.name,
            (plan.roles[w.worker_id],),
            {plan.roles[w.worker_id]: w.skills[plan.roles[w.worker_id]]},
        )
        for w in crew
        if w.worker_id in plan.roles
    )
    return Organisation(name, members, "the crew planner's assignment")
