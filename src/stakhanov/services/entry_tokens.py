"""Entry tokens: what a kiosk keeps instead of a worker's PIN for entries made offline.

When a worker records his work at the kiosk with his PIN while the network is up, the server
answers with a token: the worker, the kiosk's account and an expiry, signed with a key only
the server holds (HMAC-SHA256). The kiosk keeps the token, never the PIN; an entry made later
without a network carries the token, and the server takes it in place of the PIN if it is
unaltered, unexpired, and names the same worker and kiosk. Each entry still writes once: its
client id is the idempotency key (decision 0841). Decision 0866.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import hmac
import json

from sqlalchemy import Engine

from stakhanov.domain.wording import say
from stakhanov.store import server_keys

KEY_NAME = "entry-token"
VERSION = "kt1"
LIFETIME = dt.timedelta(hours=12)  # a shift and its breaks: long enough for an outage, no more
TAMPERED = say("the entry token is not one this server issued")
EXPIRED = say("the entry token has expired")
NOT_HIS = say("the entry token is another worker's or another kiosk's")


def signing_key(engine: Engine) -> bytes:
    with engine.begin() as connection:
        return server_keys.key(connection, KEY_NAME)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, f"{VERSION}.{body}".encode(), hashlib.sha256).digest())


def issue(key: bytes, worker_id: str, kiosk: str, at: dt.datetime) -> str:
    """A token for the worker at this kiosk (the account that opened it), good until
    `at + LIFETIME`."""
    expires = int((at + LIFETIME).timestamp())
    body = _b64(json.dumps({"w": worker_id, "k": kiosk, "e": expires}).encode())
    return f"{VERSION}.{body}.{_signature(key, body)}"


def refusal(key: bytes, token: str, worker_id: str, kiosk: str, at: dt.datetime) -> str | None:
    """Why the token does not stand for the worker's PIN at this kiosk now; None if it does."""
    parts = token.split(".")
    if len(parts) != 3 or parts[0] != VERSION:
        return TAMPERED
    body, signature = parts[1], parts[2]
    if not hmac.compare_digest(signature.encode(), _signature(key, body).encode()):
        return TAMPERED
    try:
        said = json.loads(_unb64(body))
        worker, account, expires = str(said["w"]), str(said["k"]), int(said["e"])
    except (ValueError, KeyError, TypeError, binascii.Error):
        return TAMPERED
    if at.timestamp() >= expires:
        return EXPIRED
    if worker != worker_id or account != kiosk:
        return NOT_HIS
    return None


def issue_now(engine: Engine, worker_id: str, kiosk: str) -> str:
    """A token for the worker whose PIN the kiosk has just checked."""
    return issue(signing_key(engine), worker_id, kiosk, dt.datetime.now(dt.UTC))
