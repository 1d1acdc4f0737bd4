"""Every refusal a service raises, answered once for the whole command line.

A refusal is invalid data (exit 1), whatever its kind: the message goes to stderr, one line per
reason or per located problem (`file:row:column: message`), in the reader's language (LANG,
decision 0871; English with --json, for the script that reads it), and nothing was written. Usage
errors (exit 2) are the options' own and never reach here.
"""

from __future__ import annotations

from typing import Any

import typer
from typer.core import TyperGroup

from stakhanov.cli.output import rejected
from stakhanov.domain.errors import InvalidValue, Refusal, Refused
from stakhanov.i18n import DEFAULT, localized, problem_line, said, speaking

EXIT: dict[Refusal, int] = dict.fromkeys(Refusal, 1)
"""The exit code of each kind of refusal: all are invalid data."""


def refused_exit(err: Refused) -> typer.Exit:
    """Print why, one line per reason or located problem, and that nothing was written."""
    if err.problems:
        lines = [problem_line(p) for p in err.problems]
    elif isinstance(err, InvalidValue):
        lines = [said(err)]  # names the option's field and value beside the reason
    else:
        lines = [localized(reason) for reason in err.reasons]
    rejected(lines)
    return typer.Exit(EXIT[err.kind])


class RefusingGroup(TyperGroup):
    """The root command: a refusal raised by any subcommand ends it with its exit code. Asked
    for JSON (a script), its lines stay English, as the JSON does (decision 0871)."""

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        ctx.meta[_FOR_A_SCRIPT] = "--json" in args
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except Refused as err:
            if ctx.meta.get(_FOR_A_SCRIPT):
                with speaking(DEFAULT):
                    raise refused_exit(err) from err
            raise refused_exit(err) from err


_FOR_A_SCRIPT = "stakhanov.json"
