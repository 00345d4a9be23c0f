"""Round trip through a real Kannel (bearerbox + smsbox + fakesmsc): a Kazakh text arrives intact at
the SMSC, and Kannel's delivery reports come back to our endpoint and mark the message DELIVERED."""

import pytest

from torelik.notifications import kannel_harness
from torelik.notifications.gateways import KannelSmsBackend
from torelik.notifications.models import Message, MessageStatus
from torelik.notifications.sender import send_due_messages
from torelik.notifications.tests.conftest import DeliveryReports, wait_for
from torelik.notifications.tests.factories import KAZAKH_LETTERS, PHONE, summons

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # Django closes the live server's shared in-memory SQLite connection from each request thread and warns.
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]


def test_kazakh_text_arrives_intact_and_the_delivery_report_marks_it_delivered(
    kannel_gateway: kannel_harness.Kannel, kannel_settings: KannelSmsBackend, reports: DeliveryReports
) -> None:
    message = summons("subpoena:kannel", language="kk")
    text = f"{message.text} {KAZAKH_LETTERS}"
    Message.objects.filter(pk=message.pk).update(text=text)

    with reports.database:
        report = send_due_messages(backend=kannel_settings)
    assert report.sent == 1

    assert wait_for(lambda: any(to == PHONE for _f, to, _t in kannel_gateway.received()))
    (received,) = [t for _f, to, t in kannel_gateway.received() if to == PHONE and "482913" in t]
    assert received == text  # every Kazakh letter intact (UCS-2 through coding=2&charset=UTF-8)

    # fakesmsc acknowledges (8) then delivers (1); Kannel reports a concatenated SMS once, not per part.
    assert wait_for(lambda: reports.count >= 2), reports.count
    with reports.database:
        message.refresh_from_db()
    assert message.status == MessageStatus.DELIVERED
    assert message.delivered_at is not None
    assert message.sent_at is not None


def test_many_messages_go_through_kannel_in_parallel_each_once(
    kannel_gateway: kannel_harness.Kannel, kannel_settings: KannelSmsBackend, reports: DeliveryReports
) -> None:
    phones = [f"+7701{n:07d}" for n in range(1, 41)]
    for n, phone in enumerate(phones):
        summons(f"subpoena:bulk:{n}", phone=phone)
    with reports.database:
        report = send_due_messages(backend=kannel_settings, concurrency=16)
    assert report.sent == 40
    assert wait_for(lambda: {to for _f, to, _t in kannel_gateway.received()} >= set(phones))
    arrived = [to for _f, to, _t in kannel_gateway.received() if to in set(phones)]
    assert sorted(arrived) == sorted(phones)  # each exactly once
    assert wait_for(lambda: reports.count >= 2 * len(phones), timeout=20), reports.count
    with reports.database:
        statuses = list(Message.objects.filter(recipient_phone__in=phones).values_list("status", flat=True))
    assert statuses == [MessageStatus.DELIVERED] * 40


def test_the_network_cuts_the_sms_into_as_many_parts_as_we_count_and_bill(
    kannel_gateway: kannel_harness.Kannel, kannel_settings: KannelSmsBackend, reports: DeliveryReports
) -> None:
    message = summons("subpoena:parts", phone="+77019998877", language="ru")
    with reports.database:
        send_due_messages(backend=kannel_settings)

    def arrived() -> list[kannel_harness.ReceivedSms]:
        return [sms for sms in kannel_gateway.received_sms() if sms.to == "+77019998877"]

    assert wait_for(arrived)
    (sms,) = arrived()
    assert sms.text == message.text
    assert sms.parts == message.segments > 1
    assert wait_for(lambda: reports.count >= 2), reports.count
