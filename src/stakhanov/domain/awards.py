"""Awards: money or goods given for a title or a record. Money awards become named pay bonuses
(pay's ExternalBonus: one line on the worker's slip)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stakhanov.domain.payroll import ExternalBonus
from stakhanov.domain.titles import AwardKind, AwardTerms


@dataclass(frozen=True)
class Award:
    award_id: int
    worker_id: str
    date: dt.date
    code: str
    terms: AwardTerms
    title_id: int | None = None
    claim_id: str | None = None
    reason: str | None = None
    withheld: str | None = None  # why it is not paid now (its record claim does not stand)

    @property
    def reference(self) -> str:
        return f"award {self.award_id}"

    @property
    def explain(self) -> str:
        linked = (
            f"title {self.title_id}" if self.title_id is not None else f"record {self.claim_id}"
        )
        why = f": {self.reason}" if self.reason else ""
        return f"{self.code} ({linked}){why}"


def bonus_of(award: Award) -> ExternalBonus | None:
    """The pay bonus of a money award; awards in kind, and withheld ones, are not paid."""
    terms = award.terms
    if terms.kind is not AwardKind.MONEY or terms.amount is None or terms.currency is None:
        return None
    if award.withheld is not None:
        return None
    return ExternalBonus(
        award.worker_id,
        award.date,
        f"award:{award.code}",
        terms.amount,
        terms.currency,
        award.explain,
        award.reference,
    )
