"""What ordinary work reads besides the stored results: the outputs that record rejects and
the results the audit calls impossible, of a period (and of the shifts a unit's workers worked),
and the workers a unit's board names.

Both are few next to the crew rows: an output per shift and operation with a recorded reject,
a finding per implausible figure. The results themselves are read_model.results_frame's rows.
"""

from __future__ import annotations

from sqlalchemy import Connection, select, text

from stakhanov.domain.audit import Decision, FindingKind
from stakhanov.domain.ledger import MeasuredOutput
from stakhanov.domain.periods import Period
from stakhanov.store.ledger import current_query
from stakhanov.store.read_findings import finding_of, status_column, where
from stakhanov.store.read_model_tables import read_findings
from stakhanov.store.records import OUTPUT, WORKERS

# A finding no auditor explained (open, or upheld) keeps its results off ordinary work.
_STANDING = {"open", Decision.UPHELD.value}


def rejected_outputs(
    connection: Connection, period: Period, shifts_sql: str | None = None
) -> list[MeasuredOutput]:
    """The period's current outputs whose rejected quantity is recorded (zero included), of
    the shifts `shifts_sql` selects (None: all)."""
    outputs = OUTPUT.table
    query = current_query(OUTPUT).where(
        outputs.c.rejected.is_not(None),
        outputs.c.shift_date >= period.start,
        outputs.c.shift_date <= period.end,
    )
    if shifts_sql is not None:
        query = query.where(outputs.c.shift_id.in_(text(shifts_sql)))
    found = [OUTPUT.from_row(row) for row in connection.execute(query)]
    return [o for o in found if isinstance(o, MeasuredOutput)]


def doubtful(
    connection: Connection, period: Period, shifts_sql: str | None = None
) -> frozenset[tuple[str, str, str]]:
    """(shift, operation, worker) of every result under a stored implausible finding of the
    period that is open or upheld (services.reviews.doubtful_results, read, not audited)."""
    conditions = where(period.start, period.end, None, [FindingKind.IMPLAUSIBLE.value], None)
    conditions.append(read_findings.c.operation.is_not(None))
    if shifts_sql is not None:
        conditions.append(read_findings.c.shift_id.in_(text(shifts_sql)))
    query = select(read_findings, status_column()).where(*conditions)
    found: set[tuple[str, str, str]] = set()
    for row in connection.execute(query):
        if row.status in _STANDING:
            finding = finding_of(row)
            assert finding.operation is not None
            found |= {(finding.shift_id, finding.operation, w) for w in finding.worker_ids}
    return frozenset(found)


def home_units(connection: Connection) -> list[str]:
    """Every current worker's home unit, once: how deep the organisation's tree goes."""
    query = current_query(WORKERS).with_only_columns(WORKERS.table.c.unit).distinct()
    return list(connection.scalars(query.order_by(None)))
