"""Turning rows of text into domain records, collecting every problem with its file, row, column."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from stakhanov.domain.clock import clock_text, parse_clock
from stakhanov.domain.errors import InvalidValue, Problem, Source
from stakhanov.domain.hours import FORMS, is_written_form, ledger_hours, parse_hours
from stakhanov.domain.incidents import Incident, check_incidents, parse_worker_ids
from stakhanov.domain.ledger import CrewEntry, Ledger, MeasuredOutput
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.periods import parse_date
from stakhanov.domain.plans import PlanTarget
from stakhanov.domain.provenance import Method, Provenance
from stakhanov.domain.quantities import compatible
from stakhanov.domain.rejects import RejectFault
from stakhanov.domain.shifts import Conditions, Shift
from stakhanov.domain.timesheets import IdleCause, TimeEntry, TimeKind
from stakhanov.domain.values import (
    PLAIN_DECIMAL,
    STORED_DIGITS,
    require_hours,
    require_non_negative,
    require_places,
    require_positive,
    require_worked_hours,
)
from stakhanov.domain.wording import Wording, say, say_n
from stakhanov.domain.workers import Worker
from stakhanov.services.tables import RawTable
from stakhanov.services.work_order_files import (
    KTU_COLUMNS,
    KTU_REQUIRED,
    WORK_ORDER_COLUMNS,
    WORK_ORDER_REQUIRED,
    check_participation,
    check_work_orders,
    parse_participation,
    parse_work_order,
)

# Plain ASCII decimal notation, as the README says: Decimal() alone would also take "1_000",
# "Infinity", "1e3", "+10", ".5" and digits of other scripts, which no spreadsheet writes.
_SCIENTIFIC = re.compile(r"[+-]?[0-9.]+[eE][+-]?[0-9]+")
# What the database stores exactly (micro-units in 64 bits): below 10^12, at most 6 decimals.
MAX_MAGNITUDE = STORED_DIGITS


def parse_decimal(text: str, field: str) -> Decimal:
    if "," in text:
        raise InvalidValue(
            field, text, say("use '.' as the decimal point and no thousands separator")
        )
    written = text.strip()
    if not PLAIN_DECIMAL.fullmatch(written):
        if written.lstrip("+-").lower() in ("nan", "snan", "inf", "infinity"):
            raise InvalidValue(field, text, say("is not a finite number"))
        raise InvalidValue(field, text, _not_plain(written))
    value = Decimal(written)
    if value and value.adjusted() >= MAX_MAGNITUDE:
        raise InvalidValue(
            field,
            text,
            say("is too large (at most %(digits)s digits before the point)", digits=MAX_MAGNITUDE),
        )
    require_places(field, value)
    if not value:
        value = value.copy_abs()  # -0 is 0, as PostgreSQL's NUMERIC stores it
    # 1E+1 means 10 written in whole units; keep the written scale otherwise.
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int), "a finite number"
    if exponent > 0:
        value = value.quantize(Decimal(1))
    return value


def parse_hours_text(text: str, field: str) -> Decimal:
    """Decimal hours as written, the decimal of `6h30min`, `6:15`, `1/4`, or the ExactHours of
    `20min`, `1/3` (domain/hours.py), never rounded."""
    if is_written_form(text):
        return ledger_hours(parse_hours(text, field))
    try:
        return parse_decimal(text, field)
    except InvalidValue as err:
        if err.reason != "is not a number":
            raise
        raise InvalidValue(
            field, text, say("is not a number of hours: write %(forms)s", forms=FORMS)
        ) from err


def _not_plain(written: str) -> Wording:
    """Why a number-like text is refused, with the plain form to write instead."""
    if _SCIENTIFIC.fullmatch(written):
        return say("is not a plain decimal: write it without an exponent")
    if written.startswith("+") and PLAIN_DECIMAL.fullmatch(written[1:]):
        return say("is not a plain decimal: write it without '+'")
    if re.fullmatch(r"-?(\.[0-9]+|[0-9]+\.)", written):
        return say("is not a plain decimal: write a digit on both sides of the point (0.5, 6)")
    return say("is not a number")


@dataclass
class Row:
    """One row's cells by column name; getters record problems instead of raising."""

    table: RawTable
    number: int
    cells: dict[str, str]
    problems: list[Problem] = field(default_factory=list)

    @property
    def source(self) -> Source:
        return self.table.source(self.number)

    def text(self, column: str, required: bool = False) -> str | None:
        value = self.cells.get(column, "")
        if value == "":
            if required:
                self.problems.append(Problem(self.source, column, say("is required")))
            return None
        return value

    def convert(self, column: str, parse: Callable[[str], Any], required: bool = False) -> Any:
        value = self.text(column, required)
        if value is None:
            return None
        try:
            return parse(value)
        except InvalidValue as err:
            self.problems.append(Problem(self.source, column, err.reason))
        except ValueError as err:
            self.problems.append(Problem(self.source, column, str(err)))
        return None

    def number_(
        self,
        column: str,
        required: bool = False,
        check: Callable[[str, Decimal], Decimal] | None = None,
    ) -> Decimal | None:
        """A number, checked on its own so that one row reports all its bad cells."""

        def parse(text: str) -> Decimal:
            value = parse_decimal(text, column)
            return check(column, value) if check else value

        parsed: Decimal | None = self.convert(column, parse, required)
        return parsed

    def hours_(
        self,
        column: str,
        required: bool = False,
        check: Callable[[str, Decimal], Decimal] | None = None,
    ) -> Decimal | None:
        """Hours in any form of the grammar (domain/hours.py): decimal hours as before, minutes
        and fractions exactly (ExactHours where no six-place decimal holds them)."""

        def parse(text: str) -> Decimal:
            value = parse_hours_text(text, column)
            return check(column, value) if check else value

        parsed: Decimal | None = self.convert(column, parse, required)
        return parsed

    def choice(self, column: str, enum: type[Any], default: Any = None) -> Any:
        options = ", ".join(e.value for e in enum)
        value = self.convert(column, lambda t: _enum(enum, t, options))
        return default if value is None and self.text(column) is None else value


def _enum(enum: type[Any], text: str, options: str) -> Any:
    try:
        return enum(text.strip().lower())
    except ValueError as err:
        raise InvalidValue(
            "value", text, say("must be one of: %(options)s", options=options)
        ) from err


def _worker(row: Row) -> Worker | None:
    values = (row.text("worker_id", True), row.text("name", True), row.text("unit", True))
    if None in values:
        return None
    return Worker(*values, row.text("trade"), row.text("grade"), origin=row.source)  # type: ignore[arg-type]


def _norm(row: Row) -> Norm | None:
    kind = row.choice("kind", NormKind)
    if row.text("kind") is None:
        row.problems.append(Problem(row.source, "kind", say("is required (output or time)")))
    includes_text = row.text("includes") or ""
    includes = tuple(part.strip() for part in includes_text.split(";") if part.strip())
    values = {
        "operation": row.text("operation", True),
        "unit": row.text("unit", True),
        "kind": kind,
        "norm": row.number_("norm", True, require_positive),
        "norm_hours": row.number_("norm_hours", check=require_positive),
        "effective_from": row.convert("effective_from", parse_date, True),
        "includes": includes,
        "max_rate": row.number_("max_rate", check=require_positive),
        "method": row.text("method"),
        "source": row.text("source"),
    }
    if any(values[k] is None for k in ("operation", "unit", "kind", "norm", "effective_from")):
        return None
    return Norm(**values, origin=row.source)


def _shift(row: Row) -> Shift | None:
    values = (
        row.text("shift_id", True),
        row.convert("date", parse_date, True),
        row.hours_("hours", True, require_hours),
        row.text("workplace", True),
    )
    conditions = row.choice("conditions", Conditions, Conditions.STANDARD)
    resources = _names(row, "resources")
    clock = (row.convert("start_time", _clock), row.convert("end_time", _clock))
    if None in values or conditions is None or resources is None or row.problems:
        return None
    note = row.text("note")
    return Shift(*values, conditions, note, resources, *clock, origin=row.source)  # type: ignore[arg-type]


def _clock(text: str) -> str:
    return clock_text(parse_clock(text, "time"))


def _names(row: Row, column: str) -> tuple[str, ...] | None:
    """A `;`-separated list of names, each once (None, with a problem, when one repeats)."""
    parts = tuple(p.strip() for p in (row.text(column) or "").split(";") if p.strip())
    repeated = sorted({p for p in parts if parts.count(p) > 1})
    if repeated:
        row.problems.append(
            Problem(
                row.source, column, say("names %(repeated)s twice", repeated=", ".join(repeated))
            )
        )
        return None
    return parts


def _output(row: Row) -> MeasuredOutput | None:
    values = (
        row.text("shift_id", True),
        row.text("operation", True),
        row.number_("quantity", True, require_non_negative),
        row.text("unit", True),
    )
    rejected = row.number_("rejected", check=require_non_negative)
    if None in values:
        return None
    return MeasuredOutput(*values, rejected, origin=row.source)  # type: ignore[arg-type]


def _crew(row: Row) -> CrewEntry | None:
    values = (
        row.text("shift_id", True),
        row.text("worker_id", True),
        row.text("operation", True),
        row.hours_("hours", True, require_worked_hours),
    )
    credited = row.number_("credited", check=require_non_negative)
    coefficient = row.number_("coefficient", check=require_non_negative)
    if None in values:
        return None
    return CrewEntry(*values, credited, coefficient, origin=row.source)  # type: ignore[arg-type]


def _incident(row: Row) -> Incident | None:
    values = (
        row.text("incident_id", True),
        row.convert("date", parse_date, True),
        row.text("shift_id"),
        row.convert("worker_ids", parse_worker_ids, True),
        row.text("severity", True),
    )
    if any(v is None for i, v in enumerate(values) if i != 2):
        return None
    return Incident(*values, row.text("description"), origin=row.source)  # type: ignore[arg-type]


def _whole(text: str) -> int:
    value = parse_decimal(text, "observations")
    if value != value.to_integral_value() or value < 1:
        raise InvalidValue("observations", text, say("must be a whole number of at least 1"))
    return int(value)


def _provenance(row: Row) -> Provenance | None:
    values = {
        "operation": row.text("operation", True),
        "effective_from": row.convert("effective_from", parse_date, True),
        "method": row.convert("method", Method.parse, True),
        "observations": row.convert("observations", _whole),
        "pace_rating": row.number_("pace_rating", check=require_positive),
        "allowances": row.number_("allowances", check=require_non_negative),
        "evidence": row.text("evidence"),
        "approved_by": row.text("approved_by"),
    }
    if any(values[k] is None for k in ("operation", "effective_from", "method")):
        return None
    return Provenance(**values, origin=row.source)


def _plan(row: Row) -> PlanTarget | None:
    values = (
        row.text("unit", True),
        row.text("operation", True),
        row.convert("period_start", parse_date, True),
        row.convert("period_end", parse_date, True),
        row.number_("target", True, require_positive),
        row.text("unit_of_measure", True),
    )
    if None in values:
        return None
    return PlanTarget(*values, origin=row.source)  # type: ignore[arg-type]


Checker = Callable[[list[Any], Ledger, set[str]], list[Problem]]
"""Checks new records of a file against the combined ledger and the known units."""


def _check_incidents(records: list[Any], ledger: Ledger, _units: set[str]) -> list[Problem]:
    return check_incidents(records, ledger)


def _check_provenance(records: list[Any], ledger: Ledger, _units: set[str]) -> list[Problem]:
    problems = []
    for record in records:
        versions = {n.effective_from for n in ledger.norms.versions(record.operation)}
        if record.effective_from not in versions:
            problems.append(
                Problem(
                    record.origin,
                    "effective_from",
                    say(
                        "no %(operation)s norm takes effect on %(date)s",
                        operation=record.operation,
                        date=str(record.effective_from),
                    ),
                )
            )
    return problems


def _check_plans(records: list[Any], ledger: Ledger, units: set[str]) -> list[Problem]:
    problems = []
    for record in records:
        if record.unit not in units:
            problems.append(
                Problem(record.origin, "unit", say("unknown unit %(unit)r", unit=record.unit))
            )
        norm_unit = ledger.norms.unit_of(record.operation)
        if record.operation not in ledger.norms.operations():
            problems.append(
                Problem(
                    record.origin,
                    "operation",
                    say(
                        "unknown operation %(operation)r (not in any norm)",
                        operation=record.operation,
                    ),
                )
            )
        elif norm_unit and not compatible(record.unit_of_measure, norm_unit):
            problems.append(
                Problem(
                    record.origin,
                    "unit_of_measure",
                    say(
                        "%(unit)r is not compatible with %(norm_unit)r, the unit of the "
                        "%(operation)s norm",
                        unit=record.unit_of_measure,
                        norm_unit=norm_unit,
                        operation=record.operation,
                    ),
                )
            )
    return problems


@dataclass(frozen=True)
class FileFormat:
    """A file of import format v1: its columns, which are required, and its row parser."""

    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    parse: Callable[[Row], Any]
    check: Checker | None = None


FORMATS = {
    f.name: f
    for f in (
        FileFormat(
            "workers.csv",
            ("worker_id", "name", "unit", "trade", "grade"),
            ("worker_id", "name", "unit"),
            _worker,
        ),
        FileFormat(
            "norms.csv",
            (
                "operation",
                "unit",
                "kind",
                "norm",
                "norm_hours",
                "includes",
                "max_rate",
                "effective_from",
                "method",
                "source",
            ),
            ("operation", "unit", "kind", "norm", "effective_from"),
            _norm,
        ),
        FileFormat(
            "shifts.csv",
            (
                "shift_id",
                "date",
                "hours",
                "workplace",
                "conditions",
                "note",
                "resources",
                "start_time",
                "end_time",
            ),
            ("shift_id", "date", "hours", "workplace"),
            _shift,
        ),
        FileFormat(
            "output.csv",
            ("shift_id", "operation", "quantity", "unit", "rejected"),
            ("shift_id", "operation", "quantity", "unit"),
            _output,
        ),
        FileFormat(
            "crew.csv",
            ("shift_id", "worker_id", "operation", "hours", "credited", "coefficient"),
            ("shift_id", "worker_id", "operation", "hours"),
            _crew,
        ),
        FileFormat(
            "provenance.csv",
            (
                "operation",
                "effective_from",
                "method",
                "observations",
                "pace_rating",
                "allowances",
                "evidence",
                "approved_by",
            ),
            ("operation", "effective_from", "method"),
            _provenance,
            _check_provenance,
        ),
        FileFormat(
            "plans.csv",
            ("unit", "operation", "period_start", "period_end", "target", "unit_of_measure"),
            ("unit", "operation", "period_start", "period_end", "target", "unit_of_measure"),
            _plan,
            _check_plans,
        ),
        FileFormat(
            "incidents.csv",
            ("incident_id", "date", "shift_id", "worker_ids", "severity", "description"),
            ("incident_id", "date", "worker_ids", "severity"),
            _incident,
            _check_incidents,
        ),
    )
}


def _time(row: Row) -> TimeEntry | None:
    values = (
        row.text("worker_id", True),
        row.convert("date", parse_date, True),
        row.choice("kind", TimeKind),
        row.text("operation", True),
        row.hours_("hours", True, require_hours),
    )
    if row.text("kind") is None:
        row.problems.append(
            Problem(row.source, "kind", say("is required (idle, rest, nonproductive, hourly)"))
        )
    cause = row.choice("cause", IdleCause)
    if cause is not None and values[2] is not TimeKind.IDLE:
        row.problems.append(Problem(row.source, "cause", say("is given for idle time only")))
        return None
    if None in values:
        return None
    return TimeEntry(*values, row.text("note"), cause, origin=row.source)  # type: ignore[arg-type]


def _reject(row: Row) -> RejectFault | None:
    values = (
        row.text("shift_id", True),
        row.text("operation", True),
        row.text("worker_id", True),
        row.number_("quantity", True, require_positive),
    )
    if None in values:
        return None
    return RejectFault(*values, row.text("note"), origin=row.source)  # type: ignore[arg-type]


# Inputs of pay (docs/payroll.md): paid time that is not output, and whose fault a rejection was.
FORMATS |= {
    f.name: f
    for f in (
        FileFormat(
            "time.csv",
            ("worker_id", "date", "kind", "operation", "hours", "note", "cause"),
            ("worker_id", "date", "kind", "operation", "hours"),
            _time,
        ),
        FileFormat(
            "rejects.csv",
            ("shift_id", "operation", "worker_id", "quantity", "note"),
            ("shift_id", "operation", "worker_id", "quantity"),
            _reject,
        ),
    )
}


# Brigade work orders and their members' KTU (docs/work-orders.md).
FORMATS |= {
    f.name: f
    for f in (
        FileFormat(
            "work_orders.csv",
            WORK_ORDER_COLUMNS,
            WORK_ORDER_REQUIRED,
            parse_work_order,
            check_work_orders,
        ),
        FileFormat("ktu.csv", KTU_COLUMNS, KTU_REQUIRED, parse_participation, check_participation),
    )
}


def _separator(header: str) -> str | None:
    """The separator a one-column header was written with instead of commas, if any."""
    return next((c for c in ";\t|" if c in header), None)


def check_header(table: RawTable, fmt: FileFormat) -> list[Problem]:
    at = table.source(table.header_row)
    problems = []
    if len(table.header) == 1 and (separator := _separator(table.header[0])):
        return [
            Problem(
                at,
                "-",
                say(
                    "the header is one column; columns are separated by commas, not %(found)r",
                    found=separator,
                ),
            )
        ]
    seen: set[str] = set()
    for column in table.header:
        if column in seen:
            problems.append(Problem(at, column, say("column appears twice")))
        elif column not in fmt.columns:
            problems.append(
                Problem(
                    at,
                    column or "-",
                    say(
                        "unknown column; %(file)s has %(columns)s",
                        file=fmt.name,
                        columns=", ".join(fmt.columns),
                    ),
                )
            )
        seen.add(column)
    for column in fmt.required:
        if column not in seen:
            problems.append(Problem(at, column, say("required column is missing")))
    return problems


# C0 controls other than tab and line ends: no spreadsheet types them, and PostgreSQL refuses NUL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_table(table: RawTable, fmt: FileFormat) -> tuple[list[Any], list[Problem]]:
    """Parse every row; a row with any problem yields no record but all its problems."""
    problems = check_header(table, fmt)
    if problems:
        return [], problems
    records = []
    for number, cells in table.rows:
        row = Row(table, number, dict(zip(table.header, cells, strict=False)))
        if len(cells) != len(table.header):
            row.problems.append(
                Problem(
                    row.source,
                    "-",
                    say_n(
                        "%(count)d cell but the header has %(header)d",
                        "%(count)d cells but the header has %(header)d",
                        len(cells),
                        header=len(table.header),
                    ),
                )
            )
        if len(cells) < len(table.header):  # refused as written, not padded and read on
            problems += row.problems
            continue
        row.problems += [
            Problem(row.source, column, say("contains a control character (such as NUL)"))
            for column, value in row.cells.items()
            if _CONTROL.search(value)
        ]
        try:
            record = fmt.parse(row)
        except InvalidValue as err:
            row.problems.append(Problem(row.source, err.field, err.reason))
            record = None
        problems += row.problems
        if record is not None and not row.problems:
            records.append(record)
    return records, problems
