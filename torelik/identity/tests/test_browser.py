"""A demo citizen logs in with her digital signature in a real headless Chromium, through the
development signer speaking NCALayer's protocol."""

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.identity.demo_pki import DEMO_PEOPLE, seed_demo_certificates
from torelik.identity.devsigner import RunningDevSigner, start_dev_signer
from torelik.identity.models import LoginChallenge, User
from torelik.identity.pki import IssuedCertificate, KeyPurpose, default_directory
from torelik.identity.tests.conftest import CITIZEN_IIN

DEMO_CITIZEN = DEMO_PEOPLE[0]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]


@pytest.fixture
def dev_signer(settings: Any, live_server: LiveServer) -> Iterator[RunningDevSigner]:
    """The dev signer with the demo citizen's PKCS#12 files, as `torelik dev-signer` runs it, for
    the pages of the test's server."""
    seed_demo_certificates()  # into this test process's (trusted) TORELIK_PKI_DIR
    with start_dev_signer(
        directory=default_directory(), iin=DEMO_CITIZEN.iin, allowed_origins=[live_server.url]
    ) as running:
        settings.TORELIK_NCALAYER_URL = running.url
        yield running


def test_the_demo_citizen_logs_in_with_the_dev_signer(
    page: Page, live_server: LiveServer, dev_signer: RunningDevSigner
) -> None:
    page.goto(f"{live_server.url}/en/")
    page.get_by_role("link", name="Log in with EDS").click()
    page.get_by_role("button", name="Sign in with NCALayer").click()
    expect(page).to_have_url(f"{live_server.url}/en/office/")  # the signature login lands on the Judicial Office
    expect(page.locator(".messages")).to_contain_text("You are logged in as Ахметова Айгерим Сериковна")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    user = User.objects.get(person__iin=DEMO_CITIZEN.iin)
    assert LoginChallenge.objects.get(used_by=user).used_at is not None
    [request] = dev_signer.signer.requests
    assert request["module"] == "kz.gov.pki.knca.basics"
    assert request["args"]["signerParams"]["extKeyUsageOids"] == ["1.3.6.1.5.5.7.3.2"]
    assert request["args"]["signingParams"]["encapsulate"] is False


def test_the_page_says_when_the_signer_is_not_running(page: Page, live_server: LiveServer, settings: Any) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        settings.TORELIK_NCALAYER_URL = f"ws://127.0.0.1:{probe.getsockname()[1]}"
    page.goto(f"{live_server.url}/en/accounts/eds/login/")
    page.get_by_role("button", name="Sign in with NCALayer").click()
    expect(page.locator("[data-status]")).to_contain_text("NCALayer) is not running")
    expect(page.locator("[data-status]")).to_have_attribute("data-code", "unavailable")
    assert not User.objects.filter(person__iin=CITIZEN_IIN).exists()


def test_the_page_says_when_the_user_cancels(
    page: Page, live_server: LiveServer, citizen_auth: IssuedCertificate, settings: Any
) -> None:
    with start_dev_signer(
        keys={KeyPurpose.AUTHENTICATION: citizen_auth}, cancel=True, allowed_origins=[live_server.url]
    ) as running:
        settings.TORELIK_NCALAYER_URL = running.url
        page.goto(f"{live_server.url}/en/accounts/eds/login/")
        page.get_by_role("button", name="Sign in with NCALayer").click()
        expect(page.locator("[data-status]")).to_contain_text("Signing was cancelled")


def test_the_page_shows_why_the_server_refused_the_signature(
    page: Page, live_server: LiveServer, citizen_sign: IssuedCertificate, settings: Any
) -> None:
    # A signer with only the SIGN key: the login signature is refused for its key purpose.
    with start_dev_signer(keys={KeyPurpose.AUTHENTICATION: citizen_sign}, allowed_origins=[live_server.url]) as running:
        settings.TORELIK_NCALAYER_URL = running.url
        page.goto(f"{live_server.url}/en/accounts/eds/login/")
        page.get_by_role("button", name="Sign in with NCALayer").click()
        expect(page.locator("[data-login-error]")).to_contain_text(
            "choose the authentication key of your digital signature"
        )
    assert not User.objects.filter(person__iin=CITIZEN_IIN).exists()


def test_the_page_falls_back_to_the_legacy_api_of_an_older_ncalayer(
    page: Page, live_server: LiveServer, citizen_auth: IssuedCertificate, settings: Any
) -> None:
    with start_dev_signer(
        keys={KeyPurpose.AUTHENTICATION: citizen_auth}, legacy_only=True, allowed_origins=[live_server.url]
    ) as running:
        settings.TORELIK_NCALAYER_URL = running.url
        page.goto(f"{live_server.url}/en/accounts/eds/login/")
        page.get_by_role("button", name="Sign in with NCALayer").click()
        expect(page).to_have_url(f"{live_server.url}/en/office/")
        modules = [request["module"] for request in running.signer.requests]
        assert modules == ["kz.gov.pki.knca.basics", "kz.gov.pki.knca.commonUtils"]
        assert running.signer.requests[1]["args"][1] == "AUTHENTICATION"
    assert User.objects.filter(person__iin=CITIZEN_IIN).exists()


def test_the_signer_refuses_a_page_of_another_site(
    page: Page, live_server: LiveServer, citizen_auth: IssuedCertificate, settings: Any
) -> None:
    # The signer serves another site only: our page, of another origin, is turned away at the handshake.
    with start_dev_signer(
        keys={KeyPurpose.AUTHENTICATION: citizen_auth}, allowed_origins=["http://torelik.invalid:8000"]
    ) as running:
        settings.TORELIK_NCALAYER_URL = running.url
        page.goto(f"{live_server.url}/en/accounts/eds/login/")
        page.get_by_role("button", name="Sign in with NCALayer").click()
        expect(page.locator("[data-status]")).to_have_attribute("data-code", "unavailable")
        assert running.signer.requests == []
        assert running.signer.refused_origins == [live_server.url]
    assert not User.objects.filter(person__iin=CITIZEN_IIN).exists()
