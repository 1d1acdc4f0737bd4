"""Corrections that no import file can express: voiding a shift entered by mistake."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.wording import say
from stakhanov.services import read_model
from stakhanov.services.importing import default_author
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import CREW, OUTPUT, SHIFTS


class CorrectionRefused(Refused):
    pass


@dataclass(frozen=True)
class Voided:
    shift_id: str
    batch_id: int
    output_rows: int
    crew_rows: int


def void_shift(engine: Engine, shift_id: str, reason: str, author: str | None = None) -> Voided:
    """Reverse a shift with all its output and crew; the entries stay, reversed, with the reason."""
    if not reason.strip():
        raise CorrectionRefused(say("voiding a shift needs a reason"), field="reason")
    with engine.begin() as connection:
        store = LedgerStore(connection)
        shifts = store.current(SHIFTS, "shift_id", [shift_id])
        if not shifts:
            raise CorrectionRefused(
                say("unknown shift %(shift_id)r", shift_id=shift_id), kind=Refusal.NOT_FOUND
            )
        batch_id = store.new_batch("void", f"void {shift_id}", author or default_author(), reason)
        counts = {}
        for kind in (CREW, OUTPUT, SHIFTS):
            pairs = shifts if kind is SHIFTS else store.current(kind, "shift_id", [shift_id])
            store.reverse(kind, batch_id, [(i, r, None) for i, r in pairs], reason.strip())
            counts[kind.file] = len(pairs)
        read_model.refresh(connection, batch_id)
    return Voided(shift_id, batch_id, counts[OUTPUT.file], counts[CREW.file])
