"""What a worker signs: his credits as one canonical line, and the state that follows from it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.signoffs import Credit, SignOff, State, Verdict, seen_text, state_of
from stakhanov.services.entry import short_name

credits = st.lists(
    st.builds(
        Credit,
        st.sampled_from(["hewing", "timbering", "assist"]),
        st.decimals(min_value=Decimal("0.25"), max_value=Decimal(24), places=2),
        st.none() | st.decimals(min_value=Decimal(0), max_value=Decimal(500), places=3),
        st.sampled_from([None, "t"]),
    ),
    max_size=4,
)


@given(credits, st.randoms())
def test_the_same_counts_in_any_order_read_the_same(found: list[Credit], random: object) -> None:
    shuffled = list(found)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert seen_text(shuffled) == seen_text(found)


@given(credits, st.decimals(min_value=Decimal("0.01"), max_value=Decimal(1), places=2))
def test_other_hours_are_other_counts(found: list[Credit], more: Decimal) -> None:
    if not found:
        return
    first = found[0]
    changed = [Credit(first.operation, first.hours + more, first.credited, first.unit), *found[1:]]
    assert seen_text(changed) != seen_text(found)


def test_a_confirmation_holds_only_for_the_counts_it_saw() -> None:
    signed = SignOff(
        1,
        "W1",
        "S1",
        dt.date(1935, 11, 2),
        Verdict.CONFIRMED,
        "hewing 6 h",
        None,
        None,
        "W1",
        dt.datetime(1935, 11, 2, tzinfo=dt.UTC),
    )
    assert state_of(signed, "hewing 6 h") is State.CONFIRMED
    assert state_of(signed, "hewing 5 h") is State.UNCONFIRMED
    assert state_of(None, "hewing 6 h") is State.UNCONFIRMED
    assert (
        seen_text([Credit("hewing", Decimal("6.0"), Decimal("14.50"), "t")]) == "hewing 6 h 14.5 t"
    )


def test_a_workplace_is_named_by_its_initials_and_numbers() -> None:
    assert short_name("Central-Irmino/Section 8/Brigade 1") == "B1"
    assert short_name("Works/Shop 12") == "S12"
    assert short_name("Mine") == "M"
