"""The personnel officer's pages: who may open them, the refusals with their 4xx and the typed draft
kept, the reports with their CSV, in the three languages; and the API's door."""

import datetime as dt
import json

import pytest

from torelik.core import clock
from torelik.courts.models import AbsenceKind
from torelik.personnel.actions import appoint, record_absence
from torelik.personnel.models import Absence, CareerEntry, Post, PostKind
from torelik.personnel.tests.factories import NOW, Office, office

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> Office:
    return office()


def test_only_personnel_officers_open_the_pages(world: Office) -> None:
    assert world.client(world.outsider).get("/ru/personnel/").status_code == 403
    anonymous = world.client(world.outsider)
    anonymous.logout()
    assert anonymous.get("/ru/personnel/").status_code == 302


def test_a_courts_officer_keeps_only_their_court_and_the_supreme_courts_every_court(world: Office) -> None:
    officer, national = world.client(world.officer), world.client(world.national)
    assert officer.get("/ru/personnel/courts/0215/").status_code == 200
    refused = officer.get("/ru/personnel/courts/0218/")
    assert refused.status_code == 403
    assert "Вы ведёте кадровый учёт другого суда." in refused.content.decode()
    assert national.get("/ru/personnel/courts/0218/").status_code == 200


def test_the_staff_table_shows_holders_and_vacancies(world: Office) -> None:
    page = world.client(world.officer).get("/ru/personnel/courts/0215/").content.decode()
    assert world.judges[0].person.full_name in page
    # 1 chairman + 3 judges + 2 clerks = 6 posts, two judges in them.
    assert "6 штатных единиц, вакантных: 4." in page


def test_a_vacant_post_is_abolished_after_confirmation_and_a_held_one_is_refused(world: Office) -> None:
    officer = world.client(world.officer)
    clerk = world.post(PostKind.CLERK, 2)
    url = f"/ru/personnel/courts/0215/posts/{clerk.pk}/abolish/"
    assert url in officer.get("/ru/personnel/courts/0215/").content.decode()
    asked = officer.get(url)
    assert asked.status_code == 200
    assert "Исключить штатную единицу «работник канцелярии суда № 2» из штатного расписания" in asked.content.decode()
    assert Post.objects.filter(pk=clerk.pk).exists()  # asking changes nothing
    done = officer.post(url, follow=True)
    assert done.redirect_chain == [("/ru/personnel/courts/0215/", 302)]
    assert "Штатная единица «работник канцелярии суда № 2» упразднена." in done.content.decode()
    assert not Post.objects.filter(pk=clerk.pk).exists()
    assert "5 штатных единиц, вакантных: 3." in done.content.decode()
    held = world.post(PostKind.JUDGE, 1)
    refused = world.client(world.officer).post(f"/kk/personnel/courts/0215/posts/{held.pk}/abolish/")
    assert refused.status_code == 409
    assert 'data-code="post_held"' in refused.content.decode()
    assert Post.objects.filter(pk=held.pk).exists()
    # Another court's officer may not, and a post of another court is not found under this one.
    other = world.post(PostKind.JUDGE, 1, world.other_court)
    assert officer.post(f"/ru/personnel/courts/0218/posts/{other.pk}/abolish/").status_code == 403
    assert officer.post(f"/ru/personnel/courts/0215/posts/{other.pk}/abolish/").status_code == 404
    assert Post.objects.filter(pk=other.pk).exists()


def test_a_bad_count_of_posts_is_refused_with_the_form_kept(world: Office) -> None:
    page = world.client(world.officer).post("/ru/personnel/courts/0215/", {"kind": "clerk", "count": "500"})
    assert page.status_code == 422
    assert 'value="500"' in page.content.decode()


def _appointment(**overrides: str) -> dict[str, str]:
    return {
        "kind": "appointment",
        "court": "0215",
        "post_kind": "judge",
        "post_number": "3",
        "decree_number": "1187",
        "decree_date": "2026-03-02",
        "effective_on": "2026-03-10",
        "term_ends_on": "",
    } | overrides


def test_an_appointment_to_a_post_that_does_not_exist_is_refused_with_the_draft_kept(world: Office) -> None:
    person = world.judges[0].person
    with clock.frozen_at(NOW):
        page = world.client(world.officer).post(
            f"/ru/personnel/people/{person.iin}/appoint/", _appointment(post_number="9", decree_number="1187-A")
        )
    html = page.content.decode()
    assert page.status_code == 422
    assert "В штатном расписании суда нет такой штатной единицы." in html
    assert 'value="1187-A"' in html
    assert CareerEntry.objects.filter(person=person).count() == 1


def test_an_appointment_to_a_filled_post_is_refused_with_409(world: Office) -> None:
    newcomer = "871008401427"
    client = world.client(world.officer)
    assert (
        client.post("/ru/personnel/", {"iin": newcomer, "surname": "Ахметова", "given_name": "Айгерим"}).status_code
        == 302
    )
    with clock.frozen_at(NOW):
        page = client.post(f"/kk/personnel/people/{newcomer}/appoint/", _appointment(post_number="1"))
    assert page.status_code == 409
    assert "Лауазымды басқа адам атқарады: ол бос емес." in page.content.decode()


def test_an_appointment_with_reversed_dates_is_refused(world: Office) -> None:
    with clock.frozen_at(NOW):
        page = world.client(world.officer).post(
            f"/en/personnel/people/{world.judges[0].person.iin}/appoint/",
            _appointment(post_kind="chairman", post_number="1", term_ends_on="2020-01-01"),
        )
    assert page.status_code == 422
    assert "The end date is before the start date." in page.content.decode()


def test_an_overlapping_absence_is_refused_with_the_draft_kept(world: Office) -> None:
    person = world.judges[0].person
    with clock.frozen_at(NOW):
        record_absence(
            person=person,
            kind=AbsenceKind.LEAVE,
            starts_on=dt.date(2026, 4, 1),
            ends_on=dt.date(2026, 4, 14),
            actor=None,
        )
        page = world.client(world.officer).post(
            f"/ru/personnel/people/{person.iin}/absence/",
            {"kind": "training", "starts_on": "2026-04-10", "ends_on": "2026-04-12", "reason": "Курсы в Академии"},
        )
    html = page.content.decode()
    assert page.status_code == 409
    assert "На некоторые из этих дней у этого лица уже внесено отсутствие." in html
    assert "Курсы в Академии" in html


def test_an_absence_with_reversed_dates_is_refused_on_the_page(world: Office) -> None:
    page = world.client(world.officer).post(
        f"/ru/personnel/people/{world.judges[0].person.iin}/absence/",
        {"kind": "leave", "starts_on": "2026-04-14", "ends_on": "2026-04-01", "reason": ""},
    )
    assert page.status_code == 422
    assert "Дата окончания раньше даты начала." in page.content.decode()
    assert not Absence.objects.exists()


def test_the_reports_count_vacancies_terms_and_absence_days_by_month(world: Office) -> None:
    chairman = world.judges[1].person
    with clock.frozen_at(NOW):
        appoint(
            person=chairman,
            post=world.post(PostKind.CHAIRMAN, 1),
            effective_on=dt.date(2021, 6, 1),
            decree_number="55",
            decree_date=dt.date(2021, 5, 20),
            term_ends_on=dt.date(2026, 5, 31),
            actor=None,
        )
        # 30 January to 2 February: two days in each month.
        record_absence(
            person=world.judges[0].person,
            kind=AbsenceKind.SICK,
            starts_on=dt.date(2026, 1, 30),
            ends_on=dt.date(2026, 2, 2),
            actor=None,
        )
        client = world.client(world.national)
        vacancies = client.get("/ru/personnel/reports/vacancies/?format=csv").content.decode("utf-8-sig")
        terms = client.get("/ru/personnel/reports/terms/").content.decode()
        absences = client.get("/ru/personnel/reports/absences/?year=2026&format=csv").content.decode("utf-8-sig")
        page = client.get("/kk/personnel/reports/absences/?year=2026")
    # 0215: chairman + 3 judges + 2 clerks, chairman and judge 1 filled (judge 2 moved up to chairman).
    assert "0215,Бурабайский районный суд,6,2,4,4,2" in vacancies.replace("\r", "")
    assert chairman.full_name in terms
    assert "31.05.2026" in terms
    row = next(line for line in absences.splitlines() if line.startswith("0215"))
    assert row.split(",")[3:6] == ["2", "2", "0"]
    assert page.status_code == 200
    assert "Соттар мен айлар бойынша болмау кезеңдері" in page.content.decode()


def test_a_year_out_of_range_is_refused(world: Office) -> None:
    page = world.client(world.officer).get("/ru/personnel/reports/absences/?year=1800")
    assert page.status_code == 422


def test_the_api_records_an_absence_for_an_officer_only(world: Office) -> None:
    person = world.judges[0].person
    body = json.dumps({"kind": "leave", "starts_on": "2026-04-01", "ends_on": "2026-04-14"})
    refused = world.client(world.outsider).post(
        f"/api/v1/personnel/people/{person.iin}/absences", body, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_personnel_officer"
    client = world.client(world.officer)
    with clock.frozen_at(NOW):
        made = client.post(f"/api/v1/personnel/people/{person.iin}/absences", body, content_type="application/json")
        again = client.post(f"/api/v1/personnel/people/{person.iin}/absences", body, content_type="application/json")
    assert made.status_code == 201
    assert made.json()["backdated"] is False
    assert again.status_code == 409
    assert again.json()["code"] == "absence_overlaps"
    table = client.get("/api/v1/personnel/courts/0215/staff-table").json()
    assert table["vacant"] == 4
    assert world.client(world.officer).get("/api/v1/personnel/courts/0218/staff-table").status_code == 403
