"""A scale file built to crash the parser is refused with its line and key, never a traceback."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stakhanov.domain.nesting import MAX_DEPTH, too_deep
from stakhanov.domain.scale_files import parse_scale
from stakhanov.services import policies, rulebooks
from stakhanov.services.importing import ImportRejected
from stakhanov.services.policies import PolicyRefused

HEAD = 'name = "bomb"\neffective_from = "1935-01-01"\ncurrency = "RUB"\n'


def refusal(text: str) -> list[str]:
    scale, problems = parse_scale(text, "bomb.toml")
    assert scale is None
    return [str(p) for p in problems]


def test_deeply_nested_arrays_are_refused_at_their_key() -> None:
    text = HEAD + "[grades]\n" + '"4" = ' + "[" * 5000 + "]" * 5000 + "\n"
    assert refusal(text) == [f"bomb.toml:5:grades.4: nested deeper than {MAX_DEPTH} levels"]


def test_deeply_nested_inline_tables_are_refused_at_their_key() -> None:
    text = HEAD + "operations = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n"
    assert refusal(text) == [f"bomb.toml:4:operations: nested deeper than {MAX_DEPTH} levels"]


def test_a_multi_line_array_counts_its_lines() -> None:
    text = HEAD + "operations = [\n  # a comment with [[[ brackets\n" + "[\n" * 40 + "\n"
    assert refusal(text) == [f"bomb.toml:{5 + MAX_DEPTH}:operations: nested deeper than 16 levels"]


def test_brackets_inside_strings_and_headers_do_not_count() -> None:
    text = HEAD + 'description = "' + "[" * 100 + '"\n[[tiers]]\nabove = 100\nmultiplier = "1.5"\n'
    assert too_deep(text) is None
    literal = "description = '''\n" + "{" * 100 + "\n'''\n"
    assert too_deep(literal) is None


def test_a_file_over_a_mebibyte_is_refused_before_parsing() -> None:
    text = HEAD + 'description = "' + "x" * (1024 * 1024) + '"\n'
    assert refusal(text) == ["bomb.toml:1:-: is larger than 1 MiB; no scale is"]


@given(st.integers(min_value=1, max_value=200), st.sampled_from(["[]", "{}"]))
def test_nesting_is_refused_exactly_beyond_the_limit(depth: int, pair: str) -> None:
    opener, closer = pair
    value = "[" + opener * (depth - 1) + closer * (depth - 1) + "]"
    found = too_deep(f"operations = {value}\n")
    assert (found is not None) == (depth > MAX_DEPTH)


@given(st.text(max_size=300))
def test_any_text_gives_a_scale_or_problems_never_an_exception(text: str) -> None:
    scale, problems = parse_scale(text, "any.toml")
    assert (scale is None) == bool(problems)


def test_rulebooks_and_policies_refuse_the_same_nesting() -> None:
    text = "a = " + "[" * 3000 + "]" * 3000 + "\n"
    with pytest.raises(PolicyRefused, match="a: nested deeper than 16 levels"):
        policies.parse(text)
    with pytest.raises(ImportRejected) as rejected:
        rulebooks.parse_text(text, "rules.toml")
    assert [str(p) for p in rejected.value.problems] == [
        "rules.toml:1:a: nested deeper than 16 levels"
    ]
