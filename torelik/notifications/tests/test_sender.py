"""The sender: hand-over, retries with exponential backoff, never twice, failure and the e-mail fallback,
expiry, and a send interrupted between hand-over and record. Gateways that fail are httpx mock
transports in front of the real Kannel backend (the fake SMSC never fails)."""

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest
from django.core import mail
from django.test import override_settings
from django.utils import translation

from torelik.core import clock
from torelik.notifications import actions
from torelik.notifications.gateways import ConsoleSmsBackend, KannelSmsBackend
from torelik.notifications.models import Channel, Message, MessageStatus
from torelik.notifications.sender import send_due_messages
from torelik.notifications.tests.factories import PHONE, summons

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def at_start() -> Iterator[dt.datetime]:
    with clock.frozen_at(START) as moment:
        yield moment


class Gateway:
    """A Kannel look-alike: answers from a script of status codes (or "timeout"), records each request."""

    def __init__(self, *answers: int | str) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if self.answers else 202
        if answer == "timeout":
            raise httpx.ReadTimeout("gateway hung", request=request)
        if answer == "refused":
            raise httpx.ConnectError("connection refused", request=request)
        text = "0: Accepted for delivery" if answer == 202 else "Internal error"
        return httpx.Response(int(answer), text=text)

    def backend(self) -> KannelSmsBackend:
        return KannelSmsBackend(transport=httpx.MockTransport(self), url="http://kannel.test/cgi-bin/sendsms")


def test_console_backend_logs_the_sms_to_its_file(at_start: dt.datetime, tmp_path: object) -> None:
    log = tmp_path / "sms.log"  # type: ignore[operator]
    message = summons()
    report = send_due_messages(backend=ConsoleSmsBackend(str(log)))
    message.refresh_from_db()
    assert (report.handed, report.sent) == (1, 1)
    assert message.status == MessageStatus.SENT
    assert message.sent_at == at_start
    assert message.provider_id == f"console-{message.public_id}"
    assert PHONE in log.read_text(encoding="utf-8")


def test_kannel_gets_ucs2_with_a_delivery_report_address_naming_our_message(at_start: dt.datetime) -> None:
    gateway = Gateway(202)
    message = summons()
    send_due_messages(backend=gateway.backend())
    (request,) = gateway.requests
    params = request.url.params
    assert params["to"] == PHONE
    assert params["coding"] == "2"
    assert params["charset"] == "UTF-8"
    assert params["dlr-mask"] == "31"
    assert f"id={message.public_id}" in params["dlr-url"]
    assert "type=%d" in params["dlr-url"]
    assert "token=test-dlr-token" in params["dlr-url"]
    assert params["text"] == message.text


def test_a_timeout_is_retried_with_exponential_backoff_and_sent_once(at_start: dt.datetime) -> None:
    gateway = Gateway("timeout", 503, 202)
    backend = gateway.backend()
    message = summons()

    send_due_messages(backend=backend)
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 1
    assert message.next_attempt_at == at_start + dt.timedelta(seconds=30)
    assert "timed out" in message.last_error

    send_due_messages(backend=backend)  # not due yet: nothing handed over
    assert len(gateway.requests) == 1

    with clock.frozen_at(at_start + dt.timedelta(seconds=30)):
        send_due_messages(backend=backend)
    message.refresh_from_db()
    assert message.attempts == 2
    assert message.next_attempt_at == at_start + dt.timedelta(seconds=30 + 60)
    assert "503" in message.last_error

    with clock.frozen_at(at_start + dt.timedelta(seconds=90)):
        send_due_messages(backend=backend)
        send_due_messages(backend=backend)  # a second run finds nothing to send
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 3
    assert len(gateway.requests) == 3


@override_settings(TORELIK_MESSAGE_MAX_ATTEMPTS=3)
def test_after_the_last_attempt_an_sms_fails_and_falls_back_to_email(at_start: dt.datetime) -> None:
    gateway = Gateway(500, 500, 500)
    backend = gateway.backend()
    message = summons(email="aigul@example.kz")
    moment = at_start
    for _ in range(3):
        with clock.frozen_at(moment):
            send_due_messages(backend=backend)
        moment += dt.timedelta(hours=1)
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 3
    assert message.failed_at is not None
    fallback = Message.objects.get(fallback_of=message)
    assert fallback.channel == Channel.EMAIL
    assert fallback.recipient_email == "aigul@example.kz"

    with clock.frozen_at(moment):
        send_due_messages(backend=backend)
    fallback.refresh_from_db()
    assert fallback.status == MessageStatus.SENT
    (email,) = mail.outbox
    assert email.to == ["aigul@example.kz"]
    assert "482913" in email.body
    assert len(gateway.requests) == 3  # the e-mail did not go to the SMS gateway


def test_a_refusal_that_a_retry_cannot_cure_fails_at_once(at_start: dt.datetime) -> None:
    gateway = Gateway(403)
    message = summons()
    send_due_messages(backend=gateway.backend())
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert message.attempts == 1
    assert "403" in message.last_error
    assert not Message.objects.filter(fallback_of=message).exists()  # no e-mail to fall back to


def test_an_unreachable_gateway_leaves_the_message_queued_for_the_next_attempt(at_start: dt.datetime) -> None:
    gateway = Gateway("refused")
    message = summons()
    report = send_due_messages(backend=gateway.backend())
    message.refresh_from_db()
    assert (report.sent, report.retried, report.failed) == (0, 1, 0)
    assert message.status == MessageStatus.QUEUED
    assert message.attempts == 1
    assert "unreachable" in message.last_error


def test_a_message_the_gateway_acknowledged_is_not_handed_again_after_the_sender_died(at_start: dt.datetime) -> None:
    """The sender died after the hand-over, before recording it: Kannel's report (SMSC ack, type 8, with
    our id) settles it as sent, and no later pass hands it over again."""
    gateway = Gateway()
    message = summons()
    (claimed,) = actions.claim_due(limit=10)  # the sender took it, Kannel took it... and the sender died
    assert claimed.pk == message.pk
    actions.record_delivery_report(message_id=str(message.public_id), report_type=actions.DeliveryReport.SMSC_ACK)
    with clock.frozen_at(at_start + dt.timedelta(minutes=10)):  # past the lease
        send_due_messages(backend=gateway.backend())
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert message.attempts == 1
    assert gateway.requests == []


def test_a_message_the_gateway_never_reported_is_sent_again_once_the_lease_is_over(at_start: dt.datetime) -> None:
    """Claimed (SENDING committed) and then the sender died before the request left: Kannel never reports
    on it, so after the lease it goes again, once; before the lease it is left alone."""
    gateway = Gateway()
    message = summons()
    actions.claim_due(limit=10)
    send_due_messages(backend=gateway.backend())  # within the lease: still in someone's hands
    assert gateway.requests == []
    message.refresh_from_db()
    assert message.status == MessageStatus.SENDING
    with clock.frozen_at(at_start + dt.timedelta(minutes=10)):
        report = send_due_messages(backend=gateway.backend())
        send_due_messages(backend=gateway.backend())
    message.refresh_from_db()
    assert (report.interrupted, report.sent) == (1, 1)
    assert message.status == MessageStatus.SENT
    assert message.attempts == 2
    assert len(gateway.requests) == 1


@override_settings(TORELIK_DLR_TOKEN="")
def test_without_delivery_reports_a_message_in_doubt_fails_instead_of_going_twice(at_start: dt.datetime) -> None:
    gateway = Gateway()  # Kannel without the token: it cannot report, so nobody can tell
    message = summons()
    actions.claim_due(limit=10)
    with clock.frozen_at(at_start + dt.timedelta(minutes=10)), translation.override("en"):  # past the lease
        send_due_messages(backend=gateway.backend())
    message.refresh_from_db()
    assert message.status == MessageStatus.FAILED
    assert "may have been sent" in message.last_error
    assert gateway.requests == []


def test_a_queued_message_past_its_expiry_is_not_sent(at_start: dt.datetime) -> None:
    gateway = Gateway()
    message = summons()
    with clock.frozen_at(at_start + dt.timedelta(hours=73)):
        report = send_due_messages(backend=gateway.backend())
    message.refresh_from_db()
    assert message.status == MessageStatus.EXPIRED
    assert report.expired == 1
    assert gateway.requests == []


def test_concurrent_hand_over_sends_every_message_once(at_start: dt.datetime) -> None:
    gateway = Gateway()
    for n in range(30):
        summons(f"subpoena:{n}")
    report = send_due_messages(backend=gateway.backend(), concurrency=8)
    assert report.sent == 30
    assert len(gateway.requests) == 30
    assert Message.objects.filter(status=MessageStatus.SENT).count() == 30


def test_an_ambiguous_hand_over_is_not_resent_once_the_gateway_reports_it(at_start: dt.datetime) -> None:
    """A read that breaks after the request went out: Kannel may have taken the SMS. The retry waits
    for the backoff; the SMSC's acknowledgement arriving meanwhile takes the message out of the queue."""
    gateway = Gateway("timeout")
    message = summons()
    send_due_messages(backend=gateway.backend())
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED
    actions.record_delivery_report(message_id=str(message.public_id), report_type=8)
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    with clock.frozen_at(at_start + dt.timedelta(minutes=5)):
        send_due_messages(backend=gateway.backend())
    assert len(gateway.requests) == 1
    actions.record_delivery_report(message_id=str(message.public_id), report_type=1)
    message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
