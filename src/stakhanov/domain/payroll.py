"""Every worker's pay slip for a period, computed from a ledger snapshot under pay scales.

Pure and deterministic: the same ledger, scales and bonuses always give the same slips, line for
line. A caller may swap in other norms (what-if replays, norm revisions) or a proposed scale.
Per worker: piece and tier lines per shift, time work, idle, rest and non-productive time, the
weekly minimum-wage make-up, period tiers and bonuses, bonuses from other modules, adjustments
of closed periods; then deductions within their legal caps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from fractions import Fraction

from stakhanov.domain.average_wage import NO_HISTORY, PayHistory
from stakhanov.domain.earnings import (
    Dated,
    GivenPiece,
    Piece,
    SlipBuilder,
    TakenWork,
    bonus_line,
    qualifies,
)
from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.fulfilment import Result, results
from stakhanov.domain.guarantees import apply_guarantees
from stakhanov.domain.ledger import Ledger
from stakhanov.domain.norms import NormBook
from stakhanov.domain.overtime import apply_overtime
from stakhanov.domain.payslips import (
    PayLine,
    PaySlip,
    figure,
    percent_figure,
    total,
)
from stakhanov.domain.period_overtime import apply_period_overtime
from stakhanov.domain.periods import Period
from stakhanov.domain.piecework import brackets
from stakhanov.domain.quantities import conversion_factor
from stakhanov.domain.rest_pay import paid_time_rate, week_span
from stakhanov.domain.rounding import rounded, shown
from stakhanov.domain.scales import Basis, BonusPer, PayScale, RestPay, ScaleBook
from stakhanov.domain.shift_surcharges import apply_night_work, apply_rest_day_work
from stakhanov.domain.timesheets import TimeEntry, TimeKind
from stakhanov.domain.wording import say

ZERO = Decimal(0)
MINIMUM_WAGE_ORDER = 9


@dataclass(frozen=True)
class ExternalBonus:
    """A named bonus from another module (an award, a title): one line on the worker's slip."""

    worker_id: str
    date: dt.date
    code: str
    amount: Decimal
    currency: str
    explain: str
    reference: str
    unit: str = "award"  # what the line's quantity of 1 counts (a work order's share)


@dataclass(frozen=True)
class Adjustments:
    """Lines that correct closed periods, paid in this one, in the currency they were paid in."""

    currency: str
    lines: tuple[PayLine, ...] = ()
    deductions: tuple[PayLine, ...] = ()


@dataclass(frozen=True)
class Payroll:
    period: Period
    slips: tuple[PaySlip, ...]
    problems: tuple[Problem, ...] = ()

    @property
    def gross(self) -> Decimal:
        return sum((s.gross for s in self.slips), ZERO)

    @property
    def net(self) -> Decimal:
        return sum((s.net for s in self.slips), ZERO)

    def slip(self, worker_id: str) -> PaySlip | None:
        return next((s for s in self.slips if s.worker_id == worker_id), None)


def compute_payroll(
    ledger: Ledger,
    period: Period,
    scales: ScaleBook,
    norms: NormBook | None = None,
    bonuses: Sequence[ExternalBonus] = (),
    adjustments: Mapping[str, Adjustments] | None = None,
    history: Mapping[str, PayHistory] | None = None,
) -> Payroll:
    """Every worker's slip for the period; `norms`, when given, replace the ledger's norms.
    `history` holds each worker's closed periods and earlier hours (domain/average_wage.py)."""
    if norms is not None:
        ledger = ledger.with_norms(norms)
    return payroll_of(
        ledger,
        period,
        scales,
        results(ledger, period.start, period.end),
        bonuses,
        adjustments,
        history=history,
    )


def payroll_of(
    ledger: Ledger,
    period: Period,
    scales: ScaleBook,
    found: Iterable[Result],
    bonuses: Sequence[ExternalBonus] = (),
    adjustments: Mapping[str, Adjustments] | None = None,
    boost: Fraction = Fraction(1),
    given: Mapping[tuple[str, str, str], GivenPiece] | None = None,
    history: Mapping[str, PayHistory] | None = None,
    taken: Mapping[str, TakenWork] | None = None,
) -> Payroll:
    """The slips for given results; `boost` multiplies every output (what-if uses it to find
    the output that keeps a worker's pay). `given` holds piece and tier lines computed
    elsewhere (the engine's SQL), by (shift, worker, operation): the slip takes them as they
    are instead of computing that result's piece (never with a boost). `taken` holds, by
    worker, whole results made elsewhere that are not among `found` (`TakenWork`)."""
    given = given if given and boost == 1 else {}
    problems: list[Problem] = []
    builders: dict[str, SlipBuilder] = {}

    def builder(worker_id: str) -> SlipBuilder:
        if worker_id not in builders:
            past = (history or {}).get(worker_id, NO_HISTORY)
            builders[worker_id] = SlipBuilder(
                ledger, worker_id, problems, boost=boost, history=past
            )
        return builders[worker_id]

    conflicts: set[tuple[str, ...]] = set()
    known: dict[tuple[str, dt.date], list[PayScale]] = {}  # a month repeats these pairs

    def scale_of(operation: str, day: dt.date) -> PayScale | None:
        covering = known.get((operation, day))
        if covering is None:
            covering = known[(operation, day)] = scales.covering(operation, day)
        if len(covering) > 1:
            names = tuple(s.label for s in covering)
            if (operation, *names) not in conflicts:
                conflicts.add((operation, *names))
                problems.append(
                    Problem(
                        Source(f"scale {covering[0].name}", 0),
                        "operations",
                        say(
                            "%(operation)s on %(day)s is paid by more than one scale (%(names)s); "
                            "list each operation in one scale only",
                            operation=operation,
                            day=day,
                            names=", ".join(names),
                        ),
                    )
                )
            return None
        return covering[0] if covering else None

    assert boost == 1 or not taken, "taken lines are the unboosted pay"
    for worker_id, work in (taken or {}).items():
        builder(worker_id).take(work)
    for result in found:
        slip = builder(result.worker_id)
        slip.hours[result.date] += result.hours
        slip.productive[result.date] += result.hours
        slip.by_shift[result.shift_id] += result.hours
        scale = scale_of(result.operation, result.date)
        if scale is None:
            slip.uncovered.append(result)
            continue
        if result.earned is None:
            if scale.time_work is None:
                slip.unpaid_time_work(result, scale)
            elif (tariff := slip.tariff(scale)) is not None:
                slip.time_work(result, scale, tariff)
            continue
        found_piece = given.get((result.shift_id, result.worker_id, result.operation))
        if found_piece is not None:
            slip.given(result, scale, found_piece)
            continue
        norm = ledger.norms.in_force(result.operation, result.date)
        assert norm is not None, "a result with earned hours has a norm"
        if (tariff := slip.tariff(scale)) is not None:
            slip.piece(result, scale, norm, tariff)

    time = [t for t in ledger.time if t.date in period]
    time_scales: dict[tuple[str, dt.date, object, str], PayScale | None] = {}
    for entry in sorted(time, key=lambda t: t.key):
        slip = builder(entry.worker_id)
        slip.hours[entry.date] += entry.hours
        if entry.kind is TimeKind.HOURLY:
            slip.productive[entry.date] += entry.hours
        paid_by = time_scales[entry.key] = scale_of(entry.operation, entry.date)
        if paid_by is not None:
            slip.use(paid_by, entry.hours)
    # Rest last: the average of all pay (226.2) counts the week's other paid time.
    for entry in sorted(time, key=lambda t: (t.kind is TimeKind.REST, t.key)):
        paying = builders[entry.worker_id]
        governing = paying.governing()
        starts = governing.week_starts if governing else 0

        def rate_of(
            e: TimeEntry,
            scale: PayScale,
            rule: RestPay,
            tariff: Decimal,
            s: SlipBuilder = paying,
            w: int = starts,
        ) -> tuple[Fraction, str]:
            return paid_time_rate(s, period, w, e, scale, rule, tariff)

        paying.paid_time(entry, time_scales[entry.key], rate_of)

    for bonus in bonuses:
        if bonus.date in period:
            builder(bonus.worker_id)
    for worker_id in adjustments or {}:
        builder(worker_id)

    slips: list[PaySlip] = []
    for worker_id in sorted(builders):
        assembled = _assemble(
            builders[worker_id],
            period,
            scales,
            [b for b in bonuses if b.worker_id == worker_id and b.date in period],
            (adjustments or {}).get(worker_id),
        )
        if assembled is not None:
            slips.append(assembled)
    return Payroll(period, tuple(slips), tuple(problems))


def _minimum_wage(slip: SlipBuilder, period: Period, scale: PayScale) -> None:
    """Make up each week's earnings to the minimum wage for the hours worked in it."""
    hourly = scale.minimum_wage
    if hourly is None:
        return
    weeks = sorted({week_span(day, period, scale.week_starts) for day in slip.hours})
    for first, last in weeks:
        hours = sum((h for day, h in slip.hours.items() if first <= day <= last), ZERO)
        earned = total(d.line for d in slip.dated if first <= d.day <= last)
        minimum = hourly * hours
        if not hours or earned >= minimum:
            continue
        # Rounded up, so the week never ends below the legal minimum.
        make_up = rounded(minimum - earned, scale.minor_unit, ROUND_CEILING)
        slip.add(
            last,
            MINIMUM_WAGE_ORDER,
            PayLine(
                "minimum-wage",
                f"minimum-wage:{first.isoformat()}",
                hours,
                "h",
                hourly,
                make_up,
                f"week {first}..{last}: minimum {figure(hours)} h x {figure(hourly)} = "
                f"{figure(minimum)}; earned {figure(earned)}; make-up {figure(minimum)} - "
                f"{figure(earned)} = {figure(minimum - earned)}, rounded up",
            ),
        )


def _period_percent(pieces: Sequence[Piece]) -> tuple[Fraction, Fraction, Decimal]:
    """(percent counted for tiers, stated earned standard hours, hours) over the period."""
    hours = sum((p.result.hours for p in pieces), ZERO)
    counted = sum((p.counted for p in pieces), Fraction(0))
    stated = sum((p.stated for p in pieces), Fraction(0))
    return (counted / Fraction(hours) * 100 if hours else Fraction(0)), stated, hours


def _period_items(slip: SlipBuilder, period: Period) -> list[PayLine]:
    """Tiers counted over the period (basis = period) and bonuses per period, per scale name.

    A scale whose version changes within the period is still one scale: its percent is counted
    over the whole period, each version pays period tiers on its own norm-hours at its own
    tariff, and a period bonus is paid once, on the terms of the latest version.
    """
    lines: list[PayLine] = []
    by_name: dict[str, list[tuple[Piece, Decimal]]] = {}
    for piece, pay in slip.pieces:
        by_name.setdefault(piece.scale.name, []).append((piece, pay))
    for name in sorted(by_name):
        pieces = [p for p, _ in by_name[name]]
        versions = sorted({p.scale for p in pieces}, key=lambda s: s.effective_from)
        latest = versions[-1]
        earnings = sum((pay for _, pay in by_name[name]), ZERO)
        percent, _, _ = _period_percent(pieces)
        where = f"{period} under {latest.label}"
        if len(versions) > 1:
            where = f"{period} under {name} (versions {', '.join(_since(v) for v in versions)})"
        periodic = [p for p in pieces if p.scale.basis is Basis.PERIOD]
        tier_percent, tier_stated, tier_hours = _period_percent(periodic)
        for version in versions:
            if version.basis is not Basis.PERIOD:
                continue
            own = [p for p in periodic if p.scale == version]
            _, stated, own_hours = _period_percent(own)
            over = (tier_stated, tier_hours) if len(versions) > 1 else None
            tiers = _period_tiers(
                version, own[0].tariff, tier_percent, stated, own_hours, period, over
            )
            earnings += total(tiers)
            lines += tiers
        for bonus in latest.bonuses:
            if bonus.per is BonusPer.PERIOD and qualifies(bonus, percent):
                lines.append(
                    bonus_line(
                        bonus,
                        f"{bonus.code}:{period}",
                        earnings,
                        latest,
                        f"{where} ({percent_figure(percent)}% of the norm)",
                        "period",
                    )
                )
    return lines


def _since(scale: PayScale) -> str:
    return f"from {scale.effective_from.isoformat()}"


def _period_tiers(
    scale: PayScale,
    tariff: Decimal,
    percent: Fraction,
    stated: Fraction,
    hours: Decimal,
    period: Period,
    over: tuple[Fraction, Decimal] | None = None,
) -> list[PayLine]:
    """Tier lines in norm-hours; `over` is the whole period's when versions share it."""
    where = f"{period} under {scale.label}"
    counted = f"{figure(stated)} norm-hours earned in {figure(hours)} h"
    if over is not None:
        counted += (
            f" under this version; over the period {figure(over[0])} norm-hours in "
            f"{figure(over[1])} h"
        )
    # On the fair percent (assisted or pooled shifts at their crews' percent) the norm-hours
    # that select tiers differ from those earned: say how many, so the threshold can be checked.
    earned, in_hours = (over[0], over[1]) if over is not None else (stated, hours)
    fair = percent * Fraction(in_hours) / 100
    if fair != earned:
        counted += (
            "; for tiers, assisted or pooled shifts count at their crews' fair percent: "
            f"{figure(fair)} norm-hours in {figure(in_hours)} h = {percent_figure(percent)}%"
        )
    else:
        counted += f", {percent_figure(percent)}% counted for tiers"
    lines = []
    for bracket in brackets(scale.tiers, stated, percent):
        above = figure(bracket.tier.above)
        extra = Fraction(tariff) * bracket.step
        threshold = f"{figure(bracket.threshold)} norm-h"
        if fair != earned:
            scaled = "" if bracket.tier.above == 100 else f" x {above}%"
            threshold += f" = {figure(stated)} x {figure(in_hours)} / {figure(fair)}{scaled}"
        lines.append(
            PayLine(
                f"tier-{above}",
                f"tier-{above}:{where}",
                shown(bracket.eligible),
                "norm-h",
                shown(extra, 2),
                rounded(extra * bracket.eligible, scale.minor_unit),
                f"{where}: {counted}; above {above}% ({threshold}): {figure(stated)} - "
                f"{figure(bracket.threshold)} = {figure(bracket.eligible)} norm-h x tariff "
                f"{figure(tariff)} x ({figure(bracket.tier.multiplier)} - "
                f"{figure(bracket.previous)}) = {figure(extra * bracket.eligible)}",
            )
        )
    return lines


def _external(bonus: ExternalBonus, currency: str, minor: Decimal) -> PayLine:
    return PayLine(
        bonus.code,
        f"{bonus.code}:{bonus.reference}",
        Decimal(1),
        bonus.unit,
        bonus.amount,
        rounded(bonus.amount, minor),
        f"{bonus.date.isoformat()} {bonus.explain} ({bonus.reference})",
        bonus.reference,
    )


def _assemble(
    slip: SlipBuilder,
    period: Period,
    scales: ScaleBook,
    bonuses: Sequence[ExternalBonus],
    adjustments: Adjustments | None,
) -> PaySlip | None:
    governing = slip.governing()
    currency = (
        governing.currency
        if governing
        else (bonuses[0].currency if bonuses else adjustments.currency if adjustments else "")
    )
    minor = governing.minor_unit if governing else Decimal("0.01")
    # By name and version, not by first use: the engine hands some work over before the rest.
    for scale in sorted(slip.scales_used, key=lambda s: (s.name, s.effective_from)):
        if scale.currency != currency:
            slip.problems.append(
                Problem(
                    Source(f"scale {scale.name}", 0),
                    "currency",
                    say(
                        "worker %(worker_id)s is paid in %(currency)s and by %(label)s in "
                        "%(currency2)s; one slip has one currency",
                        worker_id=slip.worker_id,
                        currency=currency,
                        label=scale.label,
                        currency2=scale.currency,
                    ),
                )
            )
    for bonus in bonuses:
        if bonus.currency != currency:
            slip.problems.append(
                Problem(
                    Source(f"bonus {bonus.reference}", 0),
                    "currency",
                    say(
                        "bonus %(code)s for %(worker_id)s is in %(currency)s, the slip in "
                        "%(currency2)s",
                        code=bonus.code,
                        worker_id=slip.worker_id,
                        currency=bonus.currency,
                        currency2=currency,
                    ),
                )
            )
    if governing is not None:
        for result in slip.uncovered:  # shown, so no hour of the week goes unexplained
            slip.unpaid_work(result, governing.minor_unit)
        apply_guarantees(slip, period, governing)
        _minimum_wage(slip, period, governing)
        apply_overtime(slip, period, governing)
        apply_period_overtime(slip, period, governing)
        apply_rest_day_work(slip, governing)
        apply_night_work(slip, governing)
    lines = [d.line for d in sorted(slip.dated, key=_line_order)]
    lines += _period_items(slip, period)
    lines += [_external(b, currency, minor) for b in sorted(bonuses, key=_bonus_order)]
    earned = total(lines)
    lines += list(adjustments.lines) if adjustments else []
    gross = total(lines)
    # Deductions count this period's own earnings: an adjustment's deductions are corrected
    # with the earlier period it belongs to (as deduction adjustments), never charged twice.
    base = Base(earned, gross - earned)
    deducting, why = governing, ""
    if governing is None and earned > 0:
        deducting, why = _standing(slip, period, scales, currency)
    deductions = _deductions(slip, period, scales, deducting, base, why)
    deductions += list(adjustments.deductions) if adjustments else []
    if not lines and not deductions:
        return None
    return PaySlip(
        slip.worker_id, slip.worker_name, currency, period, tuple(lines), tuple(deductions)
    )


def _standing(
    slip: SlipBuilder, period: Period, scales: ScaleBook, currency: str
) -> tuple[PayScale | None, str]:
    """Deductions for a slip with no work paid by a scale (only awards, say): those of the
    first scale in force at the period's end that pays the worker's grade, so that the same
    award bears the same dues whether or not its worker also worked this period."""
    worker = slip.ledger.workers.get(slip.worker_id)
    grade = worker.grade if worker is not None else None
    for scale in scales.standing(period.end):
        if scale.currency == currency and (grade is None or scale.tariff(grade) is not None):
            pays = f" that pays grade {grade}" if grade is not None else ""
            return scale, (
                f" (no work paid by a scale this period: the deductions of {scale.label}, "
                f"the first scale in force on {period.end.isoformat()}{pays})"
            )
    return None, ""


def _line_order(dated: Dated) -> tuple[dt.date, int, str]:
    return (dated.day, dated.order, dated.line.key)


def _bonus_order(bonus: ExternalBonus) -> tuple[dt.date, str, str]:
    return (bonus.date, bonus.code, bonus.reference)


# --- deductions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Base:
    """What percent deductions and caps count: the period's own earnings, before adjustments
    of earlier periods (`adjusted`, paid on the same slip)."""

    earned: Decimal
    adjusted: Decimal = ZERO

    def __str__(self) -> str:
        if not self.adjusted:
            return f"gross {figure(self.earned)}"
        return (
            f"this period's earnings {figure(self.earned)} (gross "
            f"{figure(self.earned + self.adjusted)} less {figure(self.adjusted)} of adjustments "
            "to earlier periods, whose deductions are adjusted with them)"
        )


def _deductions(
    slip: SlipBuilder,
    period: Period,
    scales: ScaleBook,
    governing: PayScale | None,
    base: Base,
    why: str = "",
) -> list[PayLine]:
    """Reject-fault deductions, then the governing scale's, each within the legal caps;
    `why` says where the scale comes from when no work of the period chose it."""
    gross = base.earned
    wanted: list[tuple[PayLine, Decimal | None]] = [
        (line, None) for line in _reject_faults(slip, period, scales)
    ]
    if governing is not None:
        for deduction in governing.deductions:
            if deduction.amount is not None:
                amount, how = deduction.amount, f"{figure(deduction.amount)} per period"
                quantity, unit, rate = Decimal(1), "period", deduction.amount
            else:
                assert deduction.percent is not None
                exact = Fraction(gross) * Fraction(deduction.percent) / 100
                amount = rounded(exact, governing.minor_unit)
                how = f"{figure(deduction.percent)}% of {base} = {figure(exact)}"
                # A slip shows a rate to six decimals at most (payslips.py): 1.2345% is 0.012345.
                rate = shown(deduction.percent / 100)
                quantity, unit = gross, governing.currency
            line = PayLine(
                deduction.code,
                f"{deduction.code}:{period}",
                quantity,
                unit,
                rate,
                rounded(amount, governing.minor_unit),
                f"{deduction.name}: {how}{why}",
            )
            wanted.append((line, deduction.cap_percent))
    if not wanted:
        return []
    minor = governing.minor_unit if governing else Decimal("0.01")
    limit = governing.deduction_cap if governing else None
    return capped(wanted, gross, limit, minor, "gross" if not base.adjusted else "earnings")


def capped(
    wanted: Sequence[tuple[PayLine, Decimal | None]],
    gross: Decimal,
    limit: Decimal | None,
    minor: Decimal,
    of: str = "gross",
) -> list[PayLine]:
    """Apply each deduction's own cap and the cap on all of them, in order (caps round down).

    Whatever the scale says, deductions together never take more than the earnings they are
    charged on: a slip never ends with a negative net pay.
    """
    base = max(gross, ZERO)

    def cap_of(percent: Decimal) -> Decimal:
        return rounded(Fraction(base) * Fraction(percent) / 100, minor, ROUND_FLOOR)

    room = cap_of(limit) if limit is not None else None
    left = cap_of(Decimal(100))
    found = []
    for line, own in wanted:
        amount, notes = line.amount, []
        if own is not None and amount > cap_of(own):
            amount = cap_of(own)
            notes.append(f"capped at {figure(own)}% of {of} {figure(base)} = {figure(amount)}")
        if room is not None:
            if amount > room:
                amount = room
                notes.append(
                    f"capped: all deductions together at most {figure(limit or ZERO)}% of {of} "
                    f"{figure(base)}, {figure(room)} left"
                )
            room -= amount
        if amount > left:
            amount = left
            notes.append(
                f"capped: deductions never take more than the {of} {figure(base)}, "
                f"{figure(left)} left"
            )
        left -= amount
        explain = "; ".join([line.explain, *notes])
        found.append(replace(line, amount=amount, explain=explain))
    return found


def _reject_faults(slip: SlipBuilder, period: Period, scales: ScaleBook) -> list[PayLine]:
    ledger = slip.ledger
    lines = []
    for fault in ledger.faults_of(slip.worker_id):
        shift = ledger.shifts.get(fault.shift_id)
        if shift is None or shift.date not in period:
            continue
        output = ledger.outputs.get((fault.shift_id, fault.operation))
        norm = ledger.norms.in_force(fault.operation, shift.date)
        covering = scales.covering(fault.operation, shift.date)
        if output is None or norm is None or len(covering) != 1:
            continue
        scale = covering[0]
        tariff = scale.tariff(ledger.workers[slip.worker_id].grade)
        if scale.reject_deduction is None or tariff is None:
            continue
        quantity = Fraction(fault.quantity * conversion_factor(output.unit, norm.unit))
        found = slip.rate_of(fault.operation, shift.date, scale, norm, tariff)  # a rate card?
        if found is None:
            continue
        piece = found[0]
        rate = piece * Fraction(scale.reject_deduction)
        amount = rate * quantity
        reason = f" ({fault.note})" if fault.note else ""
        lines.append(
            PayLine(
                "reject-fault",
                f"reject-fault:{fault.shift_id}:{fault.operation}",
                shown(quantity),
                norm.unit,
                shown(rate, 2),
                rounded(amount, scale.minor_unit),
                f"{shift.date.isoformat()} shift {fault.shift_id}, {fault.operation}: "
                f"{figure(quantity)} {norm.unit} rejected through the worker's own fault{reason} "
                f"x piece rate {figure(piece)} x "
                f"{figure(scale.reject_deduction)} = {figure(amount)}",
            )
        )
    return lines
