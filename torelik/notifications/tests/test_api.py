"""The API: delivery reports (secret token, unknown ids, every type), the staff's list and resend."""

import pytest
from django.test import Client
from django.urls import reverse

from torelik.cases.tests.factories import CourtOffice
from torelik.courts.models import StaffRole
from torelik.notifications import actions
from torelik.notifications.actions import Outcome
from torelik.notifications.models import Channel, Message, MessageStatus
from torelik.notifications.tests.factories import court_office, staff_user, summons

pytestmark = pytest.mark.django_db

DLR = "/api/v1/notifications/dlr"


def _handed(message: Message, *, ok: bool = True) -> Message:
    actions.claim_due(limit=100)
    actions.record_outcomes(
        [Outcome(message_id=message.pk, ok=ok, provider_id="kannel:x", error="500", retryable=False)]
    )
    message.refresh_from_db()
    return message


def _report(client: Client, message_id: str, kind: int | str, token: str = "test-dlr-token") -> object:  # noqa: S107 - the test value
    return client.get(DLR, {"token": token, "id": message_id, "type": kind, "smsc_id": "SMSC-77", "answer": ""})


def test_the_endpoint_is_named_for_the_gateways_url() -> None:
    assert reverse("api-v1:notifications_dlr") == DLR


def test_a_delivered_report_marks_the_message_delivered(client: Client) -> None:
    message = _handed(summons())
    assert message.status == MessageStatus.SENT
    assert _report(client, str(message.public_id), 8).json() == {"known": True, "status": "sent"}  # type: ignore[attr-defined]
    response = _report(client, str(message.public_id), 1)
    assert response.status_code == 200  # type: ignore[attr-defined]
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at is not None


@pytest.mark.parametrize("kind", [2, 16])
def test_a_failed_report_fails_the_message_and_falls_back_to_email(client: Client, kind: int) -> None:
    message = _handed(summons(email="aigul@example.kz"))
    _report(client, str(message.public_id), kind)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert Message.objects.get(fallback_of=message).channel == Channel.EMAIL


def test_a_report_on_an_unknown_message_changes_nothing(client: Client) -> None:
    message = _handed(summons())
    for unknown in ("0b6f1c1e-8f0e-4c55-9a57-2f1f7f3a7a11", "not-a-uuid", ""):
        response = _report(client, unknown, 1)
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert response.json() == {"known": False, "status": None}  # type: ignore[attr-defined]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_report_with_a_wrong_token_is_refused(client: Client) -> None:
    message = _handed(summons())
    response = _report(client, str(message.public_id), 1, token="guess")
    assert response.status_code == 403  # type: ignore[attr-defined]
    assert response.json()["code"] == "delivery_report_token_invalid"  # type: ignore[attr-defined]
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT


def test_a_report_with_a_type_that_is_not_a_number_is_a_422_not_a_500(client: Client) -> None:
    message = _handed(summons())
    response = _report(client, str(message.public_id), "delivered")
    assert response.status_code == 422  # type: ignore[attr-defined]


@pytest.fixture
def office() -> CourtOffice:
    return court_office()


def test_staff_see_the_failed_messages_of_their_court_only(client: Client, office: CourtOffice) -> None:
    other = court_office("0216")
    failed = _handed(summons("a", court=office.court), ok=False)
    summons("b", court=office.court)
    summons("c", court=other.court)
    client.force_login(office.clerk)
    everything = client.get("/api/v1/notifications/messages").json()
    assert len(everything) == 2
    (only_failed,) = client.get("/api/v1/notifications/messages", {"status": "failed"}).json()
    assert only_failed["id"] == str(failed.public_id)
    assert only_failed["status"] == "failed"
    assert only_failed["last_error"] == "500"


def test_anonymous_is_401_and_a_citizen_is_403(client: Client, office: CourtOffice) -> None:
    assert client.get("/api/v1/notifications/messages").status_code == 401
    from torelik.identity.models import User  # noqa: PLC0415

    citizen = User.objects.create_user(username="citizen", password="a-long-passphrase-1")
    client.force_login(citizen)
    response = client.get("/api/v1/notifications/messages")
    assert response.status_code == 403
    assert response.json()["code"] == "not_staff_of_court"


def test_a_clerk_resends_a_failed_message_as_a_new_one(client: Client, office: CourtOffice) -> None:
    failed = _handed(summons("a", court=office.court), ok=False)
    client.force_login(office.clerk)
    response = client.post(f"/api/v1/notifications/messages/{failed.public_id}/resend")
    assert response.status_code == 201
    again = Message.objects.get(public_id=response.json()["id"])
    assert again.resend_of == failed
    assert again.resent_by == office.clerk
    assert again.status == MessageStatus.QUEUED
    assert again.text == failed.text


def test_staff_of_another_court_cannot_see_nor_resend(client: Client, office: CourtOffice) -> None:
    failed = _handed(summons("a", court=office.court), ok=False)
    stranger = staff_user("clerk.other", court_office("0216").court, StaffRole.CLERK)
    client.force_login(stranger)
    response = client.post(f"/api/v1/notifications/messages/{failed.public_id}/resend")
    assert response.status_code == 404
    assert not Message.objects.filter(resend_of=failed).exists()


def test_a_message_that_was_sent_cannot_be_resent(client: Client, office: CourtOffice) -> None:
    sent = _handed(summons("a", court=office.court))
    client.force_login(office.clerk)
    response = client.post(f"/api/v1/notifications/messages/{sent.public_id}/resend")
    assert response.status_code == 422
    assert response.json()["code"] == "message_not_resendable"


def test_the_resend_action_refuses_staff_of_another_court(office: CourtOffice) -> None:
    from torelik.notifications.errors import NotificationForbiddenError  # noqa: PLC0415

    failed = _handed(summons("a", court=office.court), ok=False)
    stranger = staff_user("clerk.other", court_office("0216").court, StaffRole.CLERK)
    with pytest.raises(NotificationForbiddenError):
        actions.resend(message=failed, actor=stranger)
