"""The public court directory pages."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from torelik.courts.models import Court, CourtKind
from torelik.courts.tests.factories import CourtFactory, CourtroomFactory, JudgeFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def courts() -> None:
    akmola = RegionFactory.create(
        code="02", name_ru="Акмолинская область", name_kk="Ақмола облысы", name_en="Akmola Region"
    )
    abay = RegionFactory.create(code="01", name_ru="Область Абай", name_kk="Абай облысы", name_en="Abay Region")
    regional = CourtFactory.create(
        code="0200", kind=CourtKind.REGIONAL, region=akmola, name_ru="Акмолинский областной суд"
    )
    district = CourtFactory.create(
        code="0215",
        region=akmola,
        parent=regional,
        name_ru="Бурабайский районный суд",
        name_en="Burabay District Court",
    )
    CourtFactory.create(code="0110", region=abay, name_ru="Аягозский районный суд", name_en="Ayagoz District Court")
    CourtroomFactory.create(court=district, number="1", has_recording=True)
    JudgeFactory.create(court=district, person__surname="Жумабаев", person__given_name="Ерлан", person__patronymic="")


def test_directory_lists_courts_by_region(client: Client, courts: None) -> None:
    page = client.get("/ru/courts/?region=02").content.decode()
    assert "Бурабайский районный суд" in page
    assert "Аягозский районный суд" not in page


def test_directory_search_is_case_insensitive_in_cyrillic(client: Client, courts: None) -> None:
    page = client.get("/ru/courts/", {"q": "БУРАБАЙСКИЙ"}).content.decode()
    assert "Бурабайский районный суд" in page
    assert "Аягозский" not in page


def test_directory_ignores_an_unknown_region_instead_of_failing(client: Client, courts: None) -> None:
    response = client.get("/en/courts/?region=zz&kind=nonsense")
    assert response.status_code == 200


def test_court_page_shows_judges_courtrooms_and_higher_court(client: Client, courts: None) -> None:
    page = client.get("/ru/courts/0215/").content.decode()
    assert "Жумабаев Ерлан" in page
    assert "Акмолинский областной суд" in page
    assert "/ru/courts/0200/" in page


def test_unknown_court_page_is_404(client: Client, courts: None) -> None:
    assert client.get("/ru/courts/9999/").status_code == 404


def test_court_page_queries_do_not_grow_with_the_number_of_judges(client: Client, courts: None) -> None:
    with CaptureQueriesContext(connection) as few:
        client.get("/ru/courts/0215/")
    for _ in range(10):
        JudgeFactory.create(court=Court.objects.get(code="0215"))
    with CaptureQueriesContext(connection) as many:
        client.get("/ru/courts/0215/")
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.django_db
def test_the_directory_states_the_share_of_courtrooms_with_recording(client: Client) -> None:
    court = CourtFactory.create()
    for number, equipped in enumerate([True, True, True, False]):
        CourtroomFactory.create(court=court, number=str(number + 1), has_recording=equipped)
    text = client.get("/en/courts/").content.decode()
    assert "3 of 4 courtrooms are equipped with audio-video recording" in text
    assert "(75 %)" in text


@pytest.mark.django_db
def test_a_court_page_links_to_its_hearing_timetable(client: Client) -> None:
    court = CourtFactory.create(code="0218")
    text = client.get("/ru/courts/0218/").content.decode()
    assert f'href="/ru/hearings/courts/{court.code}/"' in text
    assert "расписание судебных заседаний" in text
