"""The recognition rulebook: titles, their rules and awards, gates, record awards and scopes.

It is read from a TOML document (already decoded into a dict) and checked as a whole: every
problem is collected with the line it is on, and unknown keys are errors. Rules are expressions
of `domain.expressions`, checked against the names a title rule may use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from stakhanov.domain.errors import InvalidValue, Problem, Source
from stakhanov.domain.expressions import (
    Call,
    ExpressionError,
    Node,
    Text,
    parse,
    references,
    show,
)
from stakhanov.domain.honour import HonourRules
from stakhanov.domain.records import ClaimStatus
from stakhanov.domain.scopes import LEVELS, Organisation, Scope
from stakhanov.domain.titles import VOCABULARY, AwardKind, AwardTerms, Gates, Rulebook, TitleRule
from stakhanov.domain.values import require_places
from stakhanov.domain.wording import say

TOP = {"name", "version", "description", "scopes", "gates", "records", "titles", "honour"}
HONOUR = {"min_shifts", "trades"}
SCOPES = {"levels", "industries"}
GATES = {"max_reject_share", "incident_severities"}
RECORDS = {"awards"}
TITLE = {"code", "name", "description", "when", "conferred_by", "valid_months", "award"}
AWARD = {"kind", "amount", "currency", "description"}
CODE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass
class _Reader:
    file: str
    text: str
    problems: list[Problem] = field(default_factory=list)
    after: int = 0  # the line of the table being read: needles are looked for below it

    def line(self, needle: str) -> int:
        """The first line at or below the current table on which the needle appears."""
        lines = list(enumerate(self.text.splitlines(), start=1))
        for number, line in lines[self.after :] + lines[: self.after]:
            if needle in line.split("#", 1)[0]:  # a comment may name a key too
                return number
        return 1

    def problem(self, needle: str, column: str, message: str) -> None:
        self.problems.append(Problem(Source(self.file, self.line(needle)), column, message))

    def table(self, value: Any, where: str, allowed: set[str], needle: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(needle, where, "must be a table")
            return {}
        for key in sorted(set(value) - allowed):
            self.problem(key, f"{where}.{key}" if where else key, "unknown key")
        return value

    def text_value(self, table: Mapping[str, Any], key: str, where: str, required: bool) -> Any:
        value = table.get(key)
        if value is None:
            if required:
                self.problem(where.split(".")[0], f"{where}.{key}", "is required")
            return None
        if not isinstance(value, str) or not value.strip():
            self.problem(key, f"{where}.{key}", "must be non-empty text")
            return None
        return value.strip()


def _decimal(value: Any) -> Decimal:
    if isinstance(value, bool | float):
        raise InvalidValue(
            "amount", value, say('write it as text, like "500.00", to keep it exact')
        )
    try:
        return Decimal(str(value))
    except InvalidOperation as err:
        raise InvalidValue("amount", value, "is not a number") from err


def _award(reader: _Reader, value: Any, where: str) -> AwardTerms | None:
    table = reader.table(value, where, AWARD, where.rsplit(".", 1)[-1])
    if not table:
        return None
    try:
        kind = AwardKind(table.get("kind", ""))
    except ValueError:
        reader.problem("kind", f"{where}.kind", "must be 'money' or 'in-kind'")
        return None
    if kind is AwardKind.IN_KIND:
        description = reader.text_value(table, "description", where, True)
        return AwardTerms(kind, description=description) if description else None
    currency = reader.text_value(table, "currency", where, True)
    try:
        amount = require_places("amount", _decimal(table.get("amount")))
        if amount <= 0:
            raise InvalidValue("amount", amount, "must be more than 0")
    except InvalidValue as err:
        reader.problem("amount", f"{where}.amount", err.reason)
        return None
    return AwardTerms(kind, amount, currency) if currency else None


def _rule(
    reader: _Reader, value: Any, index: int, check_holds: Callable[[Node], str | None]
) -> TitleRule | None:
    where = f"titles[{index}]"
    table = reader.table(value, where, TITLE, "[[titles]]")
    code = reader.text_value(table, "code", where, True)
    reader.after = reader.line(f'"{code}"') - 1 if code else 0
    if code and not CODE.match(code):
        reader.problem(code, f"{where}.code", "use lower-case letters, digits and '-'")
    where = f"titles.{code}" if code else where
    name = reader.text_value(table, "name", where, True)
    authority = table.get("conferred_by", "rule")
    if authority not in ("rule", "authority"):
        reader.problem("conferred_by", f"{where}.conferred_by", "must be 'rule' or 'authority'")
    text = reader.text_value(table, "when", where, authority == "rule")
    when = None
    if authority == "authority" and text:
        reader.problem(text, f"{where}.when", "a title conferred by an authority has no rule")
    elif text:
        try:
            when = parse(text)
            VOCABULARY.check(when)
            unknown = check_holds(when)
            if unknown:
                raise ExpressionError(unknown)
        except ExpressionError as err:
            reader.problem(text, f"{where}.when", str(err))
    months = table.get("valid_months")
    if months is not None and (isinstance(months, bool) or not isinstance(months, int)):
        reader.problem("valid_months", f"{where}.valid_months", "must be a whole number")
        months = None
    elif months is not None and months < 1:
        reader.problem("valid_months", f"{where}.valid_months", "must be at least 1")
        months = None
    award = _award(reader, table["award"], f"{where}.award") if "award" in table else None
    if not code or not name or (authority == "rule" and when is None):
        return None
    return TitleRule(code, name, when, months, award, table.get("description"))


def _organisation(reader: _Reader, value: Any) -> Organisation:
    table = reader.table(value, "scopes", SCOPES, "[scopes]")
    fit = "levels" not in table  # not declared: fitted to the depth of the tree
    levels = table.get("levels", [level.value for level in Organisation().levels])
    industries = table.get("industries", {})
    known = {level.value for level in LEVELS}
    if not isinstance(levels, list) or any(level not in known for level in levels):
        reader.problem("levels", "scopes.levels", f"must list levels among {sorted(known)}")
        return Organisation()
    if not isinstance(industries, dict) or not all(
        isinstance(v, str) and v.strip() for v in industries.values()
    ):
        reader.problem(
            "industries", "scopes.industries", 'map unit paths to names: "Mine" = "coal"'
        )
        industries = {}
    try:
        return Organisation(tuple(Scope(level) for level in levels), industries, fit)
    except InvalidValue as err:
        reader.problem("levels", "scopes.levels", err.reason)
        return Organisation()


def _gates(reader: _Reader, value: Any) -> Gates:
    table = reader.table(value, "gates", GATES, "[gates]")
    gates = Gates()
    try:
        share = _decimal(table.get("max_reject_share", gates.max_reject_share))
    except InvalidValue as err:
        reader.problem("max_reject_share", "gates.max_reject_share", err.reason)
        share = gates.max_reject_share
    severities = table.get("incident_severities", [])
    if not isinstance(severities, list) or not all(isinstance(s, str) for s in severities):
        reader.problem("incident_severities", "gates.incident_severities", "must list text")
        severities = []
    return Gates(share, tuple(s.strip().lower() for s in severities))


def _honour(reader: _Reader, value: Any) -> HonourRules:
    """The honour board's rules: `min_shifts` and `[honour.trades]` (trade = [operations])."""
    reader.after = reader.line("[honour") - 1
    table = reader.table(value, "honour", HONOUR, "[honour")
    least = table.get("min_shifts", HonourRules().min_shifts)
    if isinstance(least, bool) or not isinstance(least, int) or least < 1:
        reader.problem("min_shifts", "honour.min_shifts", "must be a whole number, 1 or more")
        least = HonourRules().min_shifts
    trades = table.get("trades", {})
    if not isinstance(trades, dict) or not all(
        isinstance(ops, list) and all(isinstance(o, str) and o.strip() for o in ops)
        for ops in trades.values()
    ):
        reader.problem("trades", "honour.trades", 'map trades to operations: hewer = ["hewing"]')
        trades = {}
    covered = {t.strip(): frozenset(o.strip() for o in ops) for t, ops in trades.items()}
    return HonourRules(least, covered)


def _record_awards(reader: _Reader, value: Any) -> dict[str, AwardTerms]:
    reader.after = reader.line("[records") - 1
    table = reader.table(value, "records", RECORDS, "[records")
    awards = reader.table(table.get("awards", {}), "records.awards", {"verified", "assisted"}, "")
    found = {}
    for status in (ClaimStatus.VERIFIED, ClaimStatus.ASSISTED):
        if status.value in awards:
            terms = _award(reader, awards[status.value], f"records.awards.{status.value}")
            if terms:
                found[status.value] = terms
    return found


def parse_rulebook(data: Any, file: str, text: str) -> tuple[Rulebook | None, list[Problem]]:
    """The rulebook in a decoded TOML document, or every problem found in it."""
    reader = _Reader(file, text)
    top = reader.table(data, "", TOP, "")
    name = reader.text_value(top, "name", "rulebook", True)
    version = top.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        reader.problem("version", "version", "is required: a whole number, 1 or more")
    raw_titles = top.get("titles", [])
    if not isinstance(raw_titles, list) or not raw_titles:
        reader.problem("titles", "titles", "list at least one [[titles]] table")
        raw_titles = []
    codes = {t.get("code") for t in raw_titles if isinstance(t, dict)}

    def check_holds(node: Node) -> str | None:
        for ref in references(node):
            if isinstance(ref, Call) and ref.name == "holds":
                arg = ref.args[0]
                if not isinstance(arg, Text) or arg.value not in codes:
                    return f"holds() needs the quoted code of a title here, not {show(arg)}"
        return None

    titles = [_rule(reader, value, i, check_holds) for i, value in enumerate(raw_titles)]
    reader.after = 0
    seen: set[str] = set()
    for rule in titles:
        if rule is not None and rule.code in seen:
            reader.problem(rule.code, f"titles.{rule.code}", "code appears twice")
        if rule is not None:
            seen.add(rule.code)
    organisation = _organisation(reader, top.get("scopes", {}))
    gates = _gates(reader, top.get("gates", {}))
    record_awards = _record_awards(reader, top.get("records", {}))
    honour = _honour(reader, top.get("honour", {}))
    if reader.problems or name is None or not isinstance(version, int):
        return None, reader.problems
    rulebook = Rulebook(
        name=name,
        version=version,
        titles=tuple(r for r in titles if r is not None),
        gates=gates,
        organisation=organisation,
        record_awards=record_awards,
        honour=honour,
    )
    return rulebook, []
