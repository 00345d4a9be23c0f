"""The post's papers, drawn with ReportLab (DejaVu Sans for Kazakh and Russian letters): the envelope
label with the Code 128 barcode and the address block, the A4 page of a hybrid letter (its barcode,
address block and the text of its enclosures), and the daily register (реестр) of registered letters
handed to the post office, as PDF and CSV."""

import csv
import functools
import io
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from torelik.core.fonts import FONT, REGULAR, register_fonts

DL = (220 * mm, 110 * mm)  # the DL envelope


@functools.cache
def _font() -> str:
    register_fonts("envelope", REGULAR)
    return FONT


@dataclass(frozen=True)
class Sender:
    name: str
    address: str


@dataclass(frozen=True)
class Printed:
    barcode: str
    recipient: str
    address_lines: Sequence[str]
    enclosures: Sequence[dict[str, object]]


def _barcode(canvas: Canvas, barcode: str, x: float, y: float) -> None:
    symbol = Code128(barcode, barHeight=14 * mm, barWidth=0.33 * mm, humanReadable=False)
    symbol.drawOn(canvas, x, y)
    canvas.setFont(_font(), 10)
    canvas.drawString(x + 4 * mm, y - 4 * mm, " ".join((barcode[:2], barcode[2:6], barcode[6:10], barcode[10:])))


def _address_block(canvas: Canvas, letter: Printed, x: float, y: float) -> None:
    canvas.setFont(_font(), 9)
    canvas.drawString(x, y, _("To:"))
    canvas.setFont(_font(), 12)
    lines = [letter.recipient, *letter.address_lines]
    for index, line in enumerate(lines):
        canvas.drawString(x, y - (index + 1) * 5.5 * mm, line[:60])


def envelope(letter: Printed, sender: Sender) -> bytes:
    """A DL envelope label: sender top left, barcode top right, address block bottom right."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=DL, pageCompression=1)
    canvas.setTitle(letter.barcode)
    canvas.setFont(_font(), 9)
    canvas.drawString(10 * mm, 100 * mm, _("From:"))
    canvas.drawString(10 * mm, 95 * mm, sender.name[:70])
    canvas.drawString(10 * mm, 90 * mm, sender.address[:70])
    _barcode(canvas, letter.barcode, 120 * mm, 82 * mm)
    _address_block(canvas, letter, 110 * mm, 60 * mm)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def hybrid_letter(letter: Printed, sender: Sender) -> bytes:
    """One A4 letter for the operator's printers: the window's address block and barcode on the first
    page (a C5 window envelope), then the text of each enclosure."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, pageCompression=1)
    canvas.setTitle(letter.barcode)
    width, height = A4
    canvas.setFont(_font(), 9)
    canvas.drawString(20 * mm, height - 20 * mm, sender.name[:80])
    canvas.drawString(20 * mm, height - 25 * mm, sender.address[:80])
    _barcode(canvas, letter.barcode, 110 * mm, height - 40 * mm)
    _address_block(canvas, letter, 110 * mm, height - 52 * mm)
    y = height - 100 * mm
    for item in letter.enclosures:
        canvas.setFont(_font(), 12)
        canvas.drawString(20 * mm, y, str(item.get("title", ""))[:90])
        y -= 7 * mm
        canvas.setFont(_font(), 10)
        paragraphs = [str(p) for p in item.get("text", []) or []]  # type: ignore[attr-defined]
        for line in (part for p in paragraphs for part in simpleSplit(p, _font(), 10, width - 40 * mm) or [""]):
            if y < 20 * mm:
                canvas.showPage()
                canvas.setFont(_font(), 10)
                y = height - 20 * mm
            canvas.drawString(20 * mm, y, line)
            y -= 5 * mm
        y -= 5 * mm
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@dataclass(frozen=True)
class RegisterRow:
    barcode: str
    recipient: str
    address: str
    weight_class: str
    cost: int


def register_pdf(rows: Sequence[RegisterRow], *, court: str, day: str) -> bytes:
    """The daily register (реестр) of registered letters handed to the post office, for its stamp."""
    out = io.BytesIO()
    size = landscape(A4)
    canvas = Canvas(out, pagesize=size, pageCompression=1)
    width, height = size

    def header() -> float:
        canvas.setFont(_font(), 12)
        canvas.drawString(15 * mm, height - 15 * mm, _("Register of registered letters"))
        canvas.setFont(_font(), 10)
        canvas.drawString(15 * mm, height - 21 * mm, f"{court} — {day}")
        top = height - 30 * mm
        for x, title in zip(COLUMNS, HEADS, strict=True):
            canvas.drawString(x, top, str(title))
        return top - 6 * mm

    COLUMNS = (15 * mm, 25 * mm, 60 * mm, 125 * mm, 240 * mm, 262 * mm)
    HEADS = ("№", _("Barcode"), _("Recipient"), _("Address"), _("Weight"), _("Cost, tenge"))
    y = header()
    canvas.setFont(_font(), 9)
    for index, row in enumerate(rows, start=1):
        if y < 25 * mm:
            canvas.showPage()
            y = header()
            canvas.setFont(_font(), 9)
        for x, text in zip(
            COLUMNS,
            (str(index), row.barcode, row.recipient[:36], row.address[:66], row.weight_class, str(row.cost)),
            strict=True,
        ):
            canvas.drawString(x, y, text)
        y -= 5 * mm
    canvas.setFont(_font(), 10)
    total = sum(r.cost for r in rows)
    canvas.drawString(
        15 * mm,
        max(y - 5 * mm, 12 * mm),
        _("Letters: %(count)s; total, tenge: %(total)s") % {"count": len(rows), "total": total},
    )
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def register_csv(rows: Sequence[RegisterRow]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["number", "barcode", "recipient", "address", "weight_class", "cost_tenge"])
    for index, row in enumerate(rows, start=1):
        writer.writerow([index, row.barcode, row.recipient, row.address, row.weight_class, row.cost])
    return out.getvalue()
