"""The court directory and the language switcher, clicked through in a real headless Chromium."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.courts.models import CourtKind
from torelik.courts.tests.factories import CourtFactory, CourtroomFactory, JudgeFactory, RegionFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


@pytest.fixture
def directory() -> None:
    akmola = RegionFactory.create(
        code="02", name_kk="Ақмола облысы", name_ru="Акмолинская область", name_en="Akmola Region"
    )
    astana = RegionFactory.create(code="17", name_kk="Астана қаласы", name_ru="город Астана", name_en="Astana City")
    CourtFactory.create(
        code="1700", kind=CourtKind.REGIONAL, region=astana,
        name_kk="Астана қалалық соты", name_ru="Суд города Астаны", name_en="Astana City Court",
    )  # fmt: skip
    burabay = CourtFactory.create(
        code="0215", region=akmola, name_kk="Ақмола облысының Бурабай аудандық соты",
        name_ru="Бурабайский районный суд Акмолинской области", name_en="Burabay District Court of Akmola Region",
        address_ru="г. Щучинск, ул. Абылай хана, 32",
    )  # fmt: skip
    CourtroomFactory.create(court=burabay, number="1", has_recording=True, has_videoconference=True)
    JudgeFactory.create(
        court=burabay, person__surname="Жумабаев", person__given_name="Ерлан", person__patronymic="Нурланович"
    )


def test_language_switcher_keeps_the_page_and_changes_the_language(
    page: Page, live_server: LiveServer, directory: None
) -> None:
    page.goto(f"{live_server.url}/kk/")
    expect(page.locator("html")).to_have_attribute("lang", "kk")
    expect(page.get_by_role("heading", level=1)).to_have_text("Қазақстан Республикасының соттары")

    page.get_by_role("link", name="Русский").click()
    expect(page).to_have_url(f"{live_server.url}/ru/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Суды Республики Казахстан")

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{live_server.url}/en/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Courts of the Republic of Kazakhstan")


def test_citizen_finds_a_court_by_region_and_by_name(page: Page, live_server: LiveServer, directory: None) -> None:
    page.goto(f"{live_server.url}/ru/")
    page.get_by_role("navigation", name="Главное").get_by_role("link", name="Суды").click()
    expect(page.get_by_text("2 суда найдено")).to_be_visible()

    page.get_by_role("navigation", name="Регионы").get_by_role("link", name="Акмолинская область").click()
    expect(page.get_by_role("link", name="Бурабайский районный суд Акмолинской области")).to_be_visible()
    expect(page.get_by_role("link", name="Суд города Астаны")).to_have_count(0)

    page.get_by_label("Название или код").fill("астан")
    page.get_by_label("Регион", exact=True).select_option("")
    page.get_by_role("button", name="Найти").click()
    expect(page.get_by_role("link", name="Суд города Астаны")).to_be_visible()
    expect(page.get_by_role("link", name="Бурабайский районный суд Акмолинской области")).to_have_count(0)


def test_court_page_shows_judges_and_equipped_courtrooms_in_kazakh(
    page: Page, live_server: LiveServer, directory: None
) -> None:
    page.goto(f"{live_server.url}/kk/courts/")
    page.get_by_role("link", name="Ақмола облысының Бурабай аудандық соты").click()
    expect(page).to_have_url(f"{live_server.url}/kk/courts/0215/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ақмола облысының Бурабай аудандық соты")
    expect(page.get_by_text("Жумабаев Ерлан Нурланович")).to_be_visible()
    room = page.get_by_role("row").filter(has_text="1")
    expect(room.last).to_contain_text("иә")
