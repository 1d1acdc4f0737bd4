"""A small, safe expression language for title rules: parsed here, never handed to eval.

    fair_percent >= 150 and shifts >= 12 and (verified_records >= 1 or innovations >= 1)

Numbers are Decimals. The grammar has `or`, `and`, `not`, the comparisons `< <= > >= == !=`,
`+ - * /`, unary minus, parentheses, `true`/`false`, double-quoted strings, variables and calls
of named functions. Names are checked against what the caller offers before anything runs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

Value = Decimal | bool | str


class ExpressionError(ValueError):
    """A rule that cannot be parsed, names something unknown, or fails on its values."""


@dataclass(frozen=True)
class Number:
    value: Decimal


@dataclass(frozen=True)
class Text:
    value: str


@dataclass(frozen=True)
class Boolean:
    value: bool


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Node, ...]


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Node


@dataclass(frozen=True)
class Binary:
    op: str
    left: Node
    right: Node


Node = Number | Text | Boolean | Name | Call | Unary | Binary

_TOKEN = re.compile(
    r"\s*(?:(?P<number>\d+(?:\.\d+)?)|(?P<string>\"[^\"]*\")|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op><=|>=|==|!=|[<>+\-*/(),]))"
)
_COMPARISONS = ("<", "<=", ">", ">=", "==", "!=")
_KEYWORDS = ("and", "or", "not", "true", "false")


def _tokens(text: str) -> list[tuple[str, str, int]]:
    found: list[tuple[str, str, int]] = []
    position = 0
    while position < len(text):
        if not text[position:].strip():
            break
        match = _TOKEN.match(text, position)
        if match is None or match.lastgroup is None:
            column = len(text) - len(text[position:].lstrip()) + 1
            raise ExpressionError(f"unexpected character at column {column}: {text[column - 1]!r}")
        kind = match.lastgroup
        value, column = match.group(kind), match.start(kind) + 1
        if kind == "name" and value in _KEYWORDS:
            kind = value
        found.append((kind, value, column))
        position = match.end()
    return found


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, *kinds: str) -> tuple[str, str, int] | None:
        token = self.peek()
        if token is not None and (token[0] in kinds or token[1] in kinds):
            self.at += 1
            return token
        return None

    def expect(self, value: str) -> None:
        if self.take(value) is None:
            raise self.error(f"expected {value!r}")

    def error(self, message: str) -> ExpressionError:
        token = self.peek()
        where = f"at column {token[2]} ({token[1]!r})" if token else "at the end"
        return ExpressionError(f"{message} {where}")

    def parse(self) -> Node:
        if not self.tokens:
            raise ExpressionError("the expression is empty")
        node = self.disjunction()
        if self.peek() is not None:
            raise self.error("unexpected")
        return node

    def disjunction(self) -> Node:
        node = self.conjunction()
        while self.take("or"):
            node = Binary("or", node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.negation()
        while self.take("and"):
            node = Binary("and", node, self.negation())
        return node

    def negation(self) -> Node:
        if self.take("not"):
            return Unary("not", self.negation())
        return self.comparison()

    def comparison(self) -> Node:
        node = self.sum()
        token = self.take(*_COMPARISONS)
        if token is not None:
            node = Binary(token[1], node, self.sum())
            if self.take(*_COMPARISONS):
                raise ExpressionError("chained comparisons are not allowed; join them with 'and'")
        return node

    def sum(self) -> Node:
        node = self.product()
        while token := self.take("+", "-"):
            node = Binary(token[1], node, self.product())
        return node

    def product(self) -> Node:
        node = self.unary()
        while token := self.take("*", "/"):
            node = Binary(token[1], node, self.unary())
        return node

    def unary(self) -> Node:
        if self.take("-"):
            return Unary("-", self.unary())
        return self.atom()

    def atom(self) -> Node:
        token = self.peek()
        if token is None:
            raise self.error("expected a value")
        kind, value, _ = token
        self.at += 1
        if kind == "number":
            return Number(Decimal(value))
        if kind == "string":
            return Text(value[1:-1])
        if kind in ("true", "false"):
            return Boolean(kind == "true")
        if kind == "name":
            if not self.take("("):
                return Name(value)
            args: list[Node] = []
            if not self.take(")"):
                args.append(self.disjunction())
                while self.take(","):
                    args.append(self.disjunction())
                self.expect(")")
            return Call(value, tuple(args))
        if value == "(":
            node = self.disjunction()
            self.expect(")")
            return node
        self.at -= 1
        raise self.error("expected a value")


def parse(text: str) -> Node:
    """Parse an expression or raise ExpressionError saying where it went wrong."""
    return _Parser(text).parse()


def show(node: Node) -> str:
    """The expression as text, fully parenthesised; parse(show(n)) == n."""
    if isinstance(node, Number):
        return format(node.value, "f")
    if isinstance(node, Text):
        return f'"{node.value}"'
    if isinstance(node, Boolean):
        return "true" if node.value else "false"
    if isinstance(node, Name):
        return node.name
    if isinstance(node, Call):
        return f"{node.name}({', '.join(show(a) for a in node.args)})"
    if isinstance(node, Unary):
        space = " " if node.op == "not" else ""
        return f"({node.op}{space}{show(node.operand)})"
    return f"({show(node.left)} {node.op} {show(node.right)})"


def references(node: Node) -> list[Name | Call]:
    """The variables and calls an expression uses, in order of first appearance."""
    found: list[Name | Call] = []
    if isinstance(node, Name | Call) and node not in found:
        found.append(node)
    children: tuple[Node, ...] = ()
    if isinstance(node, Call):
        children = node.args
    elif isinstance(node, Unary):
        children = (node.operand,)
    elif isinstance(node, Binary):
        children = (node.left, node.right)
    for child in children:
        found.extend(r for r in references(child) if r not in found)
    return found


Function = Callable[..., Value]


@dataclass(frozen=True)
class Vocabulary:
    """The names a rule may use: variables, and functions with their number of arguments."""

    variables: frozenset[str]
    functions: Mapping[str, int]

    def check(self, node: Node) -> None:
        for ref in references(node):
            if isinstance(ref, Name) and ref.name not in self.variables:
                known = ", ".join(sorted(self.variables))
                raise ExpressionError(f"unknown name {ref.name!r}; known: {known}")
            if isinstance(ref, Call):
                arity = self.functions.get(ref.name)
                if arity is None:
                    known = ", ".join(sorted(self.functions))
                    raise ExpressionError(f"unknown function {ref.name!r}; known: {known}")
                if arity != len(ref.args):
                    raise ExpressionError(f"{ref.name}() takes {arity} argument(s)")


@dataclass(frozen=True)
class Environment:
    variables: Mapping[str, Value]
    functions: Mapping[str, Function]


def _number(value: Value, op: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise ExpressionError(f"{op} needs numbers, got {value!r}")
    return value


def _truth(value: Value, op: str) -> bool:
    if not isinstance(value, bool):
        raise ExpressionError(f"{op} needs true or false, got {value!r}")
    return value


def evaluate(node: Node, env: Environment) -> Value:
    """The value of an expression; `and`/`or` short-circuit like Python's."""
    if isinstance(node, Number | Text | Boolean):
        return node.value
    if isinstance(node, Name):
        return env.variables[node.name]
    if isinstance(node, Call):
        return env.functions[node.name](*(evaluate(a, env) for a in node.args))
    if isinstance(node, Unary):
        if node.op == "not":
            return not _truth(evaluate(node.operand, env), "not")
        return -_number(evaluate(node.operand, env), "-")
    if node.op in ("and", "or"):
        left = _truth(evaluate(node.left, env), node.op)
        if left is (node.op == "or"):
            return left
        return _truth(evaluate(node.right, env), node.op)
    left_value, right_value = evaluate(node.left, env), evaluate(node.right, env)
    if node.op in ("==", "!="):
        return (left_value == right_value) is (node.op == "==")
    a, b = _number(left_value, node.op), _number(right_value, node.op)
    return _ARITHMETIC[node.op](a, b)


def _divide(a: Decimal, b: Decimal) -> Decimal:
    if b == 0:
        raise ExpressionError("division by zero")
    try:
        return a / b
    except InvalidOperation as err:
        raise ExpressionError(f"cannot divide {a} by {b}") from err


_ARITHMETIC: dict[str, Callable[[Decimal, Decimal], Value]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": _divide,
}
