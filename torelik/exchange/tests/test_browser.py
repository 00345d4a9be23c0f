"""The dead-letter page in a real headless Chromium, in Kazakh: the court's clerk finds the event the
correction system refused (an unknown schema version, the partner's words shown), is refused a retry
without a reason, gives one, and the event is delivered by the worker's task to the simulator. Then the
page at 375 px."""

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.acts.tasks import enter_acts_into_force
from torelik.cases.tests.factories import staff_user
from torelik.core import clock
from torelik.courts.models import StaffRole
from torelik.exchange.models import DeadLetterDecision, DeliveryStatus, OutboundEvent
from torelik.exchange.tests import factories
from torelik.exchange.tests.simulator import Simulator
from torelik.exchange.tests.test_delivery import IN_FORCE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]
PASSWORD = "a-long-passphrase-1"  # noqa: S105 - the test accounts' password (cases.tests.factories)


def test_a_clerk_retries_a_dead_letter_in_kazakh_and_it_reaches_corrections(
    page: Page, live_server: LiveServer, simulator: Simulator
) -> None:
    simulator.control(known_versions={"corrections": {"sentence_in_force": [2]}})
    act = factories.sentence()
    with clock.frozen_at(IN_FORCE):
        enter_acts_into_force.call()  # its delivery runs after the commit, and the partner refuses it
    event = OutboundEvent.objects.get(partner="corrections")
    assert event.status == DeliveryStatus.DEAD
    simulator.control(reset=True)  # the partner learnt the version
    clerk = staff_user("clerk.browser", act.case.court, StaffRole.CLERK)
    url = live_server.url
    page.goto(f"{url}/kk/accounts/login/")
    page.locator("#id_username").fill(clerk.username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()

    page.goto(f"{url}/kk/exchange/")
    expect(page.locator("h1")).to_have_text("Серіктес органдармен алмасу")
    row = page.locator(f"#event-{event.public_id}")
    expect(row).to_contain_text("unknown_schema_version")
    expect(row).to_contain_text(act.case.number)
    expect(page.locator("tr[data-partner=corrections] [data-figure=dead]")).to_have_text("1")
    row.get_by_role("link", name="күшіне енген үкім").click()

    page.get_by_role("button", name="Қайта жіберу").click()
    expect(page.locator("[role=alert]")).to_contain_text("Шешімнің себебін көрсетіңіз.")
    page.locator("#id_reason").fill("Серіктес схеманың екінші нұсқасын қабылдады")
    page.get_by_role("button", name="Қайта жіберу").click()
    expect(page.locator(".messages")).to_contain_text("Оқиға қайта жіберілді.")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "delivered")
    assert [r["event_id"] for r in simulator.received("corrections")] == [str(event.public_id)]
    decision = DeadLetterDecision.objects.get(event=event)
    assert (decision.actor_id, decision.reason) == (clerk.pk, "Серіктес схеманың екінші нұсқасын қабылдады")

    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{url}/kk/exchange/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
