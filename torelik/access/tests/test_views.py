"""The pages, through Django's test client at a fixed moment: the Done-when journey (a visitor summoned to
today's hearing found by IIN at the entrance, shown the courtroom, given a pass, let in), bad input
answered 4xx with translated errors, and the visitor log shown only to the court's security and entrance
staff, each reading recorded."""

from collections.abc import Iterator

import pytest
from django.test import Client

from torelik.access.models import Ban, Device, LogReading, Visit, VisitStatus
from torelik.access.tests.factories import (
    BANNED_IIN,
    INVALID_IIN,
    MORNING,
    PARTY_IIN,
    STRANGER_IIN,
    Building,
    account,
    building,
)
from torelik.core import clock

pytestmark = pytest.mark.django_db


@pytest.fixture
def b(db: None) -> Iterator[Building]:
    with clock.frozen_at(MORNING):
        yield building()


def test_a_visitor_summoned_today_is_registered_by_iin_and_shown_the_courtroom(b: Building, client: Client) -> None:
    client.force_login(b.officer)
    page = client.get("/ru/access/entrance/", {"iin": PARTY_IIN})
    text = page.content.decode()
    assert page.status_code == 200
    assert "Сейткалиева Айгуль" in text
    assert "Зал 101" in text
    assert "Заседание в 10:00, в качестве: участник дела" in text
    hearing = page.context["found"]["summoned"][0]
    response = client.post(
        "/ru/access/entrance/",
        {"action": "register", "iin": PARTY_IIN, "purpose": "hearing", "hearing": hearing.hearing_id, "court": "0215"},
    )
    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/ru/access/passes/{visit.public_id}/?court=0215"
    pass_page = client.get(response["Location"])
    text = pass_page.content.decode()
    assert "Зал 101 · 10:00" in text
    code = pass_page.context["code"]
    assert len(code) == 8
    assert code in text
    assert "<svg" in text  # the code and its QR, printed
    desk = client.post("/ru/access/entrance/", {"action": "in", "visit": str(visit.public_id), "court": "0215"})
    assert desk.status_code == 302
    assert Visit.objects.get().status == VisitStatus.INSIDE
    assert LogReading.objects.filter(user=b.officer, what="lookup", query=PARTY_IIN).exists()


def test_an_invalid_iin_is_answered_400_with_the_reason_in_the_pages_language(b: Building, client: Client) -> None:
    client.force_login(b.officer)
    page = client.get("/kk/access/entrance/", {"iin": INVALID_IIN})
    assert page.status_code == 400
    assert "бақылау цифры" in page.content.decode()  # the IIN's check digit, in Kazakh
    posted = client.post("/ru/access/entrance/", {"action": "register", "iin": INVALID_IIN, "purpose": "office"})
    assert posted.status_code == 400
    assert not Visit.objects.exists()


def test_a_stranger_states_a_purpose_and_a_missing_name_keeps_the_form(b: Building, client: Client) -> None:
    client.force_login(b.officer)
    page = client.get("/en/access/entrance/", {"iin": STRANGER_IIN})
    assert "No hearing in this building today" in page.content.decode()
    refused = client.post("/en/access/entrance/", {"action": "register", "iin": STRANGER_IIN, "purpose": "archive"})
    assert refused.status_code == 400
    assert "Enter the visitor&#x27;s full name" in refused.content.decode()
    done = client.post(
        "/en/access/entrance/",
        {"action": "register", "iin": STRANGER_IIN, "purpose": "archive", "full_name": "Иванов Иван"},
    )
    assert done.status_code == 302
    assert Visit.objects.get().purpose == "archive"


def test_a_banned_person_is_flagged_at_the_desk_and_held(b: Building, client: Client) -> None:
    client.force_login(b.security)
    added = client.post(
        "/ru/access/security/bans/",
        {
            "action": "add",
            "iin": BANNED_IIN,
            "full_name": "Нарушитель",
            "reason": "Угрозы судье",
            "starts_on": "2026-11-01",
        },
    )
    assert added.status_code == 302
    client.force_login(b.officer)
    page = client.get("/ru/access/entrance/", {"iin": BANNED_IIN})
    assert "В списке запрета суда" in page.content.decode()
    assert "Угрозы судье" in page.content.decode()
    held = client.post(
        "/ru/access/entrance/",
        {"action": "register", "iin": BANNED_IIN, "purpose": "office", "full_name": "Нарушитель"},
    )
    assert held.status_code == 302
    assert "/ru/access/passes/" in held["Location"]
    assert Visit.objects.get().status == VisitStatus.HELD
    client.force_login(b.security)
    security = client.get("/ru/access/security/")
    assert "Нарушитель" in security.content.decode()
    client.post("/ru/access/security/", {"action": "refuse", "visit": str(Visit.objects.get().public_id)})
    assert Visit.objects.get().status == VisitStatus.REFUSED


def test_security_pages_are_only_for_the_courts_security_and_each_reading_is_recorded(
    b: Building, client: Client
) -> None:
    client.force_login(b.officer)
    assert client.get("/ru/access/security/").status_code == 403
    assert client.get("/ru/access/security/log/").status_code == 403
    stranger = account("someone")
    client.force_login(stranger)
    assert client.get("/ru/access/entrance/").status_code == 403
    other = building("0216")
    client.force_login(other.security)
    assert client.get("/ru/access/security/", {"court": "0215"}).status_code == 403
    client.force_login(b.security)
    assert client.get("/ru/access/security/").status_code == 200
    log = client.get("/ru/access/security/log/", {"day": "2026-12-02", "format": "csv"})
    assert log.status_code == 200
    assert log["Content-Type"].startswith("text/csv")
    assert list(LogReading.objects.filter(user=b.security).values_list("what", flat=True).order_by("id")) == [
        "inside",
        "csv",
    ]
    assert client.get("/ru/access/security/log/", {"day": "not-a-day"}).status_code == 400


def test_the_days_log_filters_and_exports(b: Building, client: Client) -> None:
    client.force_login(b.officer)
    client.post("/ru/access/entrance/", {"action": "register", "iin": PARTY_IIN, "purpose": "hearing"})
    client.post(
        "/ru/access/entrance/",
        {"action": "register", "iin": STRANGER_IIN, "purpose": "office", "full_name": "Иванов Иван"},
    )
    client.force_login(b.security)
    page = client.get("/ru/access/security/log/", {"day": "2026-12-02", "purpose": "office"})
    assert [v.full_name for v in page.context["visits"]] == ["Иванов Иван"]
    csv = client.get("/ru/access/security/log/", {"day": "2026-12-02", "format": "csv"}).content.decode("utf-8-sig")
    lines = csv.strip().splitlines()
    assert lines[0].startswith("registered_at,kind,full_name,iin")
    assert any(f",{PARTY_IIN}," in line and ",101," in line for line in lines[1:])


def test_security_registers_and_revokes_a_device_its_token_shown_once(b: Building, client: Client) -> None:
    client.force_login(b.security)
    page = client.post("/en/access/security/devices/", {"action": "add", "entrance": "staff", "name": "Reader 2"})
    token = page.context["token"]
    assert len(token) > 30
    assert token in page.content.decode()
    device = Device.objects.get(name="Reader 2")
    assert token not in client.get("/en/access/security/devices/").content.decode()
    client.post("/en/access/security/devices/", {"action": "revoke", "device": str(device.public_id)})
    assert Device.objects.get(pk=device.pk).revoked_at == MORNING


def test_a_ban_with_an_invalid_iin_or_reversed_period_is_refused(b: Building, client: Client) -> None:
    client.force_login(b.security)
    bad = client.post(
        "/ru/access/security/bans/",
        {"action": "add", "iin": INVALID_IIN, "full_name": "Х", "reason": "r", "starts_on": "2026-11-01"},
    )
    assert bad.status_code == 400
    reversed_ = client.post(
        "/ru/access/security/bans/",
        {
            "action": "add",
            "iin": BANNED_IIN,
            "full_name": "Х",
            "reason": "r",
            "starts_on": "2026-11-01",
            "ends_on": "2026-10-01",
        },
    )
    assert reversed_.status_code == 400
    assert not Ban.objects.exists()


def test_buttons_naming_no_such_row_are_answered_404_not_500(b: Building, client: Client) -> None:
    client.force_login(b.officer)
    assert client.post("/ru/access/entrance/", {"action": "in", "visit": "not-a-uuid"}).status_code == 404
    assert client.post("/ru/access/entrance/", {"action": "out", "visit": str(b.hearing.public_id)}).status_code == 404
    client.force_login(b.security)
    assert client.post("/ru/access/security/", {"action": "admit", "visit": "x"}).status_code == 404
    assert client.post("/ru/access/security/bans/", {"action": "lift", "ban": "x"}).status_code == 404
    assert client.post("/ru/access/security/devices/", {"action": "revoke", "device": "x"}).status_code == 404


def test_letting_out_a_visitor_who_never_came_in_is_refused_409_and_kept(b: Building, client: Client) -> None:
    client.force_login(b.officer)
    client.post("/ru/access/entrance/", {"action": "register", "iin": PARTY_IIN, "purpose": "hearing"})
    visit = Visit.objects.get()
    page = client.post("/ru/access/entrance/", {"action": "out", "visit": str(visit.public_id)})
    assert page.status_code == 409
    assert "По этому пропуску ещё не входили." in page.content.decode()
    assert Visit.objects.get().status == VisitStatus.REGISTERED
