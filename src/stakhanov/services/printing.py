"""Pay slips as PDF documents for printing and handing out: one A4 page (or more) per slip."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from stakhanov.domain.payslips import PayLine, PaySlip
from stakhanov.i18n import _, current, date, money, number, speaking
from stakhanov.services.slip_heads import SlipHead
from stakhanov.stored_texts import translate

# A font with Cyrillic and the other scripts workers' names are written in, where installed;
# the PDF core font Helvetica (Latin-1) otherwise.
UNICODE_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
)


def _font() -> tuple[str, str]:
    for path in UNICODE_FONTS:
        bold = path.with_name("DejaVuSans-Bold.ttf")
        if path.exists() and bold.exists():
            if "SlipSans" not in pdfmetrics.getRegisteredFontNames():
                pdfmetrics.registerFont(TTFont("SlipSans", str(path)))
                pdfmetrics.registerFont(TTFont("SlipSans-Bold", str(bold)))
                pdfmetrics.registerFontFamily("SlipSans", normal="SlipSans", bold="SlipSans-Bold")
            return "SlipSans", "SlipSans-Bold"
    return "Helvetica", "Helvetica-Bold"


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = _font()
    base = getSampleStyleSheet()
    return {
        "title": ParagraphStyle("title", base["Title"], fontName=bold, fontSize=16),
        "head": ParagraphStyle("head", base["Normal"], fontName=regular, fontSize=10),
        "cell": ParagraphStyle("cell", base["Normal"], fontName=regular, fontSize=7.5, leading=9),
        "number": ParagraphStyle(
            "number", base["Normal"], fontName=regular, fontSize=8, alignment=2
        ),
        "bold": ParagraphStyle("bold", base["Normal"], fontName=bold, fontSize=9, alignment=2),
    }


def _table(
    title: str,
    lines: Sequence[PayLine],
    total: tuple[str, Decimal],
    currency: str,
    styles: dict[str, ParagraphStyle],
) -> Table:
    def cell(text: str) -> Paragraph:
        return Paragraph(escape(text), styles["number"])

    rows: list[list[object]] = [
        [
            Paragraph(f"<b>{escape(h)}</b>", styles["cell"])
            for h in (_("code"), title, _("quantity"), _("rate"))
        ]
        + [Paragraph(f"<b>{escape(_('amount'))}</b>", styles["number"])]
    ]
    for line in lines:
        rows.append(
            [
                Paragraph(escape(line.code), styles["cell"]),
                Paragraph(escape(translate(line.explain)), styles["cell"]),
                cell(f"{number(line.quantity)} {line.unit}".strip()),
                cell(number(line.rate)),
                cell(money(line.amount, currency)),
            ]
        )
    label, amount = total
    rows.append(
        [
            "",
            Paragraph(f"<b>{escape(label)}</b>", styles["cell"]),
            "",
            "",
            cell(money(amount, currency)),
        ]
    )
    table = Table(rows, colWidths=(24 * mm, 98 * mm, 22 * mm, 18 * mm, 20 * mm), repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black),
                ("ROWBACKGROUNDS", (0, 1), (-1, -2), [colors.white, colors.HexColor("#f1f1f1")]),
            ]
        )
    )
    return table


class _Owner(Flowable):  # type: ignore[misc]
    """An invisible mark where a slip starts: the pages after it carry its name."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class _Slips(SimpleDocTemplate):  # type: ignore[misc]
    """Every page names the slip it belongs to, so a page of a long slip is never orphaned."""

    label = ""
    font = "Helvetica"
    footer = "%(slip)s, page %(page)d"

    def afterFlowable(self, flowable: object) -> None:  # noqa: N802 (reportlab's hook)
        if isinstance(flowable, _Owner):
            self.label = flowable.label

    def afterPage(self) -> None:  # noqa: N802 (reportlab's hook)
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(self.font, 7)
        footer = self.footer % {"slip": self.label, "page": canvas.getPageNumber()}
        canvas.drawString(self.leftMargin, 8 * mm, footer)
        canvas.restoreState()


def _head(head: SlipHead, styles: dict[str, ParagraphStyle]) -> Table:
    rows = [
        [Paragraph(f"<b>{name}</b>", styles["cell"]), Paragraph(escape(value), styles["cell"])]
        for name, value in head.lines()
    ]
    table = Table(rows, colWidths=(24 * mm, 158 * mm))
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def write_pdf(
    path: Path,
    slips: Sequence[PaySlip],
    status: str,
    heads: Mapping[str, SlipHead] | None = None,
    language: str = "en",
    languages: Mapping[str, str] | None = None,
) -> None:
    """Write the slips, one after another, each starting on a new page, each under its head
    (employer, unit, grade, tariff, pay date) where `heads` has it, in the reader's language:
    its words from the catalog, its numbers, dates and money in its locale. A worker's slip is
    in his own language where `languages` has one (the one he chose), the rest in `language`."""
    with speaking(language):
        _write(path, slips, status, heads, languages or {})


def _write(
    path: Path,
    slips: Sequence[PaySlip],
    status: str,
    heads: Mapping[str, SlipHead] | None,
    languages: Mapping[str, str],
) -> None:
    styles = _styles()
    story: list[object] = []
    for index, slip in enumerate(slips):
        if index:
            story.append(PageBreak())
        with speaking(languages.get(slip.worker_id, current())):
            story += _slip(slip, status, heads, styles)
    document = _Slips(
        str(path),
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=_("Pay slips"),
        author="stakhanov",
    )
    document.font = _font()[0]
    document.footer = _("%(slip)s, page %(page)d")
    document.build(story)


def _slip(
    slip: PaySlip,
    status: str,
    heads: Mapping[str, SlipHead] | None,
    styles: dict[str, ParagraphStyle],
) -> list[object]:
    """One slip's flowables, in the language spoken while they are made."""
    names = {
        "name": escape(slip.name),
        "worker": escape(slip.worker_id),
        "start": date(slip.period.start),
        "end": date(slip.period.end),
        "status": escape(status),
        "currency": escape(slip.currency),
    }
    cur = slip.currency
    story: list[object] = [
        _Owner(_("Pay slip of %(name)s (%(worker)s), %(start)s to %(end)s") % names),
        Paragraph(_("Pay slip"), styles["title"]),
        Paragraph(
            _(
                "<b>%(name)s</b> (%(worker)s), period %(start)s to %(end)s, %(status)s. "
                "Amounts in %(currency)s."
            )
            % names,
            styles["head"],
        ),
    ]
    if heads and slip.worker_id in heads:
        story += [Spacer(1, 2 * mm), _head(heads[slip.worker_id], styles)]
    story += [
        Spacer(1, 4 * mm),
        _table(
            _("earnings: what for, and how it is computed"),
            slip.lines,
            (_("gross"), slip.gross),
            cur,
            styles,
        ),
    ]
    if slip.deductions:
        story += [
            Spacer(1, 4 * mm),
            _table(
                _("deductions"),
                slip.deductions,
                (_("total deductions"), slip.deducted),
                cur,
                styles,
            ),
        ]
    amounts = {
        "net": escape(money(slip.net, cur)),
        "gross": escape(money(slip.gross, cur)),
        "deducted": escape(money(slip.deducted, cur)),
    }
    story += [
        Spacer(1, 4 * mm),
        Paragraph(
            _(
                "<b>Net pay: %(net)s</b> (gross %(gross)s less deductions %(deducted)s). "
                "Each line is computed exactly and rounded once, half-up, to the minor unit "
                "(the minimum-wage make-up up, capped deductions down, in the worker's "
                "favour); the gross is the sum of the rounded lines."
            )
            % amounts,
            styles["head"],
        ),
    ]
    return story
