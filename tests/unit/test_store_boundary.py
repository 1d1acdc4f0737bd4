"""Only the store speaks SQL: outside it, code may name SQLAlchemy's connection types and
errors, but builds no query. (Table modules are kept out by the import-linter contract.)"""

from __future__ import annotations

import ast
from pathlib import Path

import stakhanov

ROOT = Path(stakhanov.__file__).parent
OUTSIDE = ("services", "sim", "engine", "cli", "api", "web")
# Types a repository is handed or returns, which name no SQL.
ALLOWED = {"sqlalchemy": {"Connection", "Engine", "Row"}}
# Being moved into store repositories by their own change (as in the import-linter contract).
MOVING = {
    f"services/{name}.py"
    for name in (
        "payroll",
        "distributed",
        "reports",
        "dashboard",
        "importing",
        "entry",
        "corrections",
        "bulk",
        "bulk_read",
        "bulk_checks",
        "bulk_write",
    )
}


def sql_names(source: str) -> list[str]:
    """The SQLAlchemy names a module imports that build or run SQL."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.split(".")[0] == "sqlalchemy"]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
            module = node.module or ""
            if module == "sqlalchemy.exc":
                continue  # errors to catch, not SQL
            allowed = ALLOWED.get(module, set())
            found += [f"{module}.{a.name}" for a in node.names if a.name not in allowed]
    return found


def test_the_check_sees_query_building() -> None:
    source = "from sqlalchemy import Engine, select\nimport sqlalchemy.orm\n"
    assert sorted(sql_names(source)) == ["sqlalchemy.orm", "sqlalchemy.select"]
    assert sql_names("from sqlalchemy import Connection, Engine, Row\n") == []


def test_nothing_outside_the_store_builds_sql() -> None:
    offenders = {}
    for package in OUTSIDE:
        for file in sorted((ROOT / package).rglob("*.py")):
            name = file.relative_to(ROOT).as_posix()
            if name in MOVING:
                continue
            if found := sql_names(file.read_text(encoding="utf-8")):
                offenders[name] = found
    assert offenders == {}
