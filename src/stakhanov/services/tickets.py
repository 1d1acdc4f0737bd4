"""Entry at the source: print tickets and badges, credit a scanned ticket, replay phone queues.

A scanned ticket becomes a shift of its own, whose id is the ticket's id: its measured output is
the ticket's quantity and its one crew line credits all of it to the worker whose badge was
scanned (decision 0840). It goes through `entry.enter`, the path of the shift form and the
kiosk, so it meets the same scope check and validation; the ledger's key makes a ticket count
once, and output is conserved by construction. Entries sent from a phone carry the id the phone
gave them; a receipt kept under that id answers a replay without writing (decision 0841).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field, replace

from sqlalchemy import Engine

from stakhanov.domain.access import Permission
from stakhanov.domain.errors import Problem, Refusal, Refused
from stakhanov.domain.ledger import CrewEntry
from stakhanov.domain.periods import parse_date
from stakhanov.domain.shifts import Shift
from stakhanov.domain.tickets import Badge, BadPayload, Ticket, decode
from stakhanov.domain.units import is_within
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker
from stakhanov.i18n import N_, localized
from stakhanov.services import accounts, entry_tokens
from stakhanov.services.entry import May, ShiftForm, enter
from stakhanov.services.importing import ImportRejected
from stakhanov.services.parsing import parse_decimal
from stakhanov.store import tickets as ticket_store
from stakhanov.store.ledger import LedgerStore, now
from stakhanov.store.records import CREW, SHIFTS, WORKERS

MAX_TICKETS = 500
"""Tickets one print run makes: a day's bundles for a line, not a mistyped count's millions."""


def _new_id() -> str:
    return "T" + secrets.token_hex(5).upper()


def print_tickets(
    engine: Engine,
    may: May,
    author: str,
    *,
    workplace: str,
    operation: str,
    quantity: str,
    unit: str,
    order_id: str,
    count: int,
) -> list[Ticket]:
    """Make `count` tickets for the workplace and keep them, so that only these scan."""
    if not may(Permission.ENTER_SHIFTS, workplace):
        raise Refused(
            say("%(workplace)r is outside your scope (to print its tickets)", workplace=workplace),
            field="workplace",
            kind=Refusal.FORBIDDEN,
        )
    if not 1 <= count <= MAX_TICKETS:
        raise Refused(
            say(
                "print 1 to %(most)d tickets at a time, not %(count)d",
                most=MAX_TICKETS,
                count=count,
            ),
            field="count",
        )
    amount = parse_decimal(quantity, "quantity")
    try:
        made = [
            Ticket(_new_id(), order_id.strip(), operation.strip(), amount, unit.strip(), workplace)
            for _ in range(count)
        ]
    except BadPayload as err:
        raise Refused(err.args[0], field=_field_of(str(err))) from err
    with engine.begin() as connection:
        if workplace not in LedgerStore(connection).unit_paths():
            raise Refused(
                say("%(workplace)r is not a unit here", workplace=workplace), field="workplace"
            )
        ticket_store.add_tickets(connection, made, author)
    return made


def _field_of(message: str) -> str:
    for name in ("order_id", "operation", "quantity", "unit", "workplace"):
        if name in message:
            return name
    return "count"


def printed(engine: Engine, may: May, ticket_ids: list[str]) -> list[Ticket]:
    """Printed tickets, to print again: those of workplaces the person enters shifts for."""
    with engine.connect() as connection:
        found = ticket_store.tickets_by_id(connection, ticket_ids)
    return [t for t in found if may(Permission.ENTER_SHIFTS, t.workplace)]


def badges(engine: Engine, may: May, unit: str) -> list[tuple[Badge, str]]:
    """The badges, with names, of the unit's workers the person may enter shifts for."""
    with engine.connect() as connection:
        workers = LedgerStore(connection).records(WORKERS, Worker)
    return [
        (Badge(w.worker_id), w.name)
        for w in sorted(workers, key=lambda w: w.worker_id)
        if is_within(w.unit, unit) and may(Permission.ENTER_SHIFTS, w.unit)
    ]


@dataclass(frozen=True)
class Outcome:
    """What became of one entry: recorded, recorded before (a replay), or refused and why."""

    client_id: str
    status: str  # "recorded", "replayed", "refused" or (a kiosk entry) "needs_pin"
    message: str
    errors: dict[str, str] = field(default_factory=dict)
    batch_id: int | None = None
    said: str = ""
    """The message in the language of the person at the phone or kiosk (`message`: English)."""
    said_errors: dict[str, str] = field(default_factory=dict)


def credit_ticket(
    engine: Engine,
    may: May,
    *,
    account: str,
    client_id: str,
    worker_id: str,
    payload: str,
    hours: str,
    date: str,
) -> Outcome:
    """Credit one scanned ticket to a worker; a replayed client id writes nothing."""
    client_id = client_id.strip()
    if not client_id or len(client_id) > 100:
        raise Refused(
            say("each entry needs its client id (1 to 100 characters)"), field="client_id"
        )
    with engine.connect() as connection:
        earlier = ticket_store.receipt(connection, client_id)
    if earlier is not None:
        return Outcome(client_id, "replayed", earlier.message, batch_id=earlier.batch_id)
    try:
        scanned = decode(payload)
    except BadPayload as err:
        raise Refused(err.args[0], field="ticket") from err
    if not isinstance(scanned, Ticket):
        raise Refused(say("this is a worker badge; scan a ticket"), field="ticket")
    day = _date(date)
    _check_printed(engine, scanned, worker_id)
    form = ShiftForm(
        {
            "shift_id": scanned.ticket_id,
            "date": day.isoformat(),
            "hours": hours,
            "workplace": scanned.workplace,
            "note": f"ticket {scanned.ticket_id} of order {scanned.order_id}",
        },
        [{"operation": scanned.operation, "quantity": str(scanned.quantity), "unit": scanned.unit}],
        [
            {
                "worker_id": worker_id,
                "operation": scanned.operation,
                "hours": hours,
                "credited": str(scanned.quantity),
            }
        ],
    )
    author = f"{worker_id} by ticket at {account}'s scanner"
    report = enter(
        engine, form.batch(f"ticket {scanned.ticket_id} ({client_id})"), may, author=author
    )
    if not report.changed:  # written meanwhile by another entry of the same ticket
        raise Refused(
            say("ticket %(ticket)s is already credited", ticket=scanned.ticket_id),
            field="ticket",
            kind=Refusal.CONFLICT,
        )
    message = say(
        "%(worker)s: ticket %(ticket)s, %(operation)s %(quantity)s %(unit)s of order %(order)s,"
        " %(hours)s h on %(date)s",
        worker=worker_id,
        ticket=scanned.ticket_id,
        operation=scanned.operation,
        quantity=scanned.quantity,
        unit=scanned.unit,
        order=scanned.order_id,
        hours=hours,
        date=day,
    )
    receipt = ticket_store.Receipt(
        client_id, account, "ticket", scanned.ticket_id, report.batch_id, message
    )
    with engine.begin() as connection:
        ticket_store.add_receipt(connection, receipt)
    return Outcome(client_id, "recorded", message, batch_id=report.batch_id)


def credit_kiosk(
    engine: Engine,
    may: May,
    *,
    account: str,
    client: str,
    entry: dict[str, str],
) -> Outcome:
    """A kiosk entry made offline. It stands for its worker by the entry token the server gave
    him at this kiosk (entry_tokens, decision 0866) or by a PIN typed when the entry is sent,
    never by a PIN kept on the kiosk; without either it is answered `needs_pin`. Then the crew
    line is entered exactly as the kiosk enters it; a replayed client id writes nothing."""
    client_id = entry.get("client_id", "").strip()
    if not client_id or len(client_id) > 100:
        raise Refused(
            say("each entry needs its client id (1 to 100 characters)"), field="client_id"
        )
    with engine.connect() as connection:
        earlier = ticket_store.receipt(connection, client_id)
    if earlier is not None:
        return Outcome(client_id, "replayed", earlier.message, batch_id=earlier.batch_id)
    line = {k: entry.get(k, "").strip() for k in ("worker_id", "shift_id", "operation", "hours")}
    vouched = _vouched(engine, account, client, line["worker_id"], entry)
    if vouched is not None:
        return Outcome(client_id, NEEDS_PIN, vouched, errors={"pin": vouched})
    how = "by PIN" if entry.get("pin") else "by entry token"
    batch = ShiftForm(None, crew=[line]).batch(f"kiosk: {line['worker_id']} ({client_id})")
    author = f"{line['worker_id']} {how} at {account}'s kiosk"
    report = enter(engine, batch, may, author=author)
    message = say(
        "%(worker)s recorded on shift %(shift)s: %(operation)s, %(hours)s h",
        worker=line["worker_id"],
        shift=line["shift_id"],
        operation=line["operation"],
        hours=line["hours"],
    )
    receipt = ticket_store.Receipt(
        client_id, account, "kiosk", line["shift_id"], report.batch_id, message
    )
    with engine.begin() as connection:
        ticket_store.add_receipt(connection, receipt)
    return Outcome(client_id, "recorded", message, batch_id=report.batch_id)


NEEDS_PIN = "needs_pin"


def _vouched(
    engine: Engine, account: str, client: str, worker_id: str, entry: dict[str, str]
) -> str | None:
    """Why the entry does not stand for its worker (a PIN is asked for); None if it does. A PIN
    sent with the entry is checked (and counted towards the limit), else its token."""
    pin, token = entry.get("pin", ""), entry.get("token", "")
    if pin:
        ok = accounts.check_pin(engine, worker_id, pin, client)
        return None if ok else say("wrong worker number or PIN")
    if token:
        key = entry_tokens.signing_key(engine)
        return entry_tokens.refusal(key, token, worker_id, account, now())
    return say("made without a network and without a token: enter the PIN")


def _date(text: str) -> dt.date:
    try:
        return parse_date(text.strip())
    except ValueError as err:
        raise Refused(say("%(text)r is not a date (YYYY-MM-DD)", text=text), field="date") from err


def _check_printed(engine: Engine, scanned: Ticket, worker_id: str) -> None:
    """The ticket must be one printed here, as printed, and not credited before."""
    with engine.connect() as connection:
        printed = ticket_store.ticket(connection, scanned.ticket_id)
        store = LedgerStore(connection)
        credited = store.records(SHIFTS, Shift, "shift_id", {scanned.ticket_id})
        crew = store.records(CREW, CrewEntry, "shift_id", {scanned.ticket_id})
    if printed is None:
        raise Refused(
            say("ticket %(ticket)s was not printed here", ticket=scanned.ticket_id),
            field="ticket",
            kind=Refusal.NOT_FOUND,
        )
    if printed != scanned:
        raise Refused(
            say("ticket %(ticket)s does not say what was printed on it", ticket=scanned.ticket_id),
            field="ticket",
        )
    if credited:
        who = ", ".join(sorted({c.worker_id for c in crew})) or say("nobody (voided)")
        raise Refused(
            say(
                "ticket %(ticket)s is already credited: to %(who)s on %(date)s",
                ticket=scanned.ticket_id,
                who=who,
                date=credited[0].date,
            ),
            field="ticket",
            kind=Refusal.CONFLICT,
        )
    if not worker_id.strip():
        raise Refused(say("scan the worker's badge first"), field="worker_id")


def sync(
    engine: Engine,
    may: May,
    account: str,
    entries: list[dict[str, str]],
    kiosk_client: str | None = None,
    language: str = "en",
) -> list[Outcome]:
    """Each queued entry in turn: one refused does not hold back the others. With
    `kiosk_client` (the terminal's address, for the PIN limit) they are kiosk entries. Each
    outcome is said in English (`message`, `errors`) and in `language` (`said`, `said_errors`)."""
    outcomes = []
    other = "ticket" if kiosk_client is None else "shift_id"
    for entry in entries:
        client_id = str(entry.get("client_id", ""))
        try:
            if kiosk_client is not None:
                done = credit_kiosk(engine, may, account=account, client=kiosk_client, entry=entry)
            else:
                done = credit_ticket(
                    engine,
                    may,
                    account=account,
                    client_id=client_id,
                    worker_id=str(entry.get("worker_id", "")),
                    payload=str(entry.get("ticket", "")),
                    hours=str(entry.get("hours", "")),
                    date=str(entry.get("date", "")),
                )
            told = {k: localized(v, language) for k, v in done.errors.items()}
            outcomes.append(replace(done, said=localized(done.message, language), said_errors=told))
        except (Refused, ImportRejected) as err:
            errors, told = located(err, other), located(err, other, language)
            message = "; ".join(errors.values())
            outcomes.append(
                Outcome(
                    client_id,
                    "refused",
                    message,
                    errors=errors,
                    said="; ".join(told.values()),
                    said_errors=told,
                )
            )
    return outcomes


ENTRY_FIELDS = {
    "crew": {c: c for c in ("worker_id", "hours", "shift_id", "operation", "credited")},
    "shift": {"date": "date", "hours": "hours"},
}
CORRECT_OPTION = N_("use --correct")
ON_THE_PHONE = N_("ask the foreman to correct the shift")
"""What a phone or kiosk says instead of the command line's `use --correct ...` (translations
keep the option's phrase whole, so it is found in every language)."""


def located(err: Refused, other: str = "ticket", language: str | None = None) -> dict[str, str]:
    """A refusal as the page's fields (worker_id, ticket, hours, date, ...); what has no field
    of its own goes under `other`. In English, or in `language` where one is named."""

    def say_(text: str) -> str:
        return str(text) if language is None else localized(text, language)

    if not err.problems:
        return {err.field or other: "; ".join(say_(r) for r in err.reasons)}
    pattern = re.compile(re.escape(say_(CORRECT_OPTION)) + ".*$")
    instead = say_(ON_THE_PHONE)
    found: dict[str, str] = {}
    # A crew line of a refused shift is refused too; that follow-on says nothing new here.
    own = [p for p in err.problems if p.column != "shift_id"] or err.problems
    for problem in own:
        key = _entry_field(problem, other)
        message = pattern.sub(lambda _match: instead, say_(problem.message))
        if message not in found.get(key, ""):
            found[key] = f"{found[key]}; {message}" if key in found else message
    return found


def _entry_field(problem: Problem, other: str) -> str:
    name = problem.source.file if problem.source else "shift"
    return ENTRY_FIELDS.get(name, {}).get(problem.column, other)
