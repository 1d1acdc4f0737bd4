"""Recognition commands: records, titles, rulebook, awards, mentoring, competition, honour,
incidents."""

from __future__ import annotations

import typer

from stakhanov.cli import awards, competition, honour, mentoring, records, titles


def register(app: typer.Typer) -> None:
    for module in (records, titles, awards, mentoring, competition, honour):
        module.register(app)
