"""A unit's subtree in SQL is exactly what `is_within` says, on both databases, written as a
range of text on SQLite (for the index of units) and by prefix elsewhere (decision 0893)."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Column, Engine, Integer, MetaData, String, Table, insert, select, text

from stakhanov.domain.units import is_within
from stakhanov.store.read_model import paths_within, within_text

pytestmark = pytest.mark.storage
TABLES = itertools.count()

# Names with the characters that sort next to the separator ('.' and '0' around '/'), LIKE's
# wildcards, a backslash, spaces and letters beyond ASCII.
names = st.text(st.sampled_from("ab.0_%\\ Яé1"), min_size=1, max_size=3)
paths = st.lists(names, min_size=1, max_size=3).map("/".join)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(paths, min_size=1, max_size=12), st.lists(paths, min_size=1, max_size=3))
def test_paths_within_are_the_domain_s(
    engine: Engine, stored: list[str], subtrees: list[str]
) -> None:
    table = Table(f"paths_{next(TABLES)}", MetaData(), Column("n", Integer), Column("p", String))
    expected = [n for n, p in enumerate(stored) if any(is_within(p, s) for s in subtrees)]
    with engine.begin() as connection:
        table.create(connection)
        connection.execute(insert(table), [{"n": n, "p": p} for n, p in enumerate(stored)])
        built = select(table.c.n).where(paths_within(table.c.p, subtrees)).order_by(table.c.n)
        written = within_text("p", subtrees, connection.dialect.name)
        raw = f"SELECT n FROM {table.name} WHERE {written} ORDER BY n"
        assert list(connection.scalars(built)) == expected
        assert list(connection.scalars(text(raw))) == expected
        table.drop(connection)


def test_paths_within_is_one_term_among_others(engine: Engine) -> None:
    """Written into a query beside other conditions, the subtree's alternatives stay together."""
    table = Table(f"paths_{next(TABLES)}", MetaData(), Column("n", Integer), Column("p", String))
    with engine.begin() as connection:
        table.create(connection)
        connection.execute(insert(table), [{"n": 1, "p": "a"}, {"n": 2, "p": "a/b"}])
        query = select(table.c.n).where(paths_within(table.c.p, ["a"]), table.c.n > 1)
        assert list(connection.scalars(query)) == [2]
        table.drop(connection)


def test_an_index_of_the_path_answers_the_subtree_on_sqlite(engine: Engine) -> None:
    """The subtree is a condition as it stands: given `(...) = 1`, as a boolean value is on a
    database without booleans, SQLite would read every row rather than the index."""
    table = Table(
        f"paths_{next(TABLES)}", MetaData(), Column("n", Integer), Column("p", String, index=True)
    )
    with engine.begin() as connection:
        table.create(connection)
        query = select(table.c.n).where(table.c.n > 0, paths_within(table.c.p, ["a/b"]))
        compiled = str(query.compile(connection, compile_kwargs={"literal_binds": True}))
        if connection.dialect.name == "sqlite":
            plan = " ".join(
                str(row[-1]) for row in connection.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))
            )
            assert f"INDEX ix_{table.name}_p" in plan, plan
        table.drop(connection)
    assert "= 1" not in compiled and "= true" not in compiled.lower()


def test_postgresql_answers_a_subtree_by_its_indexes_in_bytes(engine: Engine) -> None:
    """On PostgreSQL the range is taken in collation "C", which migration 0049's indexes hold
    (decision 0896): a unit's workers and unit counts are found without reading every row."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite compares text by its bytes: test_an_index_of_the_path_answers...")
    workers = Table("worker_entries", MetaData(), autoload_with=engine)
    counts = Table("read_unit_day_shifts", MetaData(), autoload_with=engine)
    queries = {
        "ix_worker_entries_unit_c": select(workers.c.worker_id).where(
            paths_within(workers.c.unit, ["Mine/Section 1"])
        ),
        "ix_read_unit_day_shifts_unit_path_c_date": select(counts.c.shifts).where(
            paths_within(counts.c.unit_path, ["Mine"])
        ),
    }
    with engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))  # the tables are empty here
        for index, query in queries.items():
            compiled = query.compile(connection, compile_kwargs={"literal_binds": True})
            plan = " ".join(connection.scalars(text(f"EXPLAIN {compiled}")))
            assert index in plan, plan
