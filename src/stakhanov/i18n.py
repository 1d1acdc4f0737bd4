"""Message catalogs: English, Russian and Spanish, through gettext (decision 0810).

English is the source language: a message is written in English in the code and looked up in
the catalog `locale/<lang>/LC_MESSAGES/stakhanov.mo`; a missing catalog or message falls back
to the English text. The command line follows LANGUAGE, LC_ALL, LC_MESSAGES and LANG as
gettext programs do; the pages and the slips name their language. JSON never goes through here.
"""

from __future__ import annotations

import datetime as dt
import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from functools import cache
from importlib import resources

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal

from stakhanov.domain.errors import InvalidValue, Problem, Refused
from stakhanov.domain.wording import Wording

DOMAIN = "stakhanov"
LANGUAGES = {"en": "English", "ru": "Русский", "es": "Español"}
"""Every language with a catalog, in its own name; adding one is adding a catalog here."""
DEFAULT = "en"
COOKIE = "stakhanov_language"
"""The cookie the pages' language selector sets (the pages and their PDFs follow it)."""
LOCALE_DIR = str(resources.files("stakhanov") / "locale")

_current: ContextVar[str | None] = ContextVar("stakhanov_language", default=None)


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The catalog of one language (English: the messages as written)."""
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def known(language: str | None) -> str | None:
    """A language tag (`ru`, `es_AR.UTF-8`, `pt-BR`) as one of ours, or None."""
    if not language:
        return None
    base = language.replace("-", "_").split(".")[0].split("@")[0].split("_")[0].lower()
    return base if base in LANGUAGES else None


def from_environment(environ: dict[str, str] | None = None) -> str:
    """The language gettext programs would choose: the first set of LANGUAGE (a colon-separated
    list of preferences), LC_ALL, LC_MESSAGES, LANG; C and POSIX mean English."""
    env = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if not value:
            continue
        if name != "LANGUAGE" and (value in ("C", "POSIX") or value.startswith("C.")):
            return DEFAULT
        for tag in value.split(":"):
            if (found := known(tag)) is not None:
                return found
        if name != "LANGUAGE":
            return DEFAULT  # LC_ALL etc. set to a language without a catalog: English
    return DEFAULT


def from_accept_language(header: str | None) -> str:
    """The best of our languages for an HTTP Accept-Language header (by its q weights)."""
    ranked: list[tuple[float, int, str]] = []
    for index, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if (found := known(tag.strip())) is not None and weight > 0:
            ranked.append((-weight, index, found))
    return min(ranked)[2] if ranked else DEFAULT


def of_request(cookie: str | None, accept_language: str | None) -> str:
    """A reader's language over HTTP: the selector's cookie, else the browser's preference."""
    return known(cookie) or from_accept_language(accept_language)


def current() -> str:
    """The language of this context: set by the page or the slip, else the environment's."""
    chosen = _current.get()
    return chosen if chosen is not None else from_environment()


def gettext_(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose English is used in more than one sense ("prepared": a finding's kind, a
    shift's condition); the context tells the translator which."""
    return translations(current()).pgettext(context, message)


def finding_kind(code: object) -> str:
    """A finding's kind (or a close's blocking item's) in the reader's words; the code stays in
    links, forms and exports. A context: "prepared" names a shift's conditions elsewhere."""
    labels = {
        "assisted": pgettext("finding kind", "assisted"),
        "pooled": pgettext("finding kind", "pooled"),
        "implausible": pgettext("finding kind", "implausible"),
        "prepared": pgettext("finding kind", "prepared"),
        "uncredited": pgettext("finding kind", "uncredited"),
        "unpayable": pgettext("finding kind", "unpayable"),
        "dispute": pgettext("finding kind", "dispute"),
    }
    text = str(getattr(code, "value", code))
    return labels.get(text, text)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "mark, translate later")
    """Mark a message for extraction where it is defined; it is translated where shown."""
    return message


_ = gettext_


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Speak a language for the length of a block (a slip, a notice), then as before."""
    token = _current.set(known(language) or DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


# Refusals and problems, written in English where they are raised, in the reader's words here
# (decision 0871). The pages and the command line's readable lines come through; JSON does not.


def localized(text: object, language: str | None = None) -> str:
    """A `Wording` in the reader's language, its values filled in (a value that is a Wording
    too, translated); plain text that is a message of the catalog (a fixed sentence)
    translated; anything else as it is (names, codes)."""
    catalog = translations(language or current())
    if isinstance(text, Wording):
        if text.plural is not None:
            template = catalog.ngettext(text.template, text.plural, text.number)
        else:
            template = catalog.gettext(text.template)
        values = {
            key: localized(value, language) if isinstance(value, Wording) else value
            for key, value in text.params.items()
        }
        return template % values if text.params else template
    if isinstance(text, str):
        return catalog.gettext(text) if text else text
    return str(text)


def problem_line(problem: Problem, language: str | None = None) -> str:
    """`file:row:column: message`, the message in the reader's language."""
    where = str(problem.source) if problem.source else "-:0"
    return f"{where}:{problem.column}: {localized(problem.message, language)}"


def reasons_of(err: Refused, language: str | None = None) -> list[str]:
    """A refusal's reasons in the reader's language: its own, else its located problems."""
    if err.reasons and not (err.problems and err.reasons == [str(p) for p in err.problems]):
        return [localized(reason, language) for reason in err.reasons]
    return [problem_line(problem, language) for problem in err.problems]


def said(err: Refused, language: str | None = None) -> str:
    """The refusal's message (as `str(err)` has it) in the reader's language: a refused value
    with its field and value, else its reasons, else how many problems it found."""
    if isinstance(err, InvalidValue):
        return f"{err.field}={err.value!r}: {localized(err.reason, language)}"
    first = err.args[0] if err.args else ""
    if isinstance(first, Wording) or not err.reasons:
        return localized(first, language)
    return "; ".join(localized(reason, language) for reason in err.reasons)


# Numbers, dates and money in the reader's locale. Exact: a Decimal is formatted as a Decimal,
# every digit it has kept (no quantizing beyond the currency's own minor unit).


def number(value: Decimal | int, language: str | None = None) -> str:
    return format_decimal(value, locale=language or current(), decimal_quantization=False)


def money(amount: Decimal, currency: str, language: str | None = None) -> str:
    locale = language or current()
    text = format_currency(amount, currency, locale=locale, decimal_quantization=False)
    # CLDR's currency spacing, which Babel leaves out: "RUB 341.56", never "RUB341.56".
    if text.startswith(currency) and text[len(currency) : len(currency) + 1].isdigit():
        text = f"{currency}\xa0{text[len(currency) :]}"
    return text


def date(value: dt.date, language: str | None = None) -> str:
    """English keeps the ISO dates the program has always printed (its scripts read them)."""
    locale = language or current()
    if locale == DEFAULT:
        return value.isoformat()
    return format_date(value, format="medium", locale=locale)
