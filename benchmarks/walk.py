"""A walk through every page as every role, in every language, over a generated month.

Run: .venv/bin/python benchmarks/walk.py [--rows 100000] [--repeat 3] [--lang ru ...] [--db FILE]

It generates a month (`stakhanov generate`), imports it with the bulk import (which keeps the
read model), logs in one account per role (the foreman over a generated brigade, the worker as a
generated worker), serves the pages on a free port of 127.0.0.1 and fetches, over HTTP, each page
each role may open, `--repeat` times in each language. It prints, per page and language, the
status and the p50 and p95 wall seconds over every role that may open it, then every text a page
showed in English although its catalog translates it (a heading, a button or a label left out
of the catalogs). `--db` walks a database already imported (a copy is not made: nothing is
written but the logins). No thresholds: what it prints is read, and the times compare only
within one run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from html.parser import HTMLParser
from pathlib import Path

import httpx
from fastapi.routing import APIRoute
from sqlalchemy import Engine, text

from stakhanov.api.security import COOKIE, Requirement, requirement_of
from stakhanov.domain.access import Grant, Role
from stakhanov.i18n import COOKIE as LANGUAGE_COOKIE
from stakhanov.i18n import LANGUAGES, translations
from stakhanov.services import accounts
from stakhanov.services.bulk_write import import_directory
from stakhanov.services.generator import Settings, generate
from stakhanov.store.db import make_engine, upgrade
from stakhanov.web.in_thread import served

ROWS_PER_WORKER = 16.7  # crew rows per worker in a generated 30-day month
PASSWORD = "walk-the-pages-2026"
SKIPPED = re.compile(r"\.(csv|xlsx|pdf|png|svg)$|^/(login|logout|static)|/export|/print")
PATIENCE_S = 600.0  # a hung page ends the walk; a slow one is measured
DIED = 599  # the status of a page whose connection the server dropped


def roles(brigade: str, worker: str) -> list[tuple[str, Grant, str | None]]:
    """(username, grant, worker): one account per role, scoped as the pages' users are."""
    return [
        ("walk-worker", Grant(Role.WORKER), worker),
        ("walk-foreman", Grant(Role.FOREMAN, brigade), None),
        *((f"walk-{role.value}", Grant(role), None) for role in _unscoped()),
    ]


def _unscoped() -> list[Role]:
    return [r for r in Role if r not in (Role.WORKER, Role.FOREMAN)]


class _Texts(HTMLParser):
    """The text nodes a person reads (not scripts or styles)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and (stripped := " ".join(data.split())):
            self.found.append(stripped)


def texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.found


def translated_messages(language: str) -> set[str]:
    """The English messages (without placeholders) that the language's catalog translates."""
    catalog = translations(language)
    found = getattr(catalog, "_catalog", {})
    return {
        key
        for key, value in found.items()
        if isinstance(key, str) and key and "%" not in key and value and value != key
    }


def left_in_english(html: str, english: set[str]) -> set[str]:
    return {node for node in texts(html) if node in english}


def _database(folder: Path, rows: int) -> Engine:
    workers = max(10, round(rows / ROWS_PER_WORKER))
    print(f"generating {workers} workers over 30 days…", file=sys.stderr)
    generate(Settings(workers=workers, days=30, seed=1), folder / "month")
    engine = make_engine(f"sqlite:///{folder / 'ledger.db'}")
    upgrade(engine)
    print("importing…", file=sys.stderr)
    import_directory(engine, folder / "month", author="walk")
    return engine


def _accounts(engine: Engine) -> dict[str, str]:
    """Each role's login: username -> session token (accounts made once per database)."""
    with engine.connect() as connection:
        brigade, worker = connection.execute(
            text("SELECT home, worker_id FROM read_results ORDER BY home, worker_id LIMIT 1")
        ).one()
    tokens = {}
    for username, grant, worker_id in roles(brigade, worker):
        if accounts.account_named(engine, username) is None:
            accounts.add_user(
                engine, username, PASSWORD, author="walk", worker_id=worker_id, grants=[grant]
            )
        tokens[username] = accounts.login(engine, username, PASSWORD, client="walk").token
    return tokens


def _path_values(engine: Engine) -> dict[str, str]:
    with engine.connect() as connection:
        worker = connection.execute(
            text("SELECT worker_id FROM read_results ORDER BY worker_id LIMIT 1")
        ).scalar_one()
        brigade = connection.execute(
            text("SELECT home FROM read_results ORDER BY home LIMIT 1")
        ).scalar_one()
    return {"worker_id": worker, "unit": brigade}


def _pages(app: object, values: dict[str, str]) -> list[tuple[str, Requirement | None]]:
    found = []
    for route in getattr(app, "state").page_routes:  # noqa: B009 (FastAPI's state)
        if not isinstance(route, APIRoute) or "GET" not in route.methods:
            continue
        names = re.findall(r"\{(\w+)\}", route.path)
        if SKIPPED.search(route.path) or any(n not in values for n in names):
            continue
        path = re.sub(r"\{(\w+)\}", lambda m: values[m[1]], route.path)
        found.append((path, requirement_of(route)))
    return found


def _fetch(
    client: httpx.Client, path: str, params: dict[str, str], repeat: int, seconds: list[float]
) -> httpx.Response | None:
    """The page `repeat` times, each time added to `seconds`; the last answer, or None when the
    server dropped the connection (counted as a failure, the walk goes on)."""
    response = None
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            response = client.get(path, params=params)
        except httpx.HTTPError as err:
            print(f"{path}: {err!r}", file=sys.stderr)
            return None
        seconds.append(time.perf_counter() - started)
    return response


def walk(engine: Engine, languages: list[str], repeat: int) -> int:
    from stakhanov.web.app import create_app

    tokens = _accounts(engine)
    values = _path_values(engine)
    app = create_app(engine)
    seconds: dict[tuple[str, str], list[float]] = defaultdict(list)
    statuses: dict[tuple[str, str], set[int]] = defaultdict(set)
    leftovers: dict[tuple[str, str], set[str]] = defaultdict(set)
    english = {lang: translated_messages(lang) for lang in languages if lang != "en"}
    with served(app, PATIENCE_S) as url:
        for username, token in tokens.items():
            account = accounts.account_named(engine, username)
            assert account is not None
            for path, requirement in _pages(app, values):
                if requirement is not None and not requirement.met_by(account):
                    continue
                params = {"unit": values["unit"]} if path == "/units" else {}
                for lang in languages:
                    cookies = {COOKIE: token, LANGUAGE_COOKIE: lang}
                    with httpx.Client(base_url=url, cookies=cookies, timeout=PATIENCE_S) as client:
                        last = _fetch(client, path, params, repeat, seconds[(path, lang)])
                    statuses[(path, lang)].add(last.status_code if last is not None else DIED)
                    if last is not None and lang in english and last.status_code == 200:
                        leftovers[(path, lang)] |= left_in_english(last.text, english[lang])
    print(f"{'page':44} {'lang':4} {'status':8} {'p50 s':>7} {'p95 s':>7}")
    for (path, lang), codes in sorted(statuses.items()):
        ordered = sorted(seconds[(path, lang)]) or [float("nan")]
        p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
        said = ",".join(map(str, sorted(codes)))
        print(f"{path:44} {lang:4} {said:8} {statistics.median(ordered):7.2f} {p95:7.2f}")
    left = {key: found for key, found in sorted(leftovers.items()) if found}
    print(f"\ntexts left in English: {sum(map(len, left.values()))}")
    for (path, lang), found in left.items():
        print(f"  {lang} {path}: {'; '.join(sorted(found))}")
    failed = [key for key, codes in statuses.items() if any(c >= 500 for c in codes)]
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="crew rows in the month")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", action="append", choices=sorted(LANGUAGES))
    parser.add_argument("--db", type=Path, help="a SQLite ledger already imported")
    args = parser.parse_args()
    languages = args.lang or list(LANGUAGES)
    started = dt.datetime.now()
    with tempfile.TemporaryDirectory(prefix="stakhanov-walk-") as folder:
        if args.db:
            engine = make_engine(f"sqlite:///{args.db}")
            upgrade(engine)  # a ledger imported before the latest migrations
        else:
            engine = _database(Path(folder), args.rows)
        code = walk(engine, languages, args.repeat)
        engine.dispose()
    print(f"walked in {(dt.datetime.now() - started).total_seconds():.0f} s", file=sys.stderr)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
