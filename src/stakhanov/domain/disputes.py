"""Disputes: a worker contests a shift, a pay line or a norm, and gets a reasoned answer.

A dispute is never edited. Answers are appended; the latest one is the dispute's state, so a
dispute answered too quickly can be answered again, and the history shows both.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from stakhanov.domain.errors import InvalidValue
from stakhanov.domain.values import require_text
from stakhanov.domain.wording import say

MAX_TEXT = 4000


class Subject(StrEnum):
    SHIFT = "shift"
    PAY_LINE = "pay line"
    NORM = "norm"


class Verdict(StrEnum):
    UPHELD = "upheld"  # the worker is right; the answer says what will be corrected
    REJECTED = "rejected"  # the record stands; the answer says why
    ANSWERED = "answered"  # an explanation, with nothing to correct or to refuse


@dataclass(frozen=True)
class Answer:
    verdict: Verdict
    text: str
    by: str
    at: dt.datetime


@dataclass(frozen=True)
class Dispute:
    dispute_id: int
    worker_id: str
    subject: Subject
    reference: str
    text: str
    opened_by: str
    opened_at: dt.datetime
    answers: tuple[Answer, ...] = ()

    @property
    def status(self) -> str:
        return self.answers[-1].verdict.value if self.answers else "open"


def check_text(field: str, text: str) -> str:
    """A dispute or answer says something, and not a book."""
    value = require_text(field, text)
    if len(value) > MAX_TEXT:
        raise InvalidValue(
            field,
            f"{len(value)} characters",
            say("must be at most %(max_text)s", max_text=MAX_TEXT),
        )
    return value


def pay_line_reference(period: str, key: str) -> str:
    """A pay line is named by its period and its key within the slip: `FROM..TO:key`."""
    return f"{period}:{require_text('reference', key)}"


def split_pay_line(reference: str) -> tuple[str, str]:
    period, sep, key = reference.partition(":")
    if not sep or not key.strip():
        raise InvalidValue("reference", reference, say("a pay line is written FROM..TO:line-key"))
    return period, key.strip()
