"""The slip list: search by worker, totals per currency, pages that cover every slip once."""

from __future__ import annotations

import itertools
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.payslips import PayLine, PaySlip
from stakhanov.domain.slip_lists import SORTS, matching, paged, sorted_by, totals
from tests.pay import AUGUST


def slip(worker_id: str, amount: str, currency: str = "RUB", name: str = "") -> PaySlip:
    line = PayLine("piece", "piece:S1:a", Decimal(1), "t", Decimal(amount), Decimal(amount), "x")
    return PaySlip(worker_id, name or f"Worker {worker_id}", currency, AUGUST, (line,))


def test_search_finds_by_id_or_name_and_totals_never_mix_currencies() -> None:
    slips = [
        slip("W1", "10.50"),
        slip("W2", "2.25", name="Alexei Stakhanov"),
        slip("X", "1", "USD"),
    ]
    assert [s.worker_id for s in matching(slips, "stakh")] == ["W2"]
    assert [s.worker_id for s in matching(slips, " w1 ")] == ["W1"]
    assert matching(slips, None) == slips
    rub, usd = totals(slips)
    assert (rub.currency, rub.count, rub.gross, rub.net) == (
        "RUB",
        2,
        Decimal("12.75"),
        Decimal("12.75"),
    )
    assert (usd.currency, usd.count) == ("USD", 1)


@given(st.lists(st.integers(0, 10_000), max_size=40), st.integers(1, 7), st.integers(-2, 12))
def test_pages_cover_every_slip_once_and_totals_are_exact(
    cents: list[int], size: int, number: int
) -> None:
    slips = [slip(f"W{i:03}", f"{c / 100:.2f}") for i, c in enumerate(cents)]
    pages = paged(slips, 1, size).pages
    seen = [s for n in range(1, pages + 1) for s in paged(slips, n, size).slips]
    assert seen == slips
    assert 1 <= paged(slips, number, size).number <= pages
    if slips:
        assert totals(slips)[0].gross == sum(Decimal(c) for c in cents) / 100


@given(
    st.lists(st.tuples(st.integers(0, 500), st.sampled_from(["RUB", "USD"])), max_size=30),
    st.sampled_from(SORTS),
    st.booleans(),
)
def test_a_sort_orders_by_its_figure_within_a_currency_and_loses_no_slip(
    figures: list[tuple[int, str]], sort: str, descending: bool
) -> None:
    slips = [
        slip(f"W{i:03}", f"{c / 100:.2f}", cur, f"N{c % 7}") for i, (c, cur) in enumerate(figures)
    ]
    ordered = sorted_by(slips, sort, descending)
    assert sorted(s.worker_id for s in ordered) == [s.worker_id for s in slips]
    key = {
        "worker": lambda s: (s.worker_id,),
        "name": lambda s: (s.name.casefold(),),
        "gross": lambda s: (s.currency, s.gross),
        "deducted": lambda s: (s.currency, s.deducted),
        "net": lambda s: (s.currency, s.net),
    }[sort]
    keys = [key(s) for s in ordered]
    assert keys == sorted(keys, reverse=descending)
    # Slips of one figure keep the worker order (the way asked).
    for a, b in itertools.pairwise(ordered):
        if key(a) == key(b):
            assert (a.worker_id > b.worker_id) == descending
