"""The staff's outbox page in kk, ru and en: failed and recent messages of their court, resend."""

import pytest
from django.test import Client

from torelik.cases.tests.factories import CourtOffice
from torelik.courts.models import StaffRole
from torelik.identity.models import User
from torelik.notifications import actions
from torelik.notifications.actions import Outcome
from torelik.notifications.models import Message, MessageStatus
from torelik.notifications.tests.factories import court_office, staff_user, summons

pytestmark = pytest.mark.django_db


def _fail(message: Message) -> Message:
    actions.claim_due(limit=100)
    actions.record_outcomes([Outcome(message_id=message.pk, ok=False, error="Kannel answered 403", retryable=False)])
    message.refresh_from_db()
    return message


@pytest.fixture
def office() -> CourtOffice:
    return court_office()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_page_lists_the_failed_messages_of_the_court(client: Client, office: CourtOffice, language: str) -> None:
    failed = _fail(summons("a", court=office.court))
    other = summons("b", phone="+77779990011", court=court_office("0216").court)
    client.force_login(office.clerk)
    response = client.get(f"/{language}/notifications/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="message-{failed.public_id}"' in html
    assert "Kannel answered 403" in html
    assert other.recipient_phone not in html


def test_a_citizen_is_refused(client: Client, office: CourtOffice) -> None:
    client.force_login(User.objects.create_user(username="citizen", password="a-long-passphrase-1"))
    assert client.get("/en/notifications/").status_code == 403


def test_anonymous_is_sent_to_log_in(client: Client) -> None:
    response = client.get("/en/notifications/")
    assert response.status_code == 302


def test_the_resend_button_queues_the_message_again(client: Client, office: CourtOffice) -> None:
    failed = _fail(summons("a", court=office.court))
    client.force_login(office.clerk)
    response = client.post(f"/en/notifications/{failed.public_id}/resend/", follow=True)
    assert response.status_code == 200
    assert "queued to be sent again" in response.content.decode()
    assert Message.objects.get(resend_of=failed).status == MessageStatus.QUEUED


def test_staff_of_another_court_cannot_resend(client: Client, office: CourtOffice) -> None:
    failed = _fail(summons("a", court=office.court))
    client.force_login(staff_user("clerk.other", court_office("0216").court, StaffRole.CLERK))
    response = client.post(f"/en/notifications/{failed.public_id}/resend/", follow=True)
    assert "There is no message" in response.content.decode()
    assert not Message.objects.filter(resend_of=failed).exists()
