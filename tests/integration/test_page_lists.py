"""The workers list in pages, searched, sorted and counted in SQL, on both databases; and the
paging of lists the services have already narrowed (web/listing.py)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from starlette.requests import Request

from stakhanov.services import lists, people, reports
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.web.listing import Listing, paged, window
from tests.integration.helpers import MINI, append, mini_copy


def _mini(engine: Engine) -> list[Any]:
    import_batch(engine, read_source(MINI, set(FORMATS)), author="test")
    return reports.workers(engine)


@pytest.mark.storage
def test_pages_of_workers_cover_the_list_once_in_order(engine: Engine) -> None:
    everyone = _mini(engine)
    assert len(everyone) >= 4
    for sort, descending in (("worker_id", False), ("name", True), ("unit", False)):
        seen: list[str] = []
        page = 1
        while True:
            rows, total = people.worker_page(engine, None, None, "", sort, descending, page, 2)
            assert total == len(everyone)
            if not rows:
                break
            seen += [w.worker_id for w in rows]
            page += 1
        assert sorted(seen) == sorted(w.worker_id for w in everyone)  # each once
        by = {w.worker_id: getattr(w, sort) for w in everyone}
        keys = [by[w] for w in seen]
        assert keys == sorted(keys, reverse=descending)


@pytest.mark.storage
def test_the_workers_search_finds_every_word_within_scope(engine: Engine) -> None:
    everyone = _mini(engine)
    first = everyone[0]
    word = first.name.split()[0].upper()  # any case
    rows, total = people.worker_page(engine, None, None, word, "worker_id", False, 1, 50)
    expected = [w for w in everyone if word.casefold() in " ".join(
        (w.worker_id, w.name, w.unit, w.trade or "")).casefold()]  # fmt: skip
    assert [w.worker_id for w in rows] == [w.worker_id for w in expected] and total == len(rows)
    unit = first.unit
    rows, total = people.worker_page(engine, [unit], None, "", "worker_id", False, 1, 50)
    assert {w.worker_id for w in rows} == {w.worker_id for w in everyone if w.unit == unit}
    rows, total = people.worker_page(engine, [unit], "Nowhere", "", "worker_id", False, 1, 50)
    assert (rows, total) == ([], 0)  # a unit outside the scope shows nobody
    # A pattern's wildcards are text: "%" finds only a name that has one.
    assert people.worker_page(engine, None, None, "%", "worker_id", False, 1, 50) == ([], 0)


@pytest.mark.storage
@pytest.mark.parametrize("typed", ["иван", "ИВАН", "Иван", "núñez", "NÚÑEZ", "josé"])
def test_searches_fold_the_case_of_every_alphabet(
    engine: Engine, tmp_path: Any, typed: str
) -> None:
    """SQLite's lower() folds ASCII only: a Cyrillic or accented name is found in any case."""
    folder = mini_copy(tmp_path)
    append(folder, "workers.csv", "R1,Иван Петров,Mine/Section 1/Brigade 1,hewer,5")
    append(folder, "workers.csv", "E1,José Núñez,Mine/Section 1/Brigade 1,hewer,5")
    import_batch(engine, read_source(folder, set(FORMATS)), author="test")
    meant = "R1" if typed.casefold().startswith("ив") else "E1"
    rows, total = people.worker_page(engine, None, None, typed, "worker_id", False, 1, 50)
    assert [w.worker_id for w in rows] == [meant] and total == 1
    pattern = f"%{typed}%"  # the PIN list's search (a LIKE pattern)
    found = lists.workers(engine, None, pattern, "worker", False, 50, 0)
    assert [r["worker_id"] for r in found] == [meant]
    assert lists.worker_count(engine, None, pattern) == 1
    assert people.worker_page(engine, None, None, "петр" if meant == "R1" else "ÑEZ", "name",
                              False, 1, 50)[1] == 1  # fmt: skip


def _listing(q: str = "", sort: str = "", descending: bool = False, page: int = 1) -> Listing:
    return Listing("/x", (), ("n",), q, sort, descending, page, per_page=3)


@given(
    st.lists(st.tuples(st.integers(0, 20), st.sampled_from(["ab", "bc", "cd"])), max_size=40),
    st.sampled_from(["", "b", "c d", "zz"]),
    st.booleans(),
)
def test_paged_lists_partition_the_matching_rows_in_order(
    items: list[tuple[int, str]], q: str, descending: bool
) -> None:
    keys = {"n": lambda i: i[0]}
    first = paged(items, _listing(q, "n", descending), keys, lambda i: i[1])
    matching = [i for i in items if all(w in i[1] for w in q.split())]
    assert first.total == len(matching)
    rows = []
    for page in range(1, first.pages + 1):
        rows += paged(items, _listing(q, "n", descending, page), keys, lambda i: i[1]).rows
    assert sorted(rows) == sorted(matching)
    assert [r[0] for r in rows] == sorted((r[0] for r in matching), reverse=descending)


def test_a_window_says_that_another_page_follows_without_counting() -> None:
    more = window([1, 2, 3, 4], _listing(page=2))  # per page 3: one row more was read
    assert (more.rows, more.pages, more.first, more.last) == ([1, 2, 3], 3, 4, 6)
    last = window([1], _listing(page=2))
    assert (last.rows, last.pages) == ([1], 2)


def test_links_keep_the_pages_other_parameters() -> None:
    scope = {
        "type": "http",
        "path": "/overview",
        "query_string": b"period=1935-09&usort=unit&upage=2&oq=hew",
        "headers": [],
    }
    from stakhanov.web.listing import listing

    units = listing(Request(scope), ("unit", "hours"), prefix="u")
    assert (units.sort, units.page, units.q) == ("unit", 2, "")
    link = units.sort_link("unit")  # the second click turns the order round, back to page 1
    assert link == "/overview?period=1935-09&oq=hew&usort=unit&uorder=desc"
    assert units.link(page=3).endswith("oq=hew&upage=3")
