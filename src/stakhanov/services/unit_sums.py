"""Sums per unit, kept by what changed (decision 0898).

Every unit above a home (a brigade) holds the sums of the homes below it: per month and
operation, and over all operations per month and per day. When home sums are replaced, the old
ones are taken away from each unit above them and the new ones added, exactly (decimals stay
decimals, ratios are fractions), so a write costs the homes it touched times the depth of the
tree, never the brigades of the enterprise. The overview reads a page of units in SQL, sorted
by keys kept with the sums, and the trend a row per day.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

from stakhanov.domain.access import within_any
from stakhanov.domain.fulfilment import Fulfilment
from stakhanov.domain.hours import hours_text, ledger_hours
from stakhanov.domain.numbers import shown_sum
from stakhanov.domain.rounding import ratio_percent
from stakhanov.domain.units import ancestors
from stakhanov.engine.exact import over_lcm
from stakhanov.store import unit_sums as store
from stakhanov.store.types import stored_date

Number = Decimal | Fraction
RATIOS = ("norm_output", "earned", "fair")
OperationKey = tuple[dt.date, str, str, str | None]  # month, unit path, operation, unit
TotalKey = tuple[dt.date, str]  # month or day, unit path
EVERYWHERE = ""  # the day totals' unit that holds every home: the trend of everyone


Ratio = tuple[int, int]  # a numerator over a denominator, not reduced: added as integers
Term = Decimal | Ratio


def _number(text: str) -> Term:
    """A stored decimal, or hours no decimal holds (`1/3`), read back exactly."""
    if "/" in text:
        num, den = text.split("/")
        return int(num), int(den)
    return Decimal(text)


def _ratio(row: dict[str, Any], name: str) -> Ratio | None:
    num = row[f"{name}_num"]
    return None if num is None else (int(num), int(row[f"{name}_den"]))


def _parts(value: Fraction) -> tuple[str, str]:
    return str(value.numerator), str(value.denominator)


def _key(value: Number | None, scale: int) -> int | None:
    return None if value is None else math.floor(Fraction(value) * scale)


@dataclass
class _Sum:
    """A unit's sum being changed: counts of home sums, and exact values (negative as well,
    while a change is gathered). Decimals add as decimals; ratios add as integer numerators
    per denominator, made one fraction when read: a root unit gathers thousands of homes, and
    a Fraction per addition would reduce by a gcd each time."""

    homes: int = 0
    normed: int = 0
    decimals: dict[str, Decimal] = field(default_factory=dict)
    ratios: dict[str, dict[int, int]] = field(default_factory=dict)

    def add(self, homes: int, normed: int, values: dict[str, Term | None]) -> None:
        """Add home sums (negative counts: take them away, with their values)."""
        self.homes += homes
        self.normed += normed
        sign = -1 if homes < 0 else 1
        for name, value in values.items():
            if value is None:
                continue
            if isinstance(value, Decimal):
                self.decimals[name] = self.decimals.get(name, Decimal(0)) + sign * value
                continue
            num, den = value
            parts = self.ratios.setdefault(name, {})
            parts[den] = parts.get(den, 0) + sign * num

    def exact(self, name: str) -> Number:
        """The sum; a Fraction once any term was not a decimal."""
        total = self.decimals.get(name, Decimal(0))
        parts = self.ratios.get(name)
        if parts is None:
            return total
        return Fraction(total) + over_lcm(list(parts.values()), list(parts))

    def get(self, name: str) -> Decimal:
        """The value as a Decimal (ExactHours where no decimal holds it), zero unsigned."""
        value = self.exact(name)
        found = ledger_hours(value) if isinstance(value, Fraction) else value
        return abs(found) if found == 0 else found

    def fraction(self, name: str) -> Fraction:
        return Fraction(self.exact(name))


def _operation_values(row: dict[str, Any]) -> dict[str, Term | None]:
    values: dict[str, Term | None] = {
        n: _number(row[n]) for n in ("hours", "output", "normed_hours")
    }
    values.update({n: _ratio(row, n) for n in RATIOS})
    return values


def _total_values(row: dict[str, Any], hours: str) -> dict[str, Term | None]:
    return {
        "hours": _number(row[hours]),
        "earned": _ratio(row, "earned"),
        "fair": _ratio(row, "fair"),
    }


class Change:
    """What replacing home sums changes in every unit above them, gathered, then applied."""

    def __init__(self) -> None:
        self.operations: dict[OperationKey, _Sum] = {}
        self.totals: dict[TotalKey, _Sum] = {}
        self.days: dict[TotalKey, _Sum] = {}

    def home_months(self, rows: Iterable[dict[str, Any]], sign: int) -> None:
        """Home sums of months (a row per home, operation and unit of measure)."""
        for row in rows:
            normed = row["earned_num"] is not None
            values = _operation_values(row)
            for path in ancestors(row["home"]):
                key = (row["month"], path, row["operation"], row["unit"])
                self.operations.setdefault(key, _Sum()).add(sign, sign if normed else 0, values)
                if normed:
                    total = self.totals.setdefault((row["month"], path), _Sum())
                    total.add(sign, sign, _total_values(row, "normed_hours"))

    def home_days(self, rows: Iterable[dict[str, Any]], sign: int) -> None:
        """Day sums (read_days: a row per day and home; no earned sum: no normed result)."""
        for row in rows:
            if row["earned_num"] is None:
                continue
            values = _total_values(row, "hours")
            for path in (EVERYWHERE, *ancestors(row["home"])):
                self.days.setdefault((row["date"], path), _Sum()).add(sign, sign, values)

    def apply(self, connection: Any) -> None:
        """Add the change to the unit sums held, and write the units it touched again."""
        if self.operations:
            pairs = {k[:2] for k in self.operations}
            for row in store.held(connection, "operations", pairs):
                key = (row["month"], row["unit_path"], row["operation"], row["unit"])
                held = _operation_values(row)
                self.operations.setdefault(key, _Sum()).add(row["homes"], row["normed_homes"], held)
            rows = [_operation_row(k, s) for k, s in sorted(self.operations.items(), key=_order)]
            store.replace(connection, "operations", pairs, [r for r in rows if r])
        for kind, sums, when in (
            ("totals", self.totals, "month"),
            ("days", self.days, "date"),
        ):
            if not sums:
                continue
            for row in store.held(connection, kind, set(sums)):
                total_key = (row[when], row["unit_path"])
                held = _total_values(row, "hours")
                sums.setdefault(total_key, _Sum()).add(row["homes"], row["homes"], held)
            written = [_total_row(when, k, s) for k, s in sorted(sums.items())]
            store.replace(connection, kind, set(sums), [r for r in written if r])


def _order(item: tuple[OperationKey, _Sum]) -> tuple[Any, ...]:
    month, path, operation, unit = item[0]
    return month, path, operation, unit or ""


def _operation_row(key: OperationKey, total: _Sum) -> dict[str, Any] | None:
    if total.homes <= 0:
        return None
    month, path, operation, unit = key
    found = fulfilment(key, total)  # each sum made exact once: a root unit's has many terms
    row: dict[str, Any] = {
        "month": month,
        "unit_path": path,
        "operation": operation,
        "unit": unit,
        "homes": total.homes,
        "normed_homes": total.normed,
        "hours": hours_text(found.hours),
        "output": hours_text(found.output),
        "normed_hours": hours_text(found.normed_hours),
    }
    ratios = (found.norm_output, found.earned, found.fair_earned)
    for name, value in zip(RATIOS, ratios, strict=True):
        row[f"{name}_num"], row[f"{name}_den"] = (None, None) if value is None else _parts(value)
    row["hours_key"] = _key(found.hours, 1000)
    row["output_key"] = _key(found.output, 1000)
    row["percent_key"] = _key(found.percent, 10)
    row["fair_percent_key"] = _key(found.fair_percent, 10)
    return row


def fulfilment(key: OperationKey, total: _Sum, shifts: int = 0) -> Fulfilment:
    """The unit's fulfilment of the operation from its sums, as the domain's `aggregate` gives."""
    _, path, operation, unit = key
    normed = total.normed > 0
    return Fulfilment(
        (path,),
        operation,
        unit,
        shifts,
        total.get("hours"),
        total.get("output"),
        total.fraction("norm_output") if normed else None,
        total.fraction("earned") if normed else None,
        total.fraction("fair") if normed else None,
        total.get("normed_hours"),
    )


def _total_row(when: str, key: TotalKey, total: _Sum) -> dict[str, Any] | None:
    if total.homes <= 0:
        return None
    hours = total.get("hours")
    earned, fair = total.fraction("earned"), total.fraction("fair")
    return {
        when: key[0],
        "unit_path": key[1],
        "homes": total.homes,
        "hours": hours_text(hours),
        "earned_num": _parts(earned)[0],
        "earned_den": _parts(earned)[1],
        "fair_num": _parts(fair)[0],
        "fair_den": _parts(fair)[1],
        "hours_key": _key(hours, 1000),
        "percent_key": _key(ratio_percent(earned, hours), 10),
        "fair_percent_key": _key(ratio_percent(fair, hours), 10),
    }


# --- kept with the home sums ------------------------------------------------------------------


def _named(kind: str, rows: Sequence[Any], when: str) -> list[dict[str, Any]]:
    """Rows as the engine or the domain wrote them (tuples in column order, or dicts), as dicts
    with their date a date."""
    names = store.columns(kind)
    found = [dict(r) if isinstance(r, dict) else dict(zip(names, r, strict=True)) for r in rows]
    for row in found:
        row[when] = stored_date(row[when])
    return found


def replaced(
    connection: Any, kind: str, old: Sequence[dict[str, Any]] | None, rows: Sequence[Any]
) -> None:
    """The home sums of the kind (`home_months`, or `home_days`: read_days) `old` were
    replaced by `rows` (None: every one was deleted)."""
    change = Change()
    months = kind == "home_months"
    note = change.home_months if months else change.home_days
    if old is None:
        (store.clear_months if months else store.clear_days)(connection)
    else:
        note(old, -1)
    note(_named(kind, rows, "month" if months else "date"), 1)
    change.apply(connection)


def old_home_months(connection: Any, pairs: Iterable[tuple[dt.date, str]] | None) -> Any:
    return None if pairs is None else store.home_months(connection, pairs)


def old_home_days(connection: Any, pairs: Iterable[tuple[dt.date, str]] | None) -> Any:
    return None if pairs is None else store.home_days(connection, pairs)


def roll_up(connection: Any) -> None:
    """Fill the unit sums from the home sums held (a database from before them)."""
    replaced(connection, "home_months", None, store.home_months(connection, None))
    replaced(connection, "home_days", None, store.home_days(connection, None))


# --- read -----------------------------------------------------------------------------------


def outermost(subtrees: Sequence[str]) -> list[str]:
    """The subtrees not inside another: their sums hold the others'."""
    return sorted({s for s in subtrees if not within_any(s, [o for o in subtrees if o != s])})


def day_totals(
    connection: Any, start: dt.date, end: dt.date, within: Sequence[str] | None
) -> list[tuple[dt.date, Decimal, Fraction, Fraction]]:
    """(date, normed hours, earned, fair) of the units' days: a row per day and scope (of
    '' for everyone)."""
    paths = [EVERYWHERE] if within is None else outermost(within)
    sums: dict[dt.date, _Sum] = {}
    for row in store.total_days(connection, start, end, paths) if paths else []:
        sums.setdefault(row["date"], _Sum()).add(1, 1, _total_values(row, "hours"))
    return [
        (day, s.get("hours"), s.fraction("earned"), s.fraction("fair"))
        for day, s in sorted(sums.items())
    ]


def unit_total(row: dict[str, Any]) -> dict[str, Any]:
    """A unit's stored total as the overview lists it: its hours and percentages."""
    total = _Sum()
    total.add(1, 1, _total_values(row, "hours"))
    hours = total.get("hours")
    return {
        "unit": row["unit_path"],
        "hours": shown_sum(hours),
        "percent": ratio_percent(total.fraction("earned"), hours),
        "fair_percent": ratio_percent(total.fraction("fair"), hours),
    }


def stored_fulfilment(row: dict[str, Any]) -> Fulfilment:
    """A unit's stored sums of an operation, with its distinct shifts, as the domain sums them."""
    total = _Sum()
    total.add(row["homes"], row["normed_homes"], _operation_values(row))
    key = (row["month"], row["unit_path"], row["operation"], row["unit"])
    return fulfilment(key, total, int(row["shifts"]))


def months_fulfilment(
    connection: Any, first: dt.date, last: dt.date, within: Sequence[str] | None
) -> list[Fulfilment]:
    """Fulfilment by unit of the whole months [first, last] from the kept sums (decision
    0904), as a roll-up of the home sums gives it: every unit within the scope (None: every
    unit), and above one scope each unit above it with the scope's own sums and shifts (the
    homes counted are the scope's); ordered by unit, operation and unit of measure."""
    sums: dict[tuple[str, str, str | None], _Sum] = {}
    shifts: dict[tuple[str, str, str | None], int] = {}
    for row in store.unit_months(connection, first, last, within):
        key = (row["unit_path"], row["operation"], row["unit"])
        sums.setdefault(key, _Sum()).add(row["homes"], row["normed_homes"], _operation_values(row))
        shifts[key] = shifts.get(key, 0) + int(row["shifts"])
    if within is not None and len(within) == 1:
        scope = within[0]
        for (path, operation, unit), total in list(sums.items()):
            if path == scope:
                for above in ancestors(scope)[:-1]:
                    sums[(above, operation, unit)] = total
                    shifts[(above, operation, unit)] = shifts[(path, operation, unit)]
    ordered = sorted(sums.items(), key=lambda item: (item[0][0], item[0][1], item[0][2] or ""))
    return [
        fulfilment((first, path, operation, unit), total, shifts[(path, operation, unit)])
        for (path, operation, unit), total in ordered
    ]
