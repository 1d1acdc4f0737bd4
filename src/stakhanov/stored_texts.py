"""The domain's English texts in the reader's language (decision 0870).

Pay line explanations, audit finding messages and norm provenance are stored in English, as the
domain wrote them. Shown on a page or a slip, a text is matched against the domain's templates
(domain/texts): the template is translated through the catalog and its parameters put back,
numbers in the reader's locale; a parameter that holds words is matched again. A text no
template matches whole is translated part by part between "; "; a part that matches nothing
is shown as written.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import replace
from functools import cache, lru_cache

from babel.numbers import get_decimal_symbol

from stakhanov import i18n
from stakhanov.domain.payslips import PayLine, PaySlip
from stakhanov.domain.texts import CLOCKS, DATES, TEXTS, TOKENS, WORDS
from stakhanov.domain.texts import audit as audit_texts
from stakhanov.domain.texts import norms as norm_texts
from stakhanov.domain.texts import pay as pay_texts

SEPARATOR = "; "
LONGEST_RUN = 8
"""The most parts between "; " a template takes in a text matched part by part (a piece line
and its notes, a deduction and its caps): a long text costs time in proportion to its length."""
NUMBER = r"-?\d+(?:\.\d+)?(?:/\d+)?"
_KINDS = {
    "date": r"\d{4}-\d{2}-\d{2}",
    "clock": r"\d{2}:\d{2}",
    "number": NUMBER,
    "token": r"[^\s;]+",
    "reference": r"[^()]+?",  # the last thing in parentheses: it holds none itself
    "words": r"(?:(?!; ).)+?",  # one part of a text: "; " separates them
    "text": r".+?",
}
TEMPLATES: tuple[str, ...] = (
    *pay_texts.TEMPLATES,
    *audit_texts.TEMPLATES,
    *norm_texts.TEMPLATES,
)


def kind(name: str) -> str:
    """What a placeholder holds, by its name (domain/texts)."""
    if name == "reference":
        return "reference"
    if name in DATES:
        return "date"
    if name in CLOCKS:
        return "clock"
    if name in TOKENS:
        return "token"
    if name in TEXTS:
        return "text"
    return "words" if name in WORDS else "number"


def pattern(template: str) -> re.Pattern[str]:
    """The regular expression that matches what `template.format(...)` writes: a named group
    per placeholder, a back reference where a placeholder comes again."""
    parts, seen = [], set()
    for literal, name, _, _ in string.Formatter().parse(english(template)):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name in seen:
            parts.append(f"(?P={name})")
        else:
            seen.add(name)
            parts.append(f"(?P<{name}>{_KINDS[kind(name)]})")
    return re.compile("".join(parts), re.DOTALL)


def english(template: str) -> str:
    """A template as the domain writes it: `%%` is a percent sign (domain/texts)."""
    return template.replace("%%", "%")


def _literal_length(template: str) -> int:
    return sum(len(literal) for literal, *_ in string.Formatter().parse(template))


@cache
def _patterns() -> tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...]:
    """Every template with its literal text and its pattern, the most specific (the most
    literal text) first, so a general template ("set by {method}") never takes a text a
    specific one matches."""
    ordered = sorted(TEMPLATES, key=lambda t: (-_literal_length(t), t))
    return tuple((t, _literals(t), pattern(t)) for t in ordered)


def _literals(template: str) -> tuple[str, ...]:
    found = (literal for literal, *_ in string.Formatter().parse(english(template)))
    return tuple(sorted({literal for literal in found if literal}, key=len, reverse=True))


def match(text: str) -> tuple[str, dict[str, str]] | None:
    """The template that matches `text` whole, and its parameters; None if none does."""
    for template, literals, compiled in _patterns():
        if not all(literal in text for literal in literals):
            continue  # cheaper than the pattern, and most templates fail here
        found = compiled.fullmatch(text)
        if found is not None:
            return template, found.groupdict()
    return None


def translate(text: str, language: str | None = None) -> str:
    """`text` in the reader's language (the current one unless named)."""
    chosen = i18n.known(language) or i18n.current()
    if chosen == i18n.DEFAULT or not text:
        return text
    return _translated(text, chosen)


@lru_cache(maxsize=8192)  # a slip's lines, a page of findings: shown again and again
def _translated(text: str, language: str) -> str:
    return SEPARATOR.join(
        part if found is None else _render(*found, language) for part, found in runs(text)
    )


def runs(text: str) -> list[tuple[str, tuple[str, dict[str, str]] | None]]:
    """`text` whole with its template, else its parts between "; ": each longest run of parts
    that a template matches, with it, and each part that none matches alone, with None."""
    found = match(text)
    if found is not None:
        return [(text, found)]
    parts = text.split(SEPARATOR)
    shown: list[tuple[str, tuple[str, dict[str, str]] | None]] = []
    start = 0
    while start < len(parts):
        for end in range(min(len(parts), start + LONGEST_RUN), start, -1):
            run = SEPARATOR.join(parts[start:end])
            if end - start < len(parts) and (found := match(run)) is not None:  # whole: above
                shown.append((run, found))
                start = end
                break
        else:
            shown.append((parts[start], None))
            start += 1
    return shown


def _render(template: str, values: dict[str, str], language: str) -> str:
    words = english(i18n.translations(language).gettext(template))
    return words.format(
        **{name: _parameter(name, value, language) for name, value in values.items()}
    )


def _parameter(name: str, value: str, language: str) -> str:
    held = kind(name)
    if held == "number":
        return value if "/" in value else figure(value, language)
    if held not in ("date", "clock", "token"):
        return _translated(value, language)
    return value


def figure(value: str, language: str) -> str:
    """A number as the domain wrote it, in the reader's locale: every decimal it was written
    with (a tariff of 1.30 stays 1,30), the integer part grouped as the locale groups it."""
    sign, digits = ("-", value[1:]) if value.startswith("-") else ("", value)
    whole, point, fraction = digits.partition(".")
    shown = i18n.number(int(whole), language)
    if point:
        shown += get_decimal_symbol(language) + fraction
    return sign + shown


def slip(found: PaySlip, language: str | None = None) -> PaySlip:
    """A slip with every line's explanation in the reader's language (for showing only: the
    stored slip, its JSON and its digest keep the English)."""

    def said(lines: tuple[PayLine, ...]) -> tuple[PayLine, ...]:
        return tuple(replace(line, explain=translate(line.explain, language)) for line in lines)

    return replace(found, lines=said(found.lines), deductions=said(found.deductions))


def untranslated(texts: Iterable[str]) -> list[str]:
    """The texts with a part no template matches (what a test of a period wants empty)."""
    return [t for t in texts if any(found is None for _, found in runs(t))]
