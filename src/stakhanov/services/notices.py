"""Disclosure to a worker: the written notice of their norms, and their own recent data.

The notice lists every norm of an operation the worker works: the norm, how it was set, what
meeting it takes per hour and per shift (mandated breaks included), revisions announced but
not yet in force, and revisions under consideration.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from stakhanov.domain.disclosure import THOUSANDTH, BreakFit, break_fit, norm_text, plain
from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.fulfilment import Grouping, aggregate, key_function, results
from stakhanov.domain.governance import Policy, Status
from stakhanov.domain.ledger import CrewEntry
from stakhanov.domain.norms import Norm, NormBook
from stakhanov.domain.periods import Period
from stakhanov.domain.provenance import Provenance, how_set
from stakhanov.domain.rounding import rounded
from stakhanov.domain.shifts import Shift
from stakhanov.domain.wording import say
from stakhanov.domain.workers import Worker
from stakhanov.i18n import _, date, ngettext, speaking
from stakhanov.services import policies, reports
from stakhanov.services.reports import FulfilmentRow
from stakhanov.services.revisions import Revision, revisions
from stakhanov.store.ledger import LedgerStore
from stakhanov.store.records import CREW, NORMS, PROVENANCE, SHIFTS, WORKERS
from stakhanov.stored_texts import translate

DATA_DAYS = 90


class UnknownWorker(Refused):
    """The notice or data asked for names no worker."""

    kind = Refusal.NOT_FOUND


@dataclass(frozen=True)
class NormNotice:
    operation: str
    norm: Norm | None
    provenance: Provenance | None
    fits: tuple[BreakFit, ...]
    upcoming: tuple[tuple[Norm, Provenance | None], ...]
    pending: tuple[Revision, ...]

    @property
    def fits_breaks(self) -> bool:
        """Every shift length the worker works leaves time to meet the norm at standard pace."""
        return all(f.fits for f in self.fits)

    @property
    def can_be_met(self) -> bool:
        """No shift length asks for more than the physical maximum per working hour."""
        return not any(f.impossible for f in self.fits)


@dataclass(frozen=True)
class WorkerNotice:
    worker: Worker
    on: dt.date
    policy: Policy
    norms: tuple[NormNotice, ...]
    unnormed: tuple[str, ...]

    @property
    def flagged(self) -> list[BreakFit]:
        return [f for n in self.norms for f in n.fits if not f.fits or f.impossible]

    @property
    def flagged_norms(self) -> list[str]:
        """The operations whose norm does not fit the breaks, or cannot be met at all."""
        return [n.operation for n in self.norms if not (n.fits_breaks and n.can_be_met)]


def _worker(store: LedgerStore, worker_id: str) -> Worker:
    found = store.records(WORKERS, Worker, "worker_id", [worker_id])
    if not found:
        raise UnknownWorker(say("unknown worker %(id)r%(hint)s", id=worker_id, hint=""))
    return found[0]


def notice(engine: Engine, worker_id: str, on: dt.date) -> WorkerNotice:
    with engine.connect() as connection:
        store = LedgerStore(connection)
        worker = _worker(store, worker_id)
        entries = store.records(CREW, CrewEntry, "worker_id", [worker_id])
        shifts = {
            s.shift_id: s
            for s in store.records(SHIFTS, Shift, "shift_id", {e.shift_id for e in entries})
        }
        book = NormBook.of(store.records(NORMS, Norm))
        provenance = {p.key: p for p in store.records(PROVENANCE, Provenance)}
        policy = policies.current(connection).policy
    pending = [r for r in revisions(engine) if r.state.status is Status.PENDING]
    operations = sorted({e.operation for e in entries})
    notices = []
    for operation in (o for o in operations if book.versions(o)):
        hours = sorted({shifts[e.shift_id].hours for e in entries if e.operation == operation}) or [
            policy.standard_shift_hours
        ]
        in_force = book.in_force(operation, on)
        later = [n for n in book.versions(operation) if n.effective_from > on]
        shown = in_force or later[0]
        source = provenance.get((operation, shown.effective_from))
        notices.append(
            NormNotice(
                operation,
                in_force,
                source if in_force else None,
                tuple(break_fit(shown, h, policy, source) for h in hours),
                tuple((n, provenance.get((operation, n.effective_from))) for n in later),
                tuple(r for r in pending if r.operation == operation),
            )
        )
    unnormed = tuple(o for o in operations if not book.versions(o))
    return WorkerNotice(worker, on, policy, tuple(notices), unnormed)


def notice_lines(notice: WorkerNotice, language: str = "en") -> list[str]:
    """The notice as plain text, one line per list item, in the reader's language (the JSON's
    lines are English); the PDF prints the same lines."""
    with speaking(language):
        return _notice_lines(notice)


def _notice_lines(notice: WorkerNotice) -> list[str]:
    worker = notice.worker
    names = {"name": worker.name, "worker": worker.worker_id, "unit": worker.unit}
    when = {"on": date(notice.on), "breaks": _breaks(notice.policy)}
    lines = [
        _("Written notice of norms for %(name)s (%(worker)s), %(unit)s") % names,
        _("Norms as of %(on)s. Mandated breaks: %(breaks)s.") % when,
        "",
    ]
    for item in notice.norms:
        lines.append(f"{_('Operation:')} {item.operation}")
        if item.norm is None:
            lines.append("  " + _("No norm is in force yet."))
        else:
            norm = item.norm
            since = {"norm": norm_text(norm), "since": date(norm.effective_from)}
            lines.append("  " + _("Norm: %(norm)s, in force since %(since)s") % since)
            how = item.provenance.describe() if item.provenance else how_set(norm.method)
            said = {"how": translate(how), "source": norm.source}
            lines.append(
                "  "
                + (
                    _("How it was set: %(how)s (source: %(source)s)")
                    if norm.source
                    else _("How it was set: %(how)s")
                )
                % said
            )
            pace = {"rate": plain(norm.per_hour), "unit": norm.unit}
            lines.append(
                "  " + _("Meeting it takes %(rate)s %(unit)s per hour of the shift") % pace
            )
        for fit in item.fits:
            lines.append("  " + _("A %(fit)s") % {"fit": translate(fit.explain())})
        for later, source in item.upcoming:
            how = translate(source.describe() if source else how_set(later.method))
            announced = {
                "since": date(later.effective_from),
                "norm": norm_text(later),
                "rate": plain(later.per_hour),
                "unit": later.unit,
                "how": how,
            }
            lines.append(
                "  "
                + _(
                    "Announced: from %(since)s the norm is %(norm)s (%(rate)s %(unit)s per "
                    "hour); %(how)s"
                )
                % announced
            )
        for revision in item.pending:
            step = revision.state.next_step
            pending = {
                "revision": revision.revision_id,
                "basis": revision.basis,
                "norm": revision.document["proposed"]["norm"],
                "unit": revision.document["proposed"]["unit"],
                "role": step.role if step else "-",
            }
            lines.append(
                "  "
                + _(
                    "Under consideration: revision %(revision)s (%(basis)s) to %(norm)s "
                    "%(unit)s, awaiting %(role)s"
                )
                % pending
            )
        lines.append("")
    if notice.unnormed:
        lines.append(
            _(
                "No norm of its own applies to: %(operations)s (this work counts in the fair "
                "fulfilment of the result it helps)."
            )
            % {"operations": ", ".join(notice.unnormed)}
        )
    flagged = notice.flagged_norms
    if not notice.norms:
        lines.append(_("No norm applies: the worker has no shift on a normed operation on record."))
    elif flagged:
        cannot = ngettext(
            "%(count)d norm cannot be met at standard pace within the shift net of mandated "
            "breaks: %(norms)s.",
            "%(count)d norms cannot be met at standard pace within the shift net of mandated "
            "breaks: %(norms)s.",
            len(flagged),
        )
        lines.append(cannot % {"count": len(flagged), "norms": ", ".join(flagged)})
    else:
        lines.append(
            _("Every norm can be met at standard pace within the shift net of mandated breaks.")
        )
    return lines


def _breaks(policy: Policy) -> str:
    if not policy.breaks:
        return "none configured"
    return "; ".join(
        f"{r.minutes} min in a shift over {plain(r.longer_than_hours)} h" for r in policy.breaks
    )


def notice_dict(notice: WorkerNotice) -> dict[str, Any]:
    return {
        "worker_id": notice.worker.worker_id,
        "name": notice.worker.name,
        "unit": notice.worker.unit,
        "on": notice.on,
        "norms": [
            {
                "operation": item.operation,
                "norm": None if item.norm is None else reports.norm_dict(item.norm),
                "how_set": item.provenance.describe() if item.provenance else None,
                "fits_breaks": item.fits_breaks,
                "can_be_met": item.can_be_met,
                "shifts": [
                    {
                        "shift_hours": f.shift_hours,
                        "break_minutes": f.break_minutes,
                        "shift_output": rounded(f.shift_output, THOUSANDTH).normalize(),
                        "per_working_hour": rounded(f.per_working_hour, THOUSANDTH).normalize(),
                        "pace_percent": f.pace,
                        "fits": f.fits,
                        "impossible": f.impossible,
                    }
                    for f in item.fits
                ],
                "announced": [
                    {**reports.norm_dict(n), "how_set": p.describe() if p else None}
                    for n, p in item.upcoming
                ],
                "under_consideration": [r.as_dict() for r in item.pending],
            }
            for item in notice.norms
        ],
        "no_norm_of_its_own": list(notice.unnormed),
        "lines": notice_lines(notice),
    }


def write_pdf(notice: WorkerNotice, path: Path, language: str = "en") -> None:
    """The notice as a one-document PDF, with the same wording as the text."""
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    story: list[Any] = []
    lines = notice_lines(notice, language)
    with speaking(language):
        operation = _("Operation:")
    story.append(Paragraph(escape(lines[0]), styles["Title"]))
    for line in lines[1:]:
        if not line:
            story.append(Spacer(1, 4 * mm))
        elif line.startswith(operation + " "):
            story.append(Paragraph(escape(line), styles["Heading2"]))
        else:
            style = styles["BodyText"]
            text = escape(line.strip())
            if "DOES NOT FIT" in line or "CANNOT BE MET" in line:
                text = f'<font color="#b00020"><b>{text}</b></font>'
            story.append(Paragraph(text, style))
    document = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        title=f"Norms notice: {notice.worker.worker_id}",
        author="stakhanov",
        leftMargin=20 * mm,
        rightMargin=20 * mm,
    )
    document.build(story)


def worker_data(engine: Engine, worker_id: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """The worker's own output and fulfilment over the 90 days up to `as_of`.

    `as_of` defaults to the date of the worker's latest shift, or today if they have none.
    """
    with engine.connect() as connection:
        store = LedgerStore(connection)
        worker = _worker(store, worker_id)
        entries = store.records(CREW, CrewEntry, "worker_id", [worker_id])
        dates = [
            s.date for s in store.records(SHIFTS, Shift, "shift_id", {e.shift_id for e in entries})
        ]
    day = as_of or max(dates, default=dt.date.today())
    window = Period(day - dt.timedelta(days=DATA_DAYS - 1), day)
    ledger = reports.ledger_for(engine, window)
    own = [r for r in results(ledger, window.start, window.end) if r.worker_id == worker_id]

    def home(_: str) -> str:
        return worker.unit

    shifts = []
    for fulfilment in aggregate(own, key_function(Grouping.SHIFT, home)):
        row = FulfilmentRow(Grouping.SHIFT, fulfilment).as_dict()
        shift = ledger.shifts[row["shift_id"]]
        shifts.append({"date": shift.date, **row, "conditions": shift.conditions.value})
    shifts.sort(key=lambda r: (r["date"], r["shift_id"], r["operation"]))
    totals = [
        FulfilmentRow(Grouping.WORKER, f).as_dict()
        for f in aggregate(own, key_function(Grouping.WORKER, home))
    ]
    return {
        "worker_id": worker.worker_id,
        "name": worker.name,
        "unit": worker.unit,
        "as_of": day,
        "from": window.start,
        "to": window.end,
        "shifts": shifts,
        "fulfilment": totals,
    }
