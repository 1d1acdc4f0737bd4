"""The queue's counts from every finding per kind and the reviewed ones per status equal
counting each finding's own status (decision 0901)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.finding_tally import FindingTally, status_slices

KINDS = ("assisted", "pooled", "implausible", "prepared")
STATUSES = ("open", "explained", "upheld")

# A finding: its kind and, when some review names it, its latest review's decision (a
# reopened finding's review says open).
FINDINGS = st.lists(st.tuples(st.sampled_from(KINDS), st.none() | st.sampled_from(STATUSES)))


@given(found=FINDINGS, kinds=st.sets(st.sampled_from(KINDS)))
def test_the_tally_counts_each_finding_at_its_own_status(
    found: list[tuple[str, str | None]], kinds: set[str]
) -> None:
    tally = FindingTally(
        Counter(kind for kind, _ in found),
        Counter((kind, status) for kind, status in found if status is not None),
    )
    status_of = [(kind, status or "open") for kind, status in found]
    for status in (None, *STATUSES):
        expected = Counter(k for k, s in status_of if status is None or s == status)
        assert tally.kinds(status) == expected
        assert all(n > 0 for n in tally.kinds(status).values())
    chosen = kinds or set(KINDS)
    assert tally.statuses(kinds) == Counter(s for k, s in status_of if k in chosen)


def test_a_kind_with_every_finding_closed_has_none_open() -> None:
    tally = FindingTally({"pooled": 2}, {("pooled", "upheld"): 1, ("pooled", "explained"): 1})
    assert tally.kinds("open") == Counter()
    assert tally.statuses() == Counter({"upheld": 1, "explained": 1})


@given(
    statuses=st.dictionaries(st.sampled_from(STATUSES), st.integers(0, 12)),
    descending=st.booleans(),
    limit=st.integers(1, 10),
    offset=st.integers(0, 40),
)
def test_a_page_sorted_by_status_is_its_statuses_slices(
    statuses: dict[str, int], descending: bool, limit: int, offset: int
) -> None:
    """Numbering each status's findings in their own order, the page of all of them sorted by
    status is the slices read one status at a time."""
    every = sorted(((s, i) for s, n in statuses.items() for i in range(n)), reverse=descending)
    page = every[offset : offset + limit]
    sliced = [
        (status, i)
        for status, size, start in status_slices(statuses, descending, limit, offset)
        for i in (sorted(range(statuses[status]), reverse=descending)[start : start + size])
    ]
    assert sliced == page
