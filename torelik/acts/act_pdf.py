"""The act as it is printed: a PDF (ReportLab, DejaVu for the Kazakh letters) of its four parts, the
judge's name, and a QR code of its public verification page. The same renderer makes the preview and
the PDF the judge signs."""

import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

import segno
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from torelik.cases.coupon import QR_QUIET_ZONE, QR_SIZE, dark_runs
from torelik.core.fonts import BOLD_FONT, FONT, register_fonts

MARGIN = 20 * mm
CHECK_NOTE = {
    "ru": "Подлинность акта можно проверить по QR-коду или по адресу:",
    "kk": "Актінің түпнұсқалығын QR-код немесе мына мекенжай арқылы тексеруге болады:",
}
DRAFT_NOTE = {"ru": "ПРОЕКТ — не подписан", "kk": "ЖОБА — қол қойылмаған"}
JUDGE = {"ru": "Судья", "kk": "Судья"}
# The public copy (issue 22): the depersonalised text, its QR code leading to the public page.
PUBLIC_NOTE = {"ru": "Обезличенная копия судебного акта", "kk": "Сот актісінің иесіздендірілген көшірмесі"}
PUBLIC_CHECK_NOTE = {
    "ru": "Опубликовано на открытом ресурсе судебных актов:",
    "kk": "Сот актілерінің ашық ресурсында жарияланған:",
}


@dataclass(frozen=True)
class PrintedAct:
    language: str
    court: str
    number: str
    dated: str
    title: str
    introductory: str
    descriptive: str
    reasoning: str
    operative: str
    judge: str
    verify_url: str = ""  # empty: a draft's preview (no QR code, marked as a draft)
    public_copy: bool = False  # the depersonalised copy of the public site, its QR code to the public page


class QrCode(Flowable):
    """The QR code of the verification page drawn straight on the canvas as one filled path (a
    rectangle per run of dark modules): a graphics Drawing of the same squares costs a tenth of a
    second per act in shape checks (bench/acts.py)."""

    def __init__(self, data: str, size: float = QR_SIZE) -> None:
        super().__init__()
        self.size = size
        code = segno.make(data, error="m", micro=False)
        self.rows = [[bool(m) for m in row] for row in code.matrix_iter(scale=1, border=QR_QUIET_ZONE)]

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        module = self.size / len(self.rows)
        path = self.canv.beginPath()
        for number, row in enumerate(self.rows):
            y = self.size - (number + 1) * module
            for start, length in dark_runs(row):
                path.rect(start * module, y, length * module, module)
        self.canv.setFillColorRGB(0, 0, 0)
        self.canv.drawPath(path, stroke=0, fill=1)


def _paragraphs(text: str, style: ParagraphStyle) -> list[Flowable]:
    return [Paragraph(escape(block).replace("\n", "<br/>"), style) for block in text.split("\n\n") if block.strip()]


def render_act_pdf(act: PrintedAct) -> bytes:
    register_fonts("act")
    body = ParagraphStyle("body", fontName=FONT, fontSize=11, leading=15, firstLineIndent=8 * mm, spaceAfter=4)
    small = ParagraphStyle("small", fontName=FONT, fontSize=8.5, leading=11)
    court = ParagraphStyle("court", fontName=BOLD_FONT, fontSize=12, leading=15, alignment=1)
    title = ParagraphStyle("title", fontName=BOLD_FONT, fontSize=14, leading=18, alignment=1, spaceBefore=6)
    meta = ParagraphStyle("meta", fontName=FONT, fontSize=10.5, leading=14, alignment=1, spaceAfter=8)
    width = A4[0] - 2 * MARGIN
    story: list[Flowable] = []
    if act.public_copy:
        story.append(Paragraph(escape(PUBLIC_NOTE.get(act.language, PUBLIC_NOTE["ru"])), meta))
    elif not act.verify_url:
        story.append(Paragraph(escape(DRAFT_NOTE.get(act.language, DRAFT_NOTE["ru"])), court))
    story += [
        Paragraph(escape(act.court), court),
        Paragraph(escape(act.title).replace("\n", "<br/>"), title),
        Paragraph(escape(f"№ {act.number} · {act.dated}"), meta),
    ]
    for part in (act.introductory, act.descriptive, act.reasoning, act.operative):
        story += _paragraphs(part, body)
        story.append(Spacer(1, 3 * mm))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(escape(f"{JUDGE.get(act.language, 'Судья')}: {act.judge}"), body))
    if act.verify_url:
        note = [
            Paragraph(
                escape((PUBLIC_CHECK_NOTE if act.public_copy else CHECK_NOTE).get(act.language, CHECK_NOTE["ru"])),
                small,
            ),
            Paragraph(escape(act.verify_url), small),
        ]
        footer = Table([[QrCode(act.verify_url), note]], colWidths=[QR_SIZE + 3 * mm, width - QR_SIZE - 3 * mm])
        footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(Spacer(1, 4 * mm))
        story.append(footer)
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{act.number}",
        author=act.court,
        creator="Torelik",
    ).build(story)
    return buffer.getvalue()
