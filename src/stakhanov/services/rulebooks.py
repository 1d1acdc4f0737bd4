"""The recognition rulebook in force: the bundled default until a higher version is imported."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import Problem, Source
from stakhanov.domain.expressions import show
from stakhanov.domain.nesting import MAX_DEPTH, too_deep
from stakhanov.domain.rulebook import parse_rulebook
from stakhanov.domain.titles import Rulebook
from stakhanov.domain.wording import say
from stakhanov.services.importing import ImportRejected
from stakhanov.store import rulebooks as rulebook_store

BUNDLED = "rulebook.toml"


@dataclass(frozen=True)
class Loaded:
    rulebook: Rulebook
    text: str
    source: str


def bundled_text() -> str:
    return resources.files("stakhanov.data").joinpath(BUNDLED).read_text(encoding="utf-8")


def parse_text(text: str, file: str) -> Rulebook:
    """The rulebook in a TOML text, or ImportRejected with every problem located."""
    if deep := too_deep(text):
        message = say("nested deeper than %(max_depth)s levels", max_depth=MAX_DEPTH)
        raise ImportRejected([Problem(Source(file, deep.line), deep.key, message)])
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        where = Source(file, getattr(err, "lineno", 1) or 1)
        raise ImportRejected(
            [Problem(where, "-", say("not valid TOML: %(err)s", err=str(err)))]
        ) from err
    rulebook, problems = parse_rulebook(data, file, text)
    if rulebook is None:
        raise ImportRejected(problems)
    return rulebook


def in_force(connection: Connection) -> Loaded:
    """The imported rulebook with the highest version, else the bundled default."""
    row = rulebook_store.highest(connection)
    if row is None:
        text = bundled_text()
        return Loaded(parse_text(text, BUNDLED), text, f"bundled {BUNDLED}")
    return Loaded(parse_text(row.text, row.source or "rulebook"), row.text, row.source or "")


def current(engine: Engine) -> Rulebook:
    with engine.connect() as connection:
        return in_force(connection).rulebook


def import_rulebook(engine: Engine, path: Path, author: str) -> tuple[Rulebook, bool]:
    """Store a new version of the rulebook; (rulebook, False) if this exact text is stored."""
    return import_text(engine, path.read_text(encoding="utf-8"), path.name, author)


def import_text(engine: Engine, text: str, name: str, author: str) -> tuple[Rulebook, bool]:
    """A rulebook sent as text (the API), stored as a file is; `name` locates its problems."""
    path = Path(name)
    rulebook = parse_text(text, path.name)
    with engine.begin() as connection:
        same = rulebook_store.of_version(connection, rulebook.version)
        if same is not None and same.text == text:
            return rulebook, False
        loaded = in_force(connection)
        stored = same is not None or loaded.source != f"bundled {BUNDLED}"
        if stored and rulebook.version <= loaded.rulebook.version:
            raise ImportRejected(
                [
                    Problem(
                        Source(path.name, 1),
                        "version",
                        say(
                            "must be above %(version)s, the version in force; a changed rulebook "
                            "is a new version",
                            version=loaded.rulebook.version,
                        ),
                    )
                ]
            )
        rulebook_store.write(connection, rulebook.name, rulebook.version, text, path.name, author)
    return rulebook, True


def describe(loaded: Loaded) -> dict[str, Any]:
    """The rulebook in force as `stakhanov rulebook --json` prints it (and the API serves it)."""
    book = loaded.rulebook
    return {
        "name": book.name,
        "version": book.version,
        "source": loaded.source,
        "titles": [
            {
                "title": rule.code,
                "name": rule.name,
                "rule": "conferred by an authority" if rule.when is None else show(rule.when),
                "valid_months": rule.valid_months,
                "award": None if rule.award is None else str(rule.award),
            }
            for rule in book.titles
        ],
        "gates": {
            "max_reject_share": book.gates.max_reject_share,
            "incident_severities": list(book.gates.severities) or "all",
        },
        "levels": [level.value for level in book.organisation.levels],
        "levels_declared": not book.organisation.fit,
        "industries": dict(book.organisation.industries),
        "record_awards": {k: str(v) for k, v in book.record_awards.items()},
        "honour": book.honour.as_dict(),
    }
