"""The ledger's invariants, checked over a snapshot. Every breach is a Problem, none is raised.

Like a balance assertion in double-entry bookkeeping, these run over the combined state (what
is stored plus what is being imported), so a batch is judged by what the ledger would become.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal

from stakhanov.domain.attribution import split_exact
from stakhanov.domain.errors import InvalidValue, Problem, Source
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import ASSIST
from stakhanov.domain.quantities import case_hint, compatible
from stakhanov.domain.timesheets import TimeEntry
from stakhanov.domain.values import MAX_HOURS
from stakhanov.domain.wording import say


def check(
    ledger: Ledger,
    shift_ids: Iterable[str] | None = None,
    refused: Mapping[tuple[str, str], Source] | None = None,
) -> list[Problem]:
    """All invariant breaches among the given shifts (default: every shift in the snapshot).

    `refused` names the rows of the same batch that had problems of their own, keyed by
    ("shift_id", id) or ("worker_id", id): a reference to one of them points at that row
    instead of calling the id unknown.
    """
    scope = set(ledger.shifts) if shift_ids is None else set(shift_ids)
    problems: list[Problem] = []
    refused = refused or {}
    problems += _check_outputs(ledger, scope, refused)
    problems += _check_crew_references(ledger, scope, refused)
    problems += _check_credits(ledger, scope)
    problems += _check_hours_per_date(ledger, scope)
    problems += _check_time(ledger)
    problems += _check_faults(ledger, scope)
    return problems


def _unknown(
    column: str, value: str, known: Iterable[str], refused: Mapping[tuple[str, str], Source]
) -> str:
    """Why an id is not known: its own row in the batch was refused, or it is simply unknown."""
    source = refused.get((column, value))
    worker = column == "worker_id"  # else a shift: one sentence each, for translating
    if source is not None:
        if worker:
            return say(
                "worker %(id)r is not imported: its row %(row)s has problems",
                id=value,
                row=str(source),
            )
        return say(
            "shift %(id)r is not imported: its row %(row)s has problems", id=value, row=str(source)
        )
    hint = _same_but_case(value, known)
    if worker:
        return say("unknown worker %(id)r%(hint)s", id=value, hint=hint)
    return say("unknown shift %(id)r%(hint)s", id=value, hint=hint)


def _same_but_case(name: str, known: Iterable[str]) -> str:
    """'; did you mean ...' when a known name differs only by case (ids are case-sensitive)."""
    found = sorted(k for k in known if k.lower() == name.lower() and k != name)
    return say("; did you mean %(name)r?", name=found[0]) if found else ""


def _problem(record: MeasuredOutput | CrewEntry | TimeEntry, column: str, message: str) -> Problem:
    return Problem(record.origin, column, message)


def _check_outputs(
    ledger: Ledger, scope: set[str], refused: Mapping[tuple[str, str], Source]
) -> Iterable[Problem]:
    known = ledger.norms.operations()
    for output in ledger.outputs.values():
        if output.shift_id not in scope:
            continue
        shift = ledger.shifts.get(output.shift_id)
        if shift is None:
            message = _unknown("shift_id", output.shift_id, ledger.shifts, refused)
            yield _problem(output, "shift_id", message)
            continue
        if output.operation == ASSIST or output.operation not in known:
            yield _problem(
                output,
                "operation",
                say("unknown operation %(operation)r (not in any norm)", operation=output.operation)
                + _same_but_case(output.operation, known),
            )
            continue
        norm = ledger.norms.in_force(output.operation, shift.date)
        norm_unit = norm.unit if norm else ledger.norms.unit_of(output.operation)
        if norm_unit and not compatible(output.unit, norm_unit):
            yield _problem(
                output,
                "unit",
                f"{output.unit!r} is not compatible with {norm_unit!r}, "
                f"the unit of the {output.operation} norm{case_hint(output.unit, norm_unit)}",
            )


def _check_crew_references(
    ledger: Ledger, scope: set[str], refused: Mapping[tuple[str, str], Source]
) -> Iterable[Problem]:
    for entry in ledger.crew:
        if entry.shift_id not in scope:
            continue
        if entry.worker_id not in ledger.workers:
            message = _unknown("worker_id", entry.worker_id, ledger.workers, refused)
            yield _problem(entry, "worker_id", message)
        shift = ledger.shifts.get(entry.shift_id)
        if shift is None:
            message = _unknown("shift_id", entry.shift_id, ledger.shifts, refused)
            yield _problem(entry, "shift_id", message)
            if entry.hours > MAX_HOURS:
                yield _problem(
                    entry,
                    "hours",
                    say("%(hours)s hours is more than a shift lasts (24)", hours=entry.hours),
                )
            continue
        if entry.hours > shift.hours:
            yield _problem(
                entry,
                "hours",
                say(
                    "%(hours)s hours is more than the %(shift_hours)s hours of shift %(shift)s",
                    hours=entry.hours,
                    shift_hours=shift.hours,
                    shift=shift.shift_id,
                ),
            )
        measured = {o.operation for o in ledger.outputs_of(shift.shift_id)}
        included: set[str] = set()
        for operation in measured:
            norm = ledger.norms.in_force(operation, shift.date)
            included.update(norm.includes if norm else ())
        if entry.operation == ASSIST or entry.operation in measured:
            continue
        if entry.operation in included:
            continue
        allowed = ", ".join(sorted(measured | included | {ASSIST}))
        yield _problem(
            entry,
            "operation",
            f"{entry.operation!r} is not measured in shift {entry.shift_id} "
            f"nor included in a measured operation's norm (allowed: {allowed})",
        )


def _check_credits(ledger: Ledger, scope: set[str]) -> Iterable[Problem]:
    groups: dict[tuple[str, str], list[CrewEntry]] = defaultdict(list)
    for entry in ledger.crew:
        if entry.shift_id in scope:
            groups[(entry.shift_id, entry.operation)].append(entry)
    for (shift_id, operation), entries in groups.items():
        output = ledger.outputs.get((shift_id, operation))
        if output is None:
            yield from _check_unmeasured_credits(entries)
            continue
        given = [e for e in entries if e.credited is not None]
        if not given:
            try:
                split_exact(output.quantity, [e.weight for e in entries])
            except InvalidValue as err:
                yield _problem(entries[0], err.field, err.reason)
            continue
        if len(given) < len(entries):
            for entry in entries:
                if entry.credited is None:
                    yield _problem(
                        entry,
                        "credited",
                        f"credited is given on other rows of {shift_id} {operation}, "
                        "so it must be given on every row",
                    )
            continue
        total = sum((e.credited for e in given if e.credited is not None), Decimal(0))
        if total != output.quantity:
            yield _problem(
                entries[0],
                "credited",
                f"credits of {shift_id} {operation} add up to {total} {output.unit} "
                f"but {output.quantity} {output.unit} was measured",
            )


def _check_unmeasured_credits(entries: list[CrewEntry]) -> Iterable[Problem]:
    """Helpers and assists carry no output of their own: their work is in someone's result."""
    for entry in entries:
        if entry.credited:
            yield _problem(
                entry,
                "credited",
                f"{entry.operation!r} is not measured in this shift, so it cannot carry "
                "credited output; credit the measured operation instead",
            )


def _check_hours_per_date(ledger: Ledger, scope: set[str]) -> Iterable[Problem]:
    dates = {ledger.shifts[s].date for s in scope if s in ledger.shifts}
    dates |= {t.date for t in ledger.time}
    totals: dict[tuple[str, object], Decimal] = defaultdict(Decimal)
    # In ledger order (stored entries first, crew before paid time), so the row that tips the
    # day over is named.
    # A crew line longer than its shift is reported as such, not again as a long day.
    dated: list[tuple[CrewEntry | TimeEntry, object]] = [
        (e, ledger.shifts[e.shift_id].date)
        for e in ledger.crew
        if e.shift_id in ledger.shifts and e.hours <= ledger.shifts[e.shift_id].hours
    ]
    dated += [(t, t.date) for t in ledger.time]
    for entry, date in dated:
        if date not in dates:
            continue
        before = totals[(entry.worker_id, date)]
        totals[(entry.worker_id, date)] = before + entry.hours
        if before <= MAX_HOURS < before + entry.hours:
            yield _problem(
                entry,
                "hours",
                f"worker {entry.worker_id} would work {before + entry.hours} hours on {date}; "
                "at most 24 hours a day",
            )


def _check_time(ledger: Ledger) -> Iterable[Problem]:
    """Paid time names a known worker and an operation some norm knows (or `assist`)."""
    known = ledger.norms.operations() | {ASSIST}
    for entry in ledger.time:
        if entry.worker_id not in ledger.workers:
            yield Problem(
                entry.origin,
                "worker_id",
                say("unknown worker %(id)r%(hint)s", id=entry.worker_id, hint=""),
            )
        if entry.operation not in known:
            yield Problem(
                entry.origin,
                "operation",
                say("unknown operation %(operation)r (not in any norm)", operation=entry.operation),
            )


def _check_faults(ledger: Ledger, scope: set[str]) -> Iterable[Problem]:
    """A fault names a measured output, a worker credited on it, and at most what was rejected."""
    at_fault: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for fault in ledger.faults:
        if fault.shift_id not in scope:
            continue
        output = ledger.outputs.get((fault.shift_id, fault.operation))
        if output is None:
            yield Problem(
                fault.origin,
                "operation",
                f"no output of {fault.operation!r} is measured in shift {fault.shift_id!r}",
            )
            continue
        doers = {
            e.worker_id for e in ledger.crew_of(fault.shift_id) if e.operation == fault.operation
        }
        if fault.worker_id not in doers:
            yield Problem(
                fault.origin,
                "worker_id",
                f"{fault.worker_id!r} is not credited on {fault.operation} in {fault.shift_id}",
            )
        before = at_fault[output.key]
        at_fault[output.key] = before + fault.quantity
        rejected = output.rejected or Decimal(0)
        if before <= rejected < before + fault.quantity:
            yield Problem(
                fault.origin,
                "quantity",
                f"faults of {fault.shift_id} {fault.operation} add up to "
                f"{before + fault.quantity} {output.unit}, more than the {rejected} "
                f"{output.unit} rejected",
            )
