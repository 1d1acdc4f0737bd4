"""The bonus source of the methods registry: each adopted method's authors' share of what its
norm revision saves, as named bonus lines for pay's close (decision 0550: pay names it in
SOURCES). It reads only the store, never other services, so that pay may import it alone."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from sqlalchemy import Connection

from stakhanov.domain.methods import BONUS_CODE, hours_saved, reward, reward_window, shares
from stakhanov.domain.norms import Norm
from stakhanov.domain.numbers import counted
from stakhanov.domain.payroll import ExternalBonus
from stakhanov.domain.periods import Period
from stakhanov.domain.rounding import shown
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.methods import MethodStore


def revised_norms(versions: list[Norm], revision_id: int) -> tuple[Norm, Norm] | None:
    """The norm a revision replaced and the one it wrote; None until it is approved."""
    mark = f"revision {revision_id}:"
    for i, norm in enumerate(versions):
        if i and (norm.source or "").startswith(mark):
            return versions[i - 1], norm
    return None


def method_bonuses(connection: Connection, period: Period) -> list[ExternalBonus]:
    """For each adopted method whose revision is in effect: the output of the operation within
    both the reward window and the period, its hours saved, and the reward split among the
    authors, dated on the last day the period and the window share."""
    store = MethodStore(connection)
    adoptions = store.adoptions()
    if not adoptions:
        return []
    ledger_store = LedgerStore(connection)
    book = ledger_store.master([]).norms
    found: list[ExternalBonus] = []
    for adoption in adoptions:
        method = store.methods(adoption.method_id)[0]
        norms = revised_norms(book.versions(method.operation), adoption.revision_id)
        if norms is None:
            continue
        old, new = norms
        window = reward_window(new.effective_from, adoption.terms.months)
        start, end = max(window.start, period.start), min(window.end, period.end)
        if end < start:
            continue
        outputs = ledger_store.outputs_between(method.operation, start, end)
        quantity = sum((o.quantity for o in outputs), Decimal(0))
        terms = adoption.terms
        amount = reward(old, new, quantity, terms)
        if not amount:
            continue
        saved = hours_saved(old, new, quantity)
        explain = (
            f"method {method.method_id} ({method.title}), revision {adoption.revision_id}: "
            f"{shown(Fraction(quantity))} {new.unit} of {method.operation} {start}..{end} x "
            f"({shown(old.hours_per_unit)} - {shown(new.hours_per_unit)}) h = "
            f"{shown(saved)} h saved x tariff {terms.tariff} x share {terms.share} = "
            f"{amount} {terms.currency}, in {counted(len(method.authors), 'equal part')}"
        )
        for worker_id, part in shares(amount, method.authors).items():
            found.append(
                ExternalBonus(
                    worker_id,
                    end,
                    f"{BONUS_CODE}:{method.method_id}",
                    part,
                    terms.currency,
                    explain,
                    f"method {method.method_id}",
                )
            )
    return found
