"""Demo messages of the outbox (console backend): term reminders and "document received" notices to
the parties of the demo cases, sent through a console gateway that refuses some first tries (they are
retried) and one number for good (it fails and falls back to e-mail); most get a delivery report.

`seed_demo_messages(seed=…)` is what the demo command (or the summons demo) calls; running it again
adds nothing (every message has a `demo:` cause)."""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings

from torelik.cases.models import Case, Party
from torelik.core import clock
from torelik.notifications import actions
from torelik.notifications.errors import NotificationError
from torelik.notifications.gateways import ConsoleSmsBackend, GatewayError, OutgoingSms
from torelik.notifications.models import Message, MessageStatus, Template
from torelik.notifications.sender import send_due_messages

# A refused number: the demo gateway never takes it, so its SMS fails and falls back to e-mail.
UNREACHABLE = "+77770000000"


@dataclass
class FlakyConsole:
    """The console gateway refusing the first try of some messages (a busy SMSC) and every try to
    UNREACHABLE (a number the operator rejects)."""

    refuse_once: set[str]
    backend: ConsoleSmsBackend = field(default_factory=ConsoleSmsBackend)
    concurrent: bool = False
    reports_delivery: bool = False
    refused: set[str] = field(default_factory=set)

    def send(self, sms: OutgoingSms) -> str:
        if sms.to == UNREACHABLE:
            raise GatewayError("demo: the operator rejected the number (403)", retryable=False)
        if sms.message_id in self.refuse_once and sms.message_id not in self.refused:
            self.refused.add(sms.message_id)
            raise GatewayError("demo: the operator's SMSC is busy, try later (503)", retryable=True)
        return self.backend.send(sms)


@dataclass(frozen=True)
class DemoMessages:
    queued: int
    sent: int
    retried: int
    failed: int
    delivered: int


def _reminder(case: Case, party: Party, n: int, *, unreachable: bool) -> Message | None:
    phone = UNREACHABLE if unreachable else party.phone
    due = clock.today() + dt.timedelta(days=10 + n % 5)
    try:
        return actions.enqueue(
            template=Template.TERM_REMINDER,
            language=party.preferred_language,
            payload={"case_number": case.number, "term": "апелляция", "date": due.strftime("%d.%m.%Y")},
            phone=phone,
            email=party.email or ("demo.party@example.kz" if unreachable else ""),
            recipient_name=party.name,
            cause=f"demo:term:{case.public_id}:{party.public_id}",
            court=case.court,
            case=case,
        )
    except NotificationError:  # a party without a usable address: the demo skips it
        return None


def seed_demo_messages(*, seed: int = 8, cases: int = 12) -> DemoMessages:
    """Queue, send (with retries and one failure) and deliver a few dozen demo messages."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    queued: list[Message] = []
    parties = Party.objects.select_related("case__court").exclude(phone="").order_by("case__number", "id")[: cases * 2]
    for n, party in enumerate(parties):
        message = _reminder(party.case, party, n, unreachable=n == 0)
        if message is not None:
            queued.append(message)
    ids = [str(m.public_id) for m in queued if m.status == MessageStatus.QUEUED]
    gateway = FlakyConsole(
        refuse_once=set(rng.sample(ids, k=len(ids) // 4)) if ids else set(),
        backend=ConsoleSmsBackend(settings.TORELIK_SMS_LOG),
    )
    first = send_due_messages(backend=gateway)
    # The refused ones are due again after the backoff: replay that moment instead of waiting.
    later = clock.now() + dt.timedelta(seconds=settings.TORELIK_MESSAGE_RETRY_SECONDS + 1)
    with clock.frozen_at(later):
        second = send_due_messages(backend=gateway)
        delivered = 0
        for message in Message.objects.filter(status=MessageStatus.SENT, cause__startswith="demo:term:"):
            if rng.random() < 0.85:
                actions.record_delivery_report(message_id=str(message.public_id), report_type=1)
                delivered += 1
    return DemoMessages(
        queued=len(ids),
        sent=first.sent + second.sent,
        retried=first.retried + second.retried,
        failed=first.failed + second.failed,
        delivered=delivered,
    )
