"""Reading a pay scale from its TOML text: every problem collected, each located to a line.

Money and multipliers are read exactly (TOML floats are parsed as Decimal, and strings such as
"1.70" keep their written scale). An unknown key anywhere is an error that names the key.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from stakhanov.domain.errors import InvalidValue, Problem, Source
from stakhanov.domain.nesting import MAX_DEPTH, too_deep
from stakhanov.domain.plan_files import falling_problems, read_plan, read_rates
from stakhanov.domain.rule_packs import PackTexts, with_pack
from stakhanov.domain.scale_values import (
    Path,
    Reader,
    as_choice,
    as_currency,
    as_date,
    as_fraction,
    as_minor_unit,
    as_non_negative,
    as_one_of,
    as_operations,
    as_positive,
    as_share,
    as_text,
)
from stakhanov.domain.scales import (
    HUNDRED,
    WEEKDAYS,
    Basis,
    Bonus,
    BonusPer,
    Deduction,
    PayScale,
    PercentRule,
    PlanKind,
    Tier,
)
from stakhanov.domain.wording import say

TOP_KEYS = (
    "name",
    "effective_from",
    "currency",
    "minor_unit",
    "description",
    "operations",
    "basis",
    "percent",
    "grades",
    "tiers",
    "time_work",
    "guarantee",
    "rest",
    "minimum_wage",
    "rejects",
    "bonuses",
    "deductions",
    "deduction_cap",
    "plan",
    "plan_terms",
    "efficiency",
    "rates",
    "overtime",
    "guarantees",
    "rest_day_work",
    "night_work",
    "calendar",
    "idle_time",
    "accounting_periods",
    "pack",
)
SECTION_KEYS = {
    "plan_terms": ("share", "bonus", "beyond", "allow_falling", "falling_reason"),
    "time_work": ("fraction",),
    "guarantee": ("fraction",),
    "rest": ("pay", "rest", "nonproductive", "floor"),
    "overtime": ("base", "week_hours", "day_hours", "seventh_day", "bands", "seventh_day_bands"),
    "minimum_wage": ("hourly", "week_starts"),
    "rejects": ("deduction",),
    "deduction_cap": ("percent",),
    "rest_day_work": ("factor", "base", "rest_days"),
    "night_work": ("percent", "from", "to"),
    "idle_time": ("employer", "fraction", "months"),
}
ARRAY_KEYS = {
    "tiers": ("above", "multiplier"),
    "bonuses": ("code", "name", "per", "amount", "percent", "conditions", "min_percent"),
    "deductions": ("code", "name", "amount", "percent", "cap_percent"),
    "efficiency": ("at", "bonus"),
    "rates": ("operation", "rate", "per", "from", "grade"),
    "guarantees": ("per", "rate", "hours", "fraction"),
    "calendar": ("date", "day", "name"),
    "accounting_periods": ("from", "to", "norm_hours"),
}
CONDITIONS = ("standard", "prepared")
MAX_SCALE_CHARS = 1024 * 1024
_AT_LINE = re.compile(r"line (\d+)")


def _table(reader: Reader, document: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = document.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        reader.problem((key,), f"must be a table: [{key}]")
        return None
    reader.known_keys(value, SECTION_KEYS.get(key, tuple(value)), (key,))
    return value


def _array(reader: Reader, document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = document.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        reader.problem((key,), f"must be an array of tables: [[{key}]]")
        return []
    for index, table in enumerate(value):
        reader.known_keys(table, ARRAY_KEYS[key], (key, index))
    return value


def _amount_or_percent(
    reader: Reader, table: dict[str, Any], path: Path
) -> tuple[Decimal | None, Decimal | None]:
    amount = reader.get(table, "amount", path, as_positive)
    percent = reader.get(table, "percent", path, as_positive)
    if ("amount" in table) == ("percent" in table):
        reader.problem(path, "give exactly one of amount or percent")
    return amount, percent


# The codes of the lines pay makes itself: a bonus or deduction of the same code would be
# taken for one of them (adjustments match lines by code and key).
RESERVED_CODES = (
    "piece",
    "time",
    "idle",
    "rest",
    "nonproductive",
    "minimum-wage",
    "reject-fault",
    "adjustment",
)


def _codes(reader: Reader, tables: list[dict[str, Any]], key: str) -> list[str | None]:
    codes: list[str | None] = []
    for index, table in enumerate(tables):
        code = reader.required(table, "code", (key, index), as_text)
        if code is not None and code in codes:
            reader.problem((key, index, "code"), f"duplicate code {code!r}")
        elif code is not None and (code in RESERVED_CODES or code.startswith("tier-")):
            reader.problem(
                (key, index, "code"),
                f"{code!r} is the code of a line pay makes itself ({', '.join(RESERVED_CODES)}, "
                "tier-...): choose another",
            )
        codes.append(code)
    return codes


def _bonuses(reader: Reader, document: dict[str, Any]) -> list[Bonus]:
    tables = _array(reader, document, "bonuses")
    found = []
    for index, (table, code) in enumerate(
        zip(tables, _codes(reader, tables, "bonuses"), strict=True)
    ):
        path: Path = ("bonuses", index)
        per = reader.required(table, "per", path, as_choice(BonusPer))
        amount, percent = _amount_or_percent(reader, table, path)
        conditions = reader.get(table, "conditions", path, as_one_of(CONDITIONS))
        min_percent = reader.get(table, "min_percent", path, as_non_negative)
        name = reader.get(table, "name", path, as_text)
        if code is not None and per is not None and (amount is None) != (percent is None):
            found.append(Bonus(code, name or code, per, amount, percent, conditions, min_percent))
    return found


def _deductions(reader: Reader, document: dict[str, Any]) -> list[Deduction]:
    tables = _array(reader, document, "deductions")
    found = []
    codes = _codes(reader, tables, "deductions")
    for index, (table, code) in enumerate(zip(tables, codes, strict=True)):
        path: Path = ("deductions", index)
        amount, percent = _amount_or_percent(reader, table, path)
        cap = reader.get(table, "cap_percent", path, as_share)
        name = reader.get(table, "name", path, as_text)
        if code is not None and (amount is None) != (percent is None):
            found.append(Deduction(code, name or code, amount, percent, cap))
    return found


def _tiers(reader: Reader, document: dict[str, Any], kind: PlanKind) -> list[Tier]:
    found: list[Tier] = []
    differential = kind is PlanKind.DIFFERENTIAL
    if document.get("tiers") and kind not in (PlanKind.MARGINAL, PlanKind.DIFFERENTIAL):
        reader.problem(("tiers",), f"a {kind.value} plan has no tiers (docs/plans.md)")
        return found
    for index, table in enumerate(_array(reader, document, "tiers")):
        above = reader.required(table, "above", ("tiers", index), as_non_negative)
        multiplier = reader.required(table, "multiplier", ("tiers", index), as_positive)
        if above is None or multiplier is None:
            continue
        floor = found[-1].above if found else (Decimal(0) if differential else HUNDRED)
        if above < floor or (found and above == floor):
            reader.problem(
                ("tiers", index, "above"),
                f"must be at least {floor} and above the previous band's"
                if differential
                else f"must be at least 100 and above the previous tier's {floor} "
                "(exactly 100% of the norm earns exactly the tariff)",
            )
            continue
        found.append(Tier(above, multiplier))
    return found


def _grades(reader: Reader, document: dict[str, Any]) -> list[tuple[str, Decimal]]:
    table = document.get("grades")
    if not isinstance(table, dict) or not table:
        reader.problem(("grades",), "is required: a [grades] table of hourly tariffs per grade")
        return []
    found = []
    for grade in table:
        tariff = reader.get(table, grade, ("grades",), as_positive)
        if tariff is not None:
            found.append((grade, tariff))
    return found


def _section(
    reader: Reader, document: dict[str, Any], key: str, inner: str, parse: Callable[[Any], Any]
) -> Any:
    table = _table(reader, document, key)
    if table is None:
        return None
    return reader.required(table, inner, (key,), parse)


def parse_scale(
    text: str, file: str, packs: PackTexts | None = None
) -> tuple[PayScale | None, list[Problem]]:
    """Parse a scale file; return the scale, or None with every problem found.

    `packs` finds the rule pack a scale names in `[pack]` (docs/rule-packs.md).
    """
    if len(text) > MAX_SCALE_CHARS:
        return None, [Problem(Source(file, 1), "-", say("is larger than 1 MiB; no scale is"))]
    if deep := too_deep(text):
        message = say("nested deeper than %(max_depth)s levels", max_depth=MAX_DEPTH)
        return None, [Problem(Source(file, deep.line), deep.key, message)]
    reader = Reader(file, text.splitlines())
    try:
        document = tomllib.loads(text, parse_float=Decimal)
    except RecursionError:  # a safety net: too_deep finds every nesting the parser recurses on
        return None, [
            Problem(
                Source(file, 1),
                "-",
                say("nested deeper than %(max_depth)s levels", max_depth=MAX_DEPTH),
            )
        ]
    except tomllib.TOMLDecodeError as err:
        line = _AT_LINE.search(str(err))
        where = Source(file, int(line[1]) if line else 1)
        return None, [Problem(where, "-", say("not valid TOML: %(err)s", err=str(err)))]
    reader.known_keys(document, TOP_KEYS, ())
    document, _ = with_pack(reader, document, packs)
    top = (
        reader.required(document, "name", (), as_text),
        reader.required(document, "effective_from", (), as_date),
        reader.required(document, "currency", (), as_currency),
    )
    grades = _grades(reader, document)
    kind = reader.get(document, "plan", (), as_choice(PlanKind)) or PlanKind.MARGINAL
    tiers = _tiers(reader, document, kind)
    minimum = _table(reader, document, "minimum_wage")
    values: dict[str, Any] = {
        "operations": reader.get(document, "operations", (), as_operations),
        "basis": reader.get(document, "basis", (), as_choice(Basis)) or Basis.SHIFT,
        "percent": reader.get(document, "percent", (), as_choice(PercentRule)) or PercentRule.AUTO,
        "minor_unit": reader.get(document, "minor_unit", (), as_minor_unit) or Decimal("0.01"),
        "description": reader.get(document, "description", (), as_text),
        "time_work": _section(reader, document, "time_work", "fraction", as_positive),
        "guarantee": _section(reader, document, "guarantee", "fraction", as_fraction),
        "reject_deduction": _section(reader, document, "rejects", "deduction", as_positive),
        "deduction_cap": _section(reader, document, "deduction_cap", "percent", as_share),
        "bonuses": tuple(_bonuses(reader, document)),
        "deductions": tuple(_deductions(reader, document)),
        "plan": read_plan(
            reader,
            _table(reader, document, "plan_terms") or {},
            _array(reader, document, "efficiency"),
            kind,
        ),
        "rates": tuple(read_rates(reader, _array(reader, document, "rates"), set(dict(grades)))),
    }
    if kind is not PlanKind.MARGINAL and values["basis"] is Basis.PERIOD:
        reader.problem(("basis",), f'a {kind.value} plan pays per shift: basis = "shift"')
    # The period rules live in their own module, which reads with this one's helpers.
    from stakhanov.domain import rule_files

    values |= rule_files.rest_rules(reader, document)
    values["overtime"] = rule_files.overtime(reader, document)
    values["guarantees"] = rule_files.guarantees(reader, document)
    values["rest_day_work"] = rule_files.rest_day_work(reader, document)
    values["night_work"] = rule_files.night_work(reader, document)
    values["idle_time"] = rule_files.idle_time(reader, document)
    values["accounting_periods"] = rule_files.accounting_periods(
        reader, document, values["overtime"]
    )
    if minimum is not None:
        values["minimum_wage"] = reader.required(minimum, "hourly", ("minimum_wage",), as_positive)
        day = reader.get(minimum, "week_starts", ("minimum_wage",), as_one_of(WEEKDAYS))
        values["week_starts"] = WEEKDAYS.index(day) if day else 0
    if reader.problems or None in top:
        return None, reader.problems
    name, effective_from, currency = top
    try:
        scale = PayScale(name, effective_from, currency, tuple(grades), tuple(tiers), **values)
    except InvalidValue as err:  # _tiers checks the same rules first, so this is a safety net
        return None, [Problem(Source(file, 1), err.field, err.reason)]
    if falling := falling_problems(scale, reader):
        return None, falling
    return scale, []
