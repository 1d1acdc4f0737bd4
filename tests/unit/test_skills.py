"""Certifications' validity intervals, renewals, what lapses, and what a course grants."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import Period
from stakhanov.domain.skills import (
    Certification,
    Course,
    Examination,
    Session,
    covered_until,
    exam_problem,
    granted,
    held_on,
    lapsing,
)

D0 = dt.date(1935, 1, 1)


def cert(
    start: int, length: int | None, operation: str = "hewing", level: str = "good"
) -> Certification:
    until = None if length is None else D0 + dt.timedelta(days=start + length - 1)
    return Certification("H1", operation, level, "inspector", D0 + dt.timedelta(days=start), until)


def test_a_certification_is_valid_from_its_first_to_its_last_day() -> None:
    c = cert(10, 5)
    assert [c.valid_on(D0 + dt.timedelta(days=d)) for d in (9, 10, 14, 15)] == [
        False,
        True,
        True,
        False,
    ]
    with pytest.raises(InvalidValue, match="before valid_from"):
        Certification("H1", "hewing", "", "x", dt.date(1935, 2, 1), dt.date(1935, 1, 1))


def test_a_renewal_from_the_next_day_is_no_lapse() -> None:
    window = Period(D0 + dt.timedelta(days=20), D0 + dt.timedelta(days=50))
    assert lapsing([cert(0, 30), cert(30, 365)], window) == []
    (lapse,) = lapsing([cert(0, 30), cert(31, 365)], window)  # a day's gap: it lapses
    assert (lapse.last_day, lapse.days_left) == (D0 + dt.timedelta(days=29), 9)


def test_a_course_grants_its_certification_to_those_who_pass() -> None:
    course = Course("C1", "drill minimum", "drill", "", 365, "H1", "care")
    exam = Examination("C1", "H2", dt.date(1935, 9, 5), "inspector", "pass")
    made = granted(course, exam)
    assert (made.valid_from, made.valid_until, made.course_id) == (
        dt.date(1935, 9, 5),
        dt.date(1936, 9, 3),
        "C1",
    )
    sessions = [Session("C1", dt.date(1935, 9, 6), "t", "2", ("H2",))]
    assert "before H2's first session" in str(exam_problem(course, exam, sessions))
    assert "attended no session" in str(exam_problem(course, exam, []))
    assert exam_problem(None, exam, sessions) == "no course 'C1'"


def test_the_planner_sees_the_best_valid_level_and_the_certificates() -> None:
    held = [
        cert(0, None, level="ordinary"),
        cert(0, 10, level="master"),
        cert(0, None, "drill", ""),
    ]
    ranks = {"hewing": ("ordinary", "good", "master")}
    assert held_on(held, D0, ranks) == ({"hewing": "master"}, frozenset({"drill"}))
    assert held_on(held, D0 + dt.timedelta(days=10), ranks)[0] == {"hewing": "ordinary"}


spans = st.lists(
    st.tuples(st.integers(0, 200), st.one_of(st.none(), st.integers(1, 60))), min_size=1,
    max_size=6,
)  # fmt: skip


@given(spans, st.integers(0, 260))
def test_covered_until_is_the_end_of_the_unbroken_run_of_validity(
    given_spans: list[tuple[int, int | None]], start: int
) -> None:
    held = [cert(s, n) for s, n in given_spans]
    day = D0 + dt.timedelta(days=start)
    if not any(c.valid_on(day) for c in held):
        with pytest.raises(InvalidValue):
            covered_until(held, day)
        return
    end = covered_until(held, day)
    valid = lambda d: any(c.valid_on(d) for c in held)  # noqa: E731
    if end is None:
        assert any(c.valid_until is None and c.valid_on(day) for c in held) or valid(
            day + dt.timedelta(days=400)
        )
        return
    # Every day from the start to the end is covered, and the day after is not.
    days = (end - day).days
    assert all(valid(day + dt.timedelta(days=i)) for i in range(days + 1))
    assert not valid(end + dt.timedelta(days=1))


def test_title_rules_may_name_courses_passed_and_taught() -> None:
    from stakhanov.domain.titles import Facts, evaluate_titles
    from stakhanov.services.rulebooks import bundled_text, parse_text
    from tests.work import tally

    text = bundled_text() + (
        '\n[[titles]]\ncode = "school-master"\nname = "Master of the school"\n'
        'description = "Taught a technical-minimum course."\n'
        'when = "fair_percent >= 100 and courses_taught >= 1"\nvalid_months = 12\n'
        '\n[[titles]]\ncode = "graduate"\nname = "Technical minimum passed"\n'
        'description = "Passed a course."\nwhen = "courses_passed >= 1"\nvalid_months = 12\n'
    )
    rulebook = parse_text(text, "rulebook.toml")
    september = Period(dt.date(1935, 9, 1), dt.date(1935, 9, 30))
    facts = [
        Facts("teacher", tally("100"), courses_taught=1),
        Facts("pupil", tally("100"), courses_passed=1),
        Facts("neither", tally("100")),
    ]
    found: dict[str, set[str]] = {}
    for p in evaluate_titles(rulebook, september, facts).proposals:
        found.setdefault(p.worker_id, set()).add(p.rule.code)
    assert "school-master" in found["teacher"] and "graduate" not in found["teacher"]
    assert "graduate" in found["pupil"] and "school-master" not in found["pupil"]
    assert not {"school-master", "graduate"} & found.get("neither", set())
