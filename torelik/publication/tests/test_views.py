"""The public search and act pages in kk and ru, bad input answered with a translated 400, and the
reviewer's page: the masked spans highlighted, publication by a click."""

import datetime as dt

import pytest
from django.test import Client

from torelik.cases.tests.factories import staff_user
from torelik.core import clock
from torelik.courts.models import StaffRole
from torelik.identity.models import User
from torelik.publication import actions
from torelik.publication.models import PublicationStatus, PublishedAct
from torelik.publication.tests.factories import announced_decision

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 16)
MOMENT = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)


def _candidate() -> tuple[PublishedAct, Client]:
    act = announced_decision(on=DAY)
    published = actions.prepare_candidate(act)
    assert published is not None
    clerk = staff_user("reviewer.views", act.case.court, StaffRole.CLERK)
    client = Client()
    client.force_login(clerk)
    return published, client


def test_the_reviewer_sees_the_masks_highlighted_and_publishes_then_the_public_finds_the_act() -> None:
    with clock.frozen_at(MOMENT):
        published, staff = _candidate()
        page = staff.get(f"/ru/acts/review/{published.public_id}/")
        assert page.status_code == 200
        html = page.content.decode()
        assert 'class="mask mask-iin"' in html
        assert "871008401427" in html
        assert staff.get("/ru/acts/review/").status_code == 200
        response = staff.post(f"/ru/acts/review/{published.public_id}/", {"step": "publish"}, follow=True)
        assert "Акт опубликован" in response.content.decode() or response.status_code == 200
    published.refresh_from_db()
    assert published.status == PublicationStatus.PUBLISHED
    public = Client()
    for language in ("ru", "kk"):
        found = public.get(f"/{language}/acts/", {"q": "займа"})
        assert found.status_code == 200
        body = found.content.decode()
        assert str(published.public_id) in body
        assert "<mark>займа</mark>" in body
        assert "871008401427" not in body
        assert "Ахметова" not in body
    act_page = public.get(f"/ru/acts/published/{published.public_id}/").content.decode()
    assert "ТОО «Алатау Строй»" in act_page
    assert "+7 701" not in act_page
    assert "Самал" not in act_page


def test_a_candidate_is_not_on_the_public_site_and_strangers_may_not_review() -> None:
    with clock.frozen_at(MOMENT):
        published, _staff = _candidate()
    public = Client()
    assert public.get(f"/ru/acts/published/{published.public_id}/").status_code == 404
    assert public.get(f"/ru/acts/review/{published.public_id}/").status_code == 302  # to the login


def test_bad_search_input_is_a_translated_400() -> None:
    response = Client().get("/ru/acts/", {"year": "abc"})
    assert response.status_code == 400
    assert "Введите целое число" in response.content.decode()


def test_a_correction_request_gets_its_answer_date() -> None:
    with clock.frozen_at(MOMENT):
        published, staff = _candidate()
        staff.post(f"/ru/acts/review/{published.public_id}/", {"step": "publish"})
        response = Client().post(
            f"/ru/acts/published/{published.public_id}/", {"message": "Видна фамилия"}, follow=True
        )
    assert "01.12.2026" in response.content.decode()


def test_the_public_pdf_is_the_depersonalised_text(tmp_path: object) -> None:
    import pathlib
    import subprocess

    with clock.frozen_at(MOMENT):
        published, staff = _candidate()
        staff.post(f"/ru/acts/review/{published.public_id}/", {"step": "publish"})
    public = Client()
    response = public.get(f"/ru/acts/published/{published.public_id}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = pathlib.Path(str(tmp_path)) / "act.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout  # noqa: S603, S607
    flat = " ".join(text.split())
    assert "Обезличенная копия" in flat
    assert "ФИО-1" in flat
    assert "ТОО «Алатау Строй»" in flat
    for personal in ("871008401427", "Ахметова", "Айгерим", "Сериковна", "+7 701", "Самал"):
        assert personal not in flat
    assert str(published.public_id) in flat  # the QR note names the public page
    with clock.frozen_at(MOMENT):
        staff.post(f"/ru/acts/review/{published.public_id}/", {"step": "withdraw", "reason": "test"})
    assert public.get(f"/ru/acts/published/{published.public_id}/pdf/").status_code == 404


def _published_with_request(message: str) -> tuple[PublishedAct, Client, str]:
    with clock.frozen_at(MOMENT):
        published, staff = _candidate()
        staff.post(f"/ru/acts/review/{published.public_id}/", {"step": "publish"})
        response = Client().post(f"/ru/acts/published/{published.public_id}/", {"message": message})
    assert response.status_code == 302
    return published, staff, response["Location"]


def test_the_clerk_corrects_the_masking_and_the_requester_reads_the_answer() -> None:
    from torelik.publication.models import CorrectionRequest

    published, staff, status_page = _published_with_request("Виден ИИН")
    requester = Client()
    waiting = requester.get(status_page).content.decode()
    assert "01.12.2026" in waiting
    assert 'id="correction-waiting"' in waiting
    correction = CorrectionRequest.objects.get(published_act=published)
    assert correction.token in status_page
    review = staff.get(f"/ru/acts/review/{published.public_id}/").content.decode()
    assert "Виден ИИН" in review
    start = published.source_text.index("1 500 000")
    with clock.frozen_at(MOMENT):
        staff.post(
            f"/ru/acts/review/{published.public_id}/",
            {"action": "add", "start": start, "end": start + len("1 500 000"), "kind": "address"},
        )
        answered = staff.post(
            f"/ru/acts/review/{published.public_id}/",
            {"step": "answer", "correction": correction.pk, "outcome": "corrected", "answer": "Исправлено"},
            follow=True,
        )
    assert "Ответ отправлен" in answered.content.decode()
    assert "1 500 000" not in Client().get(f"/ru/acts/published/{published.public_id}/").content.decode()
    for language, outcome in (("ru", "исправлено"), ("kk", "түзетілді"), ("en", "corrected")):
        page = requester.get(status_page.replace("/ru/", f"/{language}/")).content.decode()
        assert outcome in page.lower()
        assert "Исправлено" in page
    again = staff.post(
        f"/ru/acts/review/{published.public_id}/",
        {"step": "answer", "correction": correction.pk, "outcome": "refused", "answer": "x"},
        follow=True,
    )
    assert "уже" in again.content.decode()  # already answered


def test_a_refusal_needs_a_reason_and_a_withdrawal_takes_the_act_off() -> None:
    from torelik.publication.models import CorrectionRequest

    published, staff, status_page = _published_with_request("Уберите решение")
    correction = CorrectionRequest.objects.get(published_act=published)
    url = f"/ru/acts/review/{published.public_id}/"
    refused = staff.post(url, {"step": "answer", "correction": correction.pk, "outcome": "refused"}, follow=True)
    assert "Укажите причину отказа" in refused.content.decode()
    with clock.frozen_at(MOMENT):
        staff.post(url, {"step": "answer", "correction": correction.pk, "outcome": "withdrawn", "answer": "Снято"})
    published.refresh_from_db()
    assert published.status == PublicationStatus.WITHDRAWN
    assert Client().get(f"/ru/acts/published/{published.public_id}/").status_code == 404
    assert "Снято" in Client().get(status_page).content.decode()
    assert Client().get("/ru/acts/correction/not-a-token/").status_code == 404
    stranger = Client()
    stranger.force_login(_other_clerk())
    assert stranger.post(url, {"step": "answer", "correction": correction.pk, "outcome": "refused"}).status_code == 403


def _other_clerk() -> User:
    """A secretary of the same court: staff, but not a reviewer."""
    return staff_user("court.secretary", PublishedAct.objects.get().court, StaffRole.SECRETARY)
