"""The audit review in a real Chromium: a court chairman opens it from the workspace, searches a judge's
openings of a case file in a period, and downloads the CSV (ADR 0083)."""

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.cases.actions import register_case
from torelik.cases.models import AccessKind, CaseAccess
from torelik.cases.tests.factories import (
    claim_document,
    claimant_and_defendant,
    court_office,
    ensure_claim_document_type,
    staff_user,
)
from torelik.core import clock
from torelik.courts.models import ProceedingType, StaffRole
from torelik.operations.models import AuditExport

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def test_a_chairman_searches_the_audit_and_exports_it(page: Page, live_server: LiveServer) -> None:
    ensure_claim_document_type()
    office = court_office("0215")
    with clock.frozen_at(T0):
        case = register_case(
            court=office.court, proceeding_type=ProceedingType.CIVIL, category_code=office.category.code,
            parties=claimant_and_defendant(), documents=[claim_document()], actor=office.clerk,
            claim_amount=Decimal("1500000"), subject="О взыскании задолженности",
        )  # fmt: skip
    for days in (1, 5):
        CaseAccess.objects.create(
            case=case, user=office.judge_user, kind=AccessKind.CASE_OPENED, at=T0 + dt.timedelta(days=days)
        )
    chairman = staff_user("chairman.0215", office.court, StaffRole.CHAIRMAN)
    url = live_server.url
    page.goto(f"{url}/ru/accounts/login/")
    page.locator("#id_username").fill(chairman.username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{url}/ru/workspace/")
    page.get_by_role("link", name="Просмотр аудита").click()
    expect(page.locator("h1")).to_have_text("Просмотр аудита")
    # A period that ends before it starts: the form says so, in Russian.
    page.locator("[name=since]").fill("2026-03-05")
    page.locator("[name=until]").fill("2026-03-01")
    page.locator("#audit-filter button[type=submit]").click()
    expect(page.locator("#audit-filter")).to_contain_text("Конец периода не может быть раньше его начала.")
    # The judge's openings in the first days of March: one row (the other is on 7 March).
    page.locator("[name=person]").fill("judge.0215")
    page.locator("[name=since]").fill("2026-03-01")
    page.locator("[name=until]").fill("2026-03-04")
    page.locator("#audit-filter button[type=submit]").click()
    rows = page.locator("table.audit tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("03.03.2026")
    expect(rows.first).to_contain_text(case.number)
    with page.expect_download() as download:
        page.locator("#audit-export").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()  # noqa: PTH123, SIM115
    assert text.count("judge.0215") == 1
    assert case.number in text
    export = AuditExport.objects.get()
    assert (export.user_id, export.rows) == (chairman.pk, 1)
    assert export.filters == {"person": "judge.0215", "since": "2026-03-01", "until": "2026-03-04"}
