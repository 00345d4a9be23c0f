"""In a real headless Chromium, in Russian: the judge's secretary opens the case page, sees each party's
notices across channels (SMS, subpoenas, letters with their state), chooses a registered letter for the
claimant and hybrid for nobody else, and the choice holds after the page reloads."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.summons.models import NoticeChannel, NoticeChoice
from torelik.summons.tests.test_channels import _case, _schedule

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


def test_the_secretary_chooses_a_partys_channel_and_reads_its_notices(page: Page, live_server: LiveServer) -> None:
    court, case, parties = _case()
    _schedule(court, case, parties)
    claimant = parties[0]
    page.goto(f"{live_server.url}/ru/accounts/login/")
    page.locator("#id_username").fill(court.secretary.username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("form [type=submit]").first.click()
    page.goto(f"{live_server.url}/ru/cases/{case.number}/")
    notices = page.locator("#notices")
    expect(notices.locator("h2")).to_have_text("Извещения сторонам")
    expect(notices.locator("article.party-notices")).to_have_count(3)
    mine = notices.locator(f"article[data-party='{claimant.public_id}']")
    expect(mine.locator("tbody tr").first).to_be_visible()
    expect(mine).to_contain_text("SMS")
    third = notices.locator(f"article[data-party='{parties[2].public_id}']")
    expect(third).to_contain_text("гибридное письмо")

    mine.locator("select[name=channel]").select_option("registered")
    mine.get_by_role("button", name="Выбрать").click()
    expect(page.locator("ul.messages")).to_contain_text("заказное письмо")
    expect(page.locator(f"article[data-party='{claimant.public_id}'] select[name=channel]")).to_have_value("registered")
    assert NoticeChoice.objects.get(party=claimant).channel == NoticeChannel.REGISTERED
    assert "Invalid" not in page.content()
