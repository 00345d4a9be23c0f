"""The registration coupon: the PDF a court office hands to whoever brought a paper filing, with a
QR code that leads to the public check of the registration (drawn as vector squares, no images)."""

import datetime as dt
import io
from collections.abc import Iterable
from xml.sax.saxutils import escape

import segno
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A5
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from torelik.cases.queries import Registration
from torelik.core.fonts import BOLD_FONT, FONT, register_fonts
from torelik.core.numbers import amount
from torelik.courts.models import Court
from torelik.courts.zones import court_zone
from torelik.identity.models import User

QR_QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 asks
QR_SIZE = 32 * mm
PAGE_MARGIN = 12 * mm


def court_local_time(court: Court, moment: dt.datetime) -> str:
    """`02.03.2026 10:00 (UTC+05:00)`: how the coupon and the case page give a moment."""
    local = moment.astimezone(court_zone(court))
    offset = local.strftime("%z")
    return f"{local:%d.%m.%Y %H:%M} (UTC{offset[:3]}:{offset[3:]})"


def dark_runs(row: Iterable[int | bool]) -> list[tuple[int, int]]:
    """(start, length) of each horizontal run of dark modules in a row of the QR matrix."""
    runs: list[tuple[int, int]] = []
    start: int | None = None
    index = -1
    for index, module in enumerate(row):
        if module and start is None:
            start = index
        elif not module and start is not None:
            runs.append((start, index - start))
            start = None
    if start is not None:
        runs.append((start, index + 1 - start))
    return runs


def qr_drawing(data: str, size: float = QR_SIZE) -> Drawing:
    """The QR code of `data` as vector squares (one rectangle per run of dark modules)."""
    code = segno.make(data, error="m", micro=False)
    rows = [list(row) for row in code.matrix_iter(scale=1, border=QR_QUIET_ZONE)]
    module = size / len(rows)
    drawing = Drawing(size, size)
    for number, row in enumerate(rows):
        y = size - (number + 1) * module
        for start, length in dark_runs(row):
            square = Rect(start * module, y, length * module, module)
            square.fillColor = colors.black
            square.strokeColor = None
            square.strokeWidth = 0
            drawing.add(square)
    return drawing


def _person_name(user: User | None) -> str:
    if user is None:
        return "—"
    if user.person is not None:
        return user.person.full_name
    return user.get_full_name() or user.get_username()


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


class _Styles:
    def __init__(self) -> None:
        self.text = ParagraphStyle("text", fontName=FONT, fontSize=9, leading=11.5)
        self.small = ParagraphStyle("small", parent=self.text, fontSize=7.5, leading=9.5)
        self.court = ParagraphStyle("court", parent=self.text, fontName=BOLD_FONT, fontSize=10.5, leading=13)
        self.title = ParagraphStyle(
            "title", parent=self.text, fontName=BOLD_FONT, fontSize=14, leading=18, spaceBefore=4, spaceAfter=4
        )
        self.heading = ParagraphStyle(
            "heading", parent=self.text, fontName=BOLD_FONT, fontSize=10, leading=13, spaceBefore=7, spaceAfter=3
        )
        self.number = ParagraphStyle("number", parent=self.text, fontName=BOLD_FONT, fontSize=13, leading=16)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


GRID = TableStyle(
    [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.grey),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
)


def render_coupon(record: Registration, *, verify_url: str) -> bytes:
    """The coupon of a registered case as a PDF, in the active language."""
    register_fonts("registration coupon")
    case = record.case
    styles = _Styles()
    width = A5[0] - 2 * PAGE_MARGIN
    story: list[Flowable] = [
        _p(case.court.name, styles.court),
        _p(_("Registration coupon"), styles.title),
    ]
    facts = [
        (_("Case number"), _p(case.number, styles.number)),
        (_("Registered at"), _p(court_local_time(case.court, case.registered_at), styles.text)),
        (_("Received through"), _p(capfirst(case.get_channel_display()), styles.text)),
        (_("Category"), _p(f"{case.category.code} {case.category.name}", styles.text)),
    ]
    if case.claim_amount is not None:
        facts.append((_("Claim amount, tenge"), _p(amount(case.claim_amount), styles.text)))
    summary = Table([[_p(label, styles.text), value] for label, value in facts], colWidths=[0.32 * width, 0.68 * width])
    summary.setStyle(GRID)
    story.append(summary)

    story.append(_p(_("Documents received"), styles.heading))
    rows: list[list[object]] = [
        [_p(_("No."), styles.small), _p(_("Document"), styles.small), _p(_("Pages"), styles.small)]
    ]
    for position, document in enumerate(record.documents, start=1):
        line = document.document_type.name
        if document.title and document.title != line:
            line = f"{line}: {document.title}"
        rows.append([_p(str(position), styles.text), _p(line, styles.text), _p(str(document.page_count), styles.text)])
    rows.append(
        [
            "",
            _p(_("Pages in all"), styles.text),
            _p(str(sum(d.page_count for d in record.documents)), styles.court),
        ]
    )
    documents = Table(rows, colWidths=[0.08 * width, 0.77 * width, 0.15 * width], repeatRows=1)
    documents.setStyle(GRID)
    story.append(documents)

    story.append(_p(_("Parties"), styles.heading))
    story.extend(_p(f"{capfirst(party.get_role_display())}: {party.name}", styles.text) for party in record.parties)

    story.append(_p(_("Notices"), styles.heading))
    story.append(_p(f"{_('Agrees to SMS notices')}: {_yes_no(case.consent_sms)}", styles.text))
    story.append(_p(f"{_('Agrees to e-mail notices')}: {_yes_no(case.consent_email)}", styles.text))
    story.append(Spacer(1, 4 * mm))
    registered_by = _("Registered by: %(name)s") % {"name": _person_name(case.registered_by)}
    story.append(_p(registered_by, styles.text))
    story.append(Spacer(1, 5 * mm))
    story.append(_p(_("Signature: %(line)s") % {"line": "____________________"}, styles.text))
    story.append(Spacer(1, 4 * mm))

    check = [
        _p(_("Check this registration: scan the code or open the address below."), styles.text),
        Spacer(1, 2 * mm),
        _p(verify_url, styles.small),
    ]
    footer = Table([[qr_drawing(verify_url), check]], colWidths=[QR_SIZE + 2 * mm, width - QR_SIZE - 2 * mm])
    footer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(footer)

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A5,
        leftMargin=PAGE_MARGIN,
        rightMargin=PAGE_MARGIN,
        topMargin=PAGE_MARGIN,
        bottomMargin=PAGE_MARGIN,
        title=f"{_('Registration coupon')} {case.number}",
        author=case.court.name,
        creator="Torelik",
    )
    template.build(story)
    return buffer.getvalue()
