"""The approval steps, notice, minimum interval, the policy file and mandated breaks."""

from __future__ import annotations

import datetime as dt
import tomllib
from decimal import Decimal
from fractions import Fraction

import pytest

from stakhanov.domain.disclosure import break_fit
from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.governance import (
    Decision,
    Policy,
    Status,
    Verdict,
    check_decision,
    effective_date,
    policy_dict,
    policy_from,
    progress,
)
from stakhanov.domain.norms import Norm, NormKind
from stakhanov.domain.provenance import Method, Provenance
from tests.governance_ledgers import norm

DAY = dt.date(1936, 3, 1)


def decision(step: str, verdict: Verdict = Verdict.APPROVE, day: int = 1) -> Decision:
    return Decision(step, verdict, "someone", "because", DAY + dt.timedelta(days=day))


def test_steps_in_order_and_the_representatives_opinion_is_advisory() -> None:
    policy = Policy()
    assert progress(policy, []).next_step.role == "rate-setter"  # type: ignore[union-attr]
    made = [decision("rate-setter"), decision("representatives", Verdict.REJECT)]
    state = progress(policy, made)
    assert (state.status, state.next_step.role) == (Status.PENDING, "director")  # type: ignore[union-attr]
    final = progress(policy, [*made, decision("director", day=3)])
    assert (final.status, final.decided_on) == (Status.APPROVED, DAY + dt.timedelta(days=3))
    assert progress(policy, [decision("rate-setter", Verdict.REJECT)]).status is Status.REJECTED


def test_decisions_out_of_turn_or_without_reason_are_refused() -> None:
    policy = Policy()
    with pytest.raises(InvalidValue, match="next step is rate-setter"):
        check_decision(policy, [], decision("director"), DAY)
    with pytest.raises(InvalidValue, match="reason"):
        check_decision(policy, [], Decision("rate-setter", Verdict.APPROVE, "x", " ", DAY), DAY)
    with pytest.raises(InvalidValue, match="before"):
        check_decision(policy, [], decision("rate-setter", day=-1), DAY)
    closed = [decision("rate-setter", Verdict.REJECT)]
    with pytest.raises(InvalidValue, match="closed"):
        check_decision(policy, closed, decision("representatives"), DAY)
    check_decision(policy, [], decision("anyone", Verdict.WITHDRAW), DAY)


def test_effective_date_is_notice_after_announcement_or_the_minimum_interval() -> None:
    policy = Policy(notice_days=60, min_interval_days=180)
    assert effective_date(policy, DAY, dt.date(1935, 1, 1)) == dt.date(1936, 4, 30)
    assert effective_date(policy, DAY, dt.date(1936, 1, 1)) == dt.date(1936, 6, 29)


def test_policy_file_round_trips_and_refuses_unknown_keys() -> None:
    text = """
notice_days = 14
max_raise_percent = "5"
min_interval_days = 90
[[steps]]
role = "rate-setter"
[[steps]]
role = "works council"
advisory = true
[[steps]]
role = "director"
[[breaks]]
longer_than_hours = "4"
minutes = 20
[statistical]
percentile = "40"
window_days = 60
[validation]
experienced_shifts = 10
"""
    policy = policy_from(tomllib.loads(text))
    assert (policy.notice_days, policy.max_raise_percent, policy.min_interval_days) == (
        14,
        Decimal(5),
        90,
    )
    assert [s.role for s in policy.steps] == ["rate-setter", "works council", "director"]
    assert policy.break_minutes(Decimal(5)) == 20
    assert policy.statistical.percentile == 40 and policy.validation.experienced_shifts == 10
    assert policy_from(policy_dict(policy)) == policy
    with pytest.raises(InvalidValue, match="unknown key"):
        policy_from({"notice": 3})
    with pytest.raises(InvalidValue, match="cannot be advisory"):
        policy_from({"steps": [{"role": "director", "advisory": True}]})


def test_break_rules_take_the_largest_that_applies() -> None:
    policy = Policy()
    assert [policy.break_minutes(Decimal(h)) for h in ("6", "6.5", "9", "10")] == [0, 30, 30, 45]


def test_a_norm_that_does_not_fit_the_breaks_is_flagged() -> None:
    turning = Norm("turning", "part", NormKind.TIME, Decimal(3), None, DAY, max_rate=Decimal(22))
    fit = break_fit(turning, Decimal(8), Policy(), None)
    # 160 parts in an 8 h shift; 30 min break: 7.5 working hours; 8 / 7.5 = 106.7% pace.
    assert (fit.shift_output, fit.working_hours, fit.pace) == (
        160,
        Decimal("7.5"),
        Decimal("106.7"),
    )
    assert not fit.fits and not fit.impossible and "DOES NOT FIT" in fit.explain()
    studied = Provenance("turning", DAY, Method.TIME_STUDY, 20, Decimal(100), Decimal(10))
    allowed = break_fit(turning, Decimal(8), Policy(), studied)
    # With 10% allowances: 8 / (7.5 x 1.1) = 97.0%.
    assert allowed.pace == Decimal("97.0") and allowed.fits
    tight = break_fit(turning, Decimal(8), Policy(), None)
    assert tight.per_working_hour == Fraction(160) / Fraction("7.5")
    capped = Norm("turning", "part", NormKind.TIME, Decimal(3), None, DAY, max_rate=Decimal(21))
    assert break_fit(capped, Decimal(8), Policy(), None).impossible
    assert break_fit(norm(), Decimal(6), Policy(), None).fits  # no break in a 6 h shift


def test_a_pace_that_rounds_to_100_percent_but_exceeds_it_does_not_fit() -> None:
    turning = Norm("turning", "part", NormKind.TIME, Decimal(3), None, DAY)
    studied = Provenance("turning", DAY, Method.TIME_STUDY, 20, Decimal(100), Decimal("6.66"))
    # 8 / (7.5 x 1.0666) = 1.0000625...: shown as 100.0%, yet standard pace falls short.
    fit = break_fit(turning, Decimal(8), Policy(), studied)
    assert fit.pace == Decimal("100.0") and not fit.fits
    exact = Provenance("turning", DAY, Method.TIME_STUDY, 20, Decimal(100), Decimal("6.68"))
    # 8 / (7.5 x 1.0668) < 1: fits.
    assert break_fit(turning, Decimal(8), Policy(), exact).fits


def test_how_a_norm_was_set_reads_as_words() -> None:
    from stakhanov.domain.provenance import how_set

    assert how_set("technical") == "set by technical calculation from the equipment and method"
    assert how_set("Time-Study") == "set by time study"
    assert how_set("statistical") == "set by statistics of recorded output"
    assert how_set("order of the commissariat") == "set by order of the commissariat"
    assert how_set(None) == "the method is not recorded"


def test_a_policy_problem_is_located_at_its_line() -> None:
    from stakhanov.services.policies import PolicyRefused, parse

    cases = {
        "notice_days = 14\nfoo = 1\n": 2,
        'notice_days = 14\n[statistical]\npercentile = "50"\nwindow = 3\n': 4,
        "notice_days = 14\nmax_raise_percent = \n": 2,
        'notice_days = "x"\n': 1,
    }
    for text, line in cases.items():
        with pytest.raises(PolicyRefused) as refused:
            parse(text)
        assert refused.value.line == line, text
