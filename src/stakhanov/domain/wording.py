"""A sentence for people that keeps how it was made (decision 0871).

A refusal or a problem is written in English where it is raised, as a template and its values:
`say("no revision %(number)s", number=7)`. It *is* the English text (a `str`), so JSON, logs and
every existing comparison read it unchanged; the pages and the command line look the template up
in the reader's catalog (`stakhanov.i18n.localized`) and fill in the same values.
`say` and `say_n` are extraction keywords (scripts/catalogs).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class Wording(str):
    """English text that remembers its template (and plural), for translating at the edges."""

    template: str
    plural: str | None
    number: int
    params: Mapping[str, Any]

    def __new__(
        cls,
        template: str,
        params: Mapping[str, Any],
        plural: str | None = None,
        count: int = 1,
    ) -> Wording:
        chosen = plural if plural is not None and count != 1 else template
        made = super().__new__(cls, chosen % params if params else chosen)
        made.template, made.plural, made.number, made.params = template, plural, count, params
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # pickled whole: a refusal crosses processes
        return (Wording, (self.template, dict(self.params), self.plural, self.number))


def say(template: str, /, **params: Any) -> Wording:
    """An English sentence with named values (`%(name)s`), translated where it is shown."""
    return Wording(template, params)


def say_n(singular: str, plural: str, count: int, /, **params: Any) -> Wording:
    """A sentence about a number of things; `%(count)d` is the number."""
    return Wording(singular, {"count": count, **params}, plural, count)
