"""Ticket sheets and badges drawn for printing: QR codes made here, by segno, never fetched.

The PDF lays out three columns of cards on A4, each a QR code with its words beside it, so a
sheet can be cut into tickets; the HTML page shows the same cards as inline SVG.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from stakhanov.domain.tickets import Badge, Ticket
from stakhanov.i18n import _
from stakhanov.services.printing import _font

COLUMNS, ROWS = 3, 6
MARGIN = 10 * mm


@dataclass(frozen=True)
class Card:
    """One printed card: its code's text and the lines printed beside it."""

    payload: str
    lines: tuple[str, ...]


def ticket_card(ticket: Ticket) -> Card:
    return Card(
        ticket.payload,
        (
            ticket.ticket_id,
            f"{ticket.operation}: {ticket.quantity} {ticket.unit}",
            _("order %(order)s") % {"order": ticket.order_id},
            ticket.workplace.rsplit("/", 1)[-1],
        ),
    )


def badge_card(badge: Badge, name: str) -> Card:
    return Card(badge.payload, (badge.worker_id, name))


def svg(payload: str, label: str) -> str:
    """The code as an SVG image for a page (sized by the stylesheet), named for screen readers."""
    code = segno.make(payload, error="m")
    drawn = str(code.svg_inline(scale=4, omitsize=True, title=label))
    return drawn.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1)


def png(payload: str, scale: int = 8) -> bytes:
    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def pdf(cards: Sequence[Card], title: str) -> bytes:
    """The cards on A4 pages, COLUMNS by ROWS, each with its code and words."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    regular, bold = _font()
    width, height = A4
    cell_w = (width - 2 * MARGIN) / COLUMNS
    cell_h = (height - 2 * MARGIN) / ROWS
    side = min(cell_w * 0.55, cell_h - 8 * mm)
    per_page = COLUMNS * ROWS
    for index, card in enumerate(cards):
        if index and index % per_page == 0:
            canvas.showPage()
        place = index % per_page
        x = MARGIN + (place % COLUMNS) * cell_w
        y = height - MARGIN - (place // COLUMNS + 1) * cell_h
        canvas.setDash(2, 2)
        canvas.rect(x, y, cell_w, cell_h)  # where to cut
        canvas.setDash()
        image = ImageReader(io.BytesIO(png(card.payload, scale=4)))
        canvas.drawImage(image, x + 2 * mm, y + (cell_h - side) / 2, side, side)
        text_x = x + side + 4 * mm
        line_y = y + cell_h - 10 * mm
        for number, line in enumerate(card.lines):
            canvas.setFont(bold if number == 0 else regular, 9 if number == 0 else 7.5)
            for part in _wrap(line, 18):
                canvas.drawString(text_x, line_y, part)
                line_y -= 4 * mm
    if not cards:
        canvas.setFont(regular, 10)
        canvas.drawString(MARGIN, height - MARGIN - 10 * mm, _("No tickets."))
    canvas.save()
    return out.getvalue()


def _wrap(text: str, width: int) -> list[str]:
    """Short lines for a narrow card: words kept whole where they fit."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        while len(word) > width:
            if current:
                lines.append(current)
                current = ""
            lines.append(word[:width])
            word = word[width:]
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    return lines or [""]
