"""The methods registry in the database: methods, the steps that judged them, and their
adoption as the technical basis of a norm revision with the authors' reward terms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select

from stakhanov.domain.methods import Method, MethodState, RewardTerms, Step
from stakhanov.store.ledger import now
from stakhanov.store.registry_tables import method_adoptions, method_steps, methods
from stakhanov.store.types import plain


@dataclass(frozen=True)
class Adoption:
    method_id: int
    revision_id: int
    terms: RewardTerms


class MethodStore:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def methods(self, method_id: int | None = None) -> list[Method]:
        query = select(methods).order_by(methods.c.method_id)
        steps_query = select(method_steps).order_by(method_steps.c.step_id)
        if method_id is not None:
            query = query.where(methods.c.method_id == method_id)
            steps_query = steps_query.where(method_steps.c.method_id == method_id)
        steps: dict[int, list[Step]] = {}
        for s in self.connection.execute(steps_query):
            steps.setdefault(s.method_id, []).append(
                Step(MethodState(s.state), s.by, s.reason, s.decided_on)
            )
        return [
            Method(
                r.method_id,
                r.operation,
                r.title,
                r.change,
                r.evidence,
                r.time_study,
                tuple(r.authors.split(";")),
                r.brigade,
                r.submitted_on,
                r.submitted_by,
                tuple(steps.get(r.method_id, [])),
            )
            for r in self.connection.execute(query)
        ]

    def submit(
        self,
        operation: str,
        title: str,
        change: str,
        evidence: str,
        time_study: str | None,
        authors: tuple[str, ...],
        brigade: str | None,
        on: dt.date,
        by: str,
    ) -> int:
        result = self.connection.execute(
            insert(methods).values(
                operation=operation,
                title=title,
                change=change,
                evidence=evidence,
                time_study=time_study,
                authors=";".join(authors),
                brigade=brigade,
                submitted_on=on,
                submitted_by=by,
                written_at=now(),
            )
        )
        assert result.inserted_primary_key is not None
        return int(result.inserted_primary_key[0])

    def add_step(self, method_id: int, step: Step) -> None:
        self.connection.execute(
            insert(method_steps).values(
                method_id=method_id,
                state=step.state.value,
                by=step.by,
                reason=step.reason,
                decided_on=step.on,
                written_at=now(),
            )
        )

    def adopt(self, method_id: int, revision_id: int, terms: RewardTerms) -> None:
        self.connection.execute(
            insert(method_adoptions).values(
                method_id=method_id,
                revision_id=revision_id,
                share=terms.share,
                tariff=terms.tariff,
                currency=terms.currency,
                months=terms.months,
                written_at=now(),
            )
        )

    def adoptions(self) -> list[Adoption]:
        rows = self.connection.execute(select(method_adoptions).order_by("method_id"))
        return [
            Adoption(
                r.method_id,
                r.revision_id,
                RewardTerms(plain(r.share), plain(r.tariff), r.currency, r.months),
            )
            for r in rows
        ]
