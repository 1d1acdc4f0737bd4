"""Reading a workplace from its TOML text, with every problem located to file, line and key.

Numbers are read exactly (TOML floats as Decimal, "0.5" strings as written). Unknown keys are
errors that name the key path, as in the pay scale files.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace
from decimal import Decimal
from typing import Any

from stakhanov.domain.errors import Problem, Source
from stakhanov.sim.toml_reader import (
    KeyPath,
    Reader,
    WorkplaceRejected,
    count,
    flag,
    names,
    number,
    positive,
    text,
)
from stakhanov.sim.workplace import (
    Break,
    Member,
    Operation,
    Organisation,
    Resource,
    ResourceKind,
    Workplace,
)

TOP = (
    "name", "description", "unit", "batch", "shift_hours", "faces", "site", "date",
    "safety", "rotation", "breaks", "resources", "operations", "organisations", "arrival_rate",
)  # fmt: skip
OPERATION = (
    "description", "rates", "variability", "buffer", "needs", "consumes", "certification",
    "at_face", "min_crew", "max_crew", "pay", "norm", "norm_hours", "included_in",
    "standard_minutes", "after",
)  # fmt: skip
RESOURCE = ("kind", "amount", "unit", "shared", "description")
MEMBER = ("id", "name", "roles", "skill", "skills", "grade")


def read_workplace(source: str, file: str = "workplace.toml") -> Workplace:
    """The workplace the text describes; WorkplaceRejected lists every problem."""
    reader = Reader(file, source)
    try:
        doc = tomllib.loads(source, parse_float=Decimal)
    except tomllib.TOMLDecodeError as err:
        at = re.search(r"line (\d+)", str(err))
        raise WorkplaceRejected(
            [Problem(Source(file, int(at[1]) if at else 1), "-", str(err))]
        ) from None
    top = reader.table(doc, (), TOP)
    resources = _resources(reader, top.get("resources", {}))
    operations = _operations(reader, top.get("operations"), resources)
    safety = reader.table(top.get("safety", {}), ("safety",), ("min_at_face",))
    rotation = reader.table(top.get("rotation", {}), ("rotation",), ("max_consecutive",))
    shift = reader.required(top, "shift_hours", (), positive) or Decimal(8)
    breaks = _breaks(reader, top.get("breaks", []), shift)
    workplace = Workplace(
        name=reader.required(top, "name", (), text) or "",
        unit=reader.required(top, "unit", (), text) or "",
        batch=reader.required(top, "batch", (), positive) or Decimal(1),
        shift_hours=shift,
        operations=operations,
        resources=resources,
        breaks=breaks,
        organisations={},
        faces=max(1, reader.value(top, "faces", (), count, 1)),
        site=reader.value(top, "site", (), text, "Site"),
        min_at_face=reader.value(safety, "min_at_face", ("safety",), count, 0),
        max_consecutive=reader.value(rotation, "max_consecutive", ("rotation",), count, None),
        description=reader.value(top, "description", (), text, ""),
        date=reader.value(top, "date", (), _date, "2000-01-03"),
        arrival_rate=reader.value(top, "arrival_rate", (), positive, None),
    )
    organisations = _organisations(reader, top.get("organisations", {}), workplace)
    if reader.problems:
        raise WorkplaceRejected(reader.problems)
    return replace(workplace, organisations=organisations)


def _date(value: Any) -> str:
    import datetime as dt

    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(text(value)).isoformat()
    except ValueError:
        raise ValueError("must be an ISO date like 1935-08-31") from None


def _resources(reader: Reader, value: Any) -> dict[str, Resource]:
    result = {}
    for name, raw in reader.table(value, ("resources",), None).items():
        path: KeyPath = ("resources", name)
        table = reader.table(raw, path, RESOURCE)
        kind = reader.required(table, "kind", path, lambda v: ResourceKind(text(v)))
        amount = reader.required(table, "amount", path, number)
        if kind is ResourceKind.CAPACITY and amount is not None and amount != int(amount):
            reader.problem((*path, "amount"), "a capacity is a whole number")
        if kind is not None and amount is not None:
            result[name] = Resource(
                name,
                kind,
                amount,
                reader.value(table, "unit", path, text, ""),
                reader.value(table, "shared", path, flag, True),
                reader.value(table, "description", path, text, ""),
            )
    return result


def _operations(
    reader: Reader, value: Any, resources: dict[str, Resource]
) -> tuple[Operation, ...]:
    if value is None:
        reader.problem(("operations",), "is required: at least one operation")
        return ()
    found = []
    ops = reader.table(value, ("operations",), None)
    for name, raw in ops.items():
        path: KeyPath = ("operations", name)
        t = reader.table(raw, path, OPERATION)
        rates = {
            level: rate
            for level, v in reader.table(t.get("rates", {}), (*path, "rates"), None).items()
            if (rate := reader.value({level: v}, level, (*path, "rates"), positive, None))
            is not None
        }
        if not rates:
            reader.problem((*path, "rates"), "is required: output per worker-hour by skill level")
        needs = {
            r: n
            for r, v in reader.table(t.get("needs", {}), (*path, "needs"), None).items()
            if (n := reader.value({r: v}, r, (*path, "needs"), count, None)) is not None
        }
        consumes = {
            r: amount
            for r, v in reader.table(t.get("consumes", {}), (*path, "consumes"), None).items()
            if (amount := reader.value({r: v}, r, (*path, "consumes"), number, None)) is not None
        }
        for r in needs:
            if resources.get(r) is None or resources[r].kind is not ResourceKind.CAPACITY:
                reader.problem((*path, "needs", r), f"{r!r} is not a capacity resource")
            elif needs[r] > resources[r].amount:
                reader.problem(
                    (*path, "needs", r), f"more than the {resources[r].amount} there are"
                )
        for r in consumes:
            if resources.get(r) is None or resources[r].kind is not ResourceKind.STOCK:
                reader.problem((*path, "consumes", r), f"{r!r} is not a stock resource")
        included = reader.value(t, "included_in", path, text, None)
        if included is not None and (included not in ops or "norm" not in ops.get(included, {})):
            reader.problem((*path, "included_in"), f"{included!r} is not an operation with a norm")
        norm = reader.value(t, "norm", path, positive, None)
        norm_hours = reader.value(t, "norm_hours", path, positive, None)
        if (norm is None) != (norm_hours is None):
            reader.problem((*path, "norm"), "norm and norm_hours go together")
        buffer = reader.value(t, "buffer", path, count, None)
        if buffer == 0:
            reader.problem((*path, "buffer"), "must be at least 1 (leave it out for no limit)")
        found.append(
            Operation(
                name=name,
                rates=rates,
                variability=reader.value(t, "variability", path, number, Decimal(0)),
                buffer=buffer,
                needs=needs,
                consumes=consumes,
                certification=reader.value(t, "certification", path, text, None),
                at_face=reader.value(t, "at_face", path, flag, False),
                min_crew=reader.value(t, "min_crew", path, count, 0),
                max_crew=reader.value(t, "max_crew", path, count, None),
                pay=reader.value(t, "pay", path, positive, Decimal(1)),
                norm=norm,
                norm_hours=norm_hours,
                included_in=included,
                standard_minutes=reader.value(t, "standard_minutes", path, positive, None),
                after=_after(reader, t, path, list(ops)),
                description=reader.value(t, "description", path, text, ""),
            )
        )
    if not found:
        reader.problem(("operations",), "is required: at least one operation")
    return tuple(found)


def _after(reader: Reader, table: dict[str, Any], path: KeyPath, known: list[str]) -> Any:
    if "after" not in table:
        return None
    raw = table["after"]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        reader.problem((*path, "after"), "must be a list of operation names")
        return None
    earlier = known[: known.index(str(path[-1]))]
    for name in raw:
        if name not in earlier:
            reader.problem(
                (*path, "after"), f"{name!r} is not an operation written before this one"
            )
    return tuple(raw)


def _breaks(reader: Reader, value: Any, shift: Decimal) -> tuple[Break, ...]:
    if not isinstance(value, list):
        reader.problem(("breaks",), "must be an array of tables [[breaks]]")
        return ()
    result = []
    for i, raw in enumerate(value):
        path: KeyPath = ("breaks", i)
        table = reader.table(raw, path, ("at", "minutes"))
        at = reader.required(table, "at", path, number)
        minutes = reader.required(table, "minutes", path, positive)
        if at is not None and at >= shift:
            reader.problem((*path, "at"), f"falls after the {shift} h shift")
        if at is not None and minutes is not None:
            result.append(Break(at, minutes))
    return tuple(sorted(result, key=lambda b: b.at))


def _organisations(reader: Reader, value: Any, workplace: Workplace) -> dict[str, Organisation]:
    result = {}
    ops = {op.name: op for op in workplace.operations}
    for name, raw in reader.table(value, ("organisations",), None).items():
        path: KeyPath = ("organisations", name)
        table = reader.table(raw, path, ("description", "members"))
        members, seen = [], set()
        raw_members = table.get("members")
        if not isinstance(raw_members, list) or not raw_members:
            reader.problem((*path, "members"), "is required: an array of tables [[...members]]")
            raw_members = []
        for i, raw_member in enumerate(raw_members):
            at: KeyPath = (*path, "members", i)
            m = reader.table(raw_member, at, MEMBER)
            ident = reader.required(m, "id", at, text) or f"?{i}"
            if ident in seen:
                reader.problem((*at, "id"), f"{ident!r} is already a member")
            seen.add(ident)
            roles = reader.required(m, "roles", at, names) or ()
            skill = reader.value(m, "skill", at, text, None)
            skills = {
                r: s
                for r, v in reader.table(m.get("skills", {}), (*at, "skills"), None).items()
                if (s := reader.value({r: v}, r, (*at, "skills"), text, None)) is not None
            }
            for role in roles:
                if role not in ops:
                    reader.problem((*at, "roles"), f"{role!r} is not an operation")
                    continue
                level = skills.setdefault(role, skill or "")
                if level not in ops[role].rates:
                    reader.problem(
                        (*at, "skills" if role in m.get("skills", {}) else "skill"),
                        f"no rate for {role} at skill {level!r}; "
                        f"known: {', '.join(ops[role].rates)}",
                    )
            members.append(
                Member(
                    ident,
                    reader.value(m, "name", at, text, ident),
                    roles,
                    skills,
                    reader.value(m, "grade", at, text, "4"),
                )
            )
        covered = {r for member in members for r in member.roles}
        for op in workplace.operations:
            if members and op.name not in covered:
                reader.problem((*path, "members"), f"nobody works {op.name!r}")
        result[name] = Organisation(
            name, tuple(members), reader.value(table, "description", path, text, "")
        )
    return result
