"""The ledger's invariants over a staged batch, as joins: which shifts need a closer look.

The batch's valid rows (`s_` tables) and the stored current rows in scope (`d_` tables) sit in
an in-process DuckDB as text. Each query below is the set-based form of one check of the row
path; it answers with the shifts where that check could find something. Those shifts, and only
those, are then judged by the row path's own code, which words the problems.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from typing import Any

import duckdb
import pyarrow as pa

from stakhanov.domain.norms import ASSIST
from stakhanov.engine.session import memory_limit
from stakhanov.store.bulk import payload_columns
from stakhanov.store.records import CREW, OUTPUT, REJECTS, SHIFTS, TIME, WORKERS, RecordKind
from stakhanov.store.types import ExactDecimal

KEYS = {
    SHIFTS.file: ("shift_id",),
    OUTPUT.file: ("shift_id", "operation"),
    CREW.file: CREW.key_columns,
    REJECTS.file: REJECTS.key_columns,
}
NAMES = {SHIFTS.file: "shifts", OUTPUT.file: "output", CREW.file: "crew"}
# The small kinds staged beside them (decision 0897): the stored rejects in scope sit in
# `d_rejects` as the stored shifts' rows do; `d_workers` and `d_time` hold the stored ones.
NAMES |= {WORKERS.file: "workers", TIME.file: "time", REJECTS.file: "rejects"}
EXACT = "DECIMAL(38,12)"


def _on(keys: Iterable[str], a: str, b: str) -> str:
    return " AND ".join(f"{a}.{k} = {b}.{k}" for k in keys)


FAULTS = (
    # the reject faults, stored and the batch's (`c_rejects`): a measured output, a worker
    # credited on it, and at most its rejected quantity in all
    """SELECT r.shift_id FROM c_rejects r
    WHERE NOT EXISTS (SELECT 1 FROM c_output o
                      WHERE o.shift_id = r.shift_id AND o.operation = r.operation)
       OR NOT EXISTS (SELECT 1 FROM c_crew e WHERE e.shift_id = r.shift_id
                      AND e.operation = r.operation AND e.worker_id = r.worker_id)""",
    f"""SELECT r.shift_id FROM c_rejects r JOIN c_output o
      ON o.shift_id = r.shift_id AND o.operation = r.operation
    GROUP BY r.shift_id, r.operation, o.rejected
    HAVING sum(CAST(r.quantity AS {EXACT}))
         > CAST(coalesce(nullif(o.rejected, ''), '0') AS {EXACT})""",
)


class Staging:
    """The batch and its scope in DuckDB; spills to a temporary directory past its memory.

    Its memory limit is the engine's (`STAKHANOV_ENGINE_MEMORY`): the import closes it before
    the read model's refresh opens the engine's own, so the two never add up (decision 0891).
    """

    def __init__(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="stakhanov-import-")
        self.db = duckdb.connect(config={"memory_limit": memory_limit(), "threads": 2})
        self.db.execute(f"SET temp_directory = '{self.folder.name}'")
        self.db.execute("SET preserve_insertion_order = false")
        self.db.execute("SET enable_progress_bar = false")
        self.displays: dict[str, str] = {}
        for kind in (SHIFTS, OUTPUT, CREW, WORKERS, TIME, REJECTS):
            name = NAMES[kind.file]
            columns = ", ".join(f"{c} VARCHAR" for c in payload_columns(kind))
            self.db.execute(f"CREATE TABLE s_{name} (row BIGINT, {columns})")
            self.db.execute(f"CREATE TABLE d_{name} (entry_id BIGINT, {columns})")

    def close(self) -> None:
        """Free the database and its spilled pages (again: nothing)."""
        self.db.close()
        self.folder.cleanup()

    def add(self, kind: RecordKind, table: pa.Table, stored: bool = False) -> None:
        name = ("d_" if stored else "s_") + NAMES[kind.file]
        self.db.register("chunk", table)
        self.db.execute(f"INSERT INTO {name} SELECT * FROM chunk")
        self.db.unregister("chunk")

    def add_stored(self, kind: RecordKind, rows: list[tuple[Any, ...]]) -> None:
        names = ["entry_id", *payload_columns(kind)]
        table = pa.table(
            {n: [r[i] for r in rows] for i, n in enumerate(names)},
            schema=pa.schema([("entry_id", pa.int64())] + [(n, pa.string()) for n in names[1:]]),
        )
        self.add(kind, table, stored=True)

    def values(self, sql: str, *params: Any) -> list[Any]:
        return [row[0] for row in self.db.execute(sql, list(params)).fetchall()]

    def stream(self, sql: str, size: int = 20_000) -> Iterator[Any]:
        """The first column of a query, read a batch of rows at a time (no other query may run
        on the staging database until it is read through)."""
        for batch in self.db.sql(sql).to_arrow_reader(size):
            yield from batch.column(0).to_pylist()

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        return self.db.execute(sql, list(params)).fetchall()

    def put(self, name: str, columns: dict[str, list[Any]]) -> None:
        """A small table from Python (workers, norm facts, flagged shifts)."""
        self.db.execute(f"DROP TABLE IF EXISTS {name}")
        table = pa.table({k: pa.array(v, pa.string()) for k, v in columns.items()})
        self.db.register("small", table)
        self.db.execute(f"CREATE TABLE {name} AS SELECT * FROM small")
        self.db.unregister("small")

    def combine(self) -> None:
        """c_ tables: stored rows in scope plus the batch's rows under keys not yet stored."""
        for file, keys in KEYS.items():
            name = NAMES[file]
            self.db.execute(
                f"CREATE OR REPLACE VIEW n_{name} AS SELECT * FROM s_{name} s WHERE NOT EXISTS "
                f"(SELECT 1 FROM d_{name} d WHERE {_on(keys, 's', 'd')})"
            )
            columns = ", ".join(payload_columns(_kind(file)))
            self.db.execute(
                f"CREATE OR REPLACE VIEW c_{name} AS SELECT {columns} FROM d_{name} "
                f"UNION ALL SELECT {columns} FROM n_{name}"
            )

    def suspects(self, correct: bool) -> set[str]:
        """Shifts where some check of the row path could find a problem."""
        found: set[str] = set()
        for sql in self._queries(correct):
            found.update(self.values(sql))
        return found

    def _queries(self, correct: bool) -> list[str]:
        queries = []
        for file, keys in KEYS.items():
            name = NAMES[file]
            key = ", ".join(keys)
            payload = [c for c in payload_columns(_kind(file)) if c not in keys]
            differs = _differs(_kind(file), payload)
            queries += [
                f"SELECT shift_id FROM s_{name} GROUP BY {key} HAVING count(*) > 1",
                f"SELECT s.shift_id FROM s_{name} s JOIN d_{name} d ON {_on(keys, 's', 'd')} "
                f"WHERE {differs or 'false'}",
            ]
            if correct and file in (OUTPUT.file, CREW.file):  # withdrawn when left out
                queries.append(
                    f"SELECT d.shift_id FROM d_{name} d WHERE d.shift_id IN "
                    f"(SELECT shift_id FROM s_{name}) AND NOT EXISTS "
                    f"(SELECT 1 FROM s_{name} s WHERE {_on(keys, 's', 'd')})"
                )
        unknown_shift = "shift_id NOT IN (SELECT shift_id FROM c_shifts)"
        queries += [
            # a new worker on a stored crew changes the split: a conflict, or a re-recording
            "SELECT n.shift_id FROM n_crew n JOIN d_crew d "
            "ON n.shift_id = d.shift_id AND n.operation = d.operation",
            f"SELECT shift_id FROM c_output WHERE {unknown_shift}",
            f"SELECT shift_id FROM c_crew WHERE {unknown_shift}",
            # an unknown id may be a known one in another case ('did you mean')
            "SELECT c.shift_id FROM c_shifts c JOIN (SELECT lower(shift_id) AS low FROM "
            f"(SELECT shift_id FROM c_output UNION SELECT shift_id FROM c_crew) WHERE "
            f"{unknown_shift}) u ON lower(c.shift_id) = u.low",
            f"SELECT shift_id FROM c_output WHERE operation = '{ASSIST}' "
            "OR operation NOT IN (SELECT operation FROM norm_operations)",
            "SELECT o.shift_id FROM c_output o JOIN c_shifts s USING (shift_id) "
            "JOIN unit_refused u "
            "ON u.operation = o.operation AND u.unit = o.unit AND u.date = s.date",
            "SELECT shift_id FROM c_crew WHERE worker_id NOT IN (SELECT worker_id FROM workers)",
            "SELECT e.shift_id FROM c_crew e JOIN c_shifts s USING (shift_id) "
            f"WHERE CAST(e.hours AS {EXACT}) > CAST(s.hours AS {EXACT})",
            f"""SELECT e.shift_id FROM c_crew e JOIN c_shifts s USING (shift_id)
            WHERE e.operation <> '{ASSIST}'
              AND NOT EXISTS (SELECT 1 FROM c_output o
                              WHERE o.shift_id = e.shift_id AND o.operation = e.operation)
              AND NOT EXISTS (SELECT 1 FROM c_output o JOIN norm_includes i
                              ON i.operation = o.operation AND i.date = s.date
                              WHERE o.shift_id = e.shift_id AND i.included = e.operation)""",
            f"""SELECT e.shift_id FROM c_crew e LEFT JOIN c_output o
              ON o.shift_id = e.shift_id AND o.operation = e.operation
            GROUP BY e.shift_id, e.operation, o.quantity, o.shift_id
            HAVING (o.shift_id IS NULL AND bool_or(e.credited <> ''
                      AND CAST(nullif(e.credited, '') AS {EXACT}) <> 0))
              OR (o.shift_id IS NOT NULL AND (
                   count(nullif(e.credited, '')) NOT IN (0, count(*))
                OR (count(nullif(e.credited, '')) = count(*)
                    AND sum(CAST(nullif(e.credited, '') AS {EXACT})) <> CAST(o.quantity AS {EXACT}))
                OR (count(nullif(e.credited, '')) = 0 AND NOT bool_or(e.coefficient = ''
                    OR CAST(nullif(e.coefficient, '') AS {EXACT}) <> 0))))""",
            f"""SELECT e.shift_id FROM c_crew e JOIN c_shifts s USING (shift_id)
            JOIN (SELECT worker_id, date FROM (
                    SELECT e.worker_id, s.date, CAST(e.hours AS {EXACT}) AS hours
                    FROM c_crew e JOIN c_shifts s USING (shift_id)
                    UNION ALL SELECT worker_id, date, CAST(hours AS {EXACT}) FROM paid_time)
                  GROUP BY worker_id, date HAVING sum(hours) > 24) w
              ON w.worker_id = e.worker_id AND w.date = s.date""",
            "SELECT shift_id FROM also_checked",
            *FAULTS,
        ]
        return queries

    def neighbours(self, suspects: set[str], time_dates: set[str]) -> set[str]:
        """Stored shifts on the suspects' dates (or paid time's) that the batch adds rows to.

        The row path reads every stored shift of those dates, so they are judged whole too.
        """
        self.put("suspect", {"shift_id": sorted(suspects)})
        self.put("time_dates", {"date": sorted(time_dates)})
        return set(
            self.values(
                """SELECT DISTINCT shift_id FROM (SELECT shift_id FROM n_output
                   UNION ALL SELECT shift_id FROM n_crew)
                WHERE shift_id IN (SELECT shift_id FROM d_shifts WHERE date IN
                    (SELECT date FROM c_shifts WHERE shift_id IN (SELECT shift_id FROM suspect)
                     UNION SELECT date FROM time_dates))"""
            )
        )

    def outside(self, kind: RecordKind) -> str:
        """The condition on a staged row (`s`) that the row path does not judge: it is valid,
        and written from the staging as it stands, unless a stored row has its key."""
        if kind in (WORKERS, TIME):
            return f"s.row NOT IN (SELECT row FROM p_{NAMES[kind.file]})"
        return "s.shift_id NOT IN (SELECT shift_id FROM suspect)"

    def new(self, kind: RecordKind) -> str:
        """A staged row (`s`) whose key nothing stored has."""
        name = NAMES[kind.file]
        return f"NOT EXISTS (SELECT 1 FROM d_{name} d WHERE {_on(kind.key_columns, 's', 'd')})"

    def judge_time(self) -> list[int]:
        """Paid time rows the row path must judge: a key stored with other values or repeated,
        an unknown worker or operation, or a worker's day that may pass 24 hours. The rest
        are valid as they stand (consistency._check_time, _check_hours_per_date)."""
        keys = ", ".join(TIME.key_columns)
        payload = [c for c in payload_columns(TIME) if c not in TIME.key_columns]
        differs = _differs(TIME, payload)
        rows = self.values(
            f"""SELECT s.row FROM s_time s WHERE
              EXISTS (SELECT 1 FROM d_time d WHERE {_on(TIME.key_columns, "s", "d")}
                      AND ({differs}))
              OR ({keys}) IN (SELECT ({keys}) FROM s_time GROUP BY {keys} HAVING count(*) > 1)
              OR worker_id NOT IN (SELECT worker_id FROM workers)
              OR (operation <> '{ASSIST}'
                  AND operation NOT IN (SELECT operation FROM norm_operations))
              OR (worker_id, date) IN (SELECT (worker_id, date) FROM (
                    SELECT e.worker_id, s.date, CAST(e.hours AS {EXACT}) AS hours
                    FROM c_crew e JOIN c_shifts s USING (shift_id)
                    UNION ALL SELECT worker_id, date, CAST(hours AS {EXACT}) FROM paid_time)
                  GROUP BY worker_id, date HAVING sum(hours) > 24)
            ORDER BY 1"""
        )
        self.put_rows("p_time", rows)
        return rows

    def judge_workers(self) -> list[int]:
        """Worker rows the row path must judge: a key stored with other values or repeated, and
        every new worker (in any case, for 'did you mean') that the judged rows name: the
        stored ones the row path reads itself."""
        payload = [c for c in payload_columns(WORKERS) if c != "worker_id"]
        differs = _differs(WORKERS, payload)
        rows = self.values(
            f"""SELECT s.row FROM s_workers s WHERE
              EXISTS (SELECT 1 FROM d_workers d WHERE s.worker_id = d.worker_id AND ({differs}))
              OR worker_id IN (SELECT worker_id FROM s_workers GROUP BY 1 HAVING count(*) > 1)
              OR NOT EXISTS (SELECT 1 FROM d_workers d WHERE d.worker_id = s.worker_id)
              AND lower(worker_id) IN (SELECT lower(worker_id) FROM (
                   SELECT worker_id FROM c_crew WHERE shift_id IN (SELECT shift_id FROM suspect)
                   UNION SELECT worker_id FROM s_rejects
                     WHERE shift_id IN (SELECT shift_id FROM suspect)
                   UNION SELECT worker_id FROM s_time WHERE row IN (SELECT row FROM p_time)))
            ORDER BY 1"""
        )
        self.put_rows("p_workers", rows)
        return rows

    def put_rows(self, name: str, rows: list[int]) -> None:
        self.db.execute(f"CREATE OR REPLACE TABLE {name} (row BIGINT)")
        self.db.register("picked", pa.table({"row": pa.array(rows, pa.int64())}))
        self.db.execute(f"INSERT INTO {name} SELECT row FROM picked")
        self.db.unregister("picked")


def _differs(kind: RecordKind, payload: list[str]) -> str:
    """Whether a staged row (`s`) and a stored one (`d`) differ in value: a number written
    `7.0` is the stored `7` (the row path compares Decimals), so its trailing zeros go."""
    numbers = {c.name for c in kind.table.columns if isinstance(c.type, ExactDecimal)}

    def value(side: str, column: str) -> str:
        cell = f"{side}.{column}"
        if column not in numbers:
            return cell
        return f"CASE WHEN {cell} LIKE '%.%' THEN rtrim(rtrim({cell}, '0'), '.') ELSE {cell} END"

    return " OR ".join(f"{value('s', c)} IS DISTINCT FROM {value('d', c)}" for c in payload)


def _kind(file: str) -> RecordKind:
    return {k.file: k for k in (SHIFTS, OUTPUT, CREW, WORKERS, TIME, REJECTS)}[file]
