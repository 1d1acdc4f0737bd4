"""Ranking by a score, highest first: equal scores share a rank (1, 1, 3), unscored come last."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Ranked(Generic[T]):
    rank: int | None
    item: T
    score: Decimal | None


def rank(
    items: Iterable[T], score: Callable[[T], Decimal | None], name: Callable[[T], str]
) -> list[Ranked[T]]:
    """Rank items by score; ties share the better rank and are listed by name.

    Items without a score (no normed work) are listed after the ranked ones, without a rank.
    """
    scored = [(score(item), item) for item in items]
    ordered = sorted(
        (pair for pair in scored if pair[0] is not None),
        key=lambda pair: (-pair[0], name(pair[1])),  # type: ignore[operator]
    )
    ranked: list[Ranked[T]] = []
    for position, (value, item) in enumerate(ordered, start=1):
        same = ranked and ranked[-1].score == value
        ranked.append(Ranked(ranked[-1].rank if same else position, item, value))
    unscored = sorted((item for value, item in scored if value is None), key=name)
    return ranked + [Ranked(None, item, None) for item in unscored]
