"""The e-subpoena as a PDF (ReportLab, DejaVu for the Kazakh letters) with a QR code of its
verification page; `sealed_subpoena_pdf` adds the court's PAdES seal (identity.pades)."""

import io
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from torelik.cases.coupon import QR_SIZE, qr_drawing
from torelik.core.fonts import BOLD_FONT, FONT, register_fonts
from torelik.summons.subpoena_text import SubpoenaText

MARGIN = 18 * mm


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def render_subpoena_pdf(text: SubpoenaText) -> bytes:
    """The unsealed PDF of a subpoena, in the language `text` was made in."""
    register_fonts("subpoena")
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=14)
    small = ParagraphStyle("small", parent=body, fontSize=8.5, leading=11)
    court = ParagraphStyle("court", parent=body, fontName=BOLD_FONT, fontSize=12, leading=15)
    title = ParagraphStyle("title", parent=body, fontName=BOLD_FONT, fontSize=16, leading=20, spaceBefore=8)
    heading = ParagraphStyle("heading", parent=body, fontName=BOLD_FONT, spaceBefore=8, spaceAfter=3)
    width = A4[0] - 2 * MARGIN
    story: list[Flowable] = [_p(text.court, court)]
    if text.address:
        story.append(_p(text.address, small))
    story += [_p(text.title, title), Spacer(1, 2 * mm)]
    if text.status_note:
        story.append(_p(text.status_note, heading))
    story += [_p(text.addressee, heading), _p(text.summons, body), Spacer(1, 3 * mm)]
    grid = Table(
        [[_p(label, body), _p(value, body)] for label, value in text.facts], colWidths=[0.3 * width, 0.7 * width]
    )
    grid.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story.append(grid)
    story.append(_p(text.consequences_heading, heading))
    story += [_p(f"• {line} ({basis})", small) for line, basis in text.consequences]
    story.append(Spacer(1, 5 * mm))
    check = [_p(text.service_note, small), Spacer(1, 2 * mm), _p(text.verify_url, small), _p(text.issued, small)]
    footer = Table([[qr_drawing(text.verify_url), check]], colWidths=[QR_SIZE + 3 * mm, width - QR_SIZE - 3 * mm])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(footer)
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=text.title,
        author=text.court,
        creator="Torelik",
    ).build(story)
    return buffer.getvalue()
