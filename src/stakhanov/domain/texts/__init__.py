"""The English templates of the texts the domain writes: pay line explanations, audit finding
messages, norm provenance (decision 0870).

The domain writes these texts in English and they are stored so (pay_lines.explain, findings'
messages): JSON, exports and the digest read them as written. A page or a slip in another
language matches a stored text against these templates (stakhanov/stored_texts.py), translates the
template through the catalog and puts the parameters back, numbers in the reader's locale.

A template is a `str.format` string with named placeholders, marked with `T_` so that
`scripts/catalogs` extracts it; a percent sign is written `%%`, as in gettext's Python
formats, so that the catalog tools never read "% of" or "% x" as a placeholder. A
placeholder's name says what it holds: a date (`DATES`), a time of day (`CLOCKS`), an id
(`TOKENS`), words (`WORDS`, `TEXTS`: names, notes, other texts, themselves matched again), else
a number as `figure` writes it (`12`, `-0.5`, `1/3`), which the reader's locale formats.
"""

from __future__ import annotations

TOKENS = frozenset(
    {"code", "shift", "claim", "award", "title", "method_id", "revision", "worker", "dispute"}
)
"""Placeholders that hold one word without spaces: a code or an id."""

CLOCKS = frozenset({"time_from", "time_to", "clock_from", "clock_to"})
"""Placeholders that hold a time of day (`22:00`), shown as written."""

DATES = frozenset({"date", "day", "first", "last", "start", "end"})
"""Placeholders that hold an ISO date (`1935-08-31`), shown as written."""

WORDS = frozenset(
    {
        "where",
        "operation",
        "unit",
        "per",
        "label",
        "name",
        "bonus",
        "reference",
        "period",
        "window",
        "formula",
        "limit",
        "basis",
        "how",
        "over",
        "why",
        "card",
        "line",
        "versions",
        "days",
        "order",
        "split",
        "factors",
        "method",
        "method_title",
        "authors",
        "change",
        "excluded",
        "study",
        "scales",
        "subject",
        "currency",
        "shares",
        "average",
        "wage",
        "percent_of_norm",
        "work",
        "workers",
        "donors",
        "rates",
        "blockers",
        "approved_by",
        "grade",
        "accounting",
    }
)
"""Placeholders that hold words: shown as written, or translated again when they match a
template themselves (a line's `where`, a rest line's `basis`). Words never hold "; ", which
separates a text's parts; `TEXTS` may."""

TEXTS = frozenset(
    {"counted", "base", "parts", "plan", "explain", "note", "reason", "evidence", "what", "text"}
)
"""Placeholders whose words may hold "; ": texts of several parts (a deduction's `base`), or
typed by a person (a note); matched again like `WORDS`."""


def T_(template: str) -> str:  # noqa: N802 (gettext's style: a marker the extractor knows)
    """Mark a domain template for extraction; it is translated where a text is shown."""
    return template
