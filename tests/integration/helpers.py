"""Writing small import directories for tests."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from stakhanov.services.importing import ImportRejected, import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source

MINI = Path(__file__).parent.parent / "fixtures" / "mini"


def mini_copy(target: Path) -> Path:
    """A writable copy of the hand-checked mini data set."""
    folder = target / "mini"
    shutil.copytree(MINI, folder)
    return folder


def mini_loaded(engine: Engine, target: Path) -> Engine:
    """The database with the mini data set imported."""
    import_batch(engine, read_source(mini_copy(target), set(FORMATS)))
    return engine


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text.lstrip("\n"), encoding="utf-8")
    return path


def append(folder: Path, name: str, line: str) -> None:
    with (folder / name).open("a", encoding="utf-8") as handle:
        handle.write(line.rstrip("\n") + "\n")


def analysed_tables(engine: Engine) -> set[str]:
    """The tables whose planner statistics have been refreshed by ANALYZE."""
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            query = "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL"
        else:
            query = "SELECT tbl FROM sqlite_stat1"
        return set(connection.exec_driver_sql(query).scalars())


def import_outcome(run: Callable[[], Any]) -> Any:
    """What an import (`run`) ends in, comparable between two ways of importing: its problems
    in order, or each file's counts."""
    try:
        report = run()
    except ImportRejected as refused:
        return [str(p) for p in refused.problems]
    return {f: vars(c) for f, c in report.files.items()}
