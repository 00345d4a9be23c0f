"""The demo's court day in a browser (ADR 0108): the flagship court's public timetable of a coming day
is full, and demo.judge's docket lists the judge's cases. A small seed; `make run`'s is bigger."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.cases.models import Case
from torelik.core import clock
from torelik.courts.demo import DEMO_PASSWORD
from torelik.demo.court_day import seed_court_day
from torelik.demo.tests.migration_data import put_back_migration_data
from torelik.identity.models import User

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]
# A Wednesday; Thursday 26 November 2026 is a working day.
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=timezone.get_default_timezone())
DAY = dt.date(2026, 11, 26)


def test_the_flagship_timetable_is_full_and_the_judges_docket_lists_cases(page: Page, live_server: LiveServer) -> None:
    put_back_migration_data()
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    with clock.frozen_at(NOW):
        seed_court_day(seed=6, cases=400, elsewhere=0, days=2, quota=(12, 14))

    page.goto(f"{live_server.url}/ru/hearings/courts/1916/?date={DAY.isoformat()}")
    expect(page.locator("p.lead")).to_contain_text("26.11.2026")
    rows = page.locator("table.table tbody tr")
    assert 12 <= rows.count() <= 14
    expect(rows.first).to_contain_text("1916-")

    judge = User.objects.get(username="demo.judge")
    assert judge.person_id is not None
    mine = Case.objects.filter(judge__person_id=judge.person_id).count()
    assert mine > 0
    page.goto(f"{live_server.url}/ru/accounts/login/")
    page.locator("#id_username").fill("demo.judge")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/ru/cases/?mine=on")
    expect(page.locator("p.summary")).to_contain_text(str(mine))
    assert page.locator("table tbody tr").count() > 0
