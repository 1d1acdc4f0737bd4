"""The equity report: who was given prepared shifts, assistance and the best workplaces.

Set-based in DuckDB over the period's frames; the domain's reference functions where the engine
cannot stay exact. Measures and the warning rule are domain/equity.py's.
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from stakhanov import engine as set_based
from stakhanov.domain import equity as measures
from stakhanov.domain.equity import (
    Concentration,
    EquityRule,
    EquityWarning,
    Favour,
    Opportunity,
)
from stakhanov.domain.errors import Problem, Refused, Source
from stakhanov.domain.fulfilment import results
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import percent, ratio_percent, rounded, shown
from stakhanov.domain.units import is_within
from stakhanov.domain.wording import say
from stakhanov.services.reports import ledger_for, subtrees_of, workers
from stakhanov.store.equity import shift_workplaces
from stakhanov.store.frames import read_frames

UNKNOWN = "(unknown)"
MEASURE = Decimal("0.0001")


class By(StrEnum):
    WORKER = "worker"
    BRIGADE = "brigade"
    GROUP = "group"  # trade and grade


@dataclass(frozen=True)
class EquityReport:
    period: Period
    by: By
    rule: EquityRule
    rows: list[Opportunity]
    concentration: list[Concentration]
    warnings: list[EquityWarning]
    best_workplaces: tuple[str, ...]
    ordinary: dict[str, Fraction]  # workplace -> ordinary fulfilment (earned / hours)


def load_rule(path: Path | None) -> EquityRule:
    """The rule in a TOML file (keys of EquityRule), or the defaults."""
    if path is None:
        return EquityRule()
    try:
        values = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise Refused(
            say("%(path)s: cannot read the rule: %(err)s", path=path, err=str(err))
        ) from err
    except tomllib.TOMLDecodeError as err:
        raise Refused(problems=[Problem(Source(str(path), 0), "toml", str(err))]) from err
    return measures.rule_of(values, str(path))


def equity(
    engine: Engine,
    period: Period,
    by: By = By.WORKER,
    rule: EquityRule | None = None,
    within: str | Sequence[str] | None = None,
) -> EquityReport:
    """The period's opportunities per worker, brigade or group, for workers at home within the
    subtrees (None: everyone), with their concentration and the rule's warnings."""
    chosen_rule = rule or EquityRule()

    def choose(ordinary: dict[str, Fraction]) -> tuple[str, ...]:
        return measures.best_workplaces(ordinary, chosen_rule)

    try:
        frames = read_frames(engine, period.start, period.end)
        places = shift_workplaces(engine, period.start, period.end)
        ordinary, best, found = set_based.equity(frames, places, choose)
    except set_based.Unsupported:
        ledger = ledger_for(engine, period)
        workplace_of = {s.shift_id: s.workplace for s in ledger.shifts.values()}
        resourced = [s.shift_id for s in ledger.shifts.values() if s.resources]
        found_results = results(ledger, period.start, period.end)
        ordinary = measures.ordinary_fulfilment(found_results, workplace_of)
        best = choose(ordinary)
        found = measures.opportunities(found_results, workplace_of, best, resourced)
    people = {w.worker_id: w for w in workers(engine)}
    subtrees = subtrees_of(within)
    if subtrees is not None:
        found = [
            o
            for o in found
            if o.key in people and any(is_within(people[o.key].unit, s) for s in subtrees)
        ]
        best = tuple(b for b in best if any(is_within(b, s) for s in subtrees))
        ordinary = {p: v for p, v in ordinary.items() if any(is_within(p, s) for s in subtrees)}

    def key(worker_id: str) -> str:
        person = people.get(worker_id)
        if person is None:
            return UNKNOWN
        if by is By.BRIGADE:
            return person.unit
        return f"{person.trade or '-'}/{person.grade or '-'}"

    rows = found if by is By.WORKER else measures.grouped(found, key)
    return EquityReport(
        period,
        by,
        chosen_rule,
        rows,
        [measures.concentration(rows, f) for f in Favour],
        measures.warnings(rows, chosen_rule),
        best,
        ordinary,
    )


def row_dict(row: Opportunity) -> dict[str, Any]:
    counts = {f.value: row.count(f) for f in Favour}
    shares = {f"{f.value}_percent": ratio_percent(row.count(f), row.shifts) for f in Favour}
    return {"key": row.key, "workers": row.workers, "shifts": row.shifts, **counts, **shares}


def report_dict(report: EquityReport) -> dict[str, Any]:
    """The report as `stakhanov equity --json` prints it (docs/contract.md)."""
    rule = {k: _rule_value(v) for k, v in asdict(report.rule).items()}
    return {
        "from": report.period.start,
        "to": report.period.end,
        "by": report.by.value,
        "rows": [row_dict(r) for r in report.rows],
        "concentration": [
            {
                "favour": c.favour.value,
                "favoured": c.favoured,
                "shifts": c.shifts,
                "gini": rounded(c.gini, MEASURE),
                "herfindahl": rounded(c.herfindahl, MEASURE),
                "top_decile_percent": percent(c.top_decile_share * 100),
            }
            for c in report.concentration
        ],
        "warnings": [
            {"favour": w.favour.value, "key": w.key, "favoured": w.favoured, "message": w.message}
            for w in report.warnings
        ],
        "best_workplaces": [
            {
                "workplace": b,
                "ordinary_percent": (
                    percent(report.ordinary[b] * 100) if b in report.ordinary else None
                ),
            }
            for b in report.best_workplaces
        ],
        "rule": rule,
    }


def _rule_value(value: Any) -> Any:
    if isinstance(value, Fraction):
        return shown(value)
    return list(value) if isinstance(value, tuple) else value
