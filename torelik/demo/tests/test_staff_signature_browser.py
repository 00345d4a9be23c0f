"""A judge logs in with her own digital signature in a real headless Chromium, through the
development signer speaking NCALayer's protocol, as citizens do (ADR 0082)."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.courts.models import StaffPosition, StaffRole
from torelik.courts.tests.factories import CourtFactory
from torelik.identity import actions
from torelik.identity.devsigner import start_dev_signer
from torelik.identity.models import AccountKind, LoginChallenge, Person, User
from torelik.identity.pki import DemoCA, KeyPurpose

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]

JUDGE_IIN = "760212350620"  # a valid IIN of the domain file's public test values


def test_a_bound_judge_logs_in_with_the_dev_signer(page: Page, live_server: LiveServer, settings: Any) -> None:
    settings.TORELIK_STAFF_PASSWORD_LOGIN = "admin"
    person = Person.objects.create(iin=JUDGE_IIN, surname="Касымова", given_name="Нургуль", patronymic="Бековна")
    judge = User.objects.create(username="kasymova", person=person, kind=AccountKind.STAFF)
    StaffPosition.objects.create(user=judge, court=CourtFactory.create(), role=StaffRole.JUDGE)
    auth = DemoCA.load_or_create().issue_person(
        iin=JUDGE_IIN, surname="Касымова", given_name="Нургуль", purpose=KeyPurpose.AUTHENTICATION
    )
    with start_dev_signer(keys={KeyPurpose.AUTHENTICATION: auth}, allowed_origins=[live_server.url]) as running:
        settings.TORELIK_NCALAYER_URL = running.url
        page.goto(f"{live_server.url}/en/accounts/eds/login/")
        page.get_by_role("link", name="Staff login with a digital signature").click()
        # Not bound yet: refused, with the reason.
        page.get_by_role("button", name="Sign in with NCALayer").click()
        expect(page.locator("[data-login-error]")).to_contain_text("not bound to a staff account")
        actions.bind_staff_signature(user=judge, iin=JUDGE_IIN, actor=None)
        page.get_by_role("button", name="Sign in with NCALayer").click()
        expect(page).to_have_url(f"{live_server.url}/en/workspace/")
        expect(page.locator(".messages")).to_contain_text("You are logged in as Касымова Нургуль Бековна")
        assert running.signer.requests[-1]["args"]["signerParams"]["extKeyUsageOids"] == ["1.3.6.1.5.5.7.3.2"]
    assert LoginChallenge.objects.filter(used_by=judge).count() == 1
