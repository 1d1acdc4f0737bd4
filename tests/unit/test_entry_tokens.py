"""An entry token stands for a worker's PIN at one kiosk for a while, and for nothing else."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from stakhanov.services.entry_tokens import (
    EXPIRED,
    LIFETIME,
    NOT_HIS,
    TAMPERED,
    issue,
    refusal,
)

KEY = b"k" * 32
AT = dt.datetime(1935, 8, 31, 6, 0, tzinfo=dt.UTC)
names = st.text(min_size=1, max_size=30)


@given(worker=names, kiosk=names)
def test_a_token_passes_for_its_worker_and_kiosk_until_it_expires(worker: str, kiosk: str) -> None:
    token = issue(KEY, worker, kiosk, AT)
    assert refusal(KEY, token, worker, kiosk, AT) is None
    assert refusal(KEY, token, worker, kiosk, AT + LIFETIME - dt.timedelta(seconds=1)) is None
    assert refusal(KEY, token, worker, kiosk, AT + LIFETIME) == EXPIRED


@given(worker=names, other=names, kiosk=names)
def test_a_token_is_not_another_worker_s_or_another_kiosk_s(
    worker: str, other: str, kiosk: str
) -> None:
    token = issue(KEY, worker, kiosk, AT)
    if other != worker:
        assert refusal(KEY, token, other, kiosk, AT) == NOT_HIS
    if other != kiosk:
        assert refusal(KEY, token, worker, other, AT) == NOT_HIS


@given(at=st.integers(min_value=0, max_value=200), bit=st.integers(min_value=0, max_value=7))
def test_any_altered_byte_or_another_key_makes_a_token_no_token(at: int, bit: int) -> None:
    token = issue(KEY, "W001", "foreman", AT)
    position = at % len(token)
    altered = token[:position] + chr(ord(token[position]) ^ (1 << bit)) + token[position + 1 :]
    if altered != token:
        assert refusal(KEY, altered, "W001", "foreman", AT) is not None
    assert refusal(b"x" * 32, token, "W001", "foreman", AT) == TAMPERED


def test_a_forged_body_with_a_longer_life_is_refused() -> None:
    token = issue(KEY, "W001", "foreman", AT)
    later = issue(b"other key", "W001", "foreman", AT + 10 * LIFETIME)
    version, _, signature = token.split(".")
    spliced = ".".join([version, later.split(".")[1], signature])
    assert refusal(KEY, spliced, "W001", "foreman", AT + 5 * LIFETIME) == TAMPERED
    for junk in ("", "kt1", "kt1..", "kt2.a.b", "kt1.!!.??", token + ".x"):
        assert refusal(KEY, junk, "W001", "foreman", AT) == TAMPERED
