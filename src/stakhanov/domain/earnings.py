"""The earning lines of a slip: piece work, tiers, bonuses per shift, time work, paid time.

`SlipBuilder` collects one worker's dated lines; `domain.payroll` adds the weekly and period
items and the deductions. Amounts are exact fractions until each line rounds once.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from stakhanov.domain.average_wage import NO_HISTORY, PayHistory, average_wage, share_text
from stakhanov.domain.errors import InvalidValue, Problem
from stakhanov.domain.fulfilment import Result
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.pay_plans import Work, plan_pay
from stakhanov.domain.pay_rules import IdleBase
from stakhanov.domain.payslips import PayLine, figure, percent_figure, total
from stakhanov.domain.piecework import brackets, piece_rate
from stakhanov.domain.quantities import conversion_factor
from stakhanov.domain.rounding import rounded, shown
from stakhanov.domain.scales import (
    Basis,
    Bonus,
    BonusPer,
    PayScale,
    PercentRule,
    PlanKind,
    RestPay,
)
from stakhanov.domain.scales import ScaleBook as ScaleBook
from stakhanov.domain.timesheets import IdleCause, TimeEntry, TimeKind
from stakhanov.domain.wording import say

ZERO = Decimal(0)
CENT = Decimal("0.01")  # the minor unit when no scale says otherwise
F0 = Fraction(0)


@dataclass(frozen=True)
class Piece:
    """A worker's measured result under a scale: what it pays and what percent selects tiers."""

    result: Result
    scale: PayScale
    norm: Norm
    tariff: Decimal
    rate: Fraction  # money per unit of output
    quantity: Fraction  # accepted output in the norm's unit
    stated: Fraction  # earned standard hours
    percent: Fraction  # the percent the scale's tiers count
    fair: bool  # whether that percent is the fair one

    @property
    def counted(self) -> Fraction:
        """Standard hours at the percent counted for tiers (fair or stated)."""
        return self.percent * Fraction(self.result.hours) / 100


@dataclass(frozen=True)
class GivenPiece:
    """A result's piece line and per-shift tier lines as computed elsewhere (the engine's SQL),
    equal to those `SlipBuilder.piece` makes, with the exact figures its `Piece` sums.

    Only for a marginal scale without a rate card whose texts need no fair percent; the piece
    line's explanation comes without the note on rejects, which the slip adds as usual.
    """

    norm: Norm
    tariff: Decimal
    rate: Fraction
    quantity: Fraction
    stated: Fraction
    fair: bool  # the scale's rule is fair: the stated percent is the fair one here
    lines: tuple[PayLine, ...]  # the piece line, then its tier lines in tier order


def rejected_note(ledger: Ledger, shift_id: str, operation: str) -> str:
    """What a piece line adds when its output records rejected quantities."""
    output = ledger.outputs.get((shift_id, operation))
    if output is None or not output.rejected:
        return ""
    return f"; {figure(output.rejected)} {output.unit} rejected on this shift is not paid"


def week_of(day: dt.date, starts: int) -> dt.date:
    """The first day of the week that holds `day` (weeks start on weekday `starts`)."""
    return day - dt.timedelta(days=(day.weekday() - starts) % 7)


@dataclass(frozen=True)
class Dated:
    """A line with the day it belongs to; `order` sorts the lines of one day."""

    day: dt.date
    order: int
    line: PayLine
    piece_hours: Decimal = ZERO  # hours of piece work behind a piece line

    @property
    def is_piece(self) -> bool:
        """Piece and per-shift tier lines: what the week's average hourly piece earnings count."""
        return self.order in (0, 1)


@dataclass(frozen=True)
class TakenWork:
    """A worker's results whose lines were made elsewhere (the engine's SQL) down to the last
    text, as `SlipBuilder.piece` makes them: the slip takes their lines and counts their hours
    per (day, shift) and per scale, without a Result or a Piece per result.

    Only for scales whose pieces nothing else sums (`takes_whole`): no bonus and no tiers
    counted over the period, no bonus per shift.
    """

    lines: tuple[Dated, ...]
    hours: tuple[tuple[dt.date, str, Decimal], ...]  # (day, shift, hours) of the results
    scales: tuple[tuple[PayScale, Decimal], ...]  # hours paid by each scale


def takes_whole(scale: PayScale, book: ScaleBook) -> bool:
    """Whether a scale's piece work may come as `TakenWork`: its slip never sums its pieces
    (period tiers or bonuses of any version of its name) nor pays a bonus per shift on them."""
    versions = [s for s in (*book.scales, book.proposal) if s is not None and s.name == scale.name]
    return not any(
        s.basis is Basis.PERIOD or any(b.per is BonusPer.PERIOD for b in s.bonuses)
        for s in (*versions, scale)
    ) and not any(b.per is BonusPer.SHIFT for b in scale.bonuses)


@dataclass
class SlipBuilder:
    """Builds one worker's earning lines; problems go to the shared list."""

    ledger: Ledger
    worker_id: str
    problems: list[Problem]
    dated: list[Dated] = field(default_factory=list)
    hours: dict[dt.date, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    scales_used: dict[PayScale, Decimal] = field(default_factory=dict)
    pieces: list[tuple[Piece, Decimal]] = field(default_factory=list)  # with its rounded pay
    refused: set[PayScale] = field(default_factory=set)
    uncovered: list[Result] = field(default_factory=list)  # work no scale pays on its date
    productive: dict[dt.date, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    by_shift: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))  # hours
    boost: Fraction = Fraction(1)  # what-if: every output of the worker (and crew) x boost
    history: PayHistory = NO_HISTORY  # closed periods and earlier hours (average wage, art. 104)

    @property
    def worker_name(self) -> str:
        worker = self.ledger.workers.get(self.worker_id)
        return worker.name if worker else self.worker_id

    def tariff(self, scale: PayScale) -> Decimal | None:
        worker = self.ledger.workers.get(self.worker_id)
        grade = worker.grade if worker else None
        tariff = scale.tariff(grade)
        if tariff is None and scale not in self.refused:
            self.refused.add(scale)
            grades = ", ".join(g for g, _ in scale.grades)
            self.problems.append(
                Problem(
                    worker.origin if worker else None,
                    "grade",
                    say(
                        "worker %(worker_id)s has grade %(value)r, which scale %(label)s does not "
                        "pay (its grades: %(grades)s)",
                        worker_id=self.worker_id,
                        value=grade or "(none)",
                        label=scale.label,
                        grades=grades,
                    ),
                )
            )
        return tariff

    def use(self, scale: PayScale, hours: Decimal) -> None:
        self.scales_used[scale] = self.scales_used.get(scale, ZERO) + hours

    def add(self, day: dt.date, order: int, line: PayLine, piece_hours: Decimal = ZERO) -> Dated:
        dated = Dated(day, order, line, piece_hours)
        self.dated.append(dated)
        return dated

    def governing(self) -> PayScale | None:
        """The scale that pays most of the worker's hours: its weeks, minimum and deductions."""
        if not self.scales_used:
            return None
        return max(self.scales_used, key=lambda s: (self.scales_used[s], s.name, s.effective_from))

    # --- piece work ------------------------------------------------------------------------

    def piece(self, result: Result, scale: PayScale, norm: Norm, tariff: Decimal) -> None:
        rule = scale.percent
        fair = rule is PercentRule.FAIR or (
            rule is PercentRule.AUTO and (result.assisted or result.pooled)
        )
        quantity = Fraction(result.output) * self.boost
        stated = norm.standard_hours(quantity)
        if fair and (result.assisted or result.pooled):
            assert result.fair_earned is not None
            # The crew's earned standard hours per hour worked, exactly as fulfilment has it.
            percent = result.fair_earned / Fraction(result.hours) * self.boost * 100
        else:
            percent = stated / Fraction(result.hours) * 100
        rate_rule = self.rate_of(result.operation, result.date, scale, norm, tariff)
        if rate_rule is None:
            return
        rate, formula = rate_rule
        piece = Piece(result, scale, norm, tariff, rate, quantity, stated, percent, fair)
        self.use(scale, result.hours)
        where = f"{result.date.isoformat()} shift {result.shift_id}, {result.operation}"
        if scale.plan.kind is not PlanKind.MARGINAL:
            self.planned(piece, where, formula)
            return
        base = piece.rate * piece.quantity
        line = PayLine(
            "piece",
            f"piece:{result.shift_id}:{result.operation}",
            shown(quantity),
            result.unit or "",
            shown(piece.rate, 2),
            rounded(base, scale.minor_unit),
            f"{where}: {figure(quantity)} {result.unit} accepted x piece rate "
            f"{figure(piece.rate)} = {figure(base)}; piece rate = {formula}"
            f"{_counted_note(piece)}{self._rejected_note(result)}",
        )
        dated = [self.add(result.date, 0, line, result.hours)]
        if scale.basis is Basis.SHIFT:
            dated += self.shift_tiers(piece, where)
        pay = total(d.line for d in dated)
        self.pieces.append((piece, pay))
        self.shift_bonuses(piece, pay, where)

    def given(self, result: Result, scale: PayScale, found: GivenPiece) -> None:
        """A piece computed elsewhere (`GivenPiece`): its lines as given, its sums as `piece`'s."""
        percent = found.stated / Fraction(result.hours) * 100
        piece = Piece(
            result,
            scale,
            found.norm,
            found.tariff,
            found.rate,
            found.quantity,
            found.stated,
            percent,
            found.fair,
        )
        self.use(scale, result.hours)
        first, *tiers = found.lines
        note = self._rejected_note(result)
        if note:
            first = PayLine(
                first.code,
                first.key,
                first.quantity,
                first.unit,
                first.rate,
                first.amount,
                first.explain + note,
            )
        self.add(result.date, 0, first, result.hours)
        for tier in tiers:
            self.add(result.date, 1, tier)
        pay = total([first, *tiers])
        self.pieces.append((piece, pay))
        if any(b.per is BonusPer.SHIFT for b in scale.bonuses):
            where = f"{result.date.isoformat()} shift {result.shift_id}, {result.operation}"
            self.shift_bonuses(piece, pay, where)

    def rate_of(
        self, operation: str, day: dt.date, scale: PayScale, norm: Norm, tariff: Decimal
    ) -> tuple[Fraction, str] | None:
        """The piece rate and how it was found: the scale's rate card, else tariff x norm."""
        worker = self.ledger.workers.get(self.worker_id)
        card = scale.rate_card(operation, worker.grade if worker else None, day)
        if card is None:
            return piece_rate(norm, tariff), rate_formula(norm, tariff)
        try:
            factor = Fraction(conversion_factor(norm.unit, card.per))
        except InvalidValue:
            message = (
                f"rate card {card.label} of scale {scale.label} is per {card.per}, which "
                f"the norm's unit {norm.unit} cannot be converted to; not paid"
            )
            self.problems.append(Problem(None, "per", message))
            return None
        converted = f" x {figure(factor)} {card.per} per {norm.unit}" if factor != 1 else ""
        rate = Fraction(card.rate) * factor
        return rate, f"rate card {card.label}: {figure(card.rate)} per {card.per}{converted}"

    def planned(self, piece: Piece, where: str, formula: str) -> None:
        """One line for a result under a plan kind other than marginal (domain/pay_plans)."""
        result = piece.result
        work = Work(piece.quantity, piece.rate, piece.counted, Fraction(result.hours), piece.tariff)
        paid = plan_pay(piece.scale, work)
        rate_note = (
            f"; piece rate = {formula}" if piece.scale.plan.kind is PlanKind.DIFFERENTIAL else ""
        )
        line = PayLine(
            "piece",
            f"piece:{result.shift_id}:{result.operation}",
            shown(piece.quantity),
            result.unit or "",
            shown(paid.amount / piece.quantity, 2) if piece.quantity else shown(F0, 2),
            rounded(paid.amount, piece.scale.minor_unit),
            f"{where}: {figure(piece.quantity)} {result.unit} accepted, {paid.explanation}"
            f"{rate_note}{_counted_note(piece)}{self._rejected_note(result)}",
        )
        pay = total([self.add(result.date, 0, line, result.hours).line])
        self.pieces.append((piece, pay))
        self.shift_bonuses(piece, pay, where)

    def _rejected_note(self, result: Result) -> str:
        return rejected_note(self.ledger, result.shift_id, result.operation)

    def take(self, work: TakenWork) -> None:
        """Work whose lines came whole from elsewhere (`TakenWork`): its hours and lines."""
        for day, shift_id, hours in work.hours:
            self.hours[day] += hours
            self.productive[day] += hours
            self.by_shift[shift_id] += hours
        for scale, hours in work.scales:
            self.use(scale, hours)
        self.dated.extend(work.lines)

    def shift_tiers(self, piece: Piece, where: str) -> list[Dated]:
        result, unit = piece.result, piece.result.unit
        norm_for_tiers = piece.quantity * 100 / piece.percent if piece.percent else F0
        if piece.fair:
            counted = (
                f"fair {percent_figure(piece.percent)}% of the norm (assisted or pooled: "
                f"the crew's norm share is {figure(norm_for_tiers)} {unit})"
            )
        else:
            counted = (
                f"{percent_figure(piece.percent)}% of the {figure(norm_for_tiers)} {unit} "
                f"norm for {figure(result.hours)} h"
            )
        found = []
        for bracket in brackets(piece.scale.tiers, piece.quantity, piece.percent):
            above = figure(bracket.tier.above)
            extra = piece.rate * bracket.step
            line = PayLine(
                f"tier-{above}",
                f"tier-{above}:{result.shift_id}:{result.operation}",
                shown(bracket.eligible),
                unit or "",
                shown(extra, 2),
                rounded(extra * bracket.eligible, piece.scale.minor_unit),
                f"{where}: {counted}; output above {above}% ({figure(bracket.threshold)} "
                f"{unit}): {figure(piece.quantity)} - {figure(bracket.threshold)} = "
                f"{figure(bracket.eligible)} {unit} x {figure(piece.rate)} x "
                f"({figure(bracket.tier.multiplier)} - {figure(bracket.previous)}) = "
                f"{figure(extra * bracket.eligible)}",
            )
            found.append(self.add(result.date, 1, line))
        return found

    def shift_bonuses(self, piece: Piece, pay: Decimal, where: str) -> None:
        result = piece.result
        for bonus in piece.scale.bonuses:
            if bonus.per is not BonusPer.SHIFT or not qualifies(bonus, piece.percent):
                continue
            conditions = "prepared" if result.prepared else "standard"
            if bonus.conditions is not None and bonus.conditions != conditions:
                continue
            line = bonus_line(
                bonus,
                f"{bonus.code}:{result.shift_id}:{result.operation}",
                pay,
                piece.scale,
                f"{where} ({conditions}, {percent_figure(piece.percent)}% of the norm)",
                "shift",
            )
            self.add(result.date, 2, line)

    # --- time work and paid time -----------------------------------------------------------

    def time_work(self, result: Result, scale: PayScale, tariff: Decimal) -> None:
        fraction = scale.time_work
        assert fraction is not None
        self.use(scale, result.hours)
        rate = Fraction(tariff) * Fraction(fraction)
        amount = rate * Fraction(result.hours)
        line = PayLine(
            "time",
            f"time:{result.shift_id}:{result.operation}",
            result.hours,
            "h",
            shown(rate, 2),
            rounded(amount, scale.minor_unit),
            f"{result.date.isoformat()} shift {result.shift_id}, {result.operation} (no "
            f"measured output of its own): {figure(result.hours)} h x tariff {figure(tariff)} "
            f"x {figure(fraction)} = {figure(amount)}",
        )
        self.add(result.date, 3, line)

    def unpaid_time_work(self, result: Result, scale: PayScale) -> None:
        """Time work under a scale without [time_work]: a zero line that says why. The hours
        still count for the week's minimum wage, under this scale."""
        self.use(scale, result.hours)
        line = PayLine(
            "time",
            f"time:{result.shift_id}:{result.operation}",
            result.hours,
            "h",
            rounded(ZERO, scale.minor_unit),
            rounded(ZERO, scale.minor_unit),
            f"{result.date.isoformat()} shift {result.shift_id}, {result.operation} (no "
            f"measured output of its own): {figure(result.hours)} h, not paid as time work "
            f"({scale.label} has no [time_work])",
        )
        self.add(result.date, 3, line)

    def unpaid_work(self, result: Result, minor: Decimal) -> None:
        """Work on an operation no single scale pays on its date: a zero line that says so."""
        measured = result.earned is not None
        code = "piece" if measured else "time"
        what = f", {figure(result.output)} {result.unit} accepted" if measured else ""
        line = PayLine(
            code,
            f"{code}:{result.shift_id}:{result.operation}",
            shown(result.output) if measured else result.hours,
            (result.unit or "") if measured else "h",
            rounded(ZERO, minor),
            rounded(ZERO, minor),
            f"{result.date.isoformat()} shift {result.shift_id}, {result.operation}: "
            f"{figure(result.hours)} h{what}: not paid (no single scale covers "
            f"{result.operation} on {result.date.isoformat()})",
        )
        self.add(result.date, 0 if measured else 3, line)

    def paid_time(
        self,
        entry: TimeEntry,
        scale: PayScale | None,
        rate_of: Callable[[TimeEntry, PayScale, RestPay, Decimal], tuple[Fraction, str]],
    ) -> None:
        """A line for idle, rest, non-productive or hourly time (a zero line when unpaid, and
        why); `rate_of` gives rest and non-productive time's hourly rate by the scale's rule."""
        tariff = self.tariff(scale) if scale else None
        what = f"{entry.date.isoformat()} {entry.kind.value} time, {entry.operation}"
        if entry.note:
            what += f" ({entry.note})"
        key = f"{entry.kind.value}:{entry.date.isoformat()}:{entry.operation}"
        order = {TimeKind.IDLE: 4, TimeKind.REST: 5, TimeKind.NONPRODUCTIVE: 6}.get(entry.kind, 3)
        if scale is None or tariff is None:
            reason = "no single scale covers this operation" if scale is None else "no tariff"
            minor = scale.minor_unit if scale else CENT
            self.add(entry.date, order, _unpaid(entry, key, what, reason, minor))
            return
        if entry.kind is TimeKind.IDLE and entry.cause is not None:
            self.add(entry.date, order, self._idle(entry, scale, tariff, key, what))
            return
        if entry.kind in (TimeKind.IDLE, TimeKind.HOURLY):
            idle = entry.kind is TimeKind.IDLE
            fraction = scale.guarantee if idle else scale.time_work
            if fraction is None:
                reason = f"{scale.label} has no [{'guarantee' if idle else 'time_work'}]"
                line = _unpaid(entry, key, what, reason, scale.minor_unit)
            else:
                rate = Fraction(tariff) * Fraction(fraction)
                amount = rate * Fraction(entry.hours)
                how = (
                    "not the worker's fault: guaranteed"
                    if idle
                    else "hourly work without measured output:"
                )
                line = PayLine(
                    entry.kind.value,
                    key,
                    entry.hours,
                    "h",
                    shown(rate, 2),
                    rounded(amount, scale.minor_unit),
                    f"{what}, {how} {figure(entry.hours)} h x "
                    f"tariff {figure(tariff)} x {figure(fraction)} = {figure(amount)}",
                )
            self.add(entry.date, order, line)
            return
        rule = scale.paid_time_rule(entry.kind.value)
        if rule is None:
            reason = f"{scale.label} has no [rest]"
            self.add(entry.date, order, _unpaid(entry, key, what, reason, scale.minor_unit))
            return
        rate, basis = rate_of(entry, scale, rule, tariff)
        amount = rate * Fraction(entry.hours)
        line = PayLine(
            entry.kind.value,
            key,
            entry.hours,
            "h",
            shown(rate, 2),
            rounded(amount, scale.minor_unit),
            f"{what}: {figure(entry.hours)} h x {figure(rate)} ({basis}) = {figure(amount)}",
        )
        self.add(entry.date, order, line)

    def _idle(
        self, entry: TimeEntry, scale: PayScale, tariff: Decimal, key: str, what: str
    ) -> PayLine:
        """Idle time with its cause stated, paid by art. 157: the worker's fault not at all,
        the employer's at a share of the average wage (when the scale says so), else the
        [guarantee] share of the tariff."""
        minor = scale.minor_unit
        if entry.cause is IdleCause.WORKER:
            return _unpaid(entry, key, what, "idle through the worker's own fault", minor)
        rule = scale.idle_time
        employer = entry.cause is IdleCause.EMPLOYER
        if employer and rule is not None and rule.employer is IdleBase.AVERAGE:
            return self._idle_at_average(entry, scale, tariff, key, what)
        why = "the employer's fault" if employer else "reasons beyond both parties' control"
        if scale.guarantee is None:
            return _unpaid(entry, key, what, f"{why}; {scale.label} has no [guarantee]", minor)
        rate = Fraction(tariff) * Fraction(scale.guarantee)
        amount = rate * Fraction(entry.hours)
        return PayLine(
            "idle",
            key,
            entry.hours,
            "h",
            shown(rate, 2),
            rounded(amount, minor),
            f"{what}, idle through {why} (art. 157): {figure(entry.hours)} h x tariff "
            f"{figure(tariff)} x {figure(scale.guarantee)} = {figure(amount)}",
        )

    def _idle_at_average(
        self, entry: TimeEntry, scale: PayScale, tariff: Decimal, key: str, what: str
    ) -> PayLine:
        rule = scale.idle_time
        assert rule is not None
        average = average_wage(self.history.paid, entry.date, rule.months)
        hourly = average.hourly
        if hourly is None:
            # Nothing accrued or worked before: the tariff stands for the average.
            base: Fraction = Fraction(tariff)
            basis = f"{average}, so the tariff {figure(tariff)} stands for the average wage"
        else:
            base, basis = hourly, str(average)
        rate = base * rule.fraction
        amount = rate * Fraction(entry.hours)
        return PayLine(
            "idle",
            key,
            entry.hours,
            "h",
            shown(rate, 2),
            rounded(amount, scale.minor_unit),
            f"{what}, idle through the employer's fault (art. 157): {basis}; "
            f"{figure(entry.hours)} h x {figure(base)} x {share_text(rule.fraction)} = "
            f"{figure(amount)}",
        )


def rate_formula(norm: Norm, tariff: Decimal) -> str:
    if norm.kind is NormKind.TIME:
        return f"tariff {figure(tariff)}/h x {figure(norm.norm)} min / 60"
    assert norm.norm_hours is not None
    return (
        f"tariff {figure(tariff)}/h x {figure(norm.norm_hours)} h / {figure(norm.norm)} {norm.unit}"
    )


def _counted_note(piece: Piece) -> str:
    """When the tiers count the fair percent of an assisted or pooled result, say so."""
    result = piece.result
    marginal = piece.scale.plan.kind is PlanKind.MARGINAL
    if not piece.fair or (marginal and not piece.scale.tiers):
        return ""
    if not (result.assisted or result.pooled):
        return ""
    why = "pooled" if result.pooled else "assisted"
    stated = piece.stated / Fraction(result.hours) * 100
    counts = "the tiers count" if marginal else "the plan counts"
    return (
        f"; {why}: {counts} the fair {percent_figure(piece.percent)}% of the norm, "
        f"not the stated {percent_figure(stated)}%"
    )


def _unpaid(entry: TimeEntry, key: str, what: str, reason: str, minor: Decimal) -> PayLine:
    amount = rounded(ZERO, minor)  # money to the minor unit, as every line
    return PayLine(
        entry.kind.value, key, entry.hours, "h", amount, amount, f"{what}: not paid ({reason})"
    )


def qualifies(bonus: Bonus, percent: Fraction) -> bool:
    return bonus.min_percent is None or percent >= Fraction(bonus.min_percent)


def bonus_line(
    bonus: Bonus, key: str, earnings: Decimal, scale: PayScale, where: str, per: str
) -> PayLine:
    if bonus.amount is not None:
        return PayLine(
            bonus.code,
            key,
            Decimal(1),
            per,
            bonus.amount,
            rounded(bonus.amount, scale.minor_unit),
            f"{where}: {bonus.name}, {figure(bonus.amount)} per {per}",
        )
    assert bonus.percent is not None
    amount = Fraction(earnings) * Fraction(bonus.percent) / 100
    return PayLine(
        bonus.code,
        key,
        earnings,
        scale.currency,
        shown(Fraction(bonus.percent) / 100),
        rounded(amount, scale.minor_unit),
        f"{where}: {bonus.name}, {figure(bonus.percent)}% of piece earnings "
        f"{figure(earnings)} = {figure(amount)}",
    )
