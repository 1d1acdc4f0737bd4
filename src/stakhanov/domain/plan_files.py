"""Reading a scale file's plan kind (`plan`, [plan_terms], [[efficiency]]) and rate cards.

docs/plans.md describes the keys; scale_files.parse_scale calls these with the tables read.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.pay_plans import falls
from stakhanov.domain.scale_values import (
    Path,
    Reader,
    as_date,
    as_non_negative,
    as_positive,
    as_share,
    as_text,
    as_unit,
)
from stakhanov.domain.scales import EfficiencyStep, PayScale, Plan, PlanKind, RateCard


def read_plan(
    reader: Reader, terms: dict[str, Any], efficiency: list[dict[str, Any]], kind: PlanKind
) -> Plan:
    """The plan kind's terms: [plan_terms] and Emerson's [[efficiency]] table."""
    path: Path = ("plan_terms",)
    share = reader.get(terms, "share", path, as_share)
    bonus = reader.get(terms, "bonus", path, as_non_negative)
    beyond = reader.get(terms, "beyond", path, as_non_negative) or Decimal(0)
    needs = {PlanKind.HALSEY: "share", PlanKind.TASK_AND_BONUS: "bonus"}
    for plan, key in needs.items():
        if kind is plan and key not in terms:
            reader.problem((*path, key), f"is required for a {kind.value} plan")
    steps: list[EfficiencyStep] = []
    for index, table in enumerate(efficiency):
        at = reader.required(table, "at", ("efficiency", index), as_non_negative)
        step_bonus = reader.required(table, "bonus", ("efficiency", index), as_non_negative)
        if at is not None and steps and at <= steps[-1].at:
            reader.problem(("efficiency", index, "at"), "steps must rise strictly")
        elif at is not None and step_bonus is not None:
            steps.append(EfficiencyStep(at, step_bonus))
    if (kind is PlanKind.EMERSON) != bool(efficiency):
        reader.problem(("efficiency",), "an emerson plan, and only it, has an [[efficiency]] table")
    allowed = terms.get("allow_falling", False)
    reason = reader.get(terms, "falling_reason", path, as_text)
    if not isinstance(allowed, bool):
        reader.problem((*path, "allow_falling"), "must be true or false")
    elif allowed and reason is None:
        reader.problem((*path, "falling_reason"), "is required when allow_falling = true")
    return Plan(kind, share, bonus, tuple(steps), beyond, reason if allowed is True else None)


def read_rates(reader: Reader, cards: list[dict[str, Any]], grades: set[str]) -> list[RateCard]:
    """[[rates]]: piece rates given directly per operation (and grade), effective-dated."""
    found: list[RateCard] = []
    for index, table in enumerate(cards):
        path: Path = ("rates", index)
        operation = reader.required(table, "operation", path, as_text)
        rate = reader.required(table, "rate", path, as_positive)
        per = reader.required(table, "per", path, as_unit)
        since = reader.required(table, "from", path, as_date)
        grade = reader.get(table, "grade", path, as_text)
        if grade is not None and grade not in grades:
            reader.problem((*path, "grade"), f"grade {grade!r} is not in [grades]")
        key = (operation, grade, since)
        if any((c.operation, c.grade, c.effective_from) == key for c in found):
            reader.problem(path, "a second card for the same operation, grade and date")
        elif None not in (operation, rate, per, since):
            found.append(RateCard(operation, rate, per, since, grade))
    return found


def falling_problems(scale: PayScale, reader: Reader) -> list[Problem]:
    """Where the scale's pay falls as output rises, unless its plan allows it with a reason."""
    found = falls(scale)
    if not found or scale.plan.allow_falling is not None:
        return []
    points = "; ".join(str(f) for f in found)
    message = f"{points}; refused unless [plan_terms] allow_falling = true, falling_reason"
    return [Problem(Source(reader.file, reader.line_of(("plan",))), "plan", message)]
