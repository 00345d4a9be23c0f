"""The hearing record (protocol) as a PDF drawn from the log marks, each with its offset into the
recording (ГПК РК art. 281: the audio-video recording is the record; the secretary's short record
lists what happened and when)."""

import datetime as dt
import io
from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from torelik.core.fonts import FONT, REGULAR, register_fonts
from torelik.hearings.models import Hearing, LogMark
from torelik.hearings.working_hours import court_zone


def offset(mark_at: dt.datetime, origin: dt.datetime) -> str:
    """H:MM:SS from the start of the recording (negative offsets read as 0:00:00)."""
    seconds = max(0, int((mark_at - origin).total_seconds()))
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def origin_of(hearing: Hearing, marks: Sequence[LogMark]) -> dt.datetime:
    """The recording starts with the session: the first mark, or the scheduled start without marks."""
    return marks[0].at if marks else hearing.starts_at


def hearing_record_pdf(hearing: Hearing, marks: Sequence[LogMark], *, recording_url: str) -> bytes:
    register_fonts("hearing record", REGULAR)
    zone = court_zone(hearing.courtroom.court)
    style = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13)
    title = ParagraphStyle("title", parent=style, fontSize=14, leading=18)
    origin = origin_of(hearing, marks)
    story = [
        Paragraph(escape(_("Record of the hearing")), title),
        Paragraph(escape(hearing.courtroom.court.name), style),
        Paragraph(
            escape(
                _("Case %(case)s, courtroom %(courtroom)s, %(day)s")
                % {
                    "case": hearing.case.number,
                    "courtroom": hearing.courtroom.number,
                    "day": hearing.starts_at.astimezone(zone).strftime("%d.%m.%Y"),
                }
            ),
            style,
        ),
        Paragraph(escape(_("Judge: %(judge)s") % {"judge": hearing.judge.person.full_name}), style),
        Spacer(1, 6 * mm),
    ]
    # Headings are paragraphs, so that a long translation ("Жазбадағы орны") wraps inside its cell
    # instead of running into the next one; the columns fill the frame (A4 less the margins).
    head = ParagraphStyle("head", parent=style, fontSize=9, leading=11)
    rows: list[list[object]] = [
        [Paragraph(escape(label), head) for label in (_("Time"), _("Offset"), _("Event"), _("Text"))]
    ]
    for mark in marks:
        position = offset(mark.at, origin)
        seconds = max(0, int((mark.at - origin).total_seconds()))
        link = (
            f'<a href="{escape(recording_url)}#t={seconds}" color="blue">{position}</a>' if recording_url else position
        )
        rows.append(
            [
                mark.at.astimezone(zone).strftime("%H:%M:%S"),
                Paragraph(link, style),
                Paragraph(escape(str(mark.get_kind_display())), style),
                Paragraph(escape(mark.text), style),
            ]
        )
    table = Table(rows, colWidths=[22 * mm, 26 * mm, 38 * mm, 94 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.25, "grey"),
            ]
        )
    )
    story.append(table)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, title=_("Record of the hearing")
    )
    document.build(story)
    return buffer.getvalue()
