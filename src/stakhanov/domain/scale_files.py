"""Reading a pay scale from its TOML text: every problem collected, each located to a line.

Money and multipliers are read exactly (TOML floats are parsed as Decimal, and strings such as
"1.70" keep their written scale). An unknown key anywhere is an error that names the key.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from stakhanov.domain.errors import InvalidValue, Problem, Source
from stakhanov.domain.nesting import MAX_DEPTH, too_deep
from stakhanov.domain.scales import (
    HUNDRED,
    WEEKDAYS,
    Basis,
    Bonus,
    BonusPer,
    Deduction,
    PayScale,
    PercentRule,
    Tier,
)
from stakhanov.domain.values import require_places

E = TypeVar("E", bound=StrEnum)
Path = tuple[str | int, ...]

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
    "overtime",
    "guarantees",
)
SECTION_KEYS = {
    "time_work": ("fraction",),
    "guarantee": ("fraction",),
    "rest": ("pay", "rest", "nonproductive", "floor"),
    "overtime": ("base", "week_hours", "day_hours", "seventh_day", "bands", "seventh_day_bands"),
    "minimum_wage": ("hourly", "week_starts"),
    "rejects": ("deduction",),
    "deduction_cap": ("percent",),
}
ARRAY_KEYS = {
    "tiers": ("above", "multiplier"),
    "bonuses": ("code", "name", "per", "amount", "percent", "conditions", "min_percent"),
    "deductions": ("code", "name", "amount", "percent", "cap_percent"),
    "guarantees": ("per", "rate", "hours", "fraction"),
}
CONDITIONS = ("standard", "prepared")
MAX_SCALE_CHARS = 1024 * 1024
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_AT_LINE = re.compile(r"line (\d+)")


def _show(path: Path) -> str:
    text = ""
    for part in path:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text or "-"


@dataclass
class _Reader:
    """Reads values out of the parsed document, recording problems instead of raising."""

    file: str
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)

    def line_of(self, path: Path) -> int:
        """The line where a key is written (its table's header when not found), else 1."""
        table = [p for p in path[:2] if isinstance(p, str)][:1]
        occurrence = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        key = path[-1] if len(path) > 1 and isinstance(path[-1], str) else None
        if len(path) == 1:
            key, table = str(path[0]), []
        current: str | None = None
        seen: dict[str, int] = {}
        header_line = 1
        for number, line in enumerate(self.lines, start=1):
            if match := _HEADER.match(line):
                current = match[2].strip()
                if len(path) == 1 and current == key:  # a whole table: `[key]` or `[[key]]`
                    return number
                seen[current] = seen.get(current, -1) + 1
                if table and current == table[0] and seen[current] == (occurrence or 0):
                    header_line = number
                    if key is None:
                        return number
                continue
            in_table = current is None if not table else current == table[0]
            if occurrence is not None and table:
                in_table = in_table and seen.get(table[0]) == occurrence
            if in_table and key is not None and re.match(rf'^\s*"?{re.escape(key)}"?\s*=', line):
                return number
        return header_line

    def problem(self, path: Path, message: str) -> None:
        self.problems.append(Problem(Source(self.file, self.line_of(path)), _show(path), message))

    def known_keys(self, table: dict[str, Any], allowed: tuple[str, ...], path: Path) -> None:
        for key in table:
            if key not in allowed:
                self.problem(
                    (*path, key), f"unknown key {key!r}; allowed here: {', '.join(allowed)}"
                )

    def get(self, table: dict[str, Any], key: str, path: Path, parse: Callable[[Any], Any]) -> Any:
        if key not in table:
            return None
        try:
            return parse(table[key])
        except InvalidValue as err:
            self.problem((*path, key), err.reason)
        return None

    def required(
        self, table: dict[str, Any], key: str, path: Path, parse: Callable[[Any], Any]
    ) -> Any:
        if key not in table:
            self.problem((*path, key), "is required")
            return None
        return self.get(table, key, path, parse)


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise InvalidValue("value", value, 'must be a number or a decimal string like "1.70"')
    try:
        number = Decimal(value.strip()) if isinstance(value, str) else Decimal(value)
    except InvalidOperation as err:
        raise InvalidValue("value", value, "is not a number") from err
    if not number.is_finite():
        raise InvalidValue("value", value, "is not a finite number")
    return require_places("value", number)  # every figure of a slip is stored at six places


def _positive(value: Any) -> Decimal:
    number = _decimal(value)
    if number <= 0:
        raise InvalidValue("value", value, "must be more than 0")
    return number


def _non_negative(value: Any) -> Decimal:
    number = _decimal(value)
    if number < 0:
        raise InvalidValue("value", value, "must not be negative")
    return number


def _share(value: Any) -> Decimal:
    number = _positive(value)
    if number > HUNDRED:
        raise InvalidValue("value", value, "is a percent: more than 0 and at most 100")
    return number


def _fraction(value: Any) -> Decimal:
    number = _positive(value)
    if number > 1:
        raise InvalidValue("value", value, "is a fraction of the tariff: more than 0, at most 1")
    return number


def _minor_unit(value: Any) -> Decimal:
    number = _positive(value)
    exponent = number.normalize().as_tuple().exponent
    if not isinstance(exponent, int) or number != Decimal(1).scaleb(min(exponent, 0)):
        raise InvalidValue("value", value, 'must be 1 or a power of ten below it, like "0.01"')
    return Decimal(1).scaleb(min(exponent, 0))


def _text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue("value", value, "must be non-empty text")
    return value.strip()


def _currency(value: Any) -> str:
    text = _text(value)
    if not re.fullmatch(r"[A-Z]{3}", text):
        raise InvalidValue("value", value, 'must be a three-letter currency code like "RUB"')
    return text


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InvalidValue("value", value, "must be a date without a time, like 1935-01-01")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(_text(value))
    except ValueError as err:
        raise InvalidValue("value", value, "must be an ISO date like 1935-01-01") from err


def _choice(enum: type[E]) -> Callable[[Any], E]:
    def parse(value: Any) -> E:
        try:
            return enum(_text(value).lower())
        except ValueError as err:
            options = ", ".join(e.value for e in enum)
            raise InvalidValue("value", value, f"must be one of: {options}") from err

    return parse


def _one_of(options: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = _text(value).lower()
        if text not in options:
            raise InvalidValue("value", value, f"must be one of: {', '.join(options)}")
        return text

    return parse


def _operations(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise InvalidValue("value", value, "must be a non-empty list of operations")
    return tuple(_text(v) for v in value)


def _table(reader: _Reader, document: dict[str, Any], key: str) -> dict[str, Any] | None:
    value = document.get(key)
    if value is None:
        return None
    if not isinstance(value, dict):
        reader.problem((key,), f"must be a table: [{key}]")
        return None
    reader.known_keys(value, SECTION_KEYS.get(key, tuple(value)), (key,))
    return value


def _array(reader: _Reader, document: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = document.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        reader.problem((key,), f"must be an array of tables: [[{key}]]")
        return []
    for index, table in enumerate(value):
        reader.known_keys(table, ARRAY_KEYS[key], (key, index))
    return value


def _amount_or_percent(
    reader: _Reader, table: dict[str, Any], path: Path
) -> tuple[Decimal | None, Decimal | None]:
    amount = reader.get(table, "amount", path, _positive)
    percent = reader.get(table, "percent", path, _positive)
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


def _codes(reader: _Reader, tables: list[dict[str, Any]], key: str) -> list[str | None]:
    codes: list[str | None] = []
    for index, table in enumerate(tables):
        code = reader.required(table, "code", (key, index), _text)
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


def _bonuses(reader: _Reader, document: dict[str, Any]) -> list[Bonus]:
    tables = _array(reader, document, "bonuses")
    found = []
    for index, (table, code) in enumerate(
        zip(tables, _codes(reader, tables, "bonuses"), strict=True)
    ):
        path: Path = ("bonuses", index)
        per = reader.required(table, "per", path, _choice(BonusPer))
        amount, percent = _amount_or_percent(reader, table, path)
        conditions = reader.get(table, "conditions", path, _one_of(CONDITIONS))
        min_percent = reader.get(table, "min_percent", path, _non_negative)
        name = reader.get(table, "name", path, _text)
        if code is not None and per is not None and (amount is None) != (percent is None):
            found.append(Bonus(code, name or code, per, amount, percent, conditions, min_percent))
    return found


def _deductions(reader: _Reader, document: dict[str, Any]) -> list[Deduction]:
    tables = _array(reader, document, "deductions")
    found = []
    codes = _codes(reader, tables, "deductions")
    for index, (table, code) in enumerate(zip(tables, codes, strict=True)):
        path: Path = ("deductions", index)
        amount, percent = _amount_or_percent(reader, table, path)
        cap = reader.get(table, "cap_percent", path, _share)
        name = reader.get(table, "name", path, _text)
        if code is not None and (amount is None) != (percent is None):
            found.append(Deduction(code, name or code, amount, percent, cap))
    return found


def _tiers(reader: _Reader, document: dict[str, Any]) -> list[Tier]:
    found: list[Tier] = []
    for index, table in enumerate(_array(reader, document, "tiers")):
        above = reader.required(table, "above", ("tiers", index), _non_negative)
        multiplier = reader.required(table, "multiplier", ("tiers", index), _positive)
        if above is None or multiplier is None:
            continue
        floor = found[-1].above if found else HUNDRED
        if above < floor or (found and above == floor):
            reader.problem(
                ("tiers", index, "above"),
                f"must be at least 100 and above the previous tier's {floor} "
                "(exactly 100% of the norm earns exactly the tariff)",
            )
            continue
        found.append(Tier(above, multiplier))
    return found


def _grades(reader: _Reader, document: dict[str, Any]) -> list[tuple[str, Decimal]]:
    table = document.get("grades")
    if not isinstance(table, dict) or not table:
        reader.problem(("grades",), "is required: a [grades] table of hourly tariffs per grade")
        return []
    found = []
    for grade in table:
        tariff = reader.get(table, grade, ("grades",), _positive)
        if tariff is not None:
            found.append((grade, tariff))
    return found


def _section(
    reader: _Reader, document: dict[str, Any], key: str, inner: str, parse: Callable[[Any], Any]
) -> Any:
    table = _table(reader, document, key)
    if table is None:
        return None
    return reader.required(table, inner, (key,), parse)


def parse_scale(text: str, file: str) -> tuple[PayScale | None, list[Problem]]:
    """Parse a scale file; return the scale, or None with every problem found."""
    if len(text) > MAX_SCALE_CHARS:
        return None, [Problem(Source(file, 1), "-", "is larger than 1 MiB; no scale is")]
    if deep := too_deep(text):
        message = f"nested deeper than {MAX_DEPTH} levels"
        return None, [Problem(Source(file, deep.line), deep.key, message)]
    reader = _Reader(file, text.splitlines())
    try:
        document = tomllib.loads(text, parse_float=Decimal)
    except RecursionError:  # a safety net: too_deep finds every nesting the parser recurses on
        return None, [Problem(Source(file, 1), "-", f"nested deeper than {MAX_DEPTH} levels")]
    except tomllib.TOMLDecodeError as err:
        line = _AT_LINE.search(str(err))
        where = Source(file, int(line[1]) if line else 1)
        return None, [Problem(where, "-", f"not valid TOML: {err}")]
    reader.known_keys(document, TOP_KEYS, ())
    top = (
        reader.required(document, "name", (), _text),
        reader.required(document, "effective_from", (), _date),
        reader.required(document, "currency", (), _currency),
    )
    grades = _grades(reader, document)
    tiers = _tiers(reader, document)
    minimum = _table(reader, document, "minimum_wage")
    values: dict[str, Any] = {
        "operations": reader.get(document, "operations", (), _operations),
        "basis": reader.get(document, "basis", (), _choice(Basis)) or Basis.SHIFT,
        "percent": reader.get(document, "percent", (), _choice(PercentRule)) or PercentRule.AUTO,
        "minor_unit": reader.get(document, "minor_unit", (), _minor_unit) or Decimal("0.01"),
        "description": reader.get(document, "description", (), _text),
        "time_work": _section(reader, document, "time_work", "fraction", _positive),
        "guarantee": _section(reader, document, "guarantee", "fraction", _fraction),
        "reject_deduction": _section(reader, document, "rejects", "deduction", _positive),
        "deduction_cap": _section(reader, document, "deduction_cap", "percent", _share),
        "bonuses": tuple(_bonuses(reader, document)),
        "deductions": tuple(_deductions(reader, document)),
    }
    # The period rules live in their own module, which reads with this one's helpers.
    from stakhanov.domain import rule_files

    values |= rule_files.rest_rules(reader, document)
    values["overtime"] = rule_files.overtime(reader, document)
    values["guarantees"] = rule_files.guarantees(reader, document)
    if minimum is not None:
        values["minimum_wage"] = reader.required(minimum, "hourly", ("minimum_wage",), _positive)
        day = reader.get(minimum, "week_starts", ("minimum_wage",), _one_of(WEEKDAYS))
        values["week_starts"] = WEEKDAYS.index(day) if day else 0
    if reader.problems or None in top:
        return None, reader.problems
    name, effective_from, currency = top
    try:
        scale = PayScale(name, effective_from, currency, tuple(grades), tuple(tiers), **values)
    except InvalidValue as err:  # _tiers checks the same rules first, so this is a safety net
        return None, [Problem(Source(file, 1), err.field, err.reason)]
    return scale, []
