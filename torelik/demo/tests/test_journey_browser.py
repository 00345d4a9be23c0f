"""The journey of issue 16 on the demo network, in a real Chromium: a clerk registers a paper claim;
the claimant gets a registration notice and the defendant the claim notice; the judge drawn accepts the
case and schedules a hearing from the case page; every party and the defendant's lawyer get a subpoena
and an SMS, the parties see the hearing in "my cases", the lawyer in the calendar; another judge of the
same court cannot schedule it."""

import io
import time
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.core.management import call_command
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from torelik.cases.models import Case, CaseStatus, DocumentDirection, DocumentType
from torelik.cases.tests.factories import pdf_bytes
from torelik.courts.models import Judge, StaffPosition, StaffRole
from torelik.demo.tests.migration_data import put_back_migration_data
from torelik.distribution.actions import complete_pending_draws
from torelik.hearings.models import Hearing
from torelik.identity.models import AccountKind, Person, User
from torelik.notifications.models import Message, Template
from torelik.summons.models import Subpoena

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("browser_ready"),
]

PASSWORD = "torelik-demo"  # the demo accounts' published password (README)
COURT = "1916"
# Valid IINs from public validators' fixtures (domain/kazakhstan.md).
CLAIMANT = ("871008401427", "Сейткалиева", "Айгуль", "+77011234567", "ru")
DEFENDANT = ("760212350620", "Әбілқасымов", "Ерлан", "+77027654321", "kk")
LAWYER = ("800416300257", "Ким", "Виктор", "+77051112233", "ru")


def _log_in(page: Page, url: str, username: str, password: str = PASSWORD) -> None:
    page.context.clear_cookies()
    page.goto(f"{url}/ru/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form button[type=submit]").click()
    page.wait_for_load_state()


def _account_of(person: Person, court_id: int | None = None) -> User:
    """The person's account with a known password (a judge drawn in the demo may have none yet)."""
    user = User.objects.filter(person=person).first()
    if user is None:
        user = User.objects.create(username=f"iin{person.iin}", person=person, kind=AccountKind.CITIZEN)
    user.password = make_password("a-long-passphrase-1")
    user.save(update_fields=["password"])
    if court_id is not None:
        StaffPosition.objects.get_or_create(user=user, court_id=court_id, role=StaffRole.JUDGE)
    return user


def _fill_party(page: Page, index: int, role: str, data: tuple[str, str, str, str, str]) -> None:
    iin, surname, given_name, phone, language = data
    page.locator(f"[name=parties-{index}-role]").select_option(role)
    page.locator(f"[name=parties-{index}-iin]").fill(iin)
    page.locator(f"[name=parties-{index}-surname]").fill(surname)
    page.locator(f"[name=parties-{index}-given_name]").fill(given_name)
    page.locator(f"[name=parties-{index}-phone]").fill(phone)
    page.locator(f"[name=parties-{index}-preferred_language]").select_option(language)


def test_a_paper_claim_reaches_every_party_and_only_its_judge_schedules(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    put_back_migration_data()
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    DocumentType.objects.get_or_create(
        code="claim",
        defaults={"name_kk": "Талап арыз", "name_ru": "Исковое заявление", "name_en": "Statement of claim",
                  "direction": DocumentDirection.INCOMING},
    )  # fmt: skip
    claim = tmp_path / "иск.pdf"
    claim.write_bytes(pdf_bytes("claim"))
    url = live_server.url

    # The clerk registers the paper claim; the claimant agreed to SMS.
    _log_in(page, url, "demo.clerk")
    page.goto(f"{url}/ru/cases/register/")
    category = page.locator("[name=category] option:not([value=''])").first.get_attribute("value")
    assert category
    page.locator("[name=category]").select_option(category)
    _fill_party(page, 0, "claimant", CLAIMANT)
    _fill_party(page, 1, "defendant", DEFENDANT)
    page.locator("#parties .add-row").click()
    _fill_party(page, 2, "lawyer", LAWYER)
    page.locator("[name=parties-2-represents]").fill("2")
    page.locator("[name=documents-0-document_type]").select_option("claim")
    page.locator("[name=documents-0-file]").set_input_files(claim)
    page.locator("[name=consent_sms]").check()
    page.locator("#registration button[type=submit]").click()
    expect(page.locator(".messages")).to_be_visible()
    case = Case.objects.get(court__code=COURT)

    # The claimant is told of the registration, the defendant of the claim (with the login).
    to_claimant = Message.objects.filter(recipient_phone=CLAIMANT[3])
    to_defendant = Message.objects.filter(recipient_phone=DEFENDANT[3])
    assert [m.template for m in to_claimant] == [Template.FILING_REGISTERED]
    assert [m.template for m in to_defendant] == [Template.CLAIM_FILED_AGAINST_YOU]
    assert case.number in to_claimant.get().text
    assert "Бостандыкский" in to_claimant.get().text  # the court in Russian, the claimant's language
    assert "Бостандық" in to_defendant.get().text  # and in Kazakh for the defendant

    # The draw gives the case a judge; that judge accepts it and schedules a hearing from the case page.
    # The beacon round after the commitment (one-second rounds) comes a second or two after it: waited
    # for, not slept through once (a slower process, as under faketime in CI, missed it).
    deadline = time.monotonic() + 20
    while not Case.objects.filter(pk=case.pk, judge__isnull=False).exists() and time.monotonic() < deadline:
        time.sleep(0.3)
        complete_pending_draws()
    case.refresh_from_db()
    assert case.judge is not None
    # The clerk's open case page shows the judge drawn without a reload (it asks until the draw is done).
    expect(page.locator("#case-judge")).to_contain_text(case.judge.person.full_name, timeout=10_000)
    expect(page.locator(".callout", has_text="талон")).to_be_visible()  # a paper filing: the coupon is handed over
    judge_user = _account_of(case.judge.person, case.court_id)
    _log_in(page, url, judge_user.username, "a-long-passphrase-1")
    page.goto(f"{url}/ru/cases/{case.number}/")
    page.locator("[name=status]").select_option(CaseStatus.ACCEPTED)
    page.locator("[name=reason]").fill("Иск соответствует требованиям ГПК РК")
    page.locator("form.case-form button[type=submit]").first.click()
    expect(page.locator(".messages")).to_be_visible()
    page.locator("#hearings a.button").click()  # the hearings section, loaded into the case page
    page.locator("a.slot").first.click()  # the judge's first free time
    for surname in (CLAIMANT[1], DEFENDANT[1], LAWYER[1]):
        expect(page.locator("#participants")).to_contain_text(surname)
    page.locator("#schedule button[type=submit]").click()
    expect(page.locator("h1")).to_contain_text(case.number)
    expect(page.locator("#subpoenas tbody tr")).to_have_count(3)
    hearing = Hearing.objects.get(case=case)

    # Every party and the lawyer: a subpoena and an SMS with its code.
    assert Subpoena.objects.filter(hearing=hearing).count() == 3
    for phone in (CLAIMANT[3], DEFENDANT[3], LAWYER[3]):
        assert Message.objects.filter(recipient_phone=phone, template=Template.HEARING_SUMMONS).count() == 1

    # The parties see it in "my cases", the lawyer in the calendar.
    for data in (CLAIMANT, DEFENDANT):
        account = _account_of(Person.objects.get(iin=data[0]))
        _log_in(page, url, account.username, "a-long-passphrase-1")
        page.goto(f"{url}/ru/office/cases/{case.number}/")
        expect(page.locator(f"a[href='/ru/hearings/{hearing.public_id}/']")).to_be_visible()
    lawyer = _account_of(Person.objects.get(iin=LAWYER[0]))
    _log_in(page, url, lawyer.username, "a-long-passphrase-1")
    day = hearing.starts_at.date().isoformat()
    page.goto(f"{url}/ru/hearings/calendar/?view=month&date={day}")
    expect(page.get_by_role("link", name=case.number)).to_be_visible()

    # Another judge of the same court may see the case but not schedule its hearings.
    other = Judge.objects.filter(court=case.court).exclude(pk=case.judge.pk).select_related("person").first()
    assert other is not None
    other_user = _account_of(other.person, case.court_id)
    _log_in(page, url, other_user.username, "a-long-passphrase-1")
    page.goto(f"{url}/ru/cases/{case.number}/")
    expect(page.locator("#hearings h2")).to_be_visible()
    expect(page.locator(".callout", has_text="талон")).to_have_count(0)  # a judge hands out no coupon
    expect(page.locator("#hearings a.button")).to_have_count(0)
    response = page.goto(f"{url}/ru/hearings/cases/{case.number}/schedule/")
    assert response is not None
    assert response.status == 403
    assert Hearing.objects.filter(case=case).count() == 1
