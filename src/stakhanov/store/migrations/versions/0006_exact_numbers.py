"""Exact numbers the database can compute with: every decimal column at a fixed scale of six.

SQLite held the Decimal's text (which SUM cannot add exactly) and PostgreSQL an unscaled NUMERIC.
Now SQLite holds integer micro-units (value x 10^6) and PostgreSQL NUMERIC(30, 6). Where the
written scale matters it moves to a `<column>_places` column: an output quantity (50 splits
into units, 50.0 into tenths), a plan target (split the same way), locked pay figures and award
amounts (money keeps its cents). A stored value that six decimals cannot hold exactly stops the
migration with its table, row and column: nothing is rounded.

SQLite rebuilds a table to change a column's type, dropping it while other tables refer to it:
`stakhanov.store.db.upgrade` runs migrations there with foreign keys off and checks every key
before it commits.

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, NoReturn

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

PLACES = 6
LIMIT = Decimal(10) ** 12  # micro-units of anything larger would not fit in 64 bits

COLUMNS = {
    "norm_entries": ("norm", "norm_hours", "max_rate"),
    "shift_entries": ("hours",),
    "output_entries": ("quantity", "rejected"),
    "crew_entries": ("hours", "credited", "coefficient"),
    "time_entries": ("hours",),
    "reject_fault_entries": ("quantity",),
    "pay_periods": ("gross", "net"),
    "pay_slips": ("gross", "deducted", "net"),
    "pay_lines": ("quantity", "rate", "amount"),
    "provenance_entries": ("pace_rating", "allowances"),
    "plan_entries": ("target",),
    "norm_revisions": ("proposed_norm",),
    "awards": ("amount",),
}
NULLABLE = {
    ("norm_entries", "norm_hours"),
    ("norm_entries", "max_rate"),
    ("output_entries", "rejected"),
    ("crew_entries", "credited"),
    ("crew_entries", "coefficient"),
    ("provenance_entries", "pace_rating"),
    ("provenance_entries", "allowances"),
    ("awards", "amount"),
}
# Columns whose written scale is kept beside them; the awards' amount may be empty.
KEPT = {
    "output_entries": ("quantity",),
    "plan_entries": ("target",),
    "pay_periods": ("gross", "net"),
    "pay_slips": ("gross", "deducted", "net"),
    "pay_lines": ("quantity", "rate", "amount"),
    "awards": ("amount",),
}
KEYS = {
    "pay_periods": "period_id",
    "pay_slips": "slip_id",
    "pay_lines": "line_id",
    "norm_revisions": "revision_id",
    "awards": "award_id",
}


def _key(table: str) -> str:
    return KEYS.get(table, "entry_id")


def _nullable(table: str, column: str) -> bool:
    return (table, column) in NULLABLE


def _refuse(table: str, key: Any, column: str, value: Any) -> NoReturn:
    raise ValueError(
        f"{table} row {_key(table)}={key}, column {column}: {value} cannot be stored exactly "
        f"at {PLACES} decimal places (below 10^12); correct it, then upgrade again"
    )


def _micro(table: str, key: Any, column: str, text: str) -> tuple[int, int]:
    """The micro-units and written places of a stored text, computed exactly."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        _refuse(table, key, column, repr(text))
    exponent = value.as_tuple().exponent
    scaled = value.scaleb(PLACES) if value.is_finite() else value
    if not value.is_finite() or abs(value) >= LIMIT or scaled != scaled.to_integral_value():
        _refuse(table, key, column, text)
    assert isinstance(exponent, int)
    return int(scaled), max(0, -exponent)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, columns in COLUMNS.items():
        kept = KEPT.get(table, ())
        for column in kept:
            op.add_column(table, sa.Column(f"{column}_places", sa.SmallInteger, nullable=True))
        (_postgres_upgrade if postgres else _sqlite_upgrade)(table, columns, kept)


def _postgres_upgrade(table: str, columns: tuple[str, ...], kept: tuple[str, ...]) -> None:
    bind = op.get_bind()
    key = _key(table)
    for column in columns:
        wrong = bind.exec_driver_sql(
            f"SELECT {key}, {column}::text FROM {table} WHERE {column} <> round({column}, "
            f"{PLACES}) OR abs({column}) >= {LIMIT} ORDER BY {key} LIMIT 1"
        ).first()
        if wrong is not None:
            _refuse(table, wrong[0], column, wrong[1])
    if kept:
        # The ledger refuses edits by triggers; filling the new columns is not an edit.
        op.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        sets = ", ".join(f"{c}_places = scale({c})" for c in kept)
        op.execute(f"UPDATE {table} SET {sets}")
        op.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    for column in columns:
        op.alter_column(
            table,
            column,
            type_=sa.Numeric(30, PLACES),
            existing_type=sa.Numeric(),
            existing_nullable=_nullable(table, column),
        )
    for column in kept:
        _places_required(op, table, column)


def _places_required(target: Any, table: str, column: str) -> None:
    """A kept scale is required where its value is (`target`: op, or a batch on SQLite)."""
    if not _nullable(table, column):
        args = (table,) if target is op else ()
        target.alter_column(
            *args, f"{column}_places", existing_type=sa.SmallInteger, nullable=False
        )


def _sqlite_triggers(table: str) -> list[str]:
    bind = op.get_bind()
    found = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?", (table,)
    ).all()
    for name, _ in found:
        op.execute(f"DROP TRIGGER {name}")
    return [sql for _, sql in found]


def _sqlite_rows(table: str, columns: Iterable[str]) -> list[tuple[Any, ...]]:
    names = ", ".join(columns)
    return list(op.get_bind().exec_driver_sql(f"SELECT {_key(table)}, {names} FROM {table}"))


def _sqlite_upgrade(table: str, columns: tuple[str, ...], kept: tuple[str, ...]) -> None:
    """Text to micro-units in Python (exact), then the columns become integers."""
    triggers = _sqlite_triggers(table)
    updates = []
    for key, *texts in _sqlite_rows(table, columns):
        row: dict[str, Any] = {"key": key}
        for column, text in zip(columns, texts, strict=True):
            if text is None:
                row[column] = None
                if column in kept:
                    row[f"{column}_places"] = None
                continue
            row[column], places = _micro(table, key, column, str(text))
            if column in kept:
                row[f"{column}_places"] = places
        updates.append(row)
    if updates:
        names = [*columns, *(f"{c}_places" for c in kept)]
        sets = ", ".join(f"{name} = :{name}" for name in names)
        op.get_bind().execute(
            sa.text(f"UPDATE {table} SET {sets} WHERE {_key(table)} = :key"), updates
        )
    # The integers are now held as their text; the rebuilt columns cast them to integers.
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.alter_column(
                column,
                type_=sa.BigInteger(),
                existing_type=sa.String(40),
                existing_nullable=_nullable(table, column),
            )
        for column in kept:
            _places_required(batch, table, column)
    for sql in triggers:
        op.execute(sql)


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for table, columns in COLUMNS.items():
        kept = KEPT.get(table, ())
        (_postgres_downgrade if postgres else _sqlite_downgrade)(table, columns, kept)


def _postgres_downgrade(table: str, columns: tuple[str, ...], kept: tuple[str, ...]) -> None:
    for column in columns:
        op.alter_column(
            table,
            column,
            type_=sa.Numeric(),
            existing_type=sa.Numeric(30, PLACES),
            existing_nullable=_nullable(table, column),
        )
    op.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    sets = [
        f"{c} = round({c}, {c}_places)" if c in kept else f"{c} = trim_scale({c})" for c in columns
    ]
    op.execute(f"UPDATE {table} SET {', '.join(sets)}")
    op.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    for column in kept:
        op.drop_column(table, f"{column}_places")


def _sqlite_downgrade(table: str, columns: tuple[str, ...], kept: tuple[str, ...]) -> None:
    triggers = _sqlite_triggers(table)
    names = [*columns, *(f"{c}_places" for c in kept)]
    rows = _sqlite_rows(table, names)
    with op.batch_alter_table(table) as batch:
        for column in columns:
            batch.alter_column(
                column,
                type_=sa.String(40),
                existing_type=sa.BigInteger(),
                existing_nullable=_nullable(table, column),
            )
        for column in kept:
            batch.drop_column(f"{column}_places")
    updates = []
    for key, *values in rows:
        stored = dict(zip(names, values, strict=True))
        row: dict[str, Any] = {"key": key}
        for column in columns:
            micro = stored[column]
            if micro is None:
                row[column] = None
                continue
            value = Decimal(int(micro)).scaleb(-PLACES)
            places = stored.get(f"{column}_places")
            value = (
                value.normalize() if places is None else value.quantize(Decimal(1).scaleb(-places))
            )
            row[column] = format(value, "f")
        updates.append(row)
    if updates:
        sets = ", ".join(f"{c} = :{c}" for c in columns)
        op.get_bind().execute(
            sa.text(f"UPDATE {table} SET {sets} WHERE {_key(table)} = :key"), updates
        )
    for sql in triggers:
        op.execute(sql)
