"""A board of its leaders alone (decision 0905): `leading` picks, from approximate percents,
the workers whose entries are the whole board's first, with their ranks, whatever ties,
near-ties across a rounding edge, hidden workers and missing hours there are."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given
from hypothesis import strategies as st

from stakhanov.domain.honour import leading, worker_entries
from stakhanov.domain.performance import Tally
from stakhanov.domain.rounding import percent

# A worker: hours (0: no percent), fair earned in twentieths of a percent point around the
# rounding edges (x.x5), shifts, whether he is hidden, and a name shared by some.
Someone = st.tuples(
    st.sampled_from([0, 3, 7, 8]),
    st.integers(19_990, 20_030),
    st.integers(1, 4),
    st.booleans(),
    st.sampled_from(["Anna", "Boris", "Vera"]),
)


def _tally(hours: int, twentieths: int, shifts: int) -> Tally:
    fair = Fraction(twentieths, 2_000) * hours  # percent = twentieths / 20
    return Tally(hours=Decimal(hours), fair_earned=fair, shift_count=shifts, results=1)


@given(
    st.lists(Someone, max_size=30),
    st.integers(1, 8),
    st.integers(1, 3),
    st.booleans(),
    st.sampled_from([0.0, 1e-13, -1e-13]),
)
@example(  # 999.95 rounds to the leader's 1000.0, and Anna is named before Vera
    [(8, 20_000, 1, False, "Vera"), (8, 19_999, 1, False, "Anna")], 1, 1, False, 0.0
)
def test_the_leaders_are_the_boards_first_entries(
    people: list[tuple[int, int, int, bool, str]],
    top: int,
    least: int,
    masked: bool,
    error: float,
) -> None:
    tallies = {f"W{i:02d}": _tally(h, f, s) for i, (h, f, s, _, _) in enumerate(people)}
    names = {f"W{i:02d}": p[4] for i, p in enumerate(people)}
    hidden = {f"W{i:02d}" for i, p in enumerate(people) if p[3]}
    units = dict.fromkeys(tallies, "Mine")
    whole = worker_entries(
        {w: t for w, t in tallies.items() if w not in hidden}, names, units, masked, least
    )

    def approximate(tally: Tally) -> float | None:
        exact = tally.fair_percent
        return None if exact is None else float(exact) * (1 + error)

    def score(worker_id: str) -> Decimal | None:
        exact = tallies[worker_id].fair_percent
        return None if exact is None else percent(exact)

    def shown(worker_id: str) -> bool:
        return worker_id not in hidden and tallies[worker_id].shifts >= least

    asked: list[str] = []

    def counted(worker_id: str) -> bool:
        asked.append(worker_id)
        return shown(worker_id)

    found = leading({w: approximate(t) for w, t in tallies.items()}, score, counted, top)
    chosen = {w: tallies[w] for w in found}
    assert worker_entries(chosen, names, units, masked, least)[:top] == whole[:top]
    assert len(set(asked)) == len(asked)  # each worker is judged once


def test_workers_below_the_leaders_are_not_judged() -> None:
    percents = {f"W{i}": float(100 - i) for i in range(50)}
    asked: list[str] = []

    def shown(worker_id: str) -> bool:
        asked.append(worker_id)
        return worker_id != "W0"  # the best is hidden: one more is read

    found = leading(percents, lambda w: percent(Fraction(percents[w])), shown, 3)
    assert found == ["W1", "W2", "W3"]
    assert asked == ["W0", "W1", "W2", "W3"]
