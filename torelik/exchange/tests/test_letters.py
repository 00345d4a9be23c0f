"""The document exchange with a state body (ESEDO's manner): the office writes a request for a case file,
which is registered under the court's number, signed with the court's key and handed over real HTTP to
the body (played by the partners' sender), whose acknowledgement carries its own number; the body answers
with a letter signed by its key, registered and acknowledged with the court's number, linked to the case."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.exchange import letters, tasks
from torelik.exchange.errors import ExchangeForbiddenError
from torelik.exchange.models import Letter, LetterDirection, LetterKind, LetterStatus, PartnerKind
from torelik.exchange.tests.conftest import load_sender
from torelik.exchange.tests.factories import NOW, case_with_writ, partner, send
from torelik.identity.pki import DemoCA, KeyPurpose

sender = load_sender()

pytestmark = pytest.mark.django_db

BODY_BIN = "940140000385"


def body_key(tmp_path: Path) -> tuple[Path, Path]:
    ca = DemoCA.load_or_create(Path(settings.TORELIK_PKI_DIR))
    issued = ca.issue_person(
        iin="800416300257",
        surname="Сейткали",
        given_name="Данияр",
        purpose=KeyPurpose.SIGNING,
        bin=BODY_BIN,
        organisation="Генеральная прокуратура",
    )
    key, cert = tmp_path / "body.key.pem", tmp_path / "body.pem"
    key.write_bytes(issued.private_key_pem())
    cert.write_bytes(issued.certificate_pem())
    return key, cert


def test_a_request_for_a_case_file_goes_signed_is_acknowledged_and_answered(
    tmp_path: Path, state_body: str, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    in_force = case_with_writ()
    court, case, clerk = in_force.world.court.court, in_force.world.case, in_force.world.court.clerk
    body = partner(PartnerKind.STATE_BODY, "Генеральная прокуратура", bin=BODY_BIN, endpoint_url=state_body)
    with clock.frozen_at(NOW), django_capture_on_commit_callbacks(execute=True):
        sent = letters.write_letter(
            court=court,
            counterpart=body.client,
            kind=LetterKind.CASE_FILE_REQUEST,
            subject="О направлении материалов дела",
            text="Просим направить материалы исполнительного производства.",
            case_number=case.number,
            actor=clerk,
        )
    sent.refresh_from_db()
    assert sent.number == f"{court.code}-26/1"
    assert sent.registered_on == dt.date(2026, 12, 7)
    # The court's signature is a real CMS over the letter's canonical JSON, by the court's key.
    root = DemoCA.load_or_create(Path(settings.TORELIK_PKI_DIR)).root_path
    assert sender.cms_verified(bytes(sent.content), bytes(sent.signature), root)
    assert not sender.cms_verified(bytes(sent.content).replace(b"dela", b"DELA") + b" ", bytes(sent.signature), root)
    assert json.loads(bytes(sent.content))["number"] == sent.number
    # Handed over by the workers (inline in tests) and acknowledged with the body's own number.
    assert sent.status == LetterStatus.ACKNOWLEDGED
    assert sent.counterpart_number == "05-14/1"
    assert sent.counterpart_date is not None

    key, cert = body_key(tmp_path)
    answer_letter = {
        "court": court.code,
        "number": "2-17/905",
        "date": "2026-12-07",
        "kind": "answer",
        "subject": "Материалы дела",
        "text": "Материалы направлены нарочным.",
        "case_number": "",
        "in_reply_to": sent.number,
    }
    message = sender.letter_message(answer_letter, key, cert, message_id="body-1")
    with clock.frozen_at(NOW):
        ack = send(body, "esedo/letters", message)
        again = send(body, "esedo/letters", message)
    assert ack.status_code == 200, ack.content
    assert ack.json()["registration_number"] == f"{court.code}-26/2"
    assert ack.json()["registered_on"] == "2026-12-07"
    assert again.json() == ack.json()
    received = Letter.objects.get(direction=LetterDirection.INCOMING)
    assert (received.counterpart_number, received.in_reply_to, received.case) == ("2-17/905", sent, case)
    assert "Сейткали" in received.signer
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert CaseEventKind.CORRESPONDENCE_SENT in kinds
    assert CaseEventKind.CORRESPONDENCE_RECEIVED in kinds


def test_a_letter_changed_after_signing_or_signed_by_another_body_is_refused(tmp_path: Path) -> None:
    in_force = case_with_writ()
    court = in_force.world.court.court
    body = partner(
        PartnerKind.STATE_BODY, "Министерство юстиции", bin="950341000052", endpoint_url="http://127.0.0.1:9/"
    )
    key, cert = body_key(tmp_path)  # a key of BIN 940140000385, not of this body
    letter = {"court": court.code, "number": "1", "date": "2026-12-07", "kind": "letter", "subject": "s", "text": "t"}
    with clock.frozen_at(NOW):
        other = send(body, "esedo/letters", sender.letter_message(letter, key, cert, message_id="x1"))
        signed = json.loads(sender.letter_message(letter, key, cert, message_id="x2"))
        signed["data"]["letter"]["text"] = "изменено"
        changed = send(body, "esedo/letters", json.dumps(signed).encode())
    assert (other.status_code, other.json()["code"]) == (422, "letter_signature_refused")
    assert (changed.status_code, changed.json()["code"]) == (422, "letter_signature_refused")
    assert list(changed.json()["fields"]) == ["signature_base64"]
    assert not Letter.objects.exists()


def test_a_body_that_is_down_leaves_the_letter_not_delivered_for_the_office() -> None:
    in_force = case_with_writ()
    body = partner(PartnerKind.STATE_BODY, "Недоступный орган", bin=BODY_BIN, endpoint_url="http://127.0.0.1:9/")
    with clock.frozen_at(NOW):
        sent = letters.write_letter(
            court=in_force.world.court.court,
            counterpart=body.client,
            kind=LetterKind.LETTER,
            subject="Уведомление",
            text="Текст",
            actor=in_force.world.court.clerk,
        )
    for _attempt in range(tasks.LETTER_ATTEMPTS - 1):
        with pytest.raises(letters.DeliveryError):
            tasks.send_letter.call(letter_id=sent.pk)
        sent.refresh_from_db()
        assert sent.status == LetterStatus.SENDING
    assert tasks.send_letter.call(letter_id=sent.pk) == {"status": "failed"}
    sent.refresh_from_db()
    assert (sent.status, sent.attempts) == (LetterStatus.FAILED, tasks.LETTER_ATTEMPTS)
    assert "refused" in sent.last_error.lower()
    letters.send_again(letter=sent, actor=in_force.world.court.clerk)
    sent.refresh_from_db()
    assert sent.status == LetterStatus.SENDING


def test_only_the_office_of_the_court_writes_its_letters() -> None:
    in_force = case_with_writ()
    body = partner(PartnerKind.STATE_BODY, "Орган", bin=BODY_BIN, endpoint_url="http://127.0.0.1:9/")
    claimant = in_force.world.claimant
    with pytest.raises(ExchangeForbiddenError) as refused:
        letters.write_letter(
            court=in_force.world.court.court, counterpart=body.client, kind=LetterKind.LETTER, subject="s", text="t",
            actor=claimant,
        )  # fmt: skip
    assert getattr(refused.value, "code", "") == "not_court_office"


def test_a_letters_refusal_keeps_the_api_error_format() -> None:
    body = partner(PartnerKind.STATE_BODY, "Орган", bin=BODY_BIN)
    with clock.frozen_at(NOW):
        answer = send(body, "esedo/letters", b'{"message_id": "1", "schema_version": "1", "data": {"letter": {}}}')
    assert answer.status_code == 422
    assert set(answer.json()) == {"code", "message", "fields"}
    assert Client().get("/api/v1/exchange/schemas/esedo/letters/1").status_code == 200
