"""The accounting journal of a closed pay period: debits and credits by cost centre.

The cost centre is the worker's unit. Each earning code of a unit is debited to its expense
account, each deduction code credited to its liability account, and the unit's net pay
credited to the net-pay account. For one slip, gross = deductions + net, so every unit (and so
the whole journal) balances to the minor unit: the amounts are the stored lines, summed, never
recomputed. A negative sum (an adjustment that takes back pay) goes to the other side.
"""

from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.payslips import Section

ZERO = Decimal(0)
UNKNOWN_UNIT = "(unknown)"
NET = "net-pay"  # the code of the rows that credit what the bank pays
KEYS = ("earnings", "deductions", "net", "codes")


@dataclass(frozen=True)
class Accounts:
    """Which ledger account each side posts to; `codes` overrides per line code."""

    earnings: str = "wages-expense"
    deductions: str = "deductions-payable"
    net: str = "net-pay-payable"
    codes: tuple[tuple[str, str], ...] = ()

    def of(self, section: Section, code: str) -> str:
        found = dict(self.codes).get(code)
        if found is not None:
            return found
        return self.earnings if section is Section.EARNING else self.deductions


@dataclass(frozen=True)
class LineTotal:
    """The sum of one worker's stored lines of one section and code."""

    worker_id: str
    currency: str
    section: Section
    code: str
    amount: Decimal


@dataclass(frozen=True)
class JournalRow:
    cost_centre: str
    account: str
    code: str
    currency: str
    debit: Decimal | None
    credit: Decimal | None
    description: str

    @property
    def signed(self) -> Decimal:
        return (self.debit or ZERO) - (self.credit or ZERO)


def journal(
    totals: Iterable[LineTotal], units: Mapping[str, str], accounts: Accounts
) -> list[JournalRow]:
    """The journal rows, by currency, cost centre and code; net pay last in each centre."""
    # Signed: + is a debit. Earnings debit, deductions credit, and net pay is what balances.
    sums: dict[tuple[str, str, Section, str], Decimal] = defaultdict(lambda: ZERO)
    for t in totals:
        unit = units.get(t.worker_id, UNKNOWN_UNIT)
        sign = 1 if t.section is Section.EARNING else -1
        sums[(t.currency, unit, t.section, t.code)] += sign * t.amount
    net: dict[tuple[str, str], Decimal] = defaultdict(lambda: ZERO)
    rows: list[JournalRow] = []
    for (currency, unit, section, code), signed in sorted(sums.items(), key=_order):
        net[(currency, unit)] -= signed
        kind = "earnings" if section is Section.EARNING else "deductions"
        rows.append(_row(unit, accounts.of(section, code), code, currency, signed, kind))
    for (currency, unit), signed in net.items():
        rows.append(_row(unit, accounts.net, NET, currency, signed, "net pay"))
    rows.sort(key=lambda r: (r.currency, r.cost_centre, r.code == NET))
    return [r for r in rows if r.debit or r.credit]


def _order(item: tuple[tuple[str, str, Section, str], Decimal]) -> tuple[str, str, int, str]:
    currency, unit, section, code = item[0]
    return currency, unit, 0 if section is Section.EARNING else 1, code


def _row(
    unit: str, account: str, code: str, currency: str, signed: Decimal, kind: str
) -> JournalRow:
    debit, credit = (signed, None) if signed >= 0 else (None, -signed)
    return JournalRow(unit, account, code, currency, debit, credit, f"{code} ({kind})")


def balances(rows: Iterable[JournalRow]) -> dict[str, tuple[Decimal, Decimal]]:
    """Debits and credits per currency: equal in every journal this module makes."""
    found: dict[str, tuple[Decimal, Decimal]] = {}
    for r in rows:
        debit, credit = found.get(r.currency, (ZERO, ZERO))
        found[r.currency] = (debit + (r.debit or ZERO), credit + (r.credit or ZERO))
    return found


# --- the accounts file -----------------------------------------------------------------------

_ACCOUNT = re.compile(r"^[^\s].{0,99}$")


def parse_accounts(text: str, file: str) -> tuple[Accounts | None, list[Problem]]:
    """Accounts from a TOML file; every problem named by file, line and key."""
    lines = text.splitlines()
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        return None, [Problem(Source(file, getattr(err, "lineno", 1)), "-", str(err))]
    problems: list[Problem] = []

    def problem(key: str, message: str) -> None:
        problems.append(Problem(Source(file, _line_of(lines, key)), key, message))

    def account(key: str, value: Any) -> str | None:
        if not isinstance(value, str) or not _ACCOUNT.match(value) or value != value.strip():
            problem(key, f"an account is a non-empty text of at most 100 characters, not {value!r}")
            return None
        return value

    for key in document:
        if key not in KEYS:
            problem(key, f"unknown key; expected one of {', '.join(KEYS)}")
    chosen = {
        k: account(k, document[k]) for k in ("earnings", "deductions", "net") if k in document
    }
    codes = document.get("codes", {})
    if not isinstance(codes, dict):
        problem("codes", "a table of line code = account")
        codes = {}
    pairs = tuple(sorted((str(c), account(str(c), a) or "") for c, a in codes.items()))
    if problems:
        return None, problems
    return Accounts(**{k: v for k, v in chosen.items() if v is not None}, codes=pairs), []


def _line_of(lines: list[str], key: str) -> int:
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=')
    return next((n for n, line in enumerate(lines, start=1) if pattern.match(line)), 1)
