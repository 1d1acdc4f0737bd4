"""Words a new user met on the walk (issue 12): counts in good English, sources by name."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.data.irmino import NORMS
from stakhanov.domain.errors import Problem, Refused, Source
from stakhanov.domain.numbers import counted
from stakhanov.services.dashboard import file_names


def test_a_count_takes_its_noun_in_the_right_number() -> None:
    assert counted(1, "problem") == "1 problem"
    assert counted(0, "finding") == "0 findings"
    assert counted(3, "finding") == "3 findings"
    assert counted(2, "batch", "batches") == "2 batches"


@given(st.integers(min_value=0, max_value=10**6))
def test_only_one_is_singular(n: int) -> None:
    assert counted(n, "shift").endswith("shifts") == (n != 1)


def test_a_refusal_counts_its_problems_in_good_english() -> None:
    one = Refused(problems=[Problem(Source("shifts.csv", 2), "date", "is not a date")])
    assert str(one) == "1 problem; nothing was written"


def test_a_norms_provenance_names_its_document_not_a_file_id() -> None:
    sources = [row[-1] for row in NORMS]
    assert not any(re.search(r"\d{3}_[0-9a-f]{16}\.txt", s) for s in sources)
    assert any("Immortal through Labor" in s for s in sources)


def test_a_path_on_the_server_is_shown_as_the_files_name() -> None:
    assert file_names("/srv/data/scales/coal.toml, /tmp/x/book.xlsx") == "coal.toml, book.xlsx"
    assert file_names(r"C:\data\book.xlsx") == "book.xlsx"
    assert file_names("upload: crew.csv") == "upload: crew.csv"
    assert file_names("cascade of Mine/Section 1/Brigade 1") == (
        "cascade of Mine/Section 1/Brigade 1"
    )
    assert file_names(None) is None
