"""Every public page and the Judicial Office fit a 375 px phone screen without sideways scrolling (a
subpoena's link is opened from an SMS, on a phone), in Kazakh, whose words run longest."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, ViewportSize
from pytest_django.live_server_helper import LiveServer

from torelik.acts.demo import seed_demo_acts
from torelik.acts.models import Act
from torelik.cases.actions import coupon_secret
from torelik.cases.models import Case
from torelik.cases.tests.factories import pdf_bytes
from torelik.courts.demo import DEMO_SEED
from torelik.demo.hearings import seed_demo_hearings
from torelik.demo.tests.migration_data import put_back_migration_data
from torelik.demo.tests.test_page_languages import COURT
from torelik.filing import actions as filing_actions
from torelik.filing.demo import seed_demo_filings
from torelik.hearings.models import Hearing
from torelik.identity.models import User
from torelik.summons.demo import seed_demo_summons
from torelik.summons.models import Subpoena

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]

PHONE: ViewportSize = {"width": 375, "height": 800}


def _widest(page: Page, url: str) -> int:
    page.goto(url)
    page.wait_for_load_state("networkidle")
    return int(page.evaluate("() => document.documentElement.scrollWidth"))


def test_public_pages_and_the_judicial_office_fit_a_phone(page: Page, live_server: LiveServer) -> None:
    from torelik.cases.demo import seed_demo_cases  # noqa: PLC0415 - heavy, only for this test
    from torelik.demo.distribution import RealDraws  # noqa: PLC0415

    put_back_migration_data()
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    seed_demo_cases(count=80, processes=0, distribution=RealDraws())
    seed_demo_hearings(seed=DEMO_SEED)
    seed_demo_summons(seed=DEMO_SEED)
    seed_demo_filings(seed=DEMO_SEED)
    seed_demo_acts(limit=2)
    act = Act.objects.exclude(verify_token=None).order_by("pk").first()
    assert act is not None
    hearing = Hearing.objects.select_related("courtroom__court").order_by("starts_at").first()
    case = Case.objects.order_by("number").first()
    subpoena = Subpoena.objects.first()
    assert hearing is not None
    assert case is not None
    assert subpoena is not None
    day = hearing.starts_at.date().isoformat()
    public = [
        "/kk/",
        "/kk/courts/",
        f"/kk/courts/{COURT}/",
        f"/kk/hearings/courts/{hearing.courtroom.court.code}/?date={day}",
        "/kk/summons/",
        f"/kk/summons/verify/{subpoena.number}/{subpoena.verify_code}/",
        "/kk/summons/documents/",
        "/kk/summons/statistics/",
        "/kk/helpline/",
        "/kk/helpline/follow/",
        "/kk/portal/library/",
        f"/kk/cases/verify/{case.public_id}/{coupon_secret(case)}/",
        f"/kk/distribution/cases/{case.number}/",
        "/kk/accounts/eds/login/",
        "/kk/accounts/eds/staff/",
        "/kk/accounts/login/",
        "/kk/office/",
        "/kk/office/statistics/",
        "/kk/statistics/",
        f"/kk/acts/verify/{act.verify_token}/",
    ]
    page.set_viewport_size(PHONE)
    too_wide = {path: width for path in public if (width := _widest(page, f"{live_server.url}{path}")) > PHONE["width"]}

    citizen = User.objects.filter(kind="citizen", person__parties__isnull=False).first()
    assert citizen is not None
    citizen.set_password("a-long-passphrase-1")
    citizen.save()
    page.goto(f"{live_server.url}/kk/accounts/login/")
    page.locator("#id_username").fill(citizen.username)
    page.locator("#id_password").fill("a-long-passphrase-1")
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()
    mine = Case.objects.filter(parties__person=citizen.person).first()
    assert mine is not None
    # A claim drafted with an attachment: the draft (the whole network's court and category lists) and
    # the signing page (each file's SHA-256 in full) must fit as well.
    assert citizen.person is not None
    draft = filing_actions.start_draft(kind="claim", filer_iin=citizen.person.iin, actor=citizen)
    filing_actions.add_attachment(
        filing=draft,
        actor=citizen,
        content=io.BytesIO(pdf_bytes("Талап арыз")),
        filename="талап-арыз-қарыз-бойынша.pdf",
        role="filing",
        title="Талап арыз",
    )
    office = ["/kk/office/", "/kk/office/cases/", f"/kk/office/cases/{mine.number}/", "/kk/office/phone/",
              "/kk/hearings/calendar/", f"/kk/office/filings/{draft.public_id}/",
              f"/kk/office/filings/{draft.public_id}/sign/"]  # fmt: skip
    too_wide |= {
        path: width for path in office if (width := _widest(page, f"{live_server.url}{path}")) > PHONE["width"]
    }
    assert not too_wide, too_wide
