"""The e-government portal's door: an API credential, the citizen's signed manifest, the status."""

import base64
import datetime as dt
import json
import threading
import uuid
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from torelik.cases.models import Channel
from torelik.cases.tests.factories import CLAIMANT_IIN, COMPANY_BIN, DEFENDANT_IIN, pdf_bytes
from torelik.core import clock
from torelik.distribution.actions import complete_pending_draws
from torelik.filing import actions
from torelik.filing.actions import SIGNATURE_HEADER, SandboxGateway, sign_body
from torelik.filing.models import Filing, FilingStatus
from torelik.filing.tests.conftest import Court3
from torelik.filing.tests.factories import API, Certificate
from torelik.identity.pki import sign_detached


def claim_body(court3: Court3) -> dict[str, object]:
    return {
        "kind": "claim",
        "filer_iin": CLAIMANT_IIN,
        "court": court3.office.court.code,
        "category": court3.office.category.code,
        "subject": "О взыскании задолженности",
        "claim_amount": "1000000",
        "data": {
            "claims": "Взыскать 1 000 000 тенге",
            "circumstances": "Долг не возвращён",
            "parties": [{"role": "defendant", "bin": COMPANY_BIN, "organisation_name": "ТОО Тест"}],
        },
        "attachments": [
            {
                "filename": "claim.pdf",
                "role": "filing",
                "content_base64": base64.b64encode(pdf_bytes("claim")).decode(),
            }
        ],
    }


@pytest.fixture
def portal(db: None) -> Client:
    _client, token = actions.create_api_client(name="egov.kz")
    return Client(headers={"Authorization": f"Bearer {token}"})


def test_without_a_credential_the_portal_is_refused_in_the_api_format(court3: Court3) -> None:
    response = Client(headers={"Authorization": "Bearer nope"}).post(
        f"{API}/filings", json.dumps(claim_body(court3)), content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "api_token_invalid"


def test_the_portal_files_a_signed_paid_claim_and_reads_its_status(
    court3: Court3,
    portal: Client,
    certificate: Certificate,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    created = portal.post(f"{API}/filings", json.dumps(claim_body(court3)), content_type="application/json")
    assert created.status_code == 201, created.content
    draft = created.json()
    assert draft["status"] == "draft"
    assert draft["fee_amount"] == "10000.00"
    assert draft["fee_paid"] is False
    manifest = base64.b64decode(draft["manifest_base64"])
    signature = base64.b64encode(sign_detached(manifest, certificate())).decode()

    unpaid = portal.post(
        f"{API}/filings/{draft['id']}/signature",
        json.dumps({"signature_base64": signature}),
        content_type="application/json",
    )
    assert unpaid.status_code == 422
    assert unpaid.json()["code"] == "fee_not_paid"

    filing = Filing.objects.get(public_id=draft["id"])
    payment, _url = actions.start_payment(filing=filing, actor=None, callback_url="http://x", return_url="/")
    charge = SandboxGateway().charge(order_id=payment.order_id, card_number="4242424242424242")
    assert charge is not None
    with django_capture_on_commit_callbacks(execute=True):
        signed = portal.post(
            f"{API}/filings/{draft['id']}/signature",
            json.dumps({"signature_base64": signature, "receipt_number": charge.receipt_number}),
            content_type="application/json",
        )
    assert signed.status_code == 200, signed.content
    assert signed.json()["status"] == "registered"
    assert signed.json()["case_number"].startswith("0215-")
    filing.refresh_from_db()
    assert filing.channel == Channel.EGOV
    assert filing.case is not None
    assert filing.case.channel == Channel.EGOV

    with clock.frozen_at(clock.now() + dt.timedelta(minutes=1)):
        complete_pending_draws()
    status = portal.get(f"{API}/filings/{draft['id']}").json()
    assert status["status"] == FilingStatus.ASSIGNED
    assert status["judge"]
    assert [step["status"] for step in status["trail"]][-1] == "assigned"

    replay = portal.post(
        f"{API}/filings/{draft['id']}/signature",
        json.dumps({"signature_base64": signature}),
        content_type="application/json",
    )
    assert replay.status_code == 409


def test_another_portal_does_not_see_the_filing(court3: Court3, portal: Client) -> None:
    created = portal.post(f"{API}/filings", json.dumps(claim_body(court3)), content_type="application/json").json()
    _other, token = actions.create_api_client(name="other")
    response = Client(headers={"Authorization": f"Bearer {token}"}).get(f"{API}/filings/{created['id']}")
    assert response.status_code == 404


def test_a_signature_for_a_filing_the_portal_may_not_see_is_404_and_one_not_base64_is_422(
    court3: Court3, portal: Client
) -> None:
    created = portal.post(f"{API}/filings", json.dumps(claim_body(court3)), content_type="application/json").json()
    _other, token = actions.create_api_client(name="other")
    other = Client(headers={"Authorization": f"Bearer {token}"})
    for client, filing_id, signature, status in [
        (other, created["id"], "MIIB", 404),
        (other, created["id"], "not base64!", 404),
        (portal, str(uuid.uuid4()), "not base64!", 404),
        (portal, created["id"], "not base64!", 422),
    ]:
        response = client.post(
            f"{API}/filings/{filing_id}/signature",
            json.dumps({"signature_base64": signature}),
            content_type="application/json",
        )
        assert response.status_code == status, (filing_id, signature, response.content)
    assert Filing.objects.get(public_id=created["id"]).status == FilingStatus.DRAFT


def test_a_bad_iin_and_a_disguised_attachment_are_named_and_the_draft_kept(court3: Court3, portal: Client) -> None:
    body = claim_body(court3)
    body["data"]["parties"] = [{"role": "defendant", "iin": "010101600586", "surname": "А", "given_name": "Б"}]  # type: ignore[index]
    body["attachments"] = [
        {"filename": "claim.pdf", "role": "filing", "content_base64": base64.b64encode(b"GIF89a" + b"\0" * 40).decode()}
    ]
    response = portal.post(f"{API}/filings", json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    error = response.json()
    assert error["code"] == "invalid_filing"
    assert "parties[0].iin" in error["fields"]
    assert "attachments[0]" in error["fields"]
    assert Filing.objects.filter(status=FilingStatus.DRAFT).count() == 1


def test_the_sandbox_callback_endpoint_refuses_a_bad_hmac_and_is_idempotent(court3: Court3, portal: Client) -> None:
    created = portal.post(f"{API}/filings", json.dumps(claim_body(court3)), content_type="application/json").json()
    filing = Filing.objects.get(public_id=created["id"])
    payment, _url = actions.start_payment(filing=filing, actor=None, callback_url="http://x", return_url="/")
    sandbox = SandboxGateway()
    charge = sandbox.charge(order_id=payment.order_id, card_number="4242424242424242")
    assert charge is not None
    body = sandbox.callback_body(charge)
    client = Client()
    bad = client.post(
        f"{API}/payments/sandbox/callback", body, content_type="application/json", headers={SIGNATURE_HEADER: "00"}
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "payment_callback_bad_hmac"
    for _ in range(2):
        good = client.post(
            f"{API}/payments/sandbox/callback",
            body,
            content_type="application/json",
            headers={SIGNATURE_HEADER: sign_body(body, sandbox.secret)},
        )
        assert good.status_code == 200
        assert good.json()["status"] == "paid"
    assert filing.payments.get().status == "paid"


# The portal's own id: a refused draft is corrected by sending it again; a request sent twice is one filing.


def _post(portal: Client, body: dict[str, object]) -> Any:  # the test client's response
    return portal.post(f"{API}/filings", json.dumps(body), content_type="application/json")


def _pay(filing_id: str) -> str:
    filing = Filing.objects.get(public_id=filing_id)
    payment, _url = actions.start_payment(filing=filing, actor=None, callback_url="http://x", return_url="/")
    charge = SandboxGateway().charge(order_id=payment.order_id, card_number="4242424242424242")
    assert charge is not None
    return charge.receipt_number


def test_a_refused_portal_filing_is_corrected_by_sending_it_again_with_its_id(
    court3: Court3,
    portal: Client,
    certificate: Certificate,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    body = claim_body(court3) | {"id": str(uuid.uuid4())}
    wrong = json.loads(json.dumps(body))
    wrong["data"]["parties"] = [{"role": "defendant", "iin": "010101600586", "surname": "А", "given_name": "Б"}]
    wrong["attachments"][0]["content_base64"] = base64.b64encode(b"GIF89a" + b"\0" * 40).decode()
    refused = _post(portal, wrong)
    assert refused.status_code == 422
    assert {"parties[0].iin", "attachments[0]"} <= set(refused.json()["fields"])
    assert body["id"] in refused.json()["message"]

    corrected = _post(portal, body)
    assert corrected.status_code == 200, corrected.content
    draft = corrected.json()
    assert draft["id"] == body["id"]
    assert draft["status"] == "draft"
    filing = Filing.objects.get()
    assert filing.data["parties"][0]["bin"] == COMPANY_BIN
    assert [a.filename for a in filing.attachments.all()] == ["claim.pdf"]

    manifest = base64.b64decode(draft["manifest_base64"])
    signed = body | {
        "signature_base64": base64.b64encode(sign_detached(manifest, certificate())).decode(),
        "receipt_number": _pay(draft["id"]),
    }
    with django_capture_on_commit_callbacks(execute=True):
        sent = _post(portal, signed)
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "registered"
    assert Filing.objects.count() == 1


def test_a_submission_sent_again_answers_the_same_filing_and_a_different_one_is_a_conflict(
    court3: Court3,
    portal: Client,
    certificate: Certificate,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    body = claim_body(court3) | {"id": str(uuid.uuid4())}
    first = _post(portal, body)
    assert first.status_code == 201
    again = _post(portal, body)  # the answer was lost: the portal sends it again
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    manifest = base64.b64decode(first.json()["manifest_base64"])
    signed = body | {
        "signature_base64": base64.b64encode(sign_detached(manifest, certificate())).decode(),
        "receipt_number": _pay(first.json()["id"]),
    }
    with django_capture_on_commit_callbacks(execute=True):
        sent = _post(portal, signed)
    assert sent.json()["status"] == "registered"
    retry = _post(portal, signed)
    assert retry.status_code == 200
    assert (retry.json()["status"], retry.json()["case_number"]) == ("registered", sent.json()["case_number"])
    changed = _post(portal, signed | {"subject": "Иное", "signature_base64": ""})
    assert changed.status_code == 409
    assert changed.json()["code"] == "filing_not_a_draft"
    assert Filing.objects.count() == 1
    assert Filing.objects.get().subject == "О взыскании задолженности"


def test_an_id_of_another_portal_or_of_another_filer_is_a_conflict(court3: Court3, portal: Client) -> None:
    body = claim_body(court3) | {"id": str(uuid.uuid4())}
    assert _post(portal, body).status_code == 201
    _other, token = actions.create_api_client(name="other")
    other = Client(headers={"Authorization": f"Bearer {token}"})
    taken = _post(other, body)
    assert taken.status_code == 409
    assert taken.json()["code"] == "filing_id_taken"
    another_filer = _post(portal, body | {"filer_iin": DEFENDANT_IIN})
    assert another_filer.status_code == 409
    assert another_filer.json()["code"] == "filing_id_taken"
    assert Filing.objects.get().filer_iin == CLAIMANT_IIN


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_request_sent_twice_at_the_same_moment_is_one_filing_and_never_a_500(
    court3: Court3, mci_2026: None
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent requests are proven on PostgreSQL (SQLite serialises writers)")
    _client, token = actions.create_api_client(name="egov.race")
    rounds = 5
    answers: list[tuple[str, int, str]] = []
    failures: list[BaseException] = []
    ids = [str(uuid.uuid4()) for _ in range(rounds)]
    barrier = threading.Barrier(2)

    def portal_request(filing_id: str) -> None:
        try:
            portal = Client(headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False)
            barrier.wait(timeout=30)
            response = _post(portal, claim_body(court3) | {"id": filing_id})
            body = response.json() if response["Content-Type"].startswith("application/json") else {}
            answers.append((filing_id, response.status_code, str(body.get("id", body.get("code", "")))))
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connections.close_all()

    for filing_id in ids:
        threads = [threading.Thread(target=portal_request, args=(filing_id,)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert not failures, failures
    for filing_id in ids:
        mine = sorted((status, answer) for fid, status, answer in answers if fid == filing_id)
        assert mine == [(200, filing_id), (201, filing_id)], answers
    assert Filing.objects.filter(public_id__in=ids).count() == rounds
