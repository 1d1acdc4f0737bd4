"""The bottleneck of a simulated organisation: what would limit the output first.

Every operation and every resource gets a capacity: what the section could send out in a shift
if that were its only limit.

- An operation's is the output it finished, scaled up by the time its workers had for it over
  the time they spent on it. A worker with several roles gives each role the share of their time
  they actually spent on it. A busy hewer whose coal piles up in front of a slower loader
  therefore has a high capacity. The loader, busy all shift with what reaches him, has the
  lowest.
- A resource's is the section's output over its utilisation: air busy 95% of the shift for
  117 t could serve 124 t.

The bottleneck is the lowest. When the people of that operation all work several roles, it is
named by their roles: a solo miner is his own bottleneck.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from stakhanov.sim.site import ShiftResult
from stakhanov.sim.workplace import Workplace

SHOWN = Decimal("0.1")


def _decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 6))).quantize(SHOWN, ROUND_HALF_UP)


def bottleneck(
    workplace: Workplace,
    results: list[ShiftResult],
    resources: list[dict[str, Any]],
    output: Decimal,
) -> dict[str, Any]:
    working = float(workplace.working_hours)
    runs = len(results)
    candidates: list[tuple[float, float, str, str]] = []  # capacity, utilisation, kind, name
    for op in workplace.operations:
        finished = busy = available = 0.0
        role_sets = set()
        for result in results:
            finished += sum(face[op.name] for face in result.batches) * float(workplace.batch)
            for worker in result.workers:
                if op.name not in worker.member.roles:
                    continue
                role_sets.add(worker.member.roles)
                spent, total = worker.busy.get(op.name, 0.0), sum(worker.busy.values())
                busy += spent
                available += working * (spent / total if total else 1 / len(worker.member.roles))
        if busy <= 0:
            continue
        capacity = finished / runs * available / busy
        several = all(len(roles) > 1 for roles in role_sets)
        kind, name = (
            ("people", "+".join(next(iter(role_sets))))
            if several and len(role_sets) == 1
            else ("operation", op.name)
        )
        candidates.append((capacity, busy / available, kind, name))
    for row in resources:
        share = float(row["utilisation_percent"]) / 100
        if share > 0:
            candidates.append((float(output) / share, share, row["kind"], row["resource"]))
    capacity, share, kind, name = min(candidates, key=lambda c: c[0])
    return {
        "kind": kind,
        "name": name,
        "capacity": _decimal(capacity),
        "utilisation_percent": _decimal(share * 100),
    }
