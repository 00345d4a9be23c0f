"""Partners' inbound messages: an execution report and a custody report become case events shown in the
case's journal; the post's statuses go into the letter's tracking; replays, wrong signatures, scopes,
schema versions and malformed bodies are refused with the error format and journaled for the client."""

import datetime as dt
import json
import threading
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import connections
from django.test import Client

from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.cases.tests.factories import CLAIMANT_IIN, court_office
from torelik.core import clock
from torelik.exchange import clients
from torelik.exchange.models import CallOutcome, ClientCall, InboundMessage, PartnerKind, SigningScheme
from torelik.exchange.tests.factories import NOW, case_with_writ, envelope, partner, send
from torelik.post import actions as post_actions
from torelik.post.models import LetterKind, LetterStatus

pytestmark = pytest.mark.django_db


def execution(case_number: str, writ: object, status: str = "started", **more: Any) -> dict[str, Any]:
    return {
        "case_number": case_number,
        "writ": str(writ),
        "proceedings_number": "2612-0001-15/77",
        "status": status,
        "on": "2026-12-04",
        **more,
    }


def test_an_inbound_execution_report_appears_in_the_cases_journal() -> None:
    in_force = case_with_writ()
    case = in_force.world.case
    enforcement = partner(PartnerKind.ENFORCEMENT, "Комитет по исполнению судебных актов")
    with clock.frozen_at(NOW):
        answer = send(enforcement, "enforcement/executions", envelope(execution(case.number, in_force.writ_id)))
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"message_id": "m-1", "status": "accepted", "case_number": case.number}
    event = CaseEvent.objects.get(case=case, kind=CaseEventKind.EXECUTION_STARTED)
    assert event.data["proceedings"] == "2612-0001-15/77"
    assert event.occurred_at == NOW

    staff = Client()
    staff.force_login(in_force.world.court.clerk)
    page = staff.get(f"/ru/cases/{case.number}/").content.decode()
    assert "Возбуждено исполнительное производство по листу" in page
    assert "Комитет по исполнению судебных актов, производство № 2612-0001-15/77 от 04.12.2026" in page


def test_a_returned_writ_needs_a_reason_and_the_act_may_stand_for_its_writ() -> None:
    in_force = case_with_writ()
    enforcement = partner(PartnerKind.ENFORCEMENT)
    number = in_force.world.case.number
    with clock.frozen_at(NOW):
        without = send(enforcement, "enforcement/executions", envelope(execution(number, in_force.writ_id, "returned")))
        assert without.status_code == 422
        assert without.json()["code"] == "invalid_input"
        body = envelope(
            execution(number, in_force.act.public_id, "returned", reason="у должника нет имущества"), message_id="m-2"
        )
        assert send(enforcement, "enforcement/executions", body).status_code == 200
    event = CaseEvent.objects.get(kind=CaseEventKind.EXECUTION_RETURNED)
    assert event.data["reason"] == "у должника нет имущества"


def test_a_replayed_message_gets_the_same_answer_and_is_applied_once() -> None:
    in_force = case_with_writ()
    enforcement = partner(PartnerKind.ENFORCEMENT)
    body = envelope(execution(in_force.world.case.number, in_force.writ_id, "completed"), message_id="exec-42")
    with clock.frozen_at(NOW):
        first = send(enforcement, "enforcement/executions", body)
    with clock.frozen_at(NOW + dt.timedelta(minutes=1)):
        second = send(enforcement, "enforcement/executions", body)
        other = send(
            enforcement,
            "enforcement/executions",
            envelope(
                execution(in_force.world.case.number, in_force.writ_id, "returned", reason="x"), message_id="exec-42"
            ),
        )
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert CaseEvent.objects.filter(kind=CaseEventKind.EXECUTION_COMPLETED).count() == 1
    assert other.status_code == 409
    assert other.json()["code"] == "message_id_reused"
    outcomes = list(ClientCall.objects.order_by("id").values_list("outcome", flat=True))
    assert outcomes == [CallOutcome.ACCEPTED, CallOutcome.REPEATED, CallOutcome.REFUSED]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_copies_arriving_at_once_are_applied_once() -> None:
    if connections["default"].vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite locks the whole database)")
    in_force = case_with_writ()
    enforcement = partner(PartnerKind.ENFORCEMENT)
    body = envelope(execution(in_force.world.case.number, in_force.writ_id), message_id="twice")
    answers: list[int] = []

    def post() -> None:
        try:
            with clock.frozen_at(NOW):
                answers.append(send(enforcement, "enforcement/executions", body).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200, 200]
    assert CaseEvent.objects.filter(kind=CaseEventKind.EXECUTION_STARTED).count() == 1
    assert InboundMessage.objects.count() == 1


def test_unsigned_wrongly_signed_and_stale_messages_are_refused_and_journaled() -> None:
    in_force = case_with_writ()
    enforcement = partner(PartnerKind.ENFORCEMENT)
    body = envelope(execution(in_force.world.case.number, in_force.writ_id))
    with clock.frozen_at(NOW):
        unsigned = send(enforcement, "enforcement/executions", body, signature="")
        wrong = send(
            enforcement, "enforcement/executions", body, signature=clients.hmac_header("not-the-secret", body, at=NOW)
        )
        stale = send(
            enforcement,
            "enforcement/executions",
            body,
            signature=clients.hmac_header(enforcement.secret, body, at=NOW - dt.timedelta(minutes=10)),
        )
        unknown = send(enforcement, "enforcement/executions", body, token="not-a-token")
    assert (unsigned.status_code, unsigned.json()["code"]) == (401, "signature_missing")
    assert (wrong.status_code, wrong.json()["code"]) == (401, "signature_invalid")
    assert (stale.status_code, stale.json()["code"]) == (401, "signature_invalid")
    assert (unknown.status_code, unknown.json()["code"]) == (401, "token_invalid")
    assert set(unsigned.json()) == {"code", "message", "fields"}
    assert not CaseEvent.objects.filter(kind=CaseEventKind.EXECUTION_STARTED).exists()
    assert list(ClientCall.objects.filter(client=enforcement.client).values_list("code", flat=True).order_by("id")) == [
        "signature_missing",
        "signature_invalid",
        "signature_invalid",
    ]


def test_a_client_writing_outside_its_scope_is_refused() -> None:
    in_force = case_with_writ()
    corrections = partner(PartnerKind.CORRECTIONS)
    with clock.frozen_at(NOW):
        answer = send(
            corrections, "enforcement/executions", envelope(execution(in_force.world.case.number, in_force.writ_id))
        )
    assert (answer.status_code, answer.json()["code"]) == (403, "out_of_scope")
    call = ClientCall.objects.get(client=corrections.client)
    assert (call.outcome, call.status_code) == (CallOutcome.REFUSED, 403)


def test_a_revoked_client_is_refused() -> None:
    in_force = case_with_writ()
    enforcement = partner(PartnerKind.ENFORCEMENT)
    clients.revoke_client(client=enforcement.client, actor=None, reason="ключ скомпрометирован")
    with clock.frozen_at(NOW):
        answer = send(
            enforcement, "enforcement/executions", envelope(execution(in_force.world.case.number, in_force.writ_id))
        )
    assert answer.status_code == 401


def test_unknown_schema_versions_malformed_bodies_and_unknown_cases_are_told_apart() -> None:
    in_force = case_with_writ()
    enforcement = partner(PartnerKind.ENFORCEMENT)
    data = execution(in_force.world.case.number, in_force.writ_id)
    with clock.frozen_at(NOW):
        version = send(enforcement, "enforcement/executions", envelope(data, version="7"))
        malformed = send(enforcement, "enforcement/executions", b'{"message_id": "x", ')
        no_case = send(enforcement, "enforcement/executions", envelope({**data, "case_number": "9999-26-00-2/1"}))
        no_writ = send(
            enforcement, "enforcement/executions", envelope({**data, "writ": "00000000-0000-0000-0000-000000000001"})
        )
        no_topic = send(enforcement, "enforcement/nothing", envelope(data))
    assert (version.status_code, version.json()["code"]) == (400, "unknown_schema_version")
    assert "schema_version" in version.json()["fields"]
    assert (malformed.status_code, malformed.json()["code"]) == (400, "malformed")
    assert (no_case.status_code, no_case.json()["code"]) == (422, "case_not_found")
    assert no_case.json()["fields"] == {"case_number": [no_case.json()["message"]]}
    assert (no_writ.status_code, no_writ.json()["code"]) == (422, "writ_not_found")
    assert (no_topic.status_code, no_topic.json()["code"]) == (404, "unknown_topic")
    assert ClientCall.objects.filter(client=enforcement.client, outcome=CallOutcome.REFUSED).count() == 5


def test_corrections_confirm_an_arrival_of_a_party() -> None:
    in_force = case_with_writ()
    corrections = partner(PartnerKind.CORRECTIONS)
    data = {
        "case_number": in_force.world.case.number,
        "person_iin": CLAIMANT_IIN,
        "event": "arrived",
        "on": "2026-12-03",
        "institution": "Учреждение ЛА-155/14",
    }
    with clock.frozen_at(NOW):
        arrived = send(corrections, "corrections/custody", envelope(data))
        stranger = send(
            corrections, "corrections/custody", envelope({**data, "person_iin": "760212350620"}, message_id="m-2")
        )
        bad_iin = send(
            corrections, "corrections/custody", envelope({**data, "person_iin": "010101600586"}, message_id="m-3")
        )
    assert arrived.status_code == 200
    assert CaseEvent.objects.get(kind=CaseEventKind.CUSTODY_ARRIVED).data["institution"] == "Учреждение ЛА-155/14"
    assert (stranger.status_code, stranger.json()["code"]) == (422, "not_a_party")
    assert (bad_iin.status_code, list(bad_iin.json()["fields"])) == (422, ["person_iin"])


def test_the_posts_statuses_go_into_the_letters_tracking_and_serve_the_case() -> None:
    office = court_office("0215")
    with clock.frozen_at(NOW):
        letter = post_actions.prepare_letter(
            court=office.court,
            kind=LetterKind.REGISTERED,
            recipient_name="Ахметова Айгерим",
            address_text="050000, Алматы, Абай даңғылы, д. 10",
            enclosures=[],
        )
        post_actions.hand_over(court=office.court, day=NOW.date(), actor=None)
    letter.refresh_from_db()
    kazpost = partner(PartnerKind.POST)
    events = {
        "events": [{"barcode": letter.barcode, "id": "e1", "code": "DELIVERED", "at": "2026-12-05T10:00:00+05:00"}]
    }
    with clock.frozen_at(NOW):
        answer = send(kazpost, "post/statuses", envelope(events))
    assert answer.status_code == 200, answer.content
    assert answer.json()["recorded"] == 1
    letter.refresh_from_db()
    assert letter.status == LetterStatus.DELIVERED


def test_a_client_signing_with_jws_is_checked_by_its_public_key() -> None:
    in_force = case_with_writ()
    key = Ed25519PrivateKey.generate()
    pem = key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    enforcement = partner(PartnerKind.ENFORCEMENT, signing=SigningScheme.JWS, public_key_pem=pem.decode())
    assert enforcement.secret == ""
    body = envelope(execution(in_force.world.case.number, in_force.writ_id))
    good = jwt.api_jws.encode(body, key, algorithm="EdDSA", is_payload_detached=True)
    other = jwt.api_jws.encode(body, Ed25519PrivateKey.generate(), algorithm="EdDSA", is_payload_detached=True)
    with clock.frozen_at(NOW):
        refused = send(enforcement, "enforcement/executions", body, signature=f"jws={other}")
        accepted = send(enforcement, "enforcement/executions", body, signature=f"jws={good}")
    assert refused.status_code == 401
    assert accepted.status_code == 200


def test_each_topics_schema_is_published_by_version() -> None:
    answer = Client().get("/api/v1/exchange/schemas/enforcement/executions/1")
    assert answer.status_code == 200
    assert set(answer.json()["properties"]) >= {"case_number", "writ", "status", "proceedings_number"}
    assert Client().get("/api/v1/exchange/schemas/enforcement/executions/9").status_code == 404
    assert json.loads(Client().get("/api/v1/openapi.json").content)["paths"]["/api/v1/exchange/inbound/{topic}"]
