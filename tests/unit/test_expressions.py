"""The rule language: parsed by hand, never eval'd; checked names; exact Decimal arithmetic."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.expressions import (
    Binary,
    Boolean,
    Call,
    Environment,
    ExpressionError,
    Name,
    Node,
    Number,
    Text,
    Unary,
    Vocabulary,
    evaluate,
    parse,
    references,
    show,
)

ENV = Environment(
    {"fair_percent": Decimal("131.2"), "shifts": Decimal(22)},
    {"share_at_least": lambda p: Decimal(80) if p <= 100 else Decimal(10)},
)


def run(text: str) -> object:
    return evaluate(parse(text), ENV)


def test_a_title_rule_evaluates_on_decimals() -> None:
    assert run("fair_percent >= 125 and shifts >= 12 and share_at_least(100) >= 75") is True
    assert run("fair_percent >= 150 or share_at_least(110) > 50") is False
    assert run("not (shifts < 12)") is True
    assert run("fair_percent - 31.2 == 100") is True
    assert run("(shifts + 2) * 5 / 4") == Decimal(30)


def test_precedence_and_binds_tighter_than_or_and_arithmetic_than_comparison() -> None:
    assert parse("a or b and c") == Binary("or", Name("a"), Binary("and", Name("b"), Name("c")))
    assert parse("1 + 2 * 3 >= 7") == Binary(
        ">=",
        Binary("+", Number(Decimal(1)), Binary("*", Number(Decimal(2)), Number(Decimal(3)))),
        Number(Decimal(7)),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("shifts >= ", "expected a value at the end"),
        ("(shifts >= 1", "expected '\\)'"),
        ("shifts >= 1)", "unexpected at column 12"),
        ("1 < shifts < 3", "chained comparisons"),
        ("shifts ≥ 12", "unexpected character at column 8"),
        ("__import__('os')", "unexpected character"),
    ],
)
def test_bad_rules_say_where(text: str, message: str) -> None:
    with pytest.raises(ExpressionError, match=message):
        parse(text)


def test_names_are_checked_before_anything_runs() -> None:
    vocabulary = Vocabulary(frozenset({"shifts"}), {"holds": 1})
    vocabulary.check(parse('shifts > 1 and holds("x")'))
    with pytest.raises(ExpressionError, match="unknown name 'open'"):
        vocabulary.check(parse("open > 1"))
    with pytest.raises(ExpressionError, match="unknown function 'eval'"):
        vocabulary.check(parse('eval("1")'))
    with pytest.raises(ExpressionError, match="takes 1 argument"):
        vocabulary.check(parse("holds()"))


def test_type_errors_and_division_by_zero_are_errors_not_crashes() -> None:
    with pytest.raises(ExpressionError, match="needs true or false"):
        run("shifts and true")
    with pytest.raises(ExpressionError, match="needs numbers"):
        run("true + 1")
    with pytest.raises(ExpressionError, match="division by zero"):
        run("shifts / 0 > 1")


def test_references_list_each_name_and_call_once_in_order() -> None:
    node = parse("shifts >= 12 and share_at_least(100) > 1 and shifts < 40")
    assert references(node) == [Name("shifts"), Call("share_at_least", (Number(Decimal(100)),))]


# --- properties ---------------------------------------------------------------------------

numbers = st.decimals(min_value=0, max_value=10_000, places=2, allow_nan=False)
names = st.sampled_from(["shifts", "fair_percent", "hours"])


def trees() -> st.SearchStrategy[Node]:
    leaves: st.SearchStrategy[Node] = st.one_of(
        numbers.map(Number),
        names.map(Name),
        st.booleans().map(Boolean),
        st.text(alphabet="abc-", max_size=5).map(Text),
    )

    def extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
        return st.one_of(
            st.tuples(st.sampled_from(["not", "-"]), children).map(lambda t: Unary(*t)),
            st.tuples(
                st.sampled_from(["or", "and", "<", "<=", ">", ">=", "==", "!=", "+", "-", "*"]),
                children,
                children,
            ).map(lambda t: Binary(t[0], t[1], t[2])),
            st.lists(children, max_size=2).map(lambda args: Call("f", tuple(args))),
        )

    return st.recursive(leaves, extend, max_leaves=12)


@given(trees())
def test_show_then_parse_gives_the_same_tree(tree: Node) -> None:
    assert parse(show(tree)) == tree


OPS = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


@given(numbers, numbers, st.sampled_from(sorted(OPS)), st.booleans())
def test_comparisons_agree_with_decimal(a: Decimal, b: Decimal, op: str, negate: bool) -> None:
    text = f"{'not ' if negate else ''}{a} {op} {b}"
    assert evaluate(parse(text), ENV) is (OPS[op](a, b) is not negate)


@given(numbers, numbers, numbers)
def test_arithmetic_is_exact(a: Decimal, b: Decimal, c: Decimal) -> None:
    assert evaluate(parse(f"{a} + {b} * {c}"), ENV) == a + b * c
    assert evaluate(parse(f"({a} - {b}) * {c}"), ENV) == (a - b) * c
