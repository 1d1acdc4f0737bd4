"""How a norm version was set: its method, the evidence, and who approved it.

The foundation's norms carry a free-text `method` and `source`. Provenance adds the structure a
rate-setter and a worker need to check a norm: for a time study the number of observations, the
pace rating and the allowances; for every method the evidence and the approvals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from stakhanov.domain.errors import InvalidValue, Source
from stakhanov.domain.values import (
    require_non_negative,
    require_places,
    require_positive,
    require_text,
)
from stakhanov.domain.wording import say

HUNDRED = Decimal(100)


class Method(StrEnum):
    TECHNICAL = "technical"  # calculated from equipment and method (a technological card)
    TIME_STUDY = "time study"  # timed observations, pace-rated, plus allowances
    STATISTICAL = "statistical"  # from recorded output in the ledger
    DECREE = "decree"  # set by authority, without a study

    @classmethod
    def parse(cls, text: str) -> Method:
        cleaned = " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())
        try:
            return cls(cleaned)
        except ValueError as err:
            options = ", ".join(m.value for m in cls)
            raise InvalidValue(
                "method", text, say("must be one of: %(options)s", options=options)
            ) from err


_PHRASES = {
    Method.TECHNICAL: "technical calculation from the equipment and method",
    Method.TIME_STUDY: "time study",
    Method.STATISTICAL: "statistics of recorded output",
    Method.DECREE: "decree",
}


def how_set(method: str | None) -> str:
    """How a norm was set, in words: "set by technical calculation from the equipment and method".

    `method` is a provenance method or the free text of a norms.csv row (maybe empty).
    """
    if not method:
        return "the method is not recorded"
    try:
        return f"set by {_PHRASES[Method.parse(method)]}"
    except InvalidValue:
        return f"set by {method}"


@dataclass(frozen=True)
class TimeStudy:
    """Observed time per unit, rated for pace, plus allowances: the standard minutes per unit.

    Normal time = observed minutes x pace rating / 100; standard time = normal time x
    (1 + allowances / 100). Allowances cover rest, personal needs and unavoidable delay.
    """

    observations: int
    observed_minutes: Decimal
    pace_rating: Decimal
    allowances: Decimal

    def __post_init__(self) -> None:
        if self.observations < 1:
            raise InvalidValue("observations", self.observations, say("must be at least 1"))
        require_positive("observed_minutes", self.observed_minutes)
        require_positive("pace_rating", self.pace_rating)
        require_non_negative("allowances", self.allowances)
        # A study's rating and allowances are stored with the norm's provenance.
        require_places("pace_rating", self.pace_rating)
        require_places("allowances", self.allowances)

    @property
    def normal_minutes(self) -> Decimal:
        return self.observed_minutes * self.pace_rating / HUNDRED

    @property
    def standard_minutes(self) -> Decimal:
        return self.normal_minutes * (1 + self.allowances / HUNDRED)


@dataclass(frozen=True)
class Provenance:
    """The provenance of one norm version, keyed like the norm: operation and effective_from."""

    operation: str
    effective_from: dt.date
    method: Method
    observations: int | None = None
    pace_rating: Decimal | None = None
    allowances: Decimal | None = None
    evidence: str | None = None
    approved_by: str | None = None
    origin: Source | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "operation", require_text("operation", self.operation))
        if self.method is Method.TIME_STUDY:
            for name in ("observations", "pace_rating", "allowances"):
                if getattr(self, name) is None:
                    raise InvalidValue(name, None, say("is required for a time study"))
        if self.observations is not None and self.observations < 1:
            raise InvalidValue("observations", self.observations, say("must be at least 1"))
        if self.pace_rating is not None:
            require_positive("pace_rating", self.pace_rating)
        if self.allowances is not None:
            require_non_negative("allowances", self.allowances)

    @property
    def key(self) -> tuple[str, dt.date]:
        return (self.operation, self.effective_from)

    def describe(self) -> str:
        """One sentence on how the norm was set, for the written notice."""
        text = how_set(self.method.value)
        if self.method is Method.TIME_STUDY:
            text += (
                f" ({self.observations} observations, pace rating {self.pace_rating}%, "
                f"allowances {self.allowances}%)"
            )
        if self.evidence:
            text += f"; evidence: {self.evidence}"
        if self.approved_by:
            text += f"; approved by {self.approved_by}"
        return text
