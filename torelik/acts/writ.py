"""The writ of execution (исполнительный лист) of an act in force that needs one (`kinds.py`: `writ`):
a PDF of the act's operative part, the parties and the date of entry into force, sealed by the court
(PAdES, `identity.pades`), issued electronically as a document of the case, ready for the exchange
with enforcement."""

import io
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

from torelik.core.fonts import BOLD_FONT, FONT, register_fonts

TITLE = {"ru": "ИСПОЛНИТЕЛЬНЫЙ ЛИСТ", "kk": "АТҚАРУ ПАРАҒЫ"}
LINES = {
    "ru": ("Дело", "Судебный акт", "Вступил в законную силу", "Взыскатель", "Должник", "Резолютивная часть"),
    "kk": ("Іс", "Сот актісі", "Заңды күшіне енді", "Өндіріп алушы", "Борышкер", "Қарар бөлігі"),
}


def render_writ_pdf(
    *,
    language: str,
    court: str,
    number: str,
    act_name: str,
    in_force_on: str,
    creditors: str,
    debtors: str,
    operative: str,
) -> bytes:
    register_fonts("writ")
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15, spaceAfter=4)
    title = ParagraphStyle("title", fontName=BOLD_FONT, fontSize=14, leading=18, alignment=1, spaceAfter=8)
    labels = LINES.get(language, LINES["ru"])
    story: list[Flowable] = [
        Paragraph(escape(court), title),
        Paragraph(escape(TITLE.get(language, TITLE["ru"])), title),
        Spacer(1, 4 * mm),
    ]
    for label, value in zip(labels, (number, act_name, in_force_on, creditors, debtors, operative), strict=True):
        story.append(Paragraph(f"<b>{escape(label)}:</b> {escape(value)}".replace("\n", "<br/>"), body))
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, title=number, creator="Torelik"
    ).build(story)
    return buffer.getvalue()
