"""The API and pages: public timetable (JSON, iCalendar, kk/ru/en), scheduling, calendars and feeds."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.test import Client
from icalendar import Calendar

from torelik.cases.models import CaseStatus
from torelik.core import clock
from torelik.hearings.actions import ParticipantInput, cancel_hearing, schedule_hearing
from torelik.hearings.models import Hearing, ParticipantRole
from torelik.hearings.tests.factories import DAY, NOW, Court_, at, case_in, court_with_staff, person
from torelik.identity.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def court() -> Court_:
    return court_with_staff()


def _events(body: bytes) -> list[dict[str, object]]:
    calendar = Calendar.from_ical(body)
    return [
        {
            "summary": str(event["summary"]),
            "start": event.decoded("dtstart"),
            "tzid": event["dtstart"].params.get("TZID"),
        }
        for event in calendar.walk("VEVENT")
    ]


def _open_and_closed(court: Court_) -> tuple[Hearing, Hearing]:
    with clock.frozen_at(NOW):
        open_ = schedule_hearing(
            case=case_in(court),
            courtroom=court.room,
            starts_at=at(10),
            ends_at=at(11),
            actor=court.secretary,
            participants=[ParticipantInput(role=ParticipantRole.PARTY, person=person("Сейткалиева"))],
        )
        closed = schedule_hearing(
            case=case_in(court),
            courtroom=court.room,
            starts_at=at(14),
            ends_at=at(15),
            actor=court.secretary,
            is_closed=True,
        )
    return open_, closed


def test_the_public_timetable_lists_open_hearings_only(client: Client, court: Court_) -> None:
    open_, closed = _open_and_closed(court)
    response = client.get("/api/v1/hearings", {"court": court.court.code, "date": DAY.isoformat()})
    assert response.status_code == 200
    body = response.json()
    assert [h["case_number"] for h in body["hearings"]] == [open_.case.number]
    assert body["hearings"][0]["starts_at"] == "2026-12-02T10:00:00+05:00"
    assert body["time_zone"] == "Asia/Almaty"
    assert "Сейткалиева" not in response.content.decode()
    assert closed.case.number not in response.content.decode()


def test_the_timetable_as_icalendar_parses_back_in_the_courts_zone(client: Client, court: Court_) -> None:
    region = court.court.region
    assert region is not None
    region.time_zone = "Asia/Qostanay"
    region.save()
    open_, _closed = _open_and_closed(court)
    response = client.get("/api/v1/hearings", {"court": court.court.code, "date": DAY.isoformat(), "format": "ics"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = _events(response.content)
    assert len(events) == 1
    assert events[0]["tzid"] == "Asia/Qostanay"
    assert events[0]["start"] == dt.datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Qostanay"))
    assert open_.case.number in str(events[0]["summary"])


def test_the_timetable_shows_a_change_at_once_though_its_body_is_kept(client: Client, court: Court_) -> None:
    open_, _closed = _open_and_closed(court)
    query = {"court": court.court.code, "date": DAY.isoformat()}
    first = client.get("/api/v1/hearings", query).json()
    assert [h["case_number"] for h in first["hearings"]] == [open_.case.number]
    assert len(_events(client.get("/api/v1/hearings", {**query, "format": "ics"}).content)) == 1
    # The body is kept: a judge renamed (no hearing saved) shows when the kept body expires, within
    # TIMETABLE_CACHE_SECONDS (the cache's own clock: emptied here as if they had passed).
    Person.objects.filter(pk=open_.judge.person_id).update(surname="Переименованный")
    assert client.get("/api/v1/hearings", query).json() == first
    cache.clear()
    assert client.get("/api/v1/hearings", query).json()["hearings"][0]["judge"].startswith("Переименованный ")
    with clock.frozen_at(NOW):
        cancel_hearing(hearing=open_, reason="болезнь судьи", actor=court.secretary)
    assert client.get("/api/v1/hearings", query).json()["hearings"] == []
    assert _events(client.get("/api/v1/hearings", {**query, "format": "ics"}).content) == []
    with clock.frozen_at(NOW):
        later = schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(16), ends_at=at(17), actor=court.secretary
        )
    assert [h["case_number"] for h in client.get("/api/v1/hearings", query).json()["hearings"]] == [later.case.number]


def test_a_proxy_revalidates_the_timetable_by_its_etag(client: Client, court: Court_) -> None:
    open_, _closed = _open_and_closed(court)
    query = {"court": court.court.code, "date": DAY.isoformat()}
    first = client.get("/api/v1/hearings", query)
    assert first["Cache-Control"] == "public, max-age=30"
    assert client.get("/api/v1/hearings", query, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    with clock.frozen_at(NOW):
        cancel_hearing(hearing=open_, reason="болезнь судьи", actor=court.secretary)
    changed = client.get("/api/v1/hearings", query, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed.json()["hearings"] == []


def test_accept_text_calendar_gives_icalendar(client: Client, court: Court_) -> None:
    _open_and_closed(court)
    response = client.get(
        "/api/v1/hearings", {"court": court.court.code, "date": DAY.isoformat()}, HTTP_ACCEPT="text/calendar"
    )
    assert len(_events(response.content)) == 1


def test_an_unknown_court_is_a_translated_error(client: Client) -> None:
    response = client.get("/api/v1/hearings", {"court": "9999"}, HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 422
    assert response.json()["code"] == "unknown_court"
    assert set(response.json()) == {"code", "message", "fields"}


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_timetable_page_in_each_language(client: Client, court: Court_, language: str) -> None:
    open_, closed = _open_and_closed(court)
    response = client.get(f"/{language}/hearings/courts/{court.court.code}/", {"date": DAY.isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert open_.case.number in page
    assert closed.case.number not in page
    assert "Сейткалиева" not in page


def test_the_judges_secretary_schedules_through_the_api_and_a_clash_is_409(client: Client, court: Court_) -> None:
    client.force_login(court.secretary)
    case = case_in(court)
    payload = {
        "case": case.number,
        "courtroom": court.room.number,
        "starts_at": "2026-12-02T10:00:00+05:00",
        "ends_at": "2026-12-02T11:00:00+05:00",
        "kind": "preparatory",
    }
    with clock.frozen_at(NOW):
        created = client.post("/api/v1/hearings", payload, content_type="application/json")
        clash = client.post(
            "/api/v1/hearings", {**payload, "case": case_in(court).number}, content_type="application/json"
        )
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "preparatory"
    case.refresh_from_db()
    assert case.status == CaseStatus.SCHEDULED
    assert clash.status_code == 409
    assert clash.json()["code"] == "hearing_conflict"
    assert case.number in clash.json()["message"]


def test_scheduling_needs_a_login(client: Client, court: Court_) -> None:
    response = client.post("/api/v1/hearings", {}, content_type="application/json")
    assert response.status_code == 401


def test_a_hearing_outside_hours_is_422_with_the_field(client: Client, court: Court_) -> None:
    client.force_login(court.secretary)
    payload = {
        "case": case_in(court).number,
        "courtroom": court.room.number,
        "starts_at": "2026-12-02T19:00:00+05:00",
        "ends_at": "2026-12-02T20:00:00+05:00",
    }
    with clock.frozen_at(NOW):
        response = client.post("/api/v1/hearings", payload, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["code"] == "hearing_outside_working_hours"
    assert "starts_at" in response.json()["fields"]


def test_postpone_and_cancel_through_the_api(client: Client, court: Court_) -> None:
    open_, closed = _open_and_closed(court)
    client.force_login(court.secretary)
    with clock.frozen_at(NOW):
        postponed = client.post(
            f"/api/v1/hearings/{open_.public_id}/postpone",
            {
                "reason": "болезнь судьи",
                "starts_at": "2026-12-03T10:00:00+05:00",
                "ends_at": "2026-12-03T11:00:00+05:00",
            },
            content_type="application/json",
        )
        cancelled = client.post(
            f"/api/v1/hearings/{closed.public_id}/cancel", {"reason": "отзыв иска"}, content_type="application/json"
        )
    assert postponed.status_code == 200, postponed.content
    assert postponed.json()["postponed"]["status"] == "postponed"
    assert postponed.json()["next"]["starts_at"] == "2026-12-03T10:00:00+05:00"
    assert cancelled.json()["status"] == "cancelled"


def test_the_judge_sees_closed_hearings_in_the_calendar_and_the_feed(client: Client, court: Court_) -> None:
    open_, closed = _open_and_closed(court)
    client.force_login(court.judge_user)
    mine = client.get("/api/v1/hearings/mine", {"start": "2026-11-30", "end": "2026-12-07"})
    assert [h["case_number"] for h in mine.json()] == [open_.case.number, closed.case.number]
    page = client.get("/ru/hearings/calendar/", {"view": "week", "date": DAY.isoformat()})
    assert closed.case.number in page.content.decode()
    issued = client.post("/api/v1/hearings/feed")
    assert issued.status_code == 201
    url = issued.json()["url"]
    client.logout()
    with clock.frozen_at(NOW):
        feed = client.get(url)
    assert feed.status_code == 200
    assert len(_events(feed.content)) == 2
    client.force_login(court.judge_user)
    assert client.delete("/api/v1/hearings/feed").status_code == 204
    client.logout()
    assert client.get(url).status_code == 404


def test_the_calendar_page_needs_a_login(client: Client) -> None:
    response = client.get("/en/hearings/calendar/")
    assert response.status_code == 302
