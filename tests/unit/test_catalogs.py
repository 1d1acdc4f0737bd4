"""The message catalogs are complete: every message the code and the templates mark is in the
Russian and the Spanish catalog, translated in every plural form, with the same placeholders,
and the shipped .mo files are compiled from the .po files as they are now."""

from __future__ import annotations

import gettext
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from stakhanov.i18n import DEFAULT, LANGUAGES, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
TRANSLATED = sorted(set(LANGUAGES) - {DEFAULT})
KEYWORDS = {"_": None, "gettext_": None, "N_": None, "T_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


@cache
def extracted() -> frozenset[str]:
    with (ROOT / "babel.cfg").open() as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    found = extract_from_dir(str(ROOT), method_map, options_map, keywords=KEYWORDS, comment_tags=())
    ids = set()
    for _file, _line, message, _comments, _context in found:
        ids.add(message[0] if isinstance(message, tuple) else message)
    return frozenset(ids)


def catalog(language: str) -> Catalog:
    path = Path(LOCALE_DIR) / language / "LC_MESSAGES" / "stakhanov.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


def test_extraction_finds_the_marked_messages() -> None:
    ids = extracted()
    assert "%(count)d problem; nothing was written" in ids  # the command line (ngettext)
    assert "Net pay:" in ids  # a template
    assert "Overview" in ids  # the navigation, marked with N_
    assert "{percent}%% of the norm" in ids  # a domain template, marked with T_


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    po = catalog(language)
    assert po.num_plurals == {"ru": 3, "es": 3}.get(language, po.num_plurals)
    by_id = {(m.id[0] if isinstance(m.id, tuple) else m.id): m for m in po if m.id}
    missing = sorted(extracted() - set(by_id))
    assert missing == [], f"not in the {language} catalog: run scripts/catalogs"
    for key, message in by_id.items():
        assert "fuzzy" not in message.flags, key
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        assert len(forms) == (po.num_plurals if message.pluralizable else 1), key
        sources = message.id if isinstance(message.id, tuple) else (message.id,)
        for form in forms:
            assert form, f"{language}: untranslated {key!r}"
            assert placeholders(form) == placeholders(sources[-1]), (language, key, form)


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_shipped_mo_is_compiled_from_the_po(language: str) -> None:
    mo = gettext.translation("stakhanov", LOCALE_DIR, languages=[language])
    po = catalog(language)
    plural = gettext.c2py(po.plural_expr)
    for message in po:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            for n in (1, 2, 5, 21, 1000000):
                assert mo.ngettext(*message.id, n) == message.string[plural(n)], message.id
        elif message.context:  # pgettext: the same English in another sense
            assert mo.pgettext(message.context, message.id) == message.string, message.id
        else:
            assert mo.gettext(message.id) == message.string, message.id
