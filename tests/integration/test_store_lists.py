"""Lists moved from Python into the store: each is scoped, searched, sorted, counted and cut in
SQL, on both databases, and shows exactly what the rule kept in Python showed (decision 0867)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from stakhanov.domain.access import Grant as RoleGrant
from stakhanov.domain.access import Role, within_any
from stakhanov.domain.disputes import Dispute, Subject, Verdict
from stakhanov.domain.periods import Period
from stakhanov.domain.title_grants import Grant
from stakhanov.domain.titles import STATE_AFTER, TitleEvent, TitleEventKind, TitleState, state_of
from stakhanov.services import accounts, disputes, reports, titles
from stakhanov.services.accounts import Account
from stakhanov.services.importing import import_batch
from stakhanov.services.parsing import FORMATS
from stakhanov.services.tables import read_source
from stakhanov.store import disputes as dispute_store
from stakhanov.store import titles as title_store
from tests.integration.helpers import MINI

BRIGADE = "Mine/Section 1/Brigade 1"
# (worker, subject, reference, text): shifts in and out of the brigade, a shift no longer
# there (its worker's home counts), a norm, a pay line, a worker nobody knows.
OPENED = [
    ("H1", Subject.SHIFT, "S1", "my tonnes are missing"),
    ("H3", Subject.SHIFT, "S3", "hours cut short"),
    ("P1", Subject.SHIFT, "S1", "I was there 100%"),
    ("L1", Subject.SHIFT, "S4", "the lathe was idle"),
    ("H3", Subject.SHIFT, "S99", "a shift since voided"),
    ("H1", Subject.NORM, "hewing", "the norm is too high"),
    ("L1", Subject.PAY_LINE, "1935-08-01..1935-08-31:base", "base pay short"),
    ("Z9", Subject.NORM, "hewing", "nobody_knows me"),
]


def _opened(engine: Engine, times: int = 3) -> list[Dispute]:
    import_batch(engine, read_source(MINI, set(FORMATS)), author="test")
    made = []
    with engine.begin() as connection:
        for round_ in range(times):
            for worker, subject, reference, text in OPENED:
                said = f"{text} (round {round_})"
                made.append(
                    dispute_store.write_dispute(
                        connection, worker, subject, reference, said, "test"
                    )
                )
    for dispute in made[::4]:
        disputes.answer(engine, dispute.dispute_id, Verdict.UPHELD, "fixed", "test")
    for dispute in made[1::5]:
        disputes.answer(engine, dispute.dispute_id, Verdict.REJECTED, "no", "test")
    return made


def _readers(engine: Engine) -> list[Account]:
    grants = {
        "brigade-foreman": RoleGrant(Role.FOREMAN, BRIGADE),
        "section-foreman": RoleGrant(Role.FOREMAN, "Mine/Section 1"),
        "works-foreman": RoleGrant(Role.FOREMAN, "Works"),
        "accountant": RoleGrant(Role.ACCOUNTANT),
        "rate-setter": RoleGrant(Role.RATE_SETTER),
        "auditor": RoleGrant(Role.AUDITOR),
        "worker": RoleGrant(Role.WORKER),
    }
    return [
        accounts.add_user(
            engine,
            name,
            "long enough password",
            author="test",
            grants=[grant],
            worker_id="H1" if grant.role is Role.WORKER else None,
        )
        for name, grant in grants.items()
    ]


def _as_python_showed(engine: Engine, account: Account) -> list[Dispute]:
    """The rule as it was applied in Python: every dispute, kept where may_see says so."""
    return [
        d
        for d in disputes.load(engine)
        if disputes.may_see(account, disputes.where(engine, d), d.subject)
    ]


@pytest.mark.storage
def test_the_disputes_a_reader_sees_are_scoped_in_the_query_as_the_rule_says(
    engine: Engine,
) -> None:
    _opened(engine)
    shown = {}
    for account in _readers(engine):
        expected = _as_python_showed(engine, account)
        found = disputes.page(engine, account, (), "", False, None)
        assert [d for d, _, _ in found.rows] == expected, account.username
        assert (found.in_scope, found.found) == (len(expected), len(expected))
        assert found.open == sum(1 for d in expected if d.status == "open")
        assert disputes.visible(engine, account) == expected
        for dispute, unit, _ in found.rows:
            assert unit == disputes.where(engine, dispute)
            assert disputes.answerable(account, dispute, unit) == disputes.may_answer(
                engine, account, dispute
            )
        shown[account.username] = {d.worker_id for d in expected}
    assert shown["worker"] == set()
    assert shown["brigade-foreman"] == {"H1", "P1"}  # shifts of the brigade, whoever worked them
    assert "H3" in shown["section-foreman"] and "L1" not in shown["section-foreman"]
    assert shown["auditor"] == {w for w, *_ in OPENED}


@pytest.mark.storage
def test_pages_of_disputes_partition_what_the_search_finds_in_order(engine: Engine) -> None:
    made = _opened(engine)
    auditor = next(a for a in _readers(engine) if a.username == "auditor")
    names = {w.worker_id: w.name for w in reports.workers(engine)}
    keys = {
        "opened": lambda d: d.opened_at,
        "worker": lambda d: d.worker_id,
        "subject": lambda d: d.subject.value,
        "status": lambda d: d.status,
    }
    for words in ((), ("ROUND", "1"), ("hewer",), ("100%",), ("nobody_knows",), ("_",)):

        def text(d: Dispute) -> str:
            said = (str(d.dispute_id), d.worker_id, names.get(d.worker_id, ""), d.reference, d.text)
            return " ".join(said).casefold()

        expected = [d for d in disputes.load(engine) if all(w.casefold() in text(d) for w in words)]
        for sort, descending in (
            ("", False),
            ("worker", True),
            ("status", False),
            ("opened", True),
        ):
            seen: list[Dispute] = []
            number = 1
            while True:
                found = disputes.page(engine, auditor, words, sort, descending, 4, number)
                assert found.found == len(expected) and found.in_scope == len(made)
                seen += [d for d, _, _ in found.rows]
                if number * 4 >= found.found:
                    break
                number += 1
            assert sorted(d.dispute_id for d in seen) == sorted(d.dispute_id for d in expected)
            if sort:
                ordered = [keys[sort](d) for d in seen]
                assert ordered == sorted(ordered, reverse=descending)
            else:  # unsorted: newest first, as the service always listed them
                assert [d.dispute_id for d in seen] == [d.dispute_id for d in expected]
    # A page past the last is the last; a wildcard is a character, not a pattern.
    last = disputes.page(engine, auditor, (), "", False, 4, 10_000)
    assert [d.dispute_id for d, _, _ in last.rows] == [d.dispute_id for d in made][
        : len(made) % 4 or 4
    ][::-1]
    literal = disputes.page(engine, auditor, ("%",), "", False, 4)
    assert {d.text for d, _, _ in literal.rows} == {
        f"I was there 100% (round {r})" for r in range(3)
    }


HISTORIES = [
    (),
    (TitleEventKind.REVOKED,),
    (TitleEventKind.REVOKED, TitleEventKind.APPEALED),
    (TitleEventKind.REVOKED, TitleEventKind.APPEALED, TitleEventKind.REINSTATED),
    (TitleEventKind.REVOKED, TitleEventKind.APPEALED, TitleEventKind.APPEAL_DISMISSED),
]


def _conferred(engine: Engine) -> None:
    import_batch(engine, read_source(MINI, set(FORMATS)), author="test")
    day = dt.date(1935, 9, 1)
    with engine.begin() as connection:
        for n, worker in enumerate(["H1", "H3", "T1", "L1", "P1", "Z9"] * 4):
            title = ("Shock worker", "Udarnik 100%", "Stakhanovite")[n % 3]
            made = title_store.write_grant(
                connection,
                Grant(
                    0, worker, title.lower(), title, day, None, "rule", {}, Period(day, day), "t"
                ),
                "{}",
            )
            for kind in HISTORIES[n % len(HISTORIES)]:
                title_store.write_event(connection, made.title_id, TitleEvent(kind, day, "r", "t"))


def test_a_title_s_last_event_tells_its_state() -> None:
    for history in HISTORIES:
        events = [TitleEvent(k, dt.date(1935, 9, 1), "r", "t") for k in history]
        expected = STATE_AFTER[history[-1]] if history else TitleState.HELD
        assert state_of(events) is expected


@pytest.mark.storage
def test_titles_are_scoped_searched_and_paged_in_the_store(engine: Engine) -> None:
    _conferred(engine)
    homes = {w.worker_id: w.unit for w in reports.workers(engine)}
    every = titles.grants(engine)
    scopes = (None, [BRIGADE], ["Mine"], ["Works"], [])
    for subtrees, unit, words in [
        (s, u, w)
        for s in scopes
        for u in (None, "Mine/Section 1")
        for w in ((), ("held",), ("UNDER", "appeal"), ("100%",), ("h1",), ("_",))
    ]:
        expected = [
            g.title_id
            for g in sorted(every, key=lambda g: -g.title_id)
            if within_any(homes.get(g.worker_id, ""), subtrees)
            and (unit is None or within_any(homes.get(g.worker_id, ""), [unit]))
            and all(
                w.casefold()
                in f"{g.title_id} {g.worker_id} {g.name} {g.title} {g.state.value}".casefold()
                for w in words
            )
        ]
        seen: list[int] = []
        number = 1
        while True:
            rows, total = titles.grant_page(engine, subtrees, unit, words, True, 4, number)
            assert total == len(expected), (subtrees, unit, words)
            seen += [g.title_id for g in rows]
            if number * 4 >= total:
                break
            number += 1
        assert seen == expected, (subtrees, unit, words)
    # Oldest first when asked; a page past the last is the last; each grant has its history.
    rows, total = titles.grant_page(engine, None, None, (), False, 5, 999)
    assert [g.title_id for g in rows] == sorted(g.title_id for g in every)[-(total % 5 or 5) :]
    assert {g.title_id: g.state for g in rows} == {
        g.title_id: g.state for g in every if g.title_id in {r.title_id for r in rows}
    }
