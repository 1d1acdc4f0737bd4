"""What many simulated shifts show: output per shift, face and worker; credits; utilisation;
the bottleneck; and, for the favoured-face scenario, what each face gains or loses.

Quantities stay Decimal (whole batches); utilisation is a share of time, shown in percent to
one decimal. Distributions use nearest rank, so every figure is one of the simulated values.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from stakhanov.domain.distribution import percentile
from stakhanov.sim.bottleneck import bottleneck
from stakhanov.sim.ledger_rows import measured, worker_id
from stakhanov.sim.site import Scenario, ShiftResult
from stakhanov.sim.workplace import ResourceKind, Workplace

SHOWN = Decimal("0.001")
PERCENT = Decimal("0.1")


def face_output(workplace: Workplace, result: ShiftResult, face: int) -> Decimal:
    """What left the last operation of one face: the shift's measured output."""
    return result.batches[face][workplace.operations[-1].name] * workplace.batch


def section_output(workplace: Workplace, result: ShiftResult) -> Decimal:
    return sum((face_output(workplace, result, f) for f in range(len(result.batches))), Decimal(0))


def spread(values: Sequence[Decimal]) -> dict[str, Decimal]:
    """Mean and nearest-rank percentiles of a sample."""
    return {
        "mean": (sum(values, Decimal(0)) / len(values)).quantize(SHOWN, ROUND_HALF_UP),
        "min": min(values),
        "p5": percentile(values, Decimal(5)),
        "median": percentile(values, Decimal(50)),
        "p95": percentile(values, Decimal(95)),
        "max": max(values),
    }


def _percent(share: float) -> Decimal:
    return (Decimal(str(round(share, 6))) * 100).quantize(PERCENT, ROUND_HALF_UP)


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else 0.0


def credits(workplace: Workplace, result: ShiftResult) -> dict[tuple[int, str], Decimal]:
    """Each worker's credited output in one shift, by (face, member id)."""
    found: dict[tuple[int, str], Decimal] = {}
    for face in range(len(result.batches)):
        for m in measured(workplace, result, face):
            for worker, quantity in m.credits:
                key = (face, worker.member.id)
                found[key] = found.get(key, Decimal(0)) + quantity
    return found


def _workers(workplace: Workplace, results: list[ShiftResult]) -> list[dict[str, Any]]:
    faces = len(results[0].batches)
    working = float(workplace.working_hours)
    per_shift = [credits(workplace, r) for r in results]
    rows = []
    for i, first in enumerate(results[0].workers):
        same = [r.workers[i] for r in results]
        key = (first.face, first.member.id)
        credited = [c.get(key, Decimal(0) * workplace.batch) for c in per_shift]
        finished = {
            op: (
                sum((w.batches.get(op, 0) * workplace.batch for w in same), Decimal(0)) / len(same)
            ).quantize(SHOWN, ROUND_HALF_UP)
            for op in first.member.roles
        }
        rows.append(
            {
                "face": first.face + 1,
                "worker_id": worker_id(first.face, first, faces),
                "name": first.member.name,
                "roles": list(first.member.roles),
                "finished": finished,
                "credited": spread(credited),
                "utilisation_percent": _percent(
                    _mean([sum(w.busy.values()) / working for w in same])
                ),
                "waiting_hours": Decimal(str(round(_mean([w.waiting for w in same]), 3))),
            }
        )
    return rows


def _resources(workplace: Workplace, results: list[ShiftResult]) -> list[dict[str, Any]]:
    rows = []
    shift = float(workplace.shift_hours)
    for res in workplace.resources.values():
        if res.kind is ResourceKind.CAPACITY:
            keys = sorted({k for r in results for k in r.held if k.split("@")[0] == res.name})
            keys = keys or [res.name]
            for key in keys:
                share = _mean([r.held.get(key, 0.0) / (float(res.amount) * shift) for r in results])
                rows.append(
                    {
                        "resource": key,
                        "kind": res.kind.value,
                        "utilisation_percent": _percent(share),
                    }
                )
        else:
            keys = sorted(results[0].stock) if results else []
            keys = [k for k in keys if k.split("@")[0] == res.name]
            drawn = [sum((r.drawn.get(k, Decimal(0)) for k in keys), Decimal(0)) for r in results]
            available = sum((results[0].stock[k] for k in keys), Decimal(0))
            share = _mean([float(d / available) for d in drawn]) if available else 0.0
            rows.append(
                {
                    "resource": res.name,
                    "kind": res.kind.value,
                    "utilisation_percent": _percent(share),
                }
            )
    return rows


def organisation_report(
    workplace: Workplace, scenario: Scenario, results: list[ShiftResult]
) -> dict[str, Any]:
    faces = len(scenario.organisations)
    workers = _workers(workplace, results)
    resources = _resources(workplace, results)
    output = spread([section_output(workplace, r) for r in results])
    conserved = all(
        sum(credits(workplace, r).values(), Decimal(0))
        == sum((m.quantity for f in range(faces) for m in measured(workplace, r, f)), Decimal(0))
        for r in results
    )
    return {
        "organisations": [o.name for o in scenario.organisations],
        "favoured_face": None if scenario.favoured is None else scenario.favoured + 1,
        "runs": len(results),
        "output": output,
        "faces": [
            {
                "face": f + 1,
                "organisation": scenario.organisations[f].name,
                **spread([face_output(workplace, r, f) for r in results]),
            }
            for f in range(faces)
        ],
        "workers": workers,
        "resources": resources,
        "bottleneck": bottleneck(workplace, results, resources, output["mean"]),
        "credits_conserved": conserved,
    }


def favoured_report(baseline: dict[str, Any], favoured: dict[str, Any]) -> dict[str, Any]:
    """What each face gains or loses when one face is favoured, and the net for the section."""
    faces = [
        {
            "face": b["face"],
            "favoured": b["face"] == favoured["favoured_face"],
            "baseline_mean": b["mean"],
            "favoured_mean": f["mean"],
            "change": f["mean"] - b["mean"],
        }
        for b, f in zip(baseline["faces"], favoured["faces"], strict=True)
    ]
    gained = sum((r["change"] for r in faces if r["favoured"]), Decimal(0))
    lost = sum((r["change"] for r in faces if not r["favoured"]), Decimal(0))
    return {
        "faces": faces,
        "favoured_face_gains": gained,
        "other_faces_lose": -lost,
        "section_change": favoured["output"]["mean"] - baseline["output"]["mean"],
    }
