"""What the recognition commands share: dates and the acting person."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.periods import parse_date
from stakhanov.services.importing import default_author

ByOption = Annotated[
    str | None, typer.Option("--by", help="Who records this (default: the system user).")
]


def day(text: str | None, option: str, default: dt.date | None = None) -> dt.date:
    """An ISO date option, or a usage error (exit 2)."""
    if text is None:
        if default is None:
            raise typer.BadParameter("is required", param_hint=option)
        return default
    try:
        return parse_date(text, option)
    except InvalidValue as err:
        raise typer.BadParameter(f"{err.value!r} {err.reason}", param_hint=option) from err


def actor(by: str | None) -> str:
    return by.strip() if by and by.strip() else default_author()
