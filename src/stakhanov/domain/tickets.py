"""Tickets and badges: what a QR code printed at the source says (docs/contract.md, decision 0840).

A ticket stands for a bundle, a bin or a work order's piece of work: one operation, a quantity
with its unit, the order or bundle it belongs to, the workplace that printed it and its own id.
A badge names a worker. Both are short text: `stk1:ticket?id=..&order=..` or `stk1:worker?id=..`,
fields percent-encoded, so a phone's camera app shows something readable too.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, quote

from stakhanov.domain.wording import say

PREFIX = "stk1:"
TICKET_FIELDS = ("id", "order", "op", "qty", "unit", "at")
BADGE_FIELDS = ("id",)


class BadPayload(ValueError):
    """A scanned code that is not a stakhanov ticket or badge, with the reason in words."""


@dataclass(frozen=True)
class Ticket:
    ticket_id: str
    order_id: str
    operation: str
    quantity: Decimal
    unit: str
    workplace: str

    def __post_init__(self) -> None:
        for name in ("ticket_id", "order_id", "operation", "unit", "workplace"):
            if not str(getattr(self, name)).strip():
                raise BadPayload(say("the ticket's %(name)s is empty", name=name))
        if not self.quantity.is_finite() or self.quantity <= 0:
            raise BadPayload(
                say(
                    "the ticket's quantity must be more than 0, not %(quantity)s",
                    quantity=self.quantity,
                )
            )

    @property
    def payload(self) -> str:
        values = (
            self.ticket_id,
            self.order_id,
            self.operation,
            str(self.quantity),
            self.unit,
            self.workplace,
        )
        return _encode("ticket", dict(zip(TICKET_FIELDS, values, strict=True)))


@dataclass(frozen=True)
class Badge:
    worker_id: str

    def __post_init__(self) -> None:
        if not self.worker_id.strip():
            raise BadPayload(say("the badge's worker id is empty"))

    @property
    def payload(self) -> str:
        return _encode("worker", {"id": self.worker_id})


def _encode(kind: str, values: dict[str, str]) -> str:
    query = "&".join(f"{key}={quote(value, safe='')}" for key, value in values.items())
    return f"{PREFIX}{kind}?{query}"


def decode(text: str) -> Ticket | Badge:
    """The ticket or badge a code says; BadPayload names what is wrong with it."""
    text = text.strip()
    if not text.startswith("stk"):
        raise BadPayload(say("not a stakhanov ticket or badge (it does not start with stk1:)"))
    if not text.startswith(PREFIX):
        version = text.split(":", 1)[0]
        raise BadPayload(
            say("version %(version)r is not known here; this server reads stk1", version=version)
        )
    kind, _, query = text[len(PREFIX) :].partition("?")
    expected = {"ticket": TICKET_FIELDS, "worker": BADGE_FIELDS}.get(kind)
    if expected is None:
        raise BadPayload(say("%(kind)r is neither a ticket nor a worker badge", kind=kind))
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=True)
    except ValueError as err:
        raise BadPayload(
            say("the %(kind)s code is malformed: %(query)r", kind=kind, query=query)
        ) from err
    values: dict[str, str] = {}
    for key, value in pairs:
        if key not in expected:
            raise BadPayload(
                say("the %(kind)s code has an unknown field %(key)r", kind=kind, key=key)
            )
        if key in values:
            raise BadPayload(say("the %(kind)s code repeats the field %(key)r", kind=kind, key=key))
        values[key] = value
    missing = [key for key in expected if key not in values]
    if missing:
        raise BadPayload(
            say("the %(kind)s code lacks %(missing)s", kind=kind, missing=", ".join(missing))
        )
    if kind == "worker":
        return Badge(values["id"])
    try:
        quantity = Decimal(values["qty"])
    except InvalidOperation as err:
        raise BadPayload(
            say("the ticket's quantity %(quantity)r is not a number", quantity=values["qty"])
        ) from err
    return Ticket(
        values["id"], values["order"], values["op"], quantity, values["unit"], values["at"]
    )
