"""The demo's messages: some retried, one failed with its e-mail fallback, most delivered; idempotent."""

from decimal import Decimal

import pytest
from django.test import override_settings

from torelik.cases.actions import PartyInput, register_case
from torelik.cases.models import PartyRole
from torelik.cases.tests.factories import CLAIMANT_IIN, DEFENDANT_IIN, claim_document, court_office
from torelik.courts.models import ProceedingType
from torelik.notifications.demo import seed_demo_messages
from torelik.notifications.models import Channel, Message, MessageStatus, Template

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases() -> None:
    office = court_office()
    for n in range(4):
        register_case(
            court=office.court,
            proceeding_type=ProceedingType.CIVIL,
            category_code=office.category.code,
            parties=[
                PartyInput(
                    role=PartyRole.CLAIMANT,
                    iin=CLAIMANT_IIN,
                    surname="Сейткалиева",
                    given_name="Айгуль",
                    phone=f"+7701123456{n}",
                ),
                PartyInput(
                    role=PartyRole.DEFENDANT,
                    iin=DEFENDANT_IIN,
                    surname="Омаров",
                    given_name="Ерлан",
                    phone=f"+7777123456{n}",
                ),
            ],
            documents=[claim_document()],
            actor=office.clerk,
            claim_amount=Decimal("1500000"),
            subject="О взыскании",
        )


@override_settings(TORELIK_SMS_LOG="")
def test_the_demo_retries_some_fails_one_with_a_fallback_and_delivers_most(cases: None) -> None:
    summary = seed_demo_messages(seed=8, cases=4)
    assert summary.queued == 8
    assert summary.retried >= 1
    assert summary.failed == 1
    failed = Message.objects.get(status=MessageStatus.FAILED, template=Template.TERM_REMINDER)
    assert failed.channel == Channel.SMS
    assert Message.objects.get(fallback_of=failed).status == MessageStatus.SENT
    delivered = Message.objects.filter(status=MessageStatus.DELIVERED, template=Template.TERM_REMINDER)
    assert delivered.count() == summary.delivered >= 1
    assert Message.objects.filter(attempts=2, status__in=[MessageStatus.SENT, MessageStatus.DELIVERED]).exists()

    again = seed_demo_messages(seed=8, cases=4)
    assert again.queued == 0
    assert Message.objects.filter(channel=Channel.SMS, template=Template.TERM_REMINDER).count() == 8
