"""The apostille as it is printed: the model certificate of the Annex to the Hague Convention of
5 October 1961 (its title in French, its ten numbered fields labelled in Kazakh, Russian and English),
a QR code of the public register's page, and the original document attached to it as an embedded file
(`Source`), so that the court's seal over the whole covers both and the judge's own signature inside the
original stays checkable. The labels are the Convention's wording, not interface text: they are data."""

import io
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from pyhanko.pdf_utils import embed, generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from torelik.acts.act_pdf import QrCode
from torelik.cases.coupon import QR_SIZE
from torelik.core.fonts import BOLD_FONT, FONT, register_fonts

TITLE = "APOSTILLE"
SUBTITLE = "(Convention de La Haye du 5 octobre 1961)"
# (kk, ru, en) of each numbered field, and of the two headings between them.
THIS_DOCUMENT = ("Осы ресми құжат", "Настоящий официальный документ", "This public document")
CERTIFIED = ("Куәландырылды", "Удостоверено", "Certified")
FIELDS = (
    ("Ел", "Страна", "Country"),
    ("қол қойған", "подписан", "has been signed by"),
    ("лауазымы", "выступающим в качестве", "acting in the capacity of"),
    ("мөрімен/мөртаңбасымен бекітілген", "скреплён печатью/штампом", "bears the seal/stamp of"),
    ("жері", "в", "at"),
    ("күні", "дата", "the"),
    ("кім", "кем", "by"),
    ("№", "за №", "No"),
    ("Мөр/мөртаңба", "Печать/штамп", "Seal/stamp"),
    ("Қолы", "Подпись", "Signature"),
)
COUNTRY = "Қазақстан Республикасы / Республика Казахстан / Republic of Kazakhstan"
CHECK_NOTE = "Апостильді тіркелімде тексеру / Проверить апостиль в реестре / Verify this apostille in the register:"
ORIGINAL_NOTE = "Түпнұсқа құжат қоса берілген / Оригинал документа приложен / The original document is attached:"


@dataclass(frozen=True)
class PrintedApostille:
    signed_by: str
    capacity: str
    seal_of: str
    certified_at: str
    date: str  # dd.mm.yyyy
    certified_by: str
    number: str
    seal: str
    officer: str
    verify_url: str
    original_name: str
    original_sha256: str


def _labels(index: int) -> str:
    kk, ru, en = FIELDS[index]
    return f"{index + 1}. {kk} / {ru} / {en}"


def render_apostille_pdf(apostille: PrintedApostille) -> bytes:
    """The certificate page alone (no attachment yet)."""
    register_fonts("apostille")
    title = ParagraphStyle("title", fontName=BOLD_FONT, fontSize=20, leading=24, alignment=1)
    subtitle = ParagraphStyle("subtitle", fontName=FONT, fontSize=10, leading=13, alignment=1, spaceAfter=6)
    label = ParagraphStyle("label", fontName=FONT, fontSize=8, leading=10)
    value = ParagraphStyle("value", fontName=BOLD_FONT, fontSize=10.5, leading=13)
    heading = ParagraphStyle("heading", fontName=BOLD_FONT, fontSize=10, leading=13, alignment=1)
    small = ParagraphStyle("small", fontName=FONT, fontSize=8, leading=10)
    width = A4[0] - 40 * mm
    values = (
        COUNTRY,
        apostille.signed_by,
        apostille.capacity,
        apostille.seal_of,
        apostille.certified_at,
        apostille.date,
        apostille.certified_by,
        apostille.number,
        apostille.seal,
        apostille.officer,
    )
    rows: list[list[Flowable]] = []
    spans: list[tuple[int, int]] = []
    for index, text in enumerate(values):
        if index == 1:
            spans.append((len(rows), 0))
            rows.append([Paragraph(escape(" / ".join(THIS_DOCUMENT)), heading), Paragraph("", label)])
        if index == 4:
            spans.append((len(rows), 0))
            rows.append([Paragraph(escape(" / ".join(CERTIFIED)), heading), Paragraph("", label)])
        rows.append([Paragraph(escape(_labels(index)), label), Paragraph(escape(text), value)])
    table = Table(rows, colWidths=[width * 0.42, width * 0.58])
    style: list[Any] = [
        ("BOX", (0, 0), (-1, -1), 1.2, "black"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LINEBELOW", (0, 0), (-1, -2), 0.25, "grey"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    style += [("SPAN", (0, row), (1, row)) for row, _col in spans]
    table.setStyle(TableStyle(style))
    note = [
        Paragraph(escape(CHECK_NOTE), small),
        Paragraph(escape(apostille.verify_url), small),
        Spacer(1, 2 * mm),
        Paragraph(escape(ORIGINAL_NOTE), small),
        Paragraph(escape(f"{apostille.original_name} · SHA-256 {apostille.original_sha256}"), small),
    ]
    footer = Table([[QrCode(apostille.verify_url), note]], colWidths=[QR_SIZE + 3 * mm, width - QR_SIZE - 3 * mm])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story: list[Flowable] = [
        Paragraph(TITLE, title),
        Paragraph(escape(SUBTITLE), subtitle),
        table,
        Spacer(1, 6 * mm),
        footer,
    ]
    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=f"Apostille {apostille.number}",
        author=apostille.certified_by,
        creator="Torelik",
    ).build(story)
    return buffer.getvalue()


def attach_original(pdf: bytes, *, original: bytes, filename: str) -> bytes:
    """`pdf` with `original` embedded as an associated file (its bytes untouched: a signed original
    keeps its own signatures)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    data = embed.EmbeddedFileObject.from_file_data(
        writer, data=original, mime_type="application/pdf", params=embed.EmbeddedFileParams(embed_size=True)
    )
    spec = embed.FileSpec(
        file_spec_string=filename,
        file_name=filename,
        embedded_data=data,
        description="Original document / Оригинал документа / Түпнұсқа құжат",
        af_relationship=generic.NameObject("/Source"),
    )
    embed.embed_file(writer, spec)
    output = io.BytesIO()
    writer.write(output)  # type: ignore[no-untyped-call]
    return output.getvalue()
