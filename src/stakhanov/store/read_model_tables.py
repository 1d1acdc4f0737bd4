"""The read model: each result a write decides, kept derived so that pages read what they show.

Not a ledger table: rows are replaced whenever the ledger entries they derive from change, in
the same transaction. Numbers are text: a decimal keeps its written scale (the sums print it),
and a rational is an exact integer numerator and denominator of any length, never a float.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, Column, Date, Index, Integer, String, Table, Text

from stakhanov.store.schema import LEDGER_TABLES, metadata, shift_entries

read_results = Table(
    "read_results",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("shift_id", String(100), nullable=False),
    Column("date", Date, nullable=False),
    Column("worker_id", String(100), nullable=False),
    Column("home", String(500), nullable=False),  # the worker's home unit path
    Column("operation", String(200), nullable=False),
    Column("hours", Text, nullable=False),
    Column("output", Text, nullable=False),
    Column("unit", String(50), nullable=True),
    Column("norm_output_num", Text, nullable=True),
    Column("norm_output_den", Text, nullable=True),
    Column("earned_num", Text, nullable=True),
    Column("earned_den", Text, nullable=True),
    Column("fair_num", Text, nullable=True),
    Column("fair_den", Text, nullable=True),
    Column("assisted", Boolean, nullable=False),
    Column("pooled", Boolean, nullable=False),
    Column("prepared", Boolean, nullable=False),
    Index("ix_read_results_shift_id", "shift_id"),
    Index("ix_read_results_worker_id_date", "worker_id", "date"),
    Index("ix_read_results_home_date", "home", "date"),
    Index("ix_read_results_date", "date"),
)

# What a batch wrote is found by its batch_id when the read model is refreshed.
for _table in LEDGER_TABLES:
    Index(f"ix_{_table.name}_batch_id", _table.c.batch_id)
# The audit queue reads the shifts at the workplaces in a person's scope.
Index("ix_shift_entries_workplace_date", shift_entries.c.workplace, shift_entries.c.date)


def _sum_columns() -> list[Column[Any]]:
    """The exact sums a worker's or a home's row holds: decimals as text at the longest scale
    written, ratios as numerator and denominator text (NULL: no normed result)."""
    ratios = ("norm_output", "earned", "fair")
    return [
        Column("hours", Text, nullable=False),
        Column("output", Text, nullable=False),
        Column("normed_hours", Text, nullable=False),
        *(Column(f"{r}_{part}", Text, nullable=True) for r in ratios for part in ("num", "den")),
    ]


def _worker_sums(name: str, when: str, *indexes: Index) -> Table:
    """Exact sums per worker (with his home unit), operation and unit of measure over a month
    or a day (`when`, its first day or the day): fractions as numerator and denominator text."""
    return Table(
        name,
        metadata,
        Column("row_id", Integer, primary_key=True, autoincrement=True),
        Column(when, Date, nullable=False),
        Column("worker_id", String(100), nullable=False),
        Column("home", String(500), nullable=False),
        Column("operation", String(200), nullable=False),
        Column("unit", String(50), nullable=True),
        Column("shifts", Integer, nullable=False),
        *_sum_columns(),
        *indexes,
    )


# Per month sums, kept with read_results in the same transaction (decision 0573). A page that
# shows units or workers reads these, so it costs what it shows, not the month's crew rows.
read_months = _worker_sums(
    "read_months",
    "month",
    Index("ix_read_months_month_home", "month", "home"),
    Index("ix_read_months_worker_id_month", "worker_id", "month"),
    Index("ix_read_months_home_month", "home", "month"),  # a unit's workers, any months
)

# Distinct shifts per month, unit (every ancestor of a home) and operation: a unit's shift
# count is not the sum of its workers' (a shift counts once however many of them worked it).
read_unit_shifts = Table(
    "read_unit_shifts",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("month", Date, nullable=False),
    Column("unit_path", String(500), nullable=False),
    Column("operation", String(200), nullable=False),
    Column("unit", String(50), nullable=True),
    Column("shifts", Integer, nullable=False),
    Index("ix_read_unit_shifts_month_unit_path", "month", "unit_path"),
)

# The audit's findings of every shift, kept when its results are (decision 0574): the audit
# queue filters, sorts, counts and pages them in SQL. Review status is joined when read.
read_findings = Table(
    "read_findings",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("shift_id", String(100), nullable=False),
    Column("date", Date, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("kind_order", Integer, nullable=False),  # the audit's order of checks
    Column("operation", String(200), nullable=True),
    Column("workers", Text, nullable=False),  # ",A,B,": a worker is found as ",A,"
    Column("message", Text, nullable=False),
    Column("workplace", String(500), nullable=True),  # the shift's, when the finding was kept
    Index("ix_read_findings_shift_id", "shift_id"),
    Index("ix_read_findings_date", "date"),
)

# Sums per day and home unit of normed results (decision 0596), a row for every day and home
# with a result: the daily trend of a unit or the enterprise reads a row per day and home.
read_days = Table(
    "read_days",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("date", Date, nullable=False),
    Column("home", String(500), nullable=False),
    Column("hours", Text, nullable=False),  # of normed results, at the longest scale written
    Column("earned_num", Text, nullable=True),  # NULL: no normed result that day
    Column("earned_den", Text, nullable=True),
    Column("fair_num", Text, nullable=True),
    Column("fair_den", Text, nullable=True),
    Index("ix_read_days_date_home", "date", "home"),
    Index("ix_read_days_home_date", "home", "date"),
)

# Measured output per day, workplace, operation and unit of measure (decision 0596): the plans'
# actuals read these instead of the period's shifts and crews.
read_output_days = Table(
    "read_output_days",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("date", Date, nullable=False),
    Column("workplace", String(500), nullable=False),
    Column("operation", String(200), nullable=False),
    Column("unit", String(50), nullable=False),
    Column("quantity", Text, nullable=False),  # the exact sum, at the longest scale written
    Index("ix_read_output_days_date_workplace", "date", "workplace"),
)

# Sums per day, worker (with the home unit), operation and unit of measure (decision 0599):
# read_months at the grain of a day, so that fulfilment of the days around whole months, or of
# a period inside one month, reads sums, never rows. Same exact text columns as read_months.
read_worker_days = _worker_sums(
    "read_worker_days",
    "date",
    Index("ix_read_worker_days_date_home", "date", "home"),
    Index("ix_read_worker_days_home_date", "home", "date"),
    Index("ix_read_worker_days_worker_id_date", "worker_id", "date"),
)

# Distinct shifts per day, unit (every ancestor of a home), operation and unit of measure: a
# shift has one date, so a period's count is the sum of its days' counts, exactly.
read_unit_day_shifts = Table(
    "read_unit_day_shifts",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("date", Date, nullable=False),
    Column("unit_path", String(500), nullable=False),
    Column("operation", String(200), nullable=False),
    Column("unit", String(50), nullable=True),
    Column("shifts", Integer, nullable=False),
    Index("ix_read_unit_day_shifts_unit_path_date", "unit_path", "date"),
)


def _home_sums(name: str, when: str, *indexes: Index) -> Table:
    """Exact sums per home unit (a brigade), operation and unit of measure over a month or a
    day (`when`): the worker sums of every worker at home there added up, without a shift
    count (a unit's distinct shifts are read_unit_shifts'). Fractions as numerator and
    denominator text, decimals at the longest scale of their terms."""
    return Table(
        name,
        metadata,
        Column("row_id", Integer, primary_key=True, autoincrement=True),
        Column(when, Date, nullable=False),
        Column("home", String(500), nullable=False),
        Column("operation", String(200), nullable=False),
        Column("unit", String(50), nullable=True),
        *_sum_columns(),
        *indexes,
    )


# Sums per month (and per day) and home unit (decision 0881), kept with read_months and
# read_worker_days in the same transaction: what the director sees by unit (fulfilment, unit
# totals, a week) reads a row per brigade, not per worker.
read_home_months = _home_sums(
    "read_home_months",
    "month",
    Index("ix_read_home_months_month_home", "month", "home"),
    Index("ix_read_home_months_home_month", "home", "month"),
)
read_home_days = _home_sums(
    "read_home_days",
    "date",
    Index("ix_read_home_days_date_home", "date", "home"),
    Index("ix_read_home_days_home_date", "home", "date"),
)


def _sort_keys(*names: str) -> list[Column[Any]]:
    """Integer keys a page sorts by in SQL, never shown: a percentage in tenths (as every
    report rounds it), hours and output in thousandths, floored. NULL: no value."""
    return [Column(f"{name}_key", BigInteger, nullable=True) for name in names]


# Sums per month, unit (every ancestor of a home, decision 0898), operation and unit of
# measure, kept by adding each home sum's change to the units above it, in the same
# transaction: the overview pages, searches and sorts the units in SQL, a row each.
# `homes` counts the home sums inside, `normed_homes` those with a norm (none: no ratios).
read_unit_months = Table(
    "read_unit_months",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("month", Date, nullable=False),
    Column("unit_path", String(500), nullable=False),
    Column("operation", String(200), nullable=False),
    Column("unit", String(50), nullable=True),
    Column("homes", Integer, nullable=False),
    Column("normed_homes", Integer, nullable=False),
    *_sum_columns(),
    *_sort_keys("hours", "output", "percent", "fair_percent"),
    Index("ix_read_unit_months_month_unit_path", "month", "unit_path"),
)


def _unit_totals(name: str, when: str, index: Index) -> Table:
    """Normed hours, earned and fair standard hours of every unit over all its operations, per
    month or day (`when`), with the sort keys of the percentages and the hours."""
    return Table(
        name,
        metadata,
        Column("row_id", Integer, primary_key=True, autoincrement=True),
        Column(when, Date, nullable=False),
        Column("unit_path", String(500), nullable=False),
        Column("homes", Integer, nullable=False),
        Column("hours", Text, nullable=False),
        *(
            Column(f"{r}_{part}", Text, nullable=False)
            for r in ("earned", "fair")
            for part in ("num", "den")
        ),
        *_sort_keys("hours", "percent", "fair_percent"),
        index,
    )


read_unit_totals = _unit_totals(
    "read_unit_totals", "month", Index("ix_read_unit_totals_month_unit_path", "month", "unit_path")
)
read_unit_total_days = _unit_totals(
    "read_unit_total_days",
    "date",
    Index("ix_read_unit_total_days_unit_path_date", "unit_path", "date"),
)


# Findings per month, kind and unit (every unit above the shift's workplace, and '' for
# everywhere), kept by what a write changed (decision 0898): the overview's tiles count a row
# per kind, however many findings the month holds.
read_finding_counts = Table(
    "read_finding_counts",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("month", Date, nullable=False),
    Column("unit_path", String(500), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("findings", Integer, nullable=False),
    Index("ix_read_finding_counts_month_unit_path", "month", "unit_path"),
)

# Ordinary work (normed results of standard shifts) per month, worker (with his home unit) and
# operation, '' for all his operations (decision 0899): what a whole-month honour board ranks,
# a row per worker and operation. Kept when the worker-month is summed again; doubtful results
# (a review may change them at any time) are not left out here but when read.
read_ordinary_months = Table(
    "read_ordinary_months",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("month", Date, nullable=False),
    Column("worker_id", String(100), nullable=False),
    Column("home", String(500), nullable=False),
    Column("operation", String(200), nullable=False),
    Column("results", Integer, nullable=False),
    Column("shifts", Integer, nullable=False),  # distinct
    Column("checked", Integer, nullable=False),
    Column("hours", Text, nullable=False),
    *(
        Column(f"{r}_{part}", Text, nullable=False)
        for r in ("earned", "fair", "rejected")
        for part in ("num", "den")
    ),
    Index("ix_read_ordinary_months_month_home", "month", "home"),
    Index("ix_read_ordinary_months_worker_id_month", "worker_id", "month"),
)

# Distinct shifts of ordinary work per month, home unit and operation ('' for all): a team's
# shifts on the board, where a shift two members worked counts once.
read_ordinary_shifts = Table(
    "read_ordinary_shifts",
    metadata,
    Column("row_id", Integer, primary_key=True, autoincrement=True),
    Column("month", Date, nullable=False),
    Column("home", String(500), nullable=False),
    Column("operation", String(200), nullable=False),
    Column("shifts", Integer, nullable=False),
    Index("ix_read_ordinary_shifts_month_home", "month", "home"),
)

# PostgreSQL's indexes of unit paths in collation "C" (decision 0896, migration 0049), where
# a subtree is a range of bytes; mapped nowhere, as SQLAlchemy reflects them without it.
BYTE_ORDER_INDEXES = (
    "ix_worker_entries_unit_c",
    "ix_read_unit_shifts_month_unit_path_c",
    "ix_read_unit_day_shifts_unit_path_c_date",
    "ix_units_path_c",
    "ix_read_unit_months_month_unit_path_c",
    "ix_read_unit_totals_month_unit_path_c",
    "ix_read_unit_total_days_unit_path_c_date",
)

# The audit queue's indexes in its orders and of the findings' workplaces (decision 0901,
# migration 0051), on both databases; mapped nowhere, as SQLAlchemy reflects neither the
# collation "C" nor the order of nulls.
QUEUE_INDEXES = (
    "ix_read_findings_queue_date",
    "ix_read_findings_queue_kind",
    "ix_read_findings_queue_shift",
    "ix_read_findings_workplace",
)

# Every table of the read model: a large write refreshes their statistics with the ledger's,
# for PostgreSQL's planner, whose autovacuum may be off (decision 0896).
READ_TABLES = (
    read_results,
    read_months,
    read_unit_shifts,
    read_findings,
    read_days,
    read_output_days,
    read_worker_days,
    read_unit_day_shifts,
    read_home_months,
    read_home_days,
    read_unit_months,
    read_unit_totals,
    read_unit_total_days,
    read_finding_counts,
    read_ordinary_months,
    read_ordinary_shifts,
)
