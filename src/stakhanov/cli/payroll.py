"""Commands of pay periods: `payroll close`, `check`, `show`, `list`, `periods`, `whatif`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from stakhanov.cli.context import app_context, writes
from stakhanov.cli.jsonout import dumps
from stakhanov.cli.options import (
    CsvOption,
    FromOption,
    JsonOption,
    PeriodOption,
    ToOption,
    XlsxOption,
    pay_period_of,
)
from stakhanov.cli.output import cell, console, emit, errors, rejected
from stakhanov.data.rulepacks import pack_text
from stakhanov.domain.lock_checks import Blocker
from stakhanov.domain.norms import Norm
from stakhanov.domain.payslips import PaySlip
from stakhanov.domain.periods import Period
from stakhanov.domain.scale_files import parse_scale
from stakhanov.domain.slip_lists import SlipHead, matching, totals
from stakhanov.domain.whatif import THRESHOLDS, WhatIf
from stakhanov.i18n import DEFAULT, _, current, finding_kind, localized, ngettext, speaking
from stakhanov.services import accounts, distributed, lock_check, slip_heads, slip_pages
from stakhanov.services import payroll as service
from stakhanov.services.parsing import FORMATS, parse_table
from stakhanov.services.payroll_engine import ENGINE, REFERENCE, computed_by
from stakhanov.services.printing import write_pdf
from stakhanov.services.tables import read_csv_as, read_source
from stakhanov.stored_texts import translate

payroll_app = typer.Typer(help="Pay periods: close and lock, pay slips, what-if replays.")

PdfOption = Annotated[
    Path | None, typer.Option("--pdf", help="Also write the slips as a PDF file.", dir_okay=False)
]
MONEY = ("gross", "deducted", "net", "old", "new", "change", "amount", "rate", "quantity")


@contextmanager
def _working(description: str, quiet: bool) -> Iterator[None]:
    columns = (TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=errors, transient=True, disable=quiet) as bar:
        bar.add_task(description, total=None)
        yield


# --- payroll -------------------------------------------------------------------------------


@payroll_app.command("close")
@writes
def payroll_close(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    on: Annotated[
        str,
        typer.Option(
            "--engine",
            help="Where the slips are computed: 'local' (this process, set-based), 'dask' (a "
            "cluster) or 'reference' (this process, row by row by the domain's reference "
            "code: the same slips, slower).",
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="With --engine dask: the address of a running Dask scheduler "
            "(default: a LocalCluster on this machine's cores).",
        ),
    ] = None,
    override: Annotated[
        str | None,
        typer.Option(
            "--override",
            help="Lock over what `payroll check` lists, for this reason; the slip lines it "
            "concerns say so.",
        ),
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Check the period, compute every worker's pay slip and lock it."""
    chosen = pay_period_of(period, start, end)
    if on not in ("local", "dask", "reference"):
        raise typer.BadParameter("is 'local', 'dask' or 'reference'", param_hint="--engine")
    if scheduler is not None and on != "dask":
        raise typer.BadParameter("needs --engine dask", param_hint="--scheduler")
    engine = app_context(ctx).engine()
    where = " on a Dask cluster" if on == "dask" else ""
    with _working(f"closing {chosen}{where}", as_json):
        if on == "dask":
            found = lock_check.check(engine, chosen)
            if found.blocking:
                if override is None:
                    raise lock_check.LockBlocked(found)
                raise typer.BadParameter(
                    "a lock over an override is made with --engine local or reference",
                    param_hint="--override",
                )
            report = distributed.close(engine, chosen, scheduler=scheduler)
        else:
            method = REFERENCE if on == "reference" else ENGINE
            with computed_by(method):
                try:
                    report = lock_check.lock(engine, chosen, override=override)
                except lock_check.LockBlocked as err:
                    # The reasons, not the problems: they say how to lock over them (in
                    # English for a script that asked for JSON, decision 0871).
                    with speaking(DEFAULT if as_json else current()):
                        errors.print(localized(err.reasons[0]), markup=False, soft_wrap=True)
                        items = [_blocking(b) for b in err.check.blocking]
                        raise rejected(err.reasons[1:] if as_json else items) from err
    result = {
        "from": chosen.start,
        "to": chosen.end,
        "slips": report.slips,
        "gross": str(report.gross),
        "net": str(report.net),
        "adjusted": report.adjusted,
        "digest": report.digest,
        "already_closed": report.already,
        "unpaid_before": None
        if report.unpaid is None
        else {"from": report.unpaid.start, "to": report.unpaid.end, "days": report.unpaid.days},
    }
    if report.unpaid is not None:
        errors.print(f"note: {report.unpaid}", style="yellow")
    if as_json:
        print(dumps(result))
        return
    if report.already:
        console.print(_("%(period)s was already closed; nothing changed.") % {"period": chosen})
    else:
        console.print(_("closed and locked %(period)s.") % {"period": chosen})
    values = {"count": report.slips, "gross": report.gross, "net": report.net}
    slips = ngettext(
        "%(count)d pay slip, gross %(gross)s, net %(net)s",
        "%(count)d pay slips, gross %(gross)s, net %(net)s",
        report.slips,
    )
    if report.adjusted:
        adjusted = ngettext(
            "%(count)d with adjustments of earlier periods",
            "%(count)d with adjustments of earlier periods",
            report.adjusted,
        )
        slips += ", " + adjusted % {"count": report.adjusted}
    console.print(slips % values + ".")
    console.print(_("digest (sha-256 of the slips): %(digest)s") % {"digest": report.digest})


@payroll_app.command("check")
def payroll_check(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    as_json: JsonOption = False,
) -> None:
    """What blocks locking the period: open findings, uncredited output, unpayable work,
    open disputes. Exit 0 either way; `payroll close` refuses while anything is listed."""
    chosen = pay_period_of(period, start, end)
    with _working(f"checking {chosen}", as_json):
        found = lock_check.check(app_context(ctx).engine(), chosen)
    if as_json:
        print(dumps(lock_check.check_dict(found)))
        return
    if found.closed:
        console.print(_("%(period)s is closed already; nothing to check.") % {"period": chosen})
        return
    if not found.blockers:
        console.print(_("%(period)s: nothing blocks its lock.") % {"period": chosen})
        return
    blocking = len(found.blocking)
    title = ngettext(
        "%(period)s: %(count)d item blocks its lock",
        "%(period)s: %(count)d items block its lock",
        blocking,
    )
    table = Table(title=title % {"period": chosen, "count": blocking})
    for column in ("kind", "subject", "workers", "blocks", "what"):
        table.add_column(_(column))
    for b in found.blockers:
        subject = f"{b.subject} {b.operation}" if b.operation else b.subject
        blocks = (_("yes") if b.overridable else _("yes, no override")) if b.blocks else _("no")
        table.add_row(
            finding_kind(b.kind),
            subject,
            ", ".join(b.worker_ids),
            blocks,
            cell(translate(b.message)),
        )
    console.print(table)


def _blocking(item: Blocker) -> str:
    """One item that blocks a lock, in the reader's words: its kind's label, its subject, and
    what the finding says (stored English, translated)."""
    return f"{finding_kind(item.kind)} {item.subject}: {translate(item.message)}"


def _slips(ctx: typer.Context, chosen: Period, worker: str | None) -> service.Slips:
    found = service.slips(app_context(ctx).engine(), chosen, worker)
    if found.problems:
        raise rejected(found.problems)
    return found


def _status(closed: service.ClosedPeriod | None) -> str:
    if closed is None:
        return _("open: provisional, as it would close now")
    return _("closed %(when)s UTC") % {"when": f"{closed.closed_at:%Y-%m-%d %H:%M}"}


@payroll_app.command("show")
def payroll_show(
    ctx: typer.Context,
    worker: Annotated[str, typer.Option("--worker", help="The worker's id.")],
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    as_json: JsonOption = False,
    pdf: PdfOption = None,
) -> None:
    """A worker's pay slip: every line with its code, quantity, rate, amount and explanation."""
    chosen = pay_period_of(period, start, end)
    found = _slips(ctx, chosen, worker)
    if not found.slips:
        errors.print(f"no pay slip for worker {worker!r} in {chosen}", style="red")
        raise typer.Exit(1)
    slip = found.slips[0]
    if pdf is not None:
        engine = app_context(ctx).engine()
        write_pdf(
            pdf,
            [slip],
            _status(found.closed),
            slip_heads.heads(engine, found),
            current(),
            accounts.languages_of(engine, [slip.worker_id]),
        )
    if as_json:
        print(dumps({**slip.as_dict(), "status": "closed" if found.closed else "open"}))
        return
    _print_slip(slip, _status(found.closed))
    if pdf is not None:
        console.print(f"[dim]written to {pdf}[/dim]")


def _lines_table(title: str, slip: PaySlip, deductions: bool) -> Table:
    table = Table(title=title, title_justify="left", header_style="bold", show_footer=True)
    lines = slip.deductions if deductions else slip.lines
    total = slip.deducted if deductions else slip.gross
    table.add_column("code")
    table.add_column("quantity", justify="right")
    table.add_column("rate", justify="right")
    table.add_column("amount", justify="right", footer=f"{total:f}")
    table.add_column("explain", footer="total deductions" if deductions else "gross", ratio=1)
    for line in lines:
        table.add_row(
            line.code,
            f"{line.quantity:f} {line.unit}".strip(),
            f"{line.rate:f}",
            f"{line.amount:f}",
            translate(line.explain),
        )
    return table


def _print_slip(slip: PaySlip, status: str) -> None:
    console.print(
        f"[bold]Pay slip: {slip.name}[/bold] ({slip.worker_id}), {slip.period}, {status}; "
        f"amounts in {slip.currency}"
    )
    console.print(_lines_table("Earnings", slip, deductions=False))
    if slip.deductions:
        console.print(_lines_table("Deductions", slip, deductions=True))
    console.print(f"[bold]Net pay: {slip.net:f} {slip.currency}[/bold]\n")


@payroll_app.command("list")
def payroll_list(
    ctx: typer.Context,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
    pdf: PdfOption = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Only slips whose worker id or name contains this text."),
    ] = None,
) -> None:
    """Every pay slip of a period, with totals (the period total is the sum of the slips)."""
    chosen = pay_period_of(period, start, end)
    engine = app_context(ctx).engine()
    # A closed period's list is read from its locked slips' figures, never their lines: a
    # month of 45,000 slips would otherwise be read whole into memory.
    stored = None if pdf is not None else slip_pages.closed_heads(engine, chosen)
    if stored is None:
        found = _slips(ctx, chosen, None)
        slips = matching(found.slips, search)
        if pdf is not None:
            heads = slip_heads.heads(engine, found)
            languages = accounts.languages_of(engine, [s.worker_id for s in slips])
            write_pdf(pdf, slips, _status(found.closed), heads, current(), languages)
        closed, listed = found.closed, [SlipHead.of(s) for s in slips]
    else:
        closed, listed = stored[0], matching(stored[1], search)
    rows = [
        {
            "worker_id": s.worker_id,
            "name": s.name,
            "currency": s.currency,
            "gross": format(s.gross, "f"),
            "deducted": format(s.deducted, "f"),
            "net": format(s.net, "f"),
            "lines": s.lines,
        }
        for s in listed
    ]
    if as_json:
        print(dumps(rows))
        return
    emit(
        rows,
        title=f"Pay slips {chosen} ({_status(closed)})",
        as_json=False,
        csv_path=csv,
        xlsx_path=xlsx,
        right=MONEY,
    )
    for t in totals(listed):
        console.print(
            f"{t.count} slips in {t.currency}; gross {t.gross}, deductions {t.deducted}, "
            f"net {t.net}"
        )
    if pdf is not None:
        console.print(f"[dim]written to {pdf}[/dim]")


@payroll_app.command("periods")
def payroll_periods(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """The closed periods, with their totals and digests."""
    rows = [
        {
            "from": c.period.start,
            "to": c.period.end,
            "closed_at": c.closed_at.strftime("%Y-%m-%d %H:%M:%S"),
            "slips": c.slips,
            "gross": str(c.gross),
            "net": str(c.net),
            "digest": c.digest,
        }
        for c in service.periods(app_context(ctx).engine())
    ]
    emit(rows, title="Closed pay periods", as_json=as_json, csv_path=None, right=MONEY)


def _proposed_norms(path: Path) -> list[Norm]:
    """Norms in the norms.csv format: one CSV file of any name, or a folder or workbook."""
    if path.is_file() and path.suffix.lower() == ".csv":
        batch = read_csv_as(path, "norms.csv")
    else:
        batch = read_source(path, {"norms.csv"})
    table = batch.tables.get("norms.csv")
    problems = list(batch.problems)
    norms: list[Any] = []
    if table is None and not problems:
        raise typer.BadParameter("expected a norms.csv file", param_hint="--norms")
    if table is not None:
        norms, found = parse_table(table, FORMATS["norms.csv"])
        problems += found
    if problems:
        raise rejected(problems)
    return norms


@payroll_app.command("whatif")
def payroll_whatif(
    ctx: typer.Context,
    scale: Annotated[
        Path | None, typer.Option("--scale", help="A proposed scale (TOML).", exists=True)
    ] = None,
    norms: Annotated[
        Path | None,
        typer.Option(
            "--norms",
            help="Proposed norms: a CSV file in the norms.csv format (any name).",
            exists=True,
        ),
    ] = None,
    start: FromOption = None,
    end: ToOption = None,
    period: PeriodOption = None,
    as_json: JsonOption = False,
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
) -> None:
    """Replay a period under another scale and/or norms; writes nothing."""
    chosen = pay_period_of(period, start, end)
    if scale is None and norms is None:
        raise typer.BadParameter("give --scale and/or --norms", param_hint="--scale")
    proposal = None
    if scale is not None:
        proposal, problems = parse_scale(scale.read_text(encoding="utf-8"), scale.name, pack_text)
        if problems:
            raise rejected(problems)
    proposed = _proposed_norms(norms) if norms is not None else None
    with _working(f"replaying {chosen}", as_json):
        report = service.whatif(app_context(ctx).engine(), chosen, proposal, proposed)
    if report.problems:
        raise rejected(report.problems)
    rows = [_change_row(w) for w in report.workers]
    if as_json:
        print(dumps(_whatif_dict(report, rows)))
        return
    _print_whatif(report, rows, csv, xlsx)


def _change_row(change: Any) -> dict[str, Any]:
    return {
        "worker_id": change.worker_id,
        "name": change.name,
        "old": str(change.old),
        "new": str(change.new),
        "change": str(change.change),
        "old_percent": _percent(change.old_percent),
        "new_percent": _percent(change.new_percent),
        "minimum_wage_make_up": change.new_make_up,
        "old_minimum_wage_make_up": change.old_make_up,
        "needed": [
            {
                "operation": n.operation,
                "unit": n.unit,
                "output": n.output,
                "needed": n.needed,
            }
            for n in change.needed
        ],
        "more_percent": change.more_percent,
    }


def _percent(value: Any) -> Any:
    from stakhanov.domain.rounding import percent_or_none

    return percent_or_none(value)


def _whatif_dict(report: WhatIf, rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "from": report.period.start,
        "to": report.period.end,
        "total": {
            "old": str(report.old_total),
            "new": str(report.new_total),
            "change": str(report.change),
        },
        "losers": report.losers,
        "minimum_wage_make_up": {"old": report.make_up(False), "new": report.make_up(True)},
        **{
            f"above_{t}_percent": {"old": report.above(t, False), "new": report.above(t, True)}
            for t in THRESHOLDS
        },
        "falls": list(report.falls),
        "workers": rows,
    }


def _print_whatif(
    report: WhatIf, rows: list[dict[str, Any]], csv: Path | None, xlsx: Path | None
) -> None:
    shown = [
        {
            **r,
            "needed": "; ".join(
                f"{n['operation']} {cell(n['output'])} -> {cell(n['needed'])} {n['unit']}"
                for n in r["needed"]
            ),
        }
        for r in rows
    ]
    emit(
        shown,
        title=f"What-if {report.period}: pay per worker",
        as_json=False,
        csv_path=csv,
        xlsx_path=xlsx,
        columns=(
            "worker_id",
            "name",
            "old",
            "new",
            "change",
            "old_percent",
            "new_percent",
            "needed",
            "more_percent",
        ),
        right=(*MONEY, "old_percent", "new_percent", "more_percent"),
    )
    console.print(
        f"Total cost: {report.old_total} -> {report.new_total} (change {report.change}); "
        + ngettext(
            "%(num)d worker would earn less.", "%(num)d workers would earn less.", report.losers
        )
        % {"num": report.losers}
        + "\n"
        f"Needing the minimum-wage make-up: {report.make_up(False)} -> {report.make_up(True)}. "
        + " ".join(
            f"Above {t}% of the norm: {report.above(t, False)} -> {report.above(t, True)}."
            for t in THRESHOLDS
        )
        + "\nWrites nothing. 'needed' is the output that would keep a worker's old pay under "
        "the new terms."
    )
    for fall in report.falls:
        console.print(f"[bold]The proposed scale: {fall}.[/bold]")


def register(app: typer.Typer) -> None:
    app.add_typer(payroll_app, name="payroll")
