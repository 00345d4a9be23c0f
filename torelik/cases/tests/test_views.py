"""The case pages: registering a paper filing, a case's page and documents, the docket, the access log."""

import datetime as dt
import hashlib
import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from torelik.cases.actions import (
    DocumentInput,
    PartyInput,
    add_document,
    change_status,
    correct_document,
    link_cases,
    record_assignment,
    record_case_event,
    register_case,
)
from torelik.cases.models import (
    AccessKind,
    Case,
    CaseAccess,
    CaseEvent,
    CaseEventKind,
    CaseLinkKind,
    CaseStatus,
    PartyRole,
)
from torelik.cases.tests.factories import (
    CLAIMANT_IIN,
    COMPANY_BIN,
    DEFENDANT_IIN,
    OTHER_IIN,
    CourtOffice,
    claim_document,
    claimant_and_defendant,
    court_office,
    pdf_bytes,
    staff_user,
)
from torelik.core import clock
from torelik.courts.models import ProceedingType, StaffRole
from torelik.courts.tests.factories import JudgeFactory
from torelik.identity.models import AccountKind, Person, User

pytestmark = pytest.mark.django_db

MARCH_2026 = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)
REGISTER_URL = "/ru/cases/register/"


@pytest.fixture
def office() -> CourtOffice:
    return court_office("0215")


def _register(office: CourtOffice, **overrides: Any) -> Case:
    arguments: dict[str, Any] = {
        "court": office.court,
        "proceeding_type": ProceedingType.CIVIL,
        "category_code": office.category.code,
        "parties": claimant_and_defendant(),
        "documents": [claim_document()],
        "actor": office.clerk,
        "claim_amount": Decimal("1500000"),
        "subject": "О взыскании задолженности",
    }
    arguments.update(overrides)
    return register_case(**arguments)


def _url(case: Case, suffix: str = "", language: str = "ru") -> str:
    return f"/{language}/cases/{case.number}/{suffix}"


def _login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


CLAIMANT = {
    "role": "claimant",
    "iin": CLAIMANT_IIN,
    "surname": "Сейткалиева",
    "given_name": "Айгуль",
    "patronymic": "Маратовна",
    "phone": "+77011234567",
    "preferred_language": "ru",
}
DEFENDANT = {
    "role": "defendant",
    "bin": COMPANY_BIN,
    "organisation_name": 'ТОО "Алатау Строй"',
    "preferred_language": "kk",
}


def _filing(
    office: CourtOffice,
    *,
    parties: list[dict[str, str]] | None = None,
    files: list[tuple[str, bytes]] | None = None,
    court: str | None = None,
) -> dict[str, Any]:
    """The POST of the registration page, as a browser sends it."""
    parties = parties if parties is not None else [CLAIMANT, DEFENDANT]
    files = files if files is not None else [("claim.pdf", pdf_bytes("claim"))]
    data: dict[str, Any] = {
        "court": court or office.court.code,
        "proceeding_type": "civil",
        "category": office.category.code,
        "subject": "О взыскании задолженности по договору подряда",
        "claim_amount": "1 500 000,50",
        "consent_sms": "on",
        "parties-TOTAL_FORMS": str(len(parties)),
        "parties-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": str(len(files)),
        "documents-INITIAL_FORMS": "0",
    }
    for index, party in enumerate(parties):
        data.update({f"parties-{index}-{name}": value for name, value in party.items()})
    for index, (name, content) in enumerate(files):
        data.update(
            {
                f"documents-{index}-document_type": "claim",
                f"documents-{index}-title": "Исковое заявление",
                f"documents-{index}-page_count": "3",
                f"documents-{index}-file": SimpleUploadedFile(name, content, content_type="application/pdf"),
            }
        )
    return data


# Registering a paper filing


def test_clerk_registers_a_paper_claim_through_the_form(client: Client, office: CourtOffice) -> None:
    _login(client, office.clerk)
    content = pdf_bytes("claim of Seitkalieva")
    with clock.frozen_at(MARCH_2026):
        response = client.post(REGISTER_URL, _filing(office, files=[("claim.pdf", content)]))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.number == "0215-26-00-2/1"
    assert response["Location"] == "/ru/cases/0215-26-00-2/1/"
    assert case.claim_amount == Decimal("1500000.50")
    assert (case.consent_sms, case.consent_email) == (True, False)
    assert case.registered_by == office.clerk
    assert [(p.role, p.identifier) for p in case.parties.order_by("id")] == [
        (PartyRole.CLAIMANT, CLAIMANT_IIN),
        (PartyRole.DEFENDANT, COMPANY_BIN),
    ]
    document = case.documents.get()
    assert (document.filename, document.page_count) == ("claim.pdf", 3)
    assert document.file.sha256 == hashlib.sha256(content).hexdigest()
    page = client.get(response["Location"]).content.decode()
    assert "0215-26-00-2/1" in page
    assert 'href="/ru/cases/0215-26-00-2/1/coupon.pdf"' in page


def test_blank_extra_rows_are_left_out(client: Client, office: CourtOffice) -> None:
    _login(client, office.clerk)
    data = _filing(office, parties=[CLAIMANT, DEFENDANT, {"preferred_language": "kk"}])
    assert client.post(REGISTER_URL, data).status_code == 302
    assert Case.objects.get().parties.count() == 2


def test_invalid_iin_is_shown_next_to_that_party_and_everything_typed_stays(
    client: Client, office: CourtOffice
) -> None:
    _login(client, office.clerk)
    wrong = {**CLAIMANT, "iin": "010101600586"}
    response = client.post(REGISTER_URL, _filing(office, parties=[DEFENDANT, wrong]))
    assert response.status_code == 200
    parties = response.context["parties"]
    assert "iin" in parties.forms[1].errors
    assert parties.forms[0].errors == {}
    page = response.content.decode()
    assert 'value="010101600586"' in page
    assert 'value="Сейткалиева"' in page
    assert "ТОО &quot;Алатау Строй&quot;" in page
    assert "О взыскании задолженности по договору подряда" in page
    assert "claim.pdf" in page  # the file to choose again is named
    assert Case.objects.count() == 0


def test_a_png_named_pdf_is_refused_on_that_document(client: Client, office: CourtOffice) -> None:
    _login(client, office.clerk)
    png = b"\x89PNG\r\n\x1a\n" + b"\0" * 200
    response = client.post(REGISTER_URL, _filing(office, files=[("claim.pdf", pdf_bytes()), ("scan.pdf", png)]))
    assert response.status_code == 200
    documents = response.context["documents"]
    assert documents.forms[0].errors == {}
    assert "file" in documents.forms[1].errors
    assert "scan.pdf" in documents.forms[1].errors["file"][0]
    assert Case.objects.count() == 0


def test_a_missing_party_is_a_form_error_not_a_failure(client: Client, office: CourtOffice) -> None:
    _login(client, office.clerk)
    response = client.post(REGISTER_URL, _filing(office, parties=[{"preferred_language": "kk"}]))
    assert response.status_code == 200
    assert "role" in response.context["parties"].forms[0].errors
    assert Case.objects.count() == 0


def test_a_clerk_of_another_court_is_refused(client: Client, office: CourtOffice) -> None:
    other = court_office("0216")
    _login(client, other.clerk)
    assert client.get(REGISTER_URL).status_code == 200  # the page of their own office
    response = client.post(REGISTER_URL, _filing(office, court=office.court.code))
    assert response.status_code == 403
    assert Case.objects.count() == 0


def test_the_registration_page_is_refused_to_staff_who_register_nowhere(client: Client, office: CourtOffice) -> None:
    _login(client, office.judge_user)
    assert client.get(REGISTER_URL).status_code == 403


def test_the_registration_page_needs_a_login(client: Client) -> None:
    response = client.get(REGISTER_URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/ru/accounts/login/")


# A case's page


def test_a_judge_of_the_court_sees_the_case_and_every_opening_is_logged(client: Client, office: CourtOffice) -> None:
    case = _register(office)
    _login(client, office.judge_user)
    for _ in range(2):
        page = client.get(_url(case)).content.decode()
        assert case.number in page
        assert "Сейткалиева Айгуль Маратовна" in page
        assert CLAIMANT_IIN in page  # staff see the identifiers
    accesses = CaseAccess.objects.filter(case=case, user=office.judge_user)
    assert accesses.count() == 2
    assert {a.kind for a in accesses} == {AccessKind.CASE_OPENED}
    assert {a.ip_address for a in accesses} == {"127.0.0.1"}


def test_a_party_sees_the_case_and_no_staff_reading_is_logged(client: Client, office: CourtOffice) -> None:
    case = _register(office)
    citizen = User.objects.create_user(
        username="aigul", person=Person.objects.get(iin=CLAIMANT_IIN), kind=AccountKind.CITIZEN
    )
    _login(client, citizen)
    response = client.get(_url(case))
    assert response.status_code == 200
    page = response.content.decode()
    assert case.number in page
    assert "coupon.pdf" not in page
    assert CLAIMANT_IIN not in page
    assert not CaseAccess.objects.exists()
    assert client.post(_url(case), {"status": "accepted", "reason": "x"}).status_code == 403


@pytest.mark.parametrize("who", ["stranger", "anonymous", "clerk of another court"])
def test_anyone_else_gets_the_same_404_as_for_a_case_that_does_not_exist(
    client: Client, office: CourtOffice, who: str
) -> None:
    case = _register(office)
    if who == "stranger":
        _login(client, User.objects.create_user(username="stranger"))
    elif who == "clerk of another court":
        _login(client, court_office("0216").clerk)
    existing = client.get(_url(case))
    missing = client.get("/ru/cases/0215-26-00-2/999/")
    assert existing.status_code == missing.status_code == 404
    assert _main(existing.content.decode()).replace(case.number, "N") == _main(missing.content.decode()).replace(
        "0215-26-00-2/999", "N"
    )
    document = case.documents.get()
    assert client.get(_url(case, f"documents/{document.public_id}/")).status_code == 404
    assert client.get(_url(case, "coupon.pdf")).status_code == 404
    assert not CaseAccess.objects.exists()


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_a_document_downloads_with_its_bytes_type_and_digest(client: Client, office: CourtOffice) -> None:
    content = pdf_bytes("the claim itself")
    case = _register(
        office,
        documents=[DocumentInput(document_type="claim", title="Иск", filename="иск.pdf", content=io.BytesIO(content))],
    )
    document = case.documents.get()
    _login(client, office.judge_user)
    response = client.get(_url(case, f"documents/{document.public_id}/"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()
    assert "filename*=utf-8''%D0%B8%D1%81%D0%BA.pdf" in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"]
    read = CaseAccess.objects.get(kind=AccessKind.DOCUMENT_READ)
    assert read.document == document


def test_an_unknown_document_of_a_visible_case_is_404(client: Client, office: CourtOffice) -> None:
    case = _register(office)
    _login(client, office.judge_user)
    response = client.get(_url(case, "documents/00000000-0000-4000-8000-000000000000/"))
    assert response.status_code == 404


def test_staff_change_the_status_and_a_refused_change_is_shown(client: Client, office: CourtOffice) -> None:
    case = _register(office)
    change_status(case=case, to=CaseStatus.ASSIGNED, actor=None)
    _login(client, office.judge_user)
    refused = client.post(_url(case), {"status": CaseStatus.DECIDED, "reason": "спешка"})
    assert refused.status_code == 200
    assert "status" in refused.context["status_form"].errors
    response = client.post(_url(case), {"status": CaseStatus.ACCEPTED, "reason": "иск соответствует ст. 148 ГПК"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    event = CaseEvent.objects.filter(case=case, kind=CaseEventKind.STATUS_CHANGED).last()
    assert event is not None
    assert event.actor == office.judge_user
    assert event.data["reason"] == "иск соответствует ст. 148 ГПК"


def test_a_change_refused_by_the_action_is_shown_on_the_form(
    client: Client, office: CourtOffice, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _register(office)
    change_status(case=case, to=CaseStatus.ASSIGNED, actor=None)
    _login(client, office.judge_user)
    # Someone else moved the case on between the page and the click.
    original = change_status

    def moved_meanwhile(**kwargs: Any) -> Case:
        original(case=case, to=CaseStatus.RETURNED, actor=None)
        return original(**kwargs)

    monkeypatch.setattr("torelik.cases.actions.change_status", moved_meanwhile)
    response = client.post(_url(case), {"status": CaseStatus.ACCEPTED, "reason": "принять"})
    assert response.status_code == 200
    assert response.context["status_form"].errors["status"]
    case.refresh_from_db()
    assert case.status == CaseStatus.RETURNED


def test_the_case_page_shows_representation_versions_links_and_the_journal(client: Client, office: CourtOffice) -> None:
    case = _bigger_case(office)
    _login(client, office.judge_user)
    page = client.get(_url(case, language="en")).content.decode()
    assert "represented by Нурланов Ерлан" in page
    assert "power of attorney" in page
    assert "earlier version 1" in page
    linked = case.links_from.get().to_case
    assert f'href="/en/cases/{linked.number}/"' in page  # the linked case (its number has the year it was filed)
    assert "Case registered" in page
    assert "Status changed</strong> — now in preparation: по плану" in page


def _bigger_case(office: CourtOffice) -> Case:
    first = _register(office)
    parties = [
        *claimant_and_defendant(),
        PartyInput(role=PartyRole.LAWYER, iin=OTHER_IIN, surname="Нурланов", given_name="Ерлан", represents=0),
        PartyInput(role=PartyRole.THIRD_PARTY, iin=DEFENDANT_IIN, surname="Ким", given_name="Виктор"),
    ]
    attorney = DocumentInput(
        document_type="power_of_attorney",
        title="Доверенность",
        filename="poa.pdf",
        content=io.BytesIO(pdf_bytes("power of attorney")),
        author_party=2,
    )
    case = _register(office, parties=parties, documents=[claim_document("big"), attorney])
    for n in range(4):
        add_document(case=case, document=claim_document(f"evidence {n}"), actor=office.clerk)
    correct_document(
        document=case.documents.order_by("id").first(),  # type: ignore[arg-type]
        correction=claim_document("amended"),
        actor=office.clerk,
        reason="уточнение",
    )
    for status in (CaseStatus.ASSIGNED, CaseStatus.ACCEPTED, CaseStatus.IN_PREPARATION):
        actor = None if status == CaseStatus.ASSIGNED else office.judge_user
        change_status(case=case, to=status, actor=actor, reason="по плану")
    link_cases(from_case=case, to_case=first, kind=CaseLinkKind.JOINED_TO, actor=office.clerk)
    return case


def test_the_case_page_needs_the_same_number_of_queries_whatever_the_size(client: Client, office: CourtOffice) -> None:
    small = _register(office)
    big = _bigger_case(office)
    assert big.documents.count() > 5
    assert big.events.count() > 5
    _login(client, office.judge_user)
    client.get(_url(small))  # warm up the session and the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(_url(small)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(_url(big)).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_long_journal_shows_its_latest_events_and_all_of_them_on_request(client: Client, office: CourtOffice) -> None:
    case = _register(office)
    for n in range(60):
        record_case_event(case=case, kind=CaseEventKind.TERMS_RECOMPUTED, actor=office.clerk, data={"n": n})
    total = case.events.count()
    _login(client, office.judge_user)
    page = client.get(_url(case)).content.decode()
    assert page.count("<time datetime=") == 50
    assert 'href="?journal=all' in page
    whole = client.get(_url(case) + "?journal=all").content.decode()
    assert whole.count("<time datetime=") == total


# The docket


def test_the_docket_lists_the_courts_cases_with_filters(client: Client, office: CourtOffice) -> None:
    first = _register(office)
    second = _register(office)
    other = court_office("0216")
    _register(other, actor=other.clerk, category_code=other.category.code)
    change_status(case=second, to=CaseStatus.ASSIGNED, actor=None)
    _login(client, office.clerk)
    page = client.get("/ru/cases/").content.decode()
    assert first.number in page
    assert second.number in page
    assert "0216-" not in page
    filtered = client.get("/ru/cases/", {"status": CaseStatus.ASSIGNED}).content.decode()
    assert second.number in filtered
    assert f">{first.number}<" not in filtered
    searched = client.get("/ru/cases/", {"q": "2/1"}).content.decode()
    assert first.number in searched
    assert f">{second.number}<" not in searched
    by_category = client.get("/ru/cases/", {"category": "99"}).content.decode()
    assert first.number not in by_category
    assert client.get("/ru/cases/", {"status": "nonsense", "page": "999"}).status_code == 200


def test_a_judge_filters_the_docket_to_their_own_cases(client: Client, office: CourtOffice) -> None:
    judge = JudgeFactory.create(court=office.court, person=office.judge_user.person)
    mine = _register(office)
    theirs = _register(office)
    record_assignment(case=mine, judge=judge, actor=None, data={})
    _login(client, office.judge_user)
    assert theirs.number in client.get("/ru/cases/").content.decode()
    page = client.get("/ru/cases/", {"mine": "on"}).content.decode()
    assert mine.number in page
    assert f">{theirs.number}<" not in page


def test_a_citizen_without_a_position_sees_their_own_cases(client: Client, office: CourtOffice) -> None:
    case = _register(office)
    _register(office, parties=[claimant_and_defendant()[1]])
    citizen = User.objects.create_user(
        username="aigul", person=Person.objects.get(iin=CLAIMANT_IIN), kind=AccountKind.CITIZEN
    )
    _login(client, citizen)
    response = client.get("/kk/cases/")
    assert response.status_code == 200
    page = response.content.decode()
    assert case.number in page
    assert page.count('href="/kk/cases/0215-') == 1
    assert "/cases/register/" not in page


# The access log


def test_the_chairman_reads_the_access_log_and_a_clerk_may_not(client: Client, office: CourtOffice) -> None:
    case = _register(office)
    chairman = staff_user("chairman.0215", office.court, StaffRole.CHAIRMAN)
    _login(client, office.judge_user)
    client.get(_url(case))
    _login(client, chairman)
    page = client.get("/ru/cases/access-log/").content.decode()
    assert "judge.0215" in page
    assert case.number in page
    assert "judge.0215" not in client.get("/ru/cases/access-log/", {"number": "0215-26-00-2/77"}).content.decode()
    _login(client, office.clerk)
    assert client.get("/ru/cases/access-log/").status_code == 403


def test_a_representative_names_the_row_of_the_party_represented(client: Client, office: CourtOffice) -> None:
    _login(client, office.clerk)
    blank = {"preferred_language": "kk"}
    lawyer = {
        "role": "lawyer",
        "iin": OTHER_IIN,
        "surname": "Нурланов",
        "given_name": "Ерлан",
        "preferred_language": "kk",
    }
    refused = client.post(
        REGISTER_URL, _filing(office, parties=[CLAIMANT, blank, DEFENDANT, {**lawyer, "represents": "2"}])
    )
    assert refused.status_code == 200
    assert "represents" in refused.context["parties"].forms[3].errors  # row 2 was left empty
    response = client.post(
        REGISTER_URL, _filing(office, parties=[CLAIMANT, blank, DEFENDANT, {**lawyer, "represents": "3"}])
    )
    assert response.status_code == 302
    representative = Case.objects.get().parties.get(role=PartyRole.LAWYER)
    assert representative.represents is not None
    assert representative.represents.identifier == COMPANY_BIN


def test_each_journal_line_names_its_object_and_the_system_reasons_are_in_words(
    client: Client, office: CourtOffice
) -> None:
    judge = JudgeFactory.create(court=office.court, person=office.judge_user.person)
    case = _register(office)
    record_assignment(case=case, judge=judge, actor=None, data={})
    change_status(case=case, to=CaseStatus.ACCEPTED, actor=office.judge_user, reason="")
    _login(client, office.judge_user)
    page = client.get(f"/ru/cases/{case.number}/").content.decode()
    journal = page.split('class="timeline"', 1)[1].split("</ol>", 1)[0]
    assert judge.person.full_name in journal  # which judge was assigned
    assert "assignment" not in journal  # the system's reason, in words
    assert "определён автоматизированным распределением" in journal


def test_the_office_adds_a_document_and_a_new_version_to_a_registered_case(client: Client, office: CourtOffice) -> None:
    case = _register(office)
    claim = case.documents.get()
    _login(client, office.clerk)
    page = client.get(f"/ru/cases/{case.number}/")
    assert f'href="/ru/cases/{case.number}/documents/add/"' in page.content.decode()
    petition = SimpleUploadedFile("ходатайство.pdf", pdf_bytes("late petition"), content_type="application/pdf")
    added = client.post(
        f"/ru/cases/{case.number}/documents/add/",
        {"document_type": "petition", "title": "Ходатайство об истребовании доказательств", "page_count": "2",
         "file": petition, "author": str(case.parties.order_by("id").first().pk)},  # type: ignore[union-attr]
    )  # fmt: skip
    assert added.status_code == 302, added.content.decode()
    version = SimpleUploadedFile("иск-2.pdf", pdf_bytes("claim, corrected"), content_type="application/pdf")
    missing_reason = client.post(
        f"/ru/cases/{case.number}/documents/add/",
        {"document_type": "claim", "page_count": "1", "file": version, "corrects": str(claim.pk)},
    )
    assert missing_reason.status_code == 422
    version.seek(0)
    corrected = client.post(
        f"/ru/cases/{case.number}/documents/add/",
        {"document_type": "claim", "page_count": "1", "file": version, "corrects": str(claim.pk),
         "reason": "Устранены недостатки"},
    )  # fmt: skip
    assert corrected.status_code == 302
    kinds = list(case.events.order_by("id").values_list("kind", flat=True))
    assert kinds.count(CaseEventKind.DOCUMENT_ADDED) == 1
    assert kinds.count(CaseEventKind.DOCUMENT_CORRECTED) == 1
    assert case.documents.get(previous_version=claim).version == 2
    assert case.documents.get(document_type__code="petition").page_count == 2


def test_a_party_cannot_add_documents_through_the_courts_page(client: Client, office: CourtOffice) -> None:
    case = _register(office)
    citizen = User.objects.create_user(
        username="aigul", person=Person.objects.get(iin=CLAIMANT_IIN), kind=AccountKind.CITIZEN
    )
    _login(client, citizen)
    assert client.get(f"/ru/cases/{case.number}/documents/add/").status_code == 403
