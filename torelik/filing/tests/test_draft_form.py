"""The draft form picks the court by region and name and the category among those of the chosen kind of
proceedings, by a search over the names: no four-digit court code and no eighteen-digit category code
to type or to read (the page is checked as served, then in Chromium with its script)."""

import re
from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.core.models import MonthlyCalculationIndex
from torelik.courts.models import CourtKind, ProceedingType, Specialisation
from torelik.courts.tests.factories import CaseCategoryFactory, CourtFactory, RegionFactory
from torelik.filing.models import Filing, FilingKind
from torelik.filing.tests.conftest import Court3
from torelik.identity.models import User

ALMATY = {"code": "75", "kind": "city", "name_ru": "город Алматы", "name_kk": "Алматы қаласы", "name_en": "Almaty"}


def _network(court3: Court3) -> dict[str, Any]:
    """Beside court3's Бурабай court (region 02): a court in Almaty, an administrative category and a
    criminal one (which a claim never takes)."""
    almaty = RegionFactory.create(**ALMATY)
    almalinsky = CourtFactory.create(
        code="7511", kind=CourtKind.DISTRICT, region=almaty, name_ru="Алмалинский районный суд города Алматы"
    )
    administrative = CaseCategoryFactory.create(
        code="150000000000000001",
        name_ru="Оспаривание административного акта",
        proceeding_type=ProceedingType.ADMINISTRATIVE,
        specialisation=Specialisation.ADMINISTRATIVE,
    )
    criminal = CaseCategoryFactory.create(
        code="110000000000000001",
        name_ru="Кража",
        proceeding_type=ProceedingType.CRIMINAL,
        specialisation=Specialisation.CRIMINAL,
    )
    return {"almalinsky": almalinsky, "administrative": administrative, "criminal": criminal}


def _draft(client: Client) -> str:
    created = client.post("/ru/office/new/", {"kind": FilingKind.CLAIM})
    assert created.status_code == 302
    return str(created["Location"])


def _options(page_html: str, select: str) -> list[tuple[str, str]]:
    found = re.search(rf'<select[^>]* name="{select}"[^>]*>(.*?)</select>', page_html, re.S)
    assert found is not None
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found.group(1))


@pytest.mark.django_db
def test_the_draft_lists_courts_by_region_and_name_and_categories_by_kind_of_proceedings(
    court3: Court3, claimant_client: Client
) -> None:
    network = _network(court3)
    url = _draft(claimant_client)
    page = claimant_client.get(url).content.decode()
    courts = _options(page, "court")
    assert ("7511", "Алмалинский районный суд города Алматы") in courts
    assert not any(re.search(r"\b\d{4}\b", label) for _value, label in courts)  # names, not codes
    assert '<optgroup label="город Алматы">' in page
    categories = _options(page, "category")
    assert (network["administrative"].code, "Оспаривание административного акта") in categories
    assert network["criminal"].code not in {value for value, _label in categories}  # not a claim's
    assert not any(re.search(r"\d{18}", label) for _value, label in categories)
    saved = claimant_client.post(url, {"court": "7511", "category": network["administrative"].code})
    assert saved.status_code == 302
    filing = Filing.objects.get()
    assert filing.court == network["almalinsky"]
    assert filing.category == network["administrative"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("browser_ready")
def test_in_the_browser_a_word_and_a_region_narrow_the_lists(
    page: Page, live_server: LiveServer, court3: Court3, claimant: User
) -> None:
    network = _network(court3)
    client = Client()
    client.force_login(claimant)
    url = _draft(client)
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(f"{live_server.url}{url}")

    def shown(select: str) -> list[str]:
        return list(
            page.eval_on_selector(
                f"#{select}", "s => Array.from(s.options).filter(o => o.value && !o.hidden).map(o => o.text)"
            )
        )

    assert "Алмалинский районный суд города Алматы" in shown("id_court")
    page.locator("#id_court_search").fill("алмалин")
    assert shown("id_court") == ["Алмалинский районный суд города Алматы"]
    page.locator("#id_court_search").fill("")
    page.locator("#id_region").select_option(label="город Алматы")
    assert shown("id_court") == ["Алмалинский районный суд города Алматы"]
    page.locator("#id_court").select_option(label="Алмалинский районный суд города Алматы")
    # Civil categories first; the administrative kind shows only its own.
    assert "Оспаривание административного акта" not in shown("id_category")
    page.locator("#id_proceeding_type").select_option(ProceedingType.ADMINISTRATIVE)
    assert shown("id_category") == ["Оспаривание административного акта"]
    page.locator("#id_category_search").fill("акт")
    page.locator("#id_category").select_option(network["administrative"].code)
    page.locator("#draft-form button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    filing = Filing.objects.get()
    assert filing.court == network["almalinsky"]
    assert filing.category == network["administrative"]


@pytest.mark.django_db
def test_a_draft_is_kept_and_the_fee_named_when_no_mci_is_known_for_the_day(
    court3: Court3, claimant_client: Client
) -> None:
    """A claim without an amount bears a fee in MCI; with no MCI known the draft is saved all the same
    and the page names the state fee as the problem (it answered 500)."""
    MonthlyCalculationIndex.objects.all().delete()
    url = _draft(claimant_client)
    saved = claimant_client.post(url, {"court": court3.office.court.code, "category": court3.office.category.code})
    assert saved.status_code == 422
    assert "<strong>Государственная пошлина</strong>:" in saved.content.decode()
    filing = Filing.objects.get()
    assert filing.court == court3.office.court
    assert filing.fee_amount is None
