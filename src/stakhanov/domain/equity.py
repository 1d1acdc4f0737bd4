"""Equity of opportunity: who is given favourable conditions, and how concentrated they are.

A favourable shift, for a worker credited with its measured output, is one that was prepared
(the shift declared extra help or resources), had extra resources declared by name, was
assisted (others did work the worker's norm includes, or assisted), or was worked at one of the
best workplaces. The concentration measures are exact fractions over counts of such shifts;
the warning rule is data, with defaults (docs/organisation.md, decision 0610).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from stakhanov.domain.errors import Problem, Refused, Source
from stakhanov.domain.fulfilment import Result
from stakhanov.domain.rounding import percent, rounded
from stakhanov.domain.wording import Wording, say


class Favour(StrEnum):
    PREPARED = "prepared"
    RESOURCES = "resources"  # extra resources declared by name (shifts.csv `resources`)
    ASSISTED = "assisted"
    BEST_WORKPLACE = "best_workplace"


@dataclass(frozen=True)
class Opportunity:
    """One worker's (or one group's) shifts in a period and how many of them were favourable."""

    key: str
    shifts: int
    prepared: int = 0
    resources: int = 0
    assisted: int = 0
    best_workplace: int = 0
    workers: int = 1

    def count(self, favour: Favour) -> int:
        value: int = getattr(self, favour.value)
        return value


def gini(values: Sequence[int | Fraction]) -> Fraction:
    """Mean absolute difference over twice the mean: 0 when all hold the same, (n-1)/n when one
    holds everything; 0 for no values or a zero total."""
    total = sum(values, Fraction(0))
    n = len(values)
    if n == 0 or total == 0:
        return Fraction(0)
    ordered = sorted(Fraction(v) for v in values)
    weighted = sum(((2 * i - n - 1) * v for i, v in enumerate(ordered, start=1)), Fraction(0))
    return weighted / (n * total)


def herfindahl(values: Sequence[int | Fraction]) -> Fraction:
    """The sum of squared shares: 1/n when all hold the same, 1 when one holds everything."""
    total = sum(values, Fraction(0))
    if total == 0:
        return Fraction(0)
    return sum(((Fraction(v) / total) ** 2 for v in values), Fraction(0))


def top_share(values: Sequence[int | Fraction], part: Fraction = Fraction(1, 10)) -> Fraction:
    """The share of the total held by the top `part` of holders (at least one holder)."""
    total = sum(values, Fraction(0))
    if total == 0:
        return Fraction(0)
    top = max(1, math.ceil(len(values) * part))
    return sum(sorted((Fraction(v) for v in values), reverse=True)[:top], Fraction(0)) / total


@dataclass(frozen=True)
class EquityRule:
    """When the report warns, and which workplaces count as the best. Every field has a default."""

    top_decile_share: Fraction = Fraction(1, 2)  # warn when the top 10% hold more than this
    min_favoured: int = 5  # ... of at least this many favourable shifts in all
    repeat_times: Fraction = Fraction(3)  # name a row favoured this many times the overall rate
    min_repeats: int = 3  # ... with at least this many favourable shifts
    best_share: Fraction = Fraction(1, 10)  # the share of workplaces ranked best
    min_workplaces: int = 3  # fewer ranked workplaces: none is "best" unless declared
    best_workplaces: tuple[str, ...] = ()  # declared best workplaces: replace the ranking


_FRACTIONS = {"top_decile_share", "repeat_times", "best_share"}


def rule_of(values: Mapping[str, Any], file: str = "rule") -> EquityRule:
    """A rule from a mapping (a TOML file's table); every problem names its key."""
    known = {f.name for f in fields(EquityRule)}
    problems: list[Problem] = []
    chosen: dict[str, Any] = {}
    where = Source(file, 0)
    for key, value in values.items():
        if key not in known:
            allowed = ", ".join(sorted(known))
            problems.append(
                Problem(where, key, say("unknown key; allowed: %(allowed)s", allowed=allowed))
            )
        elif key == "best_workplaces":
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(Problem(where, key, say("must be a list of workplace paths")))
            else:
                chosen[key] = tuple(value)
        elif key in _FRACTIONS:
            try:
                number = Fraction(str(value)) if not isinstance(value, bool) else None
            except ValueError:
                number = None
            if number is None or number < 0:
                problems.append(
                    Problem(where, key, say("must be a number >= 0, not %(value)r", value=value))
                )
            else:
                chosen[key] = number
        elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems.append(
                Problem(where, key, say("must be a whole number >= 0, not %(value)r", value=value))
            )
        else:
            chosen[key] = value
    if problems:
        raise Refused(problems=problems)
    return EquityRule(**chosen)


def ordinary_fulfilment(
    results: Iterable[Result], workplace_of: Mapping[str, str]
) -> dict[str, Fraction]:
    """Each workplace's stated fulfilment (earned over worked hours) on ordinary results: with a
    norm, neither prepared nor assisted nor pooled. The reference for the engine's."""
    earned: dict[str, Fraction] = {}
    hours: dict[str, Fraction] = {}
    for r in results:
        if r.earned is None or r.prepared or r.assisted or r.pooled:
            continue
        place = workplace_of[r.shift_id]
        earned[place] = earned.get(place, Fraction(0)) + r.earned
        hours[place] = hours.get(place, Fraction(0)) + Fraction(r.hours)
    return {p: earned[p] / hours[p] for p in earned if hours[p]}


def best_workplaces(ordinary: Mapping[str, Fraction], rule: EquityRule) -> tuple[str, ...]:
    """The declared best workplaces, or the top `best_share` by ordinary fulfilment."""
    if rule.best_workplaces:
        return tuple(sorted(rule.best_workplaces))
    if len(ordinary) < max(rule.min_workplaces, 1):
        return ()
    top = max(1, math.floor(len(ordinary) * rule.best_share))
    return tuple(sorted(sorted(ordinary, key=lambda p: (-ordinary[p], p))[:top]))


def opportunities(
    results: Iterable[Result],
    workplace_of: Mapping[str, str],
    best: Iterable[str],
    resourced: Iterable[str] = (),
) -> list[Opportunity]:
    """Per worker: shifts worked, and those of them where the worker was credited with measured
    output (a doer) on a prepared shift, a shift with declared resources (`resourced`), an
    assisted result, or at a best workplace. The row-by-row reference for the engine's."""
    chosen, declared = set(best), set(resourced)
    seen: dict[str, dict[str, set[str]]] = {}
    for r in results:
        sets = seen.setdefault(r.worker_id, {k: set() for k in ("shifts", *Favour)})
        sets["shifts"].add(r.shift_id)
        if r.unit is None:  # a helper: the favour is the doer's, whose output it raises
            continue
        for favour, applies in (
            (Favour.PREPARED, r.prepared),
            (Favour.RESOURCES, r.shift_id in declared),
            (Favour.ASSISTED, r.assisted),
            (Favour.BEST_WORKPLACE, workplace_of[r.shift_id] in chosen),
        ):
            if applies:
                sets[favour].add(r.shift_id)
    return sorted(
        (Opportunity(w, len(s["shifts"]), *(len(s[f]) for f in Favour)) for w, s in seen.items()),
        key=lambda o: o.key,
    )


def grouped(found: Iterable[Opportunity], key: Callable[[str], str]) -> list[Opportunity]:
    """Workers' opportunities summed per group (a brigade, a trade and grade)."""
    sums: dict[str, list[int]] = {}
    for o in found:
        row = sums.setdefault(key(o.key), [0] * (len(Favour) + 2))
        for i, value in enumerate((o.shifts, *(o.count(f) for f in Favour), o.workers)):
            row[i] += value
    return [Opportunity(k, *v) for k, v in sorted(sums.items())]


@dataclass(frozen=True)
class Concentration:
    favour: Favour
    favoured: int  # favourable shifts in all
    shifts: int
    gini: Fraction
    herfindahl: Fraction
    top_decile_share: Fraction


def concentration(rows: Sequence[Opportunity], favour: Favour) -> Concentration:
    counts = [r.count(favour) for r in rows]
    return Concentration(
        favour,
        sum(counts),
        sum(r.shifts for r in rows),
        gini(counts),
        herfindahl(counts),
        top_share(counts),
    )


@dataclass(frozen=True)
class EquityWarning:
    """A favour that keeps going to the same people: the whole report (key None) or one row."""

    favour: Favour
    key: str | None
    favoured: int
    share: Fraction  # of all such shifts (key None: held by the top decile)
    message: Wording


def warnings(rows: Sequence[Opportunity], rule: EquityRule) -> list[EquityWarning]:
    """The rule's warnings: a concentrated favour, and each row getting it far above the rate."""
    found: list[EquityWarning] = []
    for favour in Favour:
        c = concentration(rows, favour)
        if c.favoured < max(rule.min_favoured, 1):
            continue
        top = max(1, math.ceil(len(rows) * Fraction(1, 10)))
        if c.top_decile_share > rule.top_decile_share:
            found.append(
                EquityWarning(
                    favour,
                    None,
                    c.favoured,
                    c.top_decile_share,
                    say(
                        "the top %(top)s of %(rows)s hold %(share)s of the %(favoured)s"
                        " %(what)s (the rule warns above %(limit)s)",
                        top=top,
                        rows=len(rows),
                        share=_pct(c.top_decile_share),
                        favoured=c.favoured,
                        what=favour_words(favour),
                        limit=_pct(rule.top_decile_share),
                    ),
                )
            )
        overall = Fraction(c.favoured, c.shifts)
        for r in rows:
            got = r.count(favour)
            if got < rule.min_repeats or not r.shifts:
                continue
            rate = Fraction(got, r.shifts)
            if rate >= overall * rule.repeat_times:
                found.append(
                    EquityWarning(
                        favour,
                        r.key,
                        got,
                        Fraction(got, c.favoured),
                        say(
                            "%(key)s had %(got)s %(what)s of %(shifts)s shifts (%(rate)s),"
                            " %(times)s times the rate of all (%(overall)s)",
                            key=r.key,
                            got=got,
                            what=favour_words(favour),
                            shifts=r.shifts,
                            rate=_pct(rate),
                            times=rounded(rate / overall, Decimal("0.1")),
                            overall=_pct(overall),
                        ),
                    )
                )
    return found


def favour_words(favour: Favour) -> Wording:
    return {
        Favour.PREPARED: say("prepared shifts"),
        Favour.RESOURCES: say("shifts with declared extra resources"),
        Favour.ASSISTED: say("assisted shifts"),
        Favour.BEST_WORKPLACE: say("shifts at the best workplaces"),
    }[favour]


def _pct(value: Fraction) -> str:
    return f"{percent(value * 100)}%"
