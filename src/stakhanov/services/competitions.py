"""Socialist competitions: declare one, follow its standings round by round, and the banner."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.competition import (
    Competition as Competition,  # re-exported: callers name competitions.Competition
)
from stakhanov.domain.competition import (
    Holding,
    Metric,
    banner_history,
    check_units,
    plan_fulfilment,
    ranked_units,
    rounds,
    standings,
    winners,
)
from stakhanov.domain.errors import InvalidValue, Refusal, Refused
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.performance import Tally, merged, ordinary_work
from stakhanov.domain.periods import Period
from stakhanov.domain.plans import PlanTarget, Production, roll_up
from stakhanov.domain.rankings import Ranked
from stakhanov.domain.rounding import percent_or_none
from stakhanov.domain.units import parse_path
from stakhanov.domain.wording import say
from stakhanov.services import ordinary
from stakhanov.services.incidents import load_incidents
from stakhanov.services.plans import measured, production
from stakhanov.services.reviews import doubtful_results
from stakhanov.store import competitions as competition_store
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import NORMS, PLANS


class CompetitionRefused(Refused):
    """The competition cannot be declared as asked."""


@dataclass(frozen=True)
class Round:
    period: Period
    standings: list[Ranked[tuple[str, Tally]]]

    @property
    def winners(self) -> list[str]:
        return winners(self.standings)


@dataclass(frozen=True)
class Report:
    competition: Competition
    overall: Round
    rounds: list[Round]
    banner: list[Holding]
    finished: bool

    @property
    def leaders(self) -> list[str]:
        """First place so far; they are the winners only once the competition has ended."""
        return self.overall.winners

    @property
    def winners(self) -> list[str]:
        return self.leaders if self.finished else []


def load(connection: Connection) -> list[Competition]:
    return competition_store.declared(connection)


def declare(engine: Engine, competition: Competition, by: str) -> Competition:
    """Declare a competition between units; its terms are fixed once declared."""
    try:
        chosen = [parse_path(u) for u in competition.units]
        check_units(chosen)
    except InvalidValue as err:
        raise CompetitionRefused(
            say("%(value)s: %(reason)s", value=err.value, reason=err.reason), field="units"
        ) from err
    with engine.begin() as connection:
        known = LedgerStore(connection).unit_paths()
        unknown = [u for u in chosen if u not in known]
        if unknown:
            raise CompetitionRefused(say("unknown unit %(unit)r", unit=unknown[0]), field="units")
        if any(c.name == competition.name for c in load(connection)):
            raise CompetitionRefused(
                say("a competition named %(name)r exists", name=competition.name), field="name"
            )
        declared = Competition(
            competition.name,
            competition.metric,
            competition.period,
            competition.step,
            tuple(chosen),
            competition.banner,
        )
        competition_store.declare(connection, declared, by)
    return declared


def _rounds(
    connection: Connection,
    competition: Competition,
    periods: Sequence[Period],
    reference: bool = False,
) -> list[Round]:
    """Each round's standings: every unit's tally from its members' stored results of the
    round (services.ordinary.tallies, read by the home index), or with `reference` by the
    domain's code over a snapshot of the rounds' whole ledger. Plan fulfilment sets the plans
    against the read model's measured output per day and workplace (services.plans.measured),
    which adds up to the ledger's production."""
    if reference:
        return _reference_rounds(connection, competition, periods)
    whole = Period(min(p.start for p in periods), max(p.end for p in periods))
    hurt = load_incidents(connection, whole)
    planned: dict[Period, dict[str, Fraction | None]] = {}
    if competition.metric is Metric.PLAN_FULFILMENT:
        store = LedgerStore(connection)
        norms = NormBook.of(store.records(NORMS, Norm))
        made = measured(connection, whole)
        planned = _planned(store, made, norms, competition, periods, whole)
    found = []
    for period in periods:
        tallies = {
            unit: merged(ordinary.tallies(connection, period, unit, hurt, ()).values())
            for unit in competition.units
        }
        found.append(
            Round(
                period,
                ranked_units(competition.units, tallies, competition.metric, planned.get(period)),
            )
        )
    return found


def _planned(
    store: LedgerStore,
    made: Sequence[Production],
    norms: NormBook,
    competition: Competition,
    periods: Sequence[Period],
    whole: Period,
) -> dict[Period, dict[str, Fraction | None]]:
    statuses = roll_up(store.records(PLANS, PlanTarget), made, whole.end)
    return {
        period: {u: plan_fulfilment(u, statuses, made, norms, period) for u in competition.units}
        for period in periods
    }


def _reference_rounds(
    connection: Connection, competition: Competition, periods: Sequence[Period]
) -> list[Round]:
    whole = Period(min(p.start for p in periods), max(p.end for p in periods))
    store = LedgerStore(connection)
    ledger = store.snapshot(store.shift_ids_between(whole.start, whole.end))
    hurt = load_incidents(connection, whole)
    works = ordinary_work(ledger, whole, hurt, doubtful_results(connection, ledger, whole))
    planned: dict[Period, dict[str, Fraction | None]] = {}
    if competition.metric is Metric.PLAN_FULFILMENT:
        planned = _planned(store, production(ledger), ledger.norms, competition, periods, whole)

    def home(worker_id: str) -> str:
        worker = ledger.workers.get(worker_id)
        return worker.unit if worker else ""

    return [
        Round(
            period,
            standings(
                competition.units,
                [w for w in works if w.result.date in period],
                competition.metric,
                home,
                planned.get(period),
            ),
        )
        for period in periods
    ]


def report(
    engine: Engine, name: str, as_of: dt.date | None = None, reference: bool = False
) -> Report:
    """Standings overall and per round (rounds that have begun by as_of), and the banner
    (`reference`: tallied by the domain's code over the ledger, what the tests compare)."""
    with engine.connect() as connection:
        every = load(connection)
        competition = next((c for c in every if c.name == name), None)
        if competition is None:
            raise CompetitionRefused(
                say("unknown competition %(name)r", name=name), kind=Refusal.NOT_FOUND
            )
        last = competition.period.end if as_of is None else min(as_of, competition.period.end)
        if last < competition.period.start:
            raise CompetitionRefused(
                say("%(name)s begins on %(date)s", name=name, date=str(competition.period.start)),
                kind=Refusal.NOT_FOUND,
            )
        so_far = Period(competition.period.start, last)
        periods = [p for p in rounds(competition.period, competition.step) if p.start <= last]
        periods = [Period(p.start, min(p.end, last)) for p in periods]
        overall, *played = _rounds(connection, competition, [so_far, *periods], reference)
        cutoff = as_of or dt.date.max
        finished: list[tuple[Period, list[str]]] = []
        for other in every:
            if competition.banner is None or other.banner != competition.banner:
                continue
            complete = [r for r in rounds(other.period, other.step) if r.end <= cutoff]
            if other.name == competition.name:
                finished += [(r.period, r.winners) for r in played if r.period in complete]
            elif complete:
                finished += [
                    (r.period, r.winners) for r in _rounds(connection, other, complete, reference)
                ]
    history = banner_history(finished) if competition.banner else []
    return Report(competition, overall, played, history, last == competition.period.end)


def standing_rows(item: Round, competition: Competition) -> list[dict[str, Any]]:
    return [
        {
            "round": str(item.period),
            "rank": ranked.rank,
            "unit": ranked.item[0],
            "metric": competition.metric.value,
            "score": ranked.score,
            "fair_percent": percent_or_none(ranked.item[1].fair_percent),
            "workers": len(ranked.item[1].workers),
            "shifts": ranked.item[1].shifts,
            "hours": ranked.item[1].hours,
        }
        for ranked in item.standings
    ]


def holding_dict(holding: Holding) -> dict[str, Any]:
    return {
        "holder": holding.holder,
        "since": holding.since,
        "until": holding.until,
        "won": str(holding.won),
    }
