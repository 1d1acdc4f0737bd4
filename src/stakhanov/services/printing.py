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
from stakhanov.services.slip_heads import SlipHead

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
    styles: dict[str, ParagraphStyle],
) -> Table:
    def number(text: str) -> Paragraph:
        return Paragraph(escape(text), styles["number"])

    rows: list[list[object]] = [
        [Paragraph(f"<b>{h}</b>", styles["cell"]) for h in ("code", title, "quantity", "rate")]
        + [Paragraph("<b>amount</b>", styles["number"])]
    ]
    for line in lines:
        rows.append(
            [
                Paragraph(escape(line.code), styles["cell"]),
                Paragraph(escape(line.explain), styles["cell"]),
                number(f"{line.quantity:f} {line.unit}".strip()),
                number(f"{line.rate:f}"),
                number(f"{line.amount:f}"),
            ]
        )
    label, amount = total
    rows.append(["", Paragraph(f"<b>{label}</b>", styles["cell"]), "", "", number(f"{amount:f}")])
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

    def afterFlowable(self, flowable: object) -> None:  # noqa: N802 (reportlab's hook)
        if isinstance(flowable, _Owner):
            self.label = flowable.label

    def afterPage(self) -> None:  # noqa: N802 (reportlab's hook)
        canvas = self.canv
        canvas.saveState()
        canvas.setFont(self.font, 7)
        canvas.drawString(self.leftMargin, 8 * mm, f"{self.label}, page {canvas.getPageNumber()}")
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
) -> None:
    """Write the slips, one after another, each starting on a new page, each under its head
    (employer, unit, grade, tariff, pay date) where `heads` has it."""
    styles = _styles()
    story: list[object] = []
    for index, slip in enumerate(slips):
        if index:
            story.append(PageBreak())
        period = f"{slip.period.start.isoformat()} to {slip.period.end.isoformat()}"
        story += [
            _Owner(f"Pay slip of {slip.name} ({slip.worker_id}), {period}"),
            Paragraph("Pay slip", styles["title"]),
            Paragraph(
                f"<b>{escape(slip.name)}</b> ({escape(slip.worker_id)}), period {period}, "
                f"{escape(status)}. Amounts in {escape(slip.currency)}.",
                styles["head"],
            ),
        ]
        if heads and slip.worker_id in heads:
            story += [Spacer(1, 2 * mm), _head(heads[slip.worker_id], styles)]
        story += [
            Spacer(1, 4 * mm),
            _table(
                "earnings: what for, and how it is computed",
                slip.lines,
                ("gross", slip.gross),
                styles,
            ),
        ]
        if slip.deductions:
            story += [
                Spacer(1, 4 * mm),
                _table("deductions", slip.deductions, ("total deductions", slip.deducted), styles),
            ]
        story += [
            Spacer(1, 4 * mm),
            Paragraph(
                f"<b>Net pay: {slip.net:f} {escape(slip.currency)}</b> "
                f"(gross {slip.gross:f} less deductions {slip.deducted:f}). Each line is "
                "computed exactly and rounded once, half-up, to the minor unit (the "
                "minimum-wage make-up up, capped deductions down, in the worker's favour); the "
                "gross is the sum of the rounded lines.",
                styles["head"],
            ),
        ]
    document = _Slips(
        str(path),
        pagesize=A4,
        leftMargin=14 * mm,
        rightMargin=14 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title="Pay slips",
        author="stakhanov",
    )
    document.font = _font()[0]
    document.build(story)
