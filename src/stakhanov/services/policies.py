"""The organisation's governance policy: kept as the TOML it was written in, latest one in force."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass

from sqlalchemy import Connection, Engine

from stakhanov.domain.errors import InvalidValue, Refused
from stakhanov.domain.governance import Policy, policy_from
from stakhanov.domain.nesting import MAX_DEPTH, too_deep
from stakhanov.domain.wording import say
from stakhanov.store import policies as policy_store


class PolicyRefused(Refused):
    """The policy file is not valid TOML or not a valid policy; nothing was written."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message, field="text")
        self.line = line


_AT_LINE = re.compile(r"at line (\d+)")


def _line_of(text: str, key: str) -> int:
    """The first line that writes `key` (as a key or a table header), else 1."""
    pattern = re.compile(rf'^\s*(\[+\s*)?"?{re.escape(key)}"?\s*(=|\])')
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 1


@dataclass(frozen=True)
class StoredPolicy:
    policy: Policy
    policy_id: int | None
    document: str | None
    author: str | None


def parse(text: str) -> Policy:
    if deep := too_deep(text):
        raise PolicyRefused(
            say(
                "%(key)s: nested deeper than %(max_depth)s levels",
                key=deep.key,
                max_depth=MAX_DEPTH,
            ),
            deep.line,
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        found = _AT_LINE.search(str(err))
        line = int(found.group(1)) if found else 1
        raise PolicyRefused(say("not valid TOML: %(err)s", err=str(err)), line) from err
    try:
        return policy_from(data)
    except InvalidValue as err:
        raise PolicyRefused(
            say("%(field)s: %(reason)s", field=err.field, reason=err.reason),
            _line_of(text, err.field),
        ) from err


def current(connection: Connection) -> StoredPolicy:
    """The latest policy written, or the defaults if none was."""
    found = policy_store.latest(connection)
    if found is None:
        return StoredPolicy(Policy(), None, None, None)
    return StoredPolicy(parse(found.document), found.policy_id, found.document, found.author)


def load(engine: Engine) -> StoredPolicy:
    with engine.connect() as connection:
        return current(connection)


def write(engine: Engine, text: str, author: str, reason: str | None) -> StoredPolicy:
    """Check and record a new policy; it governs every proposal made from now on."""
    policy = parse(text)
    with engine.begin() as connection:
        policy_id = policy_store.write(connection, text, author, reason)
    return StoredPolicy(policy, policy_id, text, author)
