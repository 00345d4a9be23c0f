"""Log marks from a recorder or the secretary, and the hearing record drawn from them."""

import datetime as dt
import shutil
import subprocess

import pytest
from django.test import Client
from django.utils import translation
from reportlab.lib.units import mm

from conftest import skip_or_fail
from torelik.archive.queries import open_stored_file
from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.core.tests.pdf_words import off_the_page, overlapping, words_of
from torelik.hearings.actions import add_log_mark, generate_hearing_record, register_recorder, schedule_hearing
from torelik.hearings.errors import HearingError, HearingErrorCode
from torelik.hearings.models import Hearing, HearingStatus, LogMarkKind
from torelik.hearings.record import hearing_record_pdf
from torelik.hearings.tests.factories import NOW, Court_, at, case_in, court_with_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def court() -> Court_:
    return court_with_staff()


@pytest.fixture
def hearing(court: Court_) -> Hearing:
    with clock.frozen_at(NOW):
        return schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.secretary
        )


def pdf_text(pdf: bytes) -> str:
    if shutil.which("pdftotext") is None:
        skip_or_fail("poppler's pdftotext is not installed: apt-get install poppler-utils")
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)  # noqa: S603, S607
    return result.stdout.decode()


def _post(client: Client, hearing: Hearing, token: str, **body: str) -> object:
    return client.post(
        f"/api/v1/hearings/{hearing.public_id}/log",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_a_recorder_posts_marks_and_the_record_lists_them_in_order_with_offsets(
    client: Client, court: Court_, hearing: Hearing
) -> None:
    _device, token = register_recorder(court=court.court, name="Зал 101", valid_until=NOW + dt.timedelta(days=30))
    marks = [
        ("2026-12-02T10:02:00+05:00", "opened", "Судебное заседание открыто"),
        ("2026-12-02T10:17:45+05:00", "evidence", "Исследован договор займа"),
        ("2026-12-02T10:05:30+05:00", "speaking", "Истец Сейткалиева"),
        ("2026-12-02T10:58:10+05:00", "closing", "Заседание закрыто"),
    ]
    with clock.frozen_at(NOW + dt.timedelta(days=1)):
        for moment, kind, text in marks:
            response = _post(client, hearing, token, at=moment, kind=kind, text=text)
            assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    client.force_login(court.secretary)
    with clock.frozen_at(NOW + dt.timedelta(days=1)):
        response = client.post(f"/api/v1/hearings/{hearing.public_id}/record")
    assert response.status_code == 201, response.content
    hearing.refresh_from_db()
    assert hearing.status == HearingStatus.HELD
    assert hearing.record is not None
    assert str(hearing.record.public_id) == response.json()["document"]
    with open_stored_file(hearing.record.file) as stored:
        text = pdf_text(stored.read())
    positions = [text.index(phrase) for phrase in ("открыто", "Истец", "договор", "Заседание закрыто")]
    assert positions == sorted(positions)
    for offset in ("0:00:00", "0:03:30", "0:15:45", "0:56:10"):
        assert offset in text
    kinds = set(CaseEvent.objects.filter(case=hearing.case).values_list("kind", flat=True))
    assert {CaseEventKind.HEARING_HELD, CaseEventKind.HEARING_RECORD_GENERATED, CaseEventKind.DOCUMENT_ADDED} <= kinds


def test_an_expired_device_token_is_refused(client: Client, court: Court_, hearing: Hearing) -> None:
    _device, token = register_recorder(court=court.court, name="Зал 101", valid_until=NOW + dt.timedelta(hours=1))
    with clock.frozen_at(NOW + dt.timedelta(days=1)):
        response = _post(client, hearing, token, at="2026-12-02T10:02:00+05:00", kind="opened")
    assert response.status_code == 401  # type: ignore[attr-defined]
    assert response.json()["code"] == "device_token_expired"  # type: ignore[attr-defined]


def test_a_recorder_of_another_court_is_refused(client: Client, court: Court_, hearing: Hearing) -> None:
    elsewhere = court_with_staff("0216")
    _device, token = register_recorder(court=elsewhere.court, name="Зал 1", valid_until=NOW + dt.timedelta(days=3))
    with clock.frozen_at(NOW):
        response = _post(client, hearing, token, at="2026-12-02T10:02:00+05:00", kind="opened")
    assert response.status_code == 403  # type: ignore[attr-defined]


def test_an_unknown_hearing_is_404(client: Client, court: Court_) -> None:
    _device, token = register_recorder(court=court.court, name="Зал 101", valid_until=NOW + dt.timedelta(days=3))
    with clock.frozen_at(NOW):
        response = client.post(
            "/api/v1/hearings/00000000-0000-0000-0000-000000000000/log",
            {"at": "2026-12-02T10:02:00+05:00", "kind": "opened"},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert response.status_code == 404


def test_a_mark_outside_the_session_is_refused(court: Court_, hearing: Hearing) -> None:
    with pytest.raises(HearingError) as caught:
        add_log_mark(hearing=hearing, at=at(16), kind=LogMarkKind.NOTE, actor=court.secretary)
    assert caught.value.code == HearingErrorCode.MARK_OUTSIDE_SESSION


def test_no_record_without_marks(court: Court_, hearing: Hearing) -> None:
    with pytest.raises(HearingError) as caught:
        generate_hearing_record(hearing=hearing, actor=court.secretary)
    assert caught.value.code == HearingErrorCode.NO_MARKS


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_record_s_header_and_rows_do_not_overlap_in_any_language(
    court: Court_, hearing: Hearing, language: str
) -> None:
    """The column headings wrap inside their cells (the Kazakh "Жазбадағы орны" ran into the next
    heading), and nothing runs off the page."""
    with clock.frozen_at(NOW + dt.timedelta(days=1)), translation.override(language):
        add_log_mark(
            hearing=hearing,
            at=at(10),
            kind=LogMarkKind.SPEAKING,
            text="Истец Сейткалиева Айгуль " * 6,
            actor=court.secretary,
        )
        marks = list(hearing.marks.order_by("at"))
        pdf = hearing_record_pdf(hearing, marks, recording_url="https://torelik.example/hearings/record.webm")
    pages, words = words_of(pdf)
    assert overlapping(words) == []
    assert off_the_page(pages, words, margin=10 * mm) == []
    text = " ".join(word.text for word in words)
    assert hearing.judge.person.full_name.split()[0] in text
