"""The outbox: rows only when the cause commits, idempotent by cause, texts in the recipient's language."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import transaction
from django.utils import translation
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from torelik.identity.models import User
from torelik.notifications import actions
from torelik.notifications.errors import InvalidPhoneError, NotificationError, NotificationErrorCode
from torelik.notifications.models import Channel, Message, MessageStatus, Template
from torelik.notifications.tests.factories import KAZAKH_COURT, PHONE, SUMMONS_PAYLOAD, court_office, summons

pytestmark = pytest.mark.django_db


class Boom(Exception):
    pass


SENDER = "torelik.notifications.tasks.send_messages"


def test_a_message_is_queued_with_its_sender_task_in_the_callers_transaction_and_sent_after_commit(
    django_capture_on_commit_callbacks: Callable[..., object], settings: Any
) -> None:
    settings.TORELIK_SEND_MESSAGES = "task"
    with django_capture_on_commit_callbacks() as callbacks:  # type: ignore[attr-defined]
        message = summons(phone="8 701 123 45 67")
        assert Message.objects.filter(pk=message.pk).exists()
        assert DBTaskResult.objects.filter(task_path=SENDER, status=TaskResultStatus.READY).count() == 1
    message.refresh_from_db()
    assert message.status == MessageStatus.QUEUED  # nothing is sent before the commit
    assert message.recipient_phone == PHONE
    assert message.channel == Channel.SMS
    assert message.attempts == 0
    assert KAZAKH_COURT in message.text
    assert "482913" in message.text
    for callback in callbacks:  # the commit: a worker (here, the test's process) runs the sender task
        callback()
    message.refresh_from_db()
    assert message.status == MessageStatus.SENT
    assert DBTaskResult.objects.get(task_path=SENDER).status == TaskResultStatus.SUCCESSFUL


def test_nothing_is_written_nor_sent_when_the_cause_rolls_back(
    django_capture_on_commit_callbacks: Callable[..., object], settings: Any
) -> None:
    settings.TORELIK_SEND_MESSAGES = "task"

    def cause_that_fails() -> None:
        with transaction.atomic():
            summons("subpoena:rolled-back")
            raise Boom

    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Boom):  # type: ignore[attr-defined]
        cause_that_fails()
    assert not Message.objects.filter(cause="subpoena:rolled-back").exists()
    assert not DBTaskResult.objects.exists()
    assert callbacks == []


def test_the_same_cause_twice_is_the_same_message() -> None:
    first = summons("subpoena:42")
    second = summons("subpoena:42")
    assert first.pk == second.pk
    assert Message.objects.filter(cause="subpoena:42").count() == 1


def test_an_invalid_phone_is_refused_and_nothing_is_queued() -> None:
    with pytest.raises(InvalidPhoneError):
        summons("subpoena:bad", phone="8 727 250 12 34")
    assert not Message.objects.exists()


def test_a_missing_payload_key_is_refused_naming_it() -> None:
    payload = {k: v for k, v in SUMMONS_PAYLOAD.items() if k != "code"}
    with translation.override("en"), pytest.raises(NotificationError) as refused:
        actions.enqueue(template=Template.HEARING_SUMMONS, language="ru", payload=payload, phone=PHONE, cause="x")
    assert refused.value.code == NotificationErrorCode.MISSING_PAYLOAD
    assert "code" in refused.value.message


def test_without_a_phone_the_message_goes_by_email() -> None:
    message = summons("subpoena:mail", phone="", email="aigul@example.kz")
    assert message.channel == Channel.EMAIL
    assert message.subject
    assert "Сейткалиева Айгуль" in message.text
    assert message.segments == 0
    assert message.cost == 0


def test_no_address_at_all_is_refused() -> None:
    with pytest.raises(NotificationError) as refused:
        summons("subpoena:nobody", phone="")
    assert refused.value.code == NotificationErrorCode.NO_RECIPIENT


def test_an_invalid_email_is_refused() -> None:
    with pytest.raises(NotificationError) as refused:
        summons("subpoena:mail", phone="", email="not-an-address")
    assert refused.value.code == NotificationErrorCode.INVALID_EMAIL


def test_segments_and_cost_are_counted_when_queued() -> None:
    message = summons()
    # The Kazakh text is UCS-2: 67 characters per part.
    assert message.segments == -(-len(message.text) // 67)
    assert message.cost == Decimal(4 * message.segments)


def test_the_language_is_the_recipients_and_an_unknown_one_falls_back_to_kazakh() -> None:
    assert summons("a", language="ru").language == "ru"
    assert summons("b", language="en-GB").language == "en"
    assert summons("c", language="de").language == "kk"


def test_court_and_case_are_kept_for_the_statistics() -> None:
    office = court_office()
    message = summons(court=office.court)
    assert message.court_id == office.court.pk


@pytest.mark.parametrize(
    ("template", "payload"),
    [
        (Template.DOCUMENT_RECEIVED, {"case_number": "2-1/27", "document": "Решение", "url": "http://x/d"}),
        (
            Template.CLAIM_FILED_AGAINST_YOU,
            {
                "court": "Суд",
                "case_number": "2-1/27",
                "login": "K7Q2",
                "password": "93812",
                "url": "http://x/s",
                "until": "01.04.2027",
            },
        ),
        (Template.TERM_REMINDER, {"case_number": "2-1/27", "term": "апелляция", "date": "01.04.2027"}),
        (Template.CONFIRMATION_CODE, {"code": "123456", "purpose": "подача в ЦОН"}),
    ],
)
def test_every_template_renders_every_payload_value(template: str, payload: dict[str, str]) -> None:
    message = actions.enqueue(template=template, language="ru", payload=payload, phone=PHONE, cause=f"t:{template}")
    for value in payload.values():
        assert value in message.text


def test_a_failed_message_is_resent_once_however_often_resend_is_pressed() -> None:
    message = summons("subpoena:resend-twice")
    Message.objects.filter(pk=message.pk).update(status=MessageStatus.FAILED)
    admin = User.objects.create_superuser(username="admin.resend", password="pw-resend-1")  # noqa: S106
    again = actions.resend(message=message, actor=admin)
    assert again.status == MessageStatus.QUEUED
    with pytest.raises(NotificationError):
        actions.resend(message=message, actor=admin)
    assert Message.objects.filter(resend_of=message).count() == 1
