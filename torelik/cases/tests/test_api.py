"""The case-file API: registering a filing over multipart, reading a case, its journal and documents."""

import base64
import datetime as dt
import hashlib
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from torelik.cases import actions
from torelik.cases.actions import DocumentInput, change_status, correct_document, register_case
from torelik.cases.models import (
    AccessKind,
    Case,
    CaseAccess,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Document,
    Instance,
    Party,
)
from torelik.cases.tests.factories import (
    CLAIMANT_IIN,
    COMPANY_BIN,
    OTHER_IIN,
    CourtOffice,
    claim_document,
    claimant_and_defendant,
    court_office,
    pdf_bytes,
    registration_body,
    staff_user,
)
from torelik.core import clock
from torelik.courts.models import ProceedingType, StaffRole
from torelik.identity.models import AccountKind, Person, User

pytestmark = pytest.mark.django_db

MARCH_2026 = dt.datetime(2026, 3, 2, 5, 0, tzinfo=dt.UTC)
CASES_URL = "/api/v1/cases"


@pytest.fixture(autouse=True)
def _march_2026() -> Iterator[None]:
    with clock.frozen_at(MARCH_2026):
        yield


@pytest.fixture
def office() -> CourtOffice:
    return court_office("0215")


def _post(client: Client, filing: dict[str, Any] | str, files: dict[str, tuple[str, bytes]] | None = None) -> Any:
    files = files if files is not None else {"claim": ("claim.pdf", pdf_bytes("claim"))}
    payload: dict[str, Any] = {"data": filing if isinstance(filing, str) else json.dumps(filing)}
    for field, (name, content) in files.items():
        payload[field] = SimpleUploadedFile(name, content)
    return client.post(CASES_URL, payload)


def _login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _register(office: CourtOffice, **overrides: Any) -> Case:
    arguments: dict[str, Any] = {
        "court": office.court,
        "proceeding_type": ProceedingType.CIVIL,
        "category_code": office.category.code,
        "parties": claimant_and_defendant(),
        "documents": [claim_document()],
        "actor": office.clerk,
    }
    arguments.update(overrides)
    return register_case(**arguments)


def _citizen(iin: str, username: str) -> User:
    person = Person.objects.filter(iin=iin).first() or Person.objects.create(iin=iin, surname="Ким", given_name="Ли")
    return User.objects.create_user(username=username, person=person, kind=AccountKind.CITIZEN)


def _nothing_registered() -> bool:
    return Case.objects.count() == Party.objects.count() == Document.objects.count() == CaseEvent.objects.count() == 0


# Registering


def test_a_clerk_registers_a_filing_and_gets_the_case_back(office: CourtOffice) -> None:
    content = pdf_bytes("claim")
    response = _post(_login(office.clerk), registration_body(office), {"claim": ("claim.pdf", content)})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"] == "0215-26-00-2/1"
    assert body["status"] == "registered"
    assert body["court"]["code"] == "0215"
    assert body["category"]["code"] == office.category.code
    assert body["claim_amount"] in {"1500000.50", 1500000.5}
    assert [(p["role"], p["iin"], p["bin"]) for p in body["parties"]] == [
        ("claimant", CLAIMANT_IIN, None),
        ("defendant", None, COMPANY_BIN),
    ]
    [document] = body["documents"]
    assert document["sha256"] == hashlib.sha256(content).hexdigest()
    assert document["media_type"] == "application/pdf"
    assert document["page_count"] == 3
    case = Case.objects.get()
    assert case.number == body["number"]
    assert case.registered_by == office.clerk
    assert case.consent_sms is True
    assert case.claim_amount == Decimal("1500000.50")
    assert str(case.documents.get().public_id) == document["id"]
    assert CaseEvent.objects.get(case=case, kind=CaseEventKind.REGISTERED).actor == office.clerk


def test_numbers_follow_the_courts_series(office: CourtOffice) -> None:
    client = _login(office.clerk)
    numbers = [_post(client, registration_body(office)).json()["number"] for _ in range(3)]
    assert numbers == ["0215-26-00-2/1", "0215-26-00-2/2", "0215-26-00-2/3"]


def test_a_lawyer_representing_the_claimant_is_linked_to_the_party(office: CourtOffice) -> None:
    filing = registration_body(office)
    filing["parties"].append(
        {"role": "lawyer", "iin": OTHER_IIN, "surname": "Жумабаев", "given_name": "Ерлан", "represents": 0}
    )
    body = _post(_login(office.clerk), filing).json()
    claimant, _defendant, lawyer = body["parties"]
    assert lawyer["represents"] == claimant["id"]


def _bad_iin(office: CourtOffice) -> dict[str, Any]:
    filing = registration_body(office)
    filing["parties"][0]["iin"] = "010101600586"  # wrong check digit (shared/domain/kazakhstan.md)
    return filing


def _bad_role(office: CourtOffice) -> dict[str, Any]:
    filing = registration_body(office)
    filing["parties"][0]["role"] = "spectator"
    return filing


def _missing_file_field(office: CourtOffice) -> dict[str, Any]:
    return registration_body(office, documents=[{"document_type": "claim", "file": "scan"}])


def _author_outside_the_case(office: CourtOffice) -> dict[str, Any]:
    return registration_body(office, documents=[{"document_type": "claim", "file": "claim", "author_party": 7}])


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200


@pytest.mark.parametrize(
    ("make_filing", "files", "code", "field"),
    [
        (_bad_iin, None, "invalid_filing", "parties[0].iin"),
        (lambda o: registration_body(o, category="999999999999999999"), None, "unknown_category", "category"),
        (lambda o: registration_body(o), {"claim": ("claim.pdf", b"")}, "invalid_filing", "documents[0].file"),
        (lambda o: registration_body(o), {"claim": ("claim.pdf", PNG)}, "invalid_filing", "documents[0].file"),
        (lambda o: registration_body(o, court="9999"), None, "court_not_found", "court"),
        (lambda o: registration_body(o, claim_amount="-1"), None, "invalid_input", "claim_amount"),
        (lambda o: registration_body(o, claim_amount="12345678901234567"), None, "invalid_input", "claim_amount"),
        (lambda o: registration_body(o, parties=[]), None, "invalid_input", "parties"),
        (_bad_role, None, "invalid_input", "parties[0].role"),
        (_missing_file_field, None, "invalid_input", "documents[0].file"),
        (
            lambda o: registration_body(o),
            {"claim": ("claim.pdf", pdf_bytes()), "extra": ("x.pdf", pdf_bytes("x"))},
            "invalid_input",
            "extra",
        ),
        (_author_outside_the_case, None, "invalid_filing", "documents[0].author_party"),
        (lambda o: "{not json", None, "invalid_input", "data"),
        (lambda o: "[]", None, "invalid_input", "data"),
    ],
    ids=[
        "bad-iin",
        "unknown-category",
        "empty-upload",
        "pdf-name-over-png-bytes",
        "unknown-court",
        "negative-amount",
        "amount-too-large",
        "no-parties",
        "unknown-role",
        "document-names-no-upload",
        "upload-named-by-no-document",
        "author-outside-the-case",
        "malformed-json",
        "json-not-an-object",
    ],
)
def test_a_refused_filing_names_the_field_and_leaves_nothing(
    office: CourtOffice, make_filing: Any, files: dict[str, tuple[str, bytes]] | None, code: str, field: str
) -> None:
    response = _post(_login(office.clerk), make_filing(office), files)
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == code
    assert field in body["fields"], body
    assert all(isinstance(message, str) and message for message in body["fields"][field])
    assert _nothing_registered()


def test_an_oversized_upload_is_refused(office: CourtOffice, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(actions, "MAX_DOCUMENT_SIZE", 1024)
    response = _post(
        _login(office.clerk), registration_body(office), {"claim": ("claim.pdf", pdf_bytes() + b"0" * 2048)}
    )
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["documents[0].file"]
    assert _nothing_registered()


def test_two_files_in_one_form_field_are_refused(office: CourtOffice) -> None:
    files = [SimpleUploadedFile("a.pdf", pdf_bytes("a")), SimpleUploadedFile("b.pdf", pdf_bytes("b"))]
    response = _login(office.clerk).post(CASES_URL, {"data": json.dumps(registration_body(office)), "claim": files})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["claim"]
    assert _nothing_registered()


def test_a_missing_data_field_is_named(office: CourtOffice) -> None:
    response = _login(office.clerk).post(CASES_URL, {"claim": SimpleUploadedFile("claim.pdf", pdf_bytes())})
    assert response.status_code == 422
    assert list(response.json()["fields"]) == ["data"]


@pytest.mark.parametrize("who", ["clerk of another court", "judge of the court"])
def test_only_the_courts_office_registers(office: CourtOffice, who: str) -> None:
    user = court_office("0216").clerk if who == "clerk of another court" else office.judge_user
    response = _post(_login(user), registration_body(office))
    assert response.status_code == 403
    assert response.json()["code"] == "not_staff_of_court"
    assert _nothing_registered()


def test_anonymous_registration_is_refused_with_401(office: CourtOffice) -> None:
    response = _post(Client(), registration_body(office))
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert set(response.json()) == {"code", "message", "fields"}
    assert _nothing_registered()


def test_a_registration_without_csrf_token_is_refused(office: CourtOffice) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(office.clerk)
    response = _post(client, registration_body(office))
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert _nothing_registered()


# Reading a case


def test_the_judge_reads_the_case_and_the_opening_is_logged(office: CourtOffice) -> None:
    case = _register(office)
    response = _login(office.judge_user).get(f"{CASES_URL}/{case.number}", REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    body = response.json()
    assert body["number"] == case.number
    assert [p["role"] for p in body["parties"]] == ["claimant", "defendant"]
    assert len(body["documents"]) == 1
    assert "no-store" in response["Cache-Control"]
    access = CaseAccess.objects.get()
    assert (access.user, access.kind, access.ip_address) == (office.judge_user, AccessKind.CASE_OPENED, "10.1.2.3")


def test_a_party_reads_its_case_without_an_access_log_entry(office: CourtOffice) -> None:
    case = _register(office)
    response = _login(_citizen(CLAIMANT_IIN, "claimant")).get(f"{CASES_URL}/{case.number}")
    assert response.status_code == 200
    assert response.json()["number"] == case.number
    assert not CaseAccess.objects.exists()


def test_a_stranger_is_told_the_case_does_not_exist(office: CourtOffice) -> None:
    case = _register(office)
    stranger = _login(_citizen(OTHER_IIN, "stranger"))
    hidden = stranger.get(f"{CASES_URL}/{case.number}")
    missing = stranger.get(f"{CASES_URL}/0215-26-00-2/999")
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json()["code"] == "case_not_found"
    assert hidden.json() == json.loads(missing.content.decode().replace("0215-26-00-2/999", case.number))
    other_clerk = _login(court_office("0216").clerk).get(f"{CASES_URL}/{case.number}")
    assert other_clerk.status_code == 404
    assert other_clerk.json()["code"] == "case_not_found"


def test_a_corrected_document_points_to_its_new_version_and_back(office: CourtOffice) -> None:
    case = _register(office)
    original = case.documents.get()
    correct_document(
        document=original,
        correction=DocumentInput(
            document_type="claim", title="Уточнённый иск", filename="claim-2.pdf", content=io.BytesIO(pdf_bytes("v2"))
        ),
        actor=office.clerk,
        reason="уточнение требований",
    )
    first, second = _login(office.judge_user).get(f"{CASES_URL}/{case.number}").json()["documents"]
    assert (first["id"], first["version"], first["corrects"]) == (str(original.public_id), 1, None)
    assert first["corrected_by"] == second["id"]
    assert (second["version"], second["corrects"], second["corrected_by"]) == (2, first["id"], None)


def test_anonymous_reading_is_refused_with_401(office: CourtOffice) -> None:
    case = _register(office)
    for url in (f"{CASES_URL}/{case.number}", f"{CASES_URL}/{case.number}/events"):
        response = Client().get(url)
        assert response.status_code == 401
        assert response.json()["code"] == "not_authenticated"


def test_numbers_with_a_cyrillic_type_code_and_an_encoded_slash_are_routed(office: CourtOffice) -> None:
    appeal = _register(office, instance=Instance.APPEAL)
    assert appeal.number == "0215-26-00-2а/1"
    client = _login(office.judge_user)
    encoded = "0215-26-00-2%D0%B0%2F1"
    for url in (f"{CASES_URL}/{appeal.number}", f"{CASES_URL}/{encoded}", f"{CASES_URL}/{encoded}/events"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)


# The journal


def test_the_journal_lists_events_oldest_first_with_their_actors(office: CourtOffice) -> None:
    case = _register(office)
    change_status(case=case, to=CaseStatus.ASSIGNED, actor=None, reason="distribution")
    change_status(case=case, to=CaseStatus.ACCEPTED, actor=office.judge_user)
    response = _login(office.judge_user).get(f"{CASES_URL}/{case.number}/events")
    assert response.status_code == 200
    body = response.json()
    # Other contexts journal their own entries too (terms opened...): these are the case file's.
    items = [e for e in body["items"] if e["kind"] in ("registered", "status_changed")]
    assert body["count"] >= 3
    assert [e["kind"] for e in items] == ["registered", "status_changed", "status_changed"]
    assert [e["actor"] for e in items] == [office.clerk.username, None, office.judge_user.username]
    assert items[0]["data"]["number"] == case.number
    assert items[2]["data"] == {"from": "assigned", "to": "accepted", "reason": ""}
    assert dt.datetime.fromisoformat(items[0]["occurred_at"]) == MARCH_2026
    assert CaseAccess.objects.get().kind == AccessKind.JOURNAL_READ


def test_the_events_route_wins_over_the_case_route(office: CourtOffice) -> None:
    case = _register(office)
    response = _login(office.judge_user).get(f"{CASES_URL}/{case.number}/events?limit=1")
    assert response.status_code == 200
    assert len(response.json()["items"]) == 1
    assert response.json()["items"][0]["kind"] == "registered"


def test_a_stranger_cannot_read_the_journal(office: CourtOffice) -> None:
    case = _register(office)
    response = _login(_citizen(OTHER_IIN, "stranger")).get(f"{CASES_URL}/{case.number}/events")
    assert response.status_code == 404
    assert response.json()["code"] == "case_not_found"


# Documents


def test_a_document_downloads_with_its_digests(office: CourtOffice) -> None:
    content = pdf_bytes("claim")
    body = _post(_login(office.clerk), registration_body(office), {"claim": ("иск.pdf", content)}).json()
    url = f"{CASES_URL}/{body['number']}/documents/{body['documents'][0]['id']}"
    for reader in (office.judge_user, _citizen(CLAIMANT_IIN, "claimant")):
        response = _login(reader).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == content  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Length"] == str(len(content))
        digest = hashlib.sha256(content).digest()
        assert response["X-Content-SHA256"] == digest.hex()
        assert response["Repr-Digest"] == f"sha-256=:{base64.b64encode(digest).decode()}:"
        assert response["Content-Disposition"].startswith("inline;")
    [access] = CaseAccess.objects.all()
    assert access.kind == AccessKind.DOCUMENT_READ
    assert access.document is not None
    assert str(access.document.public_id) == body["documents"][0]["id"]


def test_documents_are_hidden_from_strangers_and_other_cases(office: CourtOffice) -> None:
    first = _register(office)
    second = _register(office)
    foreign = second.documents.get().public_id
    own = first.documents.get().public_id
    judge = _login(office.judge_user)
    wrong_case = judge.get(f"{CASES_URL}/{first.number}/documents/{foreign}")
    assert wrong_case.status_code == 404
    assert wrong_case.json()["code"] == "document_not_found"
    unknown = judge.get(f"{CASES_URL}/{first.number}/documents/00000000-0000-4000-8000-000000000000")
    assert unknown.json()["code"] == "document_not_found"
    stranger = _login(_citizen(OTHER_IIN, "stranger")).get(f"{CASES_URL}/{first.number}/documents/{own}")
    assert stranger.status_code == 404
    assert stranger.json()["code"] == "case_not_found"
    assert Client().get(f"{CASES_URL}/{first.number}/documents/{own}").status_code == 401


def test_the_api_describes_the_case_routes(client: Client) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/cases",
        "/api/v1/cases/{number}",
        "/api/v1/cases/{number}/events",
        "/api/v1/cases/{number}/documents/{document_id}",
    } <= set(paths)


def test_the_court_chairman_registers_as_well(office: CourtOffice) -> None:
    chairman = staff_user("chairman.0215", office.court, StaffRole.CHAIRMAN)
    response = _post(_login(chairman), registration_body(office))
    assert response.status_code == 201
    assert Case.objects.get().registered_by == chairman
