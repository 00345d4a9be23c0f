"""Who keeps the library and writes announcements, and what a refused or invalid form keeps: the Supreme
Court's editors only (permission and position), a court's chairman or publishers for their court, the
scopes each court may address, roles, read receipts and attachments in the archive's file store."""

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from torelik.archive.queries import open_stored_file
from torelik.cases.tests.factories import staff_user
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.courts.models import StaffRole
from torelik.portal import access, actions
from torelik.portal.models import Announcement, PracticeItem, ReadReceipt, Scope
from torelik.portal.tests.factories import LOAN, World, world

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 16, 6, 0, tzinfo=dt.UTC)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

FORM = {
    "kind": "resolution",
    "number": "3",
    "adopted_on": "2020-04-20",
    "title_kk": "Қарыз туралы жаңа қаулы",
    "title_ru": "Новое постановление о займе",
    "text_ru": "Текст постановления о займе.",
    "status": "in_force",
    "visibility": "public",
    "categories": [LOAN],
}


def test_only_the_supreme_courts_editors_keep_the_library() -> None:
    w = world()
    outsider_with_permission = staff_user("analyst.0215", w.district.court, StaffRole.ANALYST)
    outsider_with_permission.user_permissions.add(Permission.objects.get(codename="edit_library"))
    judge = Client()
    judge.force_login(w.district.judge_user)
    assert judge.get("/ru/portal/library/new/").status_code == 403
    other = Client()
    other.force_login(outsider_with_permission)
    assert other.post("/ru/portal/library/new/", FORM).status_code == 403
    assert not PracticeItem.objects.filter(number="3").exists()
    editor = Client()
    editor.force_login(w.editor)
    response = editor.post("/en/portal/library/new/", FORM)
    assert response.status_code == 302
    saved = PracticeItem.objects.get(number="3")
    assert [c.code for c in saved.categories.all()] == [LOAN]
    assert saved.edited_by == w.editor


def test_an_invalid_item_comes_back_with_translated_errors_and_everything_typed() -> None:
    w = world()
    editor = Client()
    editor.force_login(w.editor)
    form = {**FORM, "status": "lost_force", "lost_force_on": "2019-01-01", "text_ru": "Мой длинный черновик"}
    response = editor.post("/ru/portal/library/new/", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Акт не может утратить силу раньше своей даты." in html
    assert "Мой длинный черновик" in html
    assert "Новое постановление о займе" in html
    missing = editor.post("/kk/portal/library/new/", {**FORM, "title_kk": ""})
    assert missing.status_code == 400
    assert "Бұл өрісті толтыру міндетті." in missing.content.decode()


def test_a_draft_is_kept_and_published_later() -> None:
    w = world()
    editor = Client()
    editor.force_login(w.editor)
    editor.post("/ru/portal/library/new/", {**FORM, "action": "draft"})
    saved = PracticeItem.objects.get(number="3")
    assert saved.is_draft
    assert not access.library_for(w.district.judge_user).filter(pk=saved.pk).exists()
    editor.post(f"/ru/portal/library/{saved.public_id}/edit/", {**FORM, "action": "save"})
    assert not PracticeItem.objects.get(pk=saved.pk).is_draft
    assert access.library_for(w.district.judge_user).filter(pk=saved.pk).exists()


def test_the_supreme_court_addresses_every_court_and_a_role() -> None:
    w = world()
    chairman = staff_user("chairman.0001", w.supreme, StaffRole.CHAIRMAN)
    with clock.frozen_at(NOW):
        note = actions.save_announcement(
            actor=chairman,
            data=actions.AnnouncementInput(
                court_code="0001", scope=Scope.ALL, title="Всем судьям", body="Текст", roles=[StaffRole.JUDGE]
            ),
        )
    assert note.published_at == NOW
    assert access.announcements_for(w.district.judge_user).filter(pk=note.pk).exists()
    assert not access.announcements_for(w.district.clerk).filter(pk=note.pk).exists()


def test_a_regional_court_reaches_its_district_courts_and_a_district_court_only_its_own() -> None:
    w = world()
    regional_chairman = staff_user("chairman.0200", w.regional, StaffRole.CHAIRMAN)
    district_chairman = staff_user("chairman.0215", w.district.court, StaffRole.CHAIRMAN)
    note = actions.save_announcement(
        actor=regional_chairman,
        data=actions.AnnouncementInput(court_code="0200", scope=Scope.LOWER, title="Районным судам", body="Текст"),
    )
    assert access.announcements_for(w.district.clerk).filter(pk=note.pk).exists()
    with pytest.raises(DomainError) as refused:
        actions.save_announcement(
            actor=district_chairman,
            data=actions.AnnouncementInput(court_code="0215", scope=Scope.ALL, title="Всем", body="Текст"),
        )
    assert refused.value.code == "scope_not_allowed"
    with pytest.raises(DomainError) as foreign:
        actions.save_announcement(
            actor=district_chairman,
            data=actions.AnnouncementInput(court_code="0200", scope=Scope.COURT, title="Чужой суд", body="Текст"),
        )
    assert foreign.value.code == "not_publisher"
    assert (
        not access.announcements_for(staff_user("clerk.0001", w.supreme, StaffRole.CLERK)).filter(pk=note.pk).exists()
    )


def _chairman_posts(w: World, *, body: str, content: bytes, **extra: str) -> Any:  # the test client's response
    """The district court's chairman posts a new announcement with one file `plan.pdf` of `content`."""
    author = Client()
    author.force_login(staff_user("chairman.0215", w.district.court, StaffRole.CHAIRMAN))
    form = {"court": "0215", "scope": "court", "title": "Учёба судей", "body": body, **extra}
    return author.post(
        "/ru/portal/announcements/new/",
        {**form, "files": [SimpleUploadedFile("plan.pdf", content, "application/pdf")]},
    )


def test_an_announcement_with_a_pdf_is_stored_read_and_confirmed() -> None:
    w = world()
    response = _chairman_posts(w, body="В пятницу учёба.", content=PDF, asks_receipt="on")
    assert response.status_code == 302
    note = Announcement.objects.get()
    stored = note.attachments.get()
    assert open_stored_file(stored.stored).read() == PDF
    reader = Client()
    reader.force_login(w.district.judge_user)
    page = reader.get(f"/ru/portal/announcements/{note.public_id}/")
    assert "Учёба судей" in page.content.decode()
    download = reader.get(f"/ru/portal/announcements/{note.public_id}/files/{stored.public_id}/")
    assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]
    reader.post(f"/ru/portal/announcements/{note.public_id}/read/")
    reader.post(f"/ru/portal/announcements/{note.public_id}/read/")
    assert ReadReceipt.objects.filter(announcement=note, user=w.district.judge_user).count() == 1
    assert "Учёба судей" in reader.get("/ru/portal/").content.decode()


def test_a_file_of_a_wrong_type_is_refused_and_the_text_kept() -> None:
    response = _chairman_posts(world(), body="Мой текст объявления", content=b"MZ not a pdf")
    assert response.status_code == 400
    assert "Мой текст объявления" in response.content.decode()
    assert not Announcement.objects.exists()


def test_a_stranger_reads_no_announcement_and_writes_none() -> None:
    w = world()
    note = actions.save_announcement(
        actor=staff_user("chairman.0215", w.district.court, StaffRole.CHAIRMAN),
        data=actions.AnnouncementInput(court_code="0215", scope=Scope.COURT, title="Внутреннее", body="Текст"),
    )
    stranger = Client()
    assert stranger.get(f"/ru/portal/announcements/{note.public_id}/").status_code == 302
    clerk_elsewhere = Client()
    clerk_elsewhere.force_login(staff_user("clerk.0001", w.supreme, StaffRole.CLERK))
    assert clerk_elsewhere.get(f"/ru/portal/announcements/{note.public_id}/").status_code == 404
    assert clerk_elsewhere.get("/ru/portal/announcements/new/").status_code == 403
