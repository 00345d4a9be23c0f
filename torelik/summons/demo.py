"""Demo subpoenas and messages: every demo hearing gets its subpoenas (the scheduling handler has
issued most of them already), their SMS go out through a console gateway that refuses some on the
first try (retried later), most are reported delivered, a few fail; a share of the subpoenas are
opened (familiarisation) and some SMS logins are used to study the documents. Deterministic by seed."""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from torelik.core import clock
from torelik.hearings.actions import postpone_hearing
from torelik.hearings.errors import HearingConflictError, HearingError
from torelik.hearings.models import Hearing, HearingStatus
from torelik.notifications.actions import DeliveryReport, record_delivery_report
from torelik.notifications.gateways import ConsoleSmsBackend, GatewayError, OutgoingSms
from torelik.notifications.models import Message, MessageStatus
from torelik.notifications.sender import send_due_messages
from torelik.summons import actions, queries
from torelik.summons.models import DocumentAccess, DocumentOpening, Subpoena

# Shares of the demo (of the subpoenas, of the SMS, of the SMS logins).
VIEWED = 0.4
FLAKY = 0.25  # refused by the gateway on the first try, sent on the retry
POSTPONED = 0.1  # of the coming hearings, postponed by a week
POSTPONEMENT_REASON = "Ходатайство стороны об отложении (демо)"
UNDELIVERED = 0.04  # the network reports them not delivered
STUDIED = 0.3
DEMO_IP = "192.0.2.10"  # TEST-NET-1: no real address


@dataclass
class SummonsSeedSummary:
    subpoenas: int = 0
    issued_now: int = 0
    postponed: int = 0
    viewed: int = 0
    sent: int = 0
    retried: int = 0
    delivered: int = 0
    undelivered: int = 0
    studied: int = 0

    def lines(self) -> list[str]:
        return [
            f"{self.subpoenas} subpoenas ({self.issued_now} issued now), {self.viewed} opened by the addressee, "
            f"{self.postponed} hearings postponed (subpoenas revoked and issued anew)",
            f"{self.sent} SMS handed to the console gateway, {self.retried} after a refused first try, "
            f"{self.delivered} delivered, {self.undelivered} not delivered",
            f"{self.studied} SMS logins used to study the case documents",
        ]


@dataclass
class _FlakyConsole:
    """The console gateway, refusing the first try of the chosen messages (a temporary error)."""

    refuse: set[str]
    backend: ConsoleSmsBackend = field(default_factory=ConsoleSmsBackend)
    concurrent: bool = False
    reports_delivery: bool = False
    refused: set[str] = field(default_factory=set)

    def send(self, sms: OutgoingSms) -> str:
        if sms.message_id in self.refuse and sms.message_id not in self.refused:
            self.refused.add(sms.message_id)
            raise GatewayError("demo: the operator's SMSC is busy, try later", retryable=True)
        return self.backend.send(sms)


def demo_summons_exist() -> bool:
    return Subpoena.objects.filter(first_viewed_at__isnull=False).exists()


def _postpone_some(rng: random.Random, share: float) -> int:
    """Postpone a share of the coming demo hearings by a week (same courtroom and hour) through the
    real action: their subpoenas are revoked, the addressees told, new subpoenas issued."""
    coming = list(
        Hearing.objects.filter(status=HearingStatus.SCHEDULED, starts_at__gt=clock.now() + dt.timedelta(days=1))
        .select_related("case__court__region", "courtroom__court")
        .order_by("id")
    )
    postponed = 0
    for hearing in rng.sample(coming, k=int(len(coming) * share)):
        week = dt.timedelta(days=7)
        try:
            postpone_hearing(
                hearing=hearing,
                reason=POSTPONEMENT_REASON,
                actor=None,
                starts_at=hearing.starts_at + week,
                ends_at=hearing.ends_at + week,
            )
        except (HearingConflictError, HearingError):
            continue  # the slot a week on is taken or a holiday: leave this one as it is
        postponed += 1
    return postponed


def seed_demo_summons(*, seed: int) -> SummonsSeedSummary:
    """Subpoenas, messages, views and document studies for the demo hearings; a no-op the second time."""
    summary = SummonsSeedSummary()
    if demo_summons_exist():
        summary.subpoenas = Subpoena.objects.count()
        return summary
    rng = random.Random(seed)  # noqa: S311 - demo data, not a secret
    # What the demo writes is dated an hour ahead, under a frozen clock: the web process's background
    # sender (which sends what is due on the real clock) leaves it to the demo's own gateway below.
    later = clock.now() + dt.timedelta(hours=1)
    with clock.frozen_at(later):
        for hearing in Hearing.objects.filter(status=HearingStatus.SCHEDULED, subpoenas__isnull=True).order_by("id"):
            summary.issued_now += len(actions.issue_subpoenas(hearing=hearing, actor=None))
        summary.postponed = _postpone_some(rng, POSTPONED)
    summary.subpoenas = Subpoena.objects.count()

    queued = Message.objects.filter(status=MessageStatus.QUEUED, cause__startswith="subpoena")
    latest = queued.aggregate(at=Max("next_attempt_at"))["at"]
    send_at = max(later, latest) if latest is not None else later
    ids = [str(i) for i in queued.order_by("id").values_list("public_id", flat=True)]
    gateway = _FlakyConsole(
        refuse=set(rng.sample(ids, k=round(len(ids) * FLAKY))), backend=ConsoleSmsBackend(settings.TORELIK_SMS_LOG)
    )
    with clock.frozen_at(send_at):
        first = send_due_messages(backend=gateway)
    with clock.frozen_at(send_at + dt.timedelta(hours=1)):
        second = send_due_messages(backend=gateway)
    summary.sent = first.sent + second.sent
    summary.retried = second.sent
    sent = list(
        Message.objects.filter(status=MessageStatus.SENT, cause__startswith="subpoena")
        .order_by("id")
        .values_list("public_id", flat=True)
    )
    with clock.frozen_at(send_at + dt.timedelta(hours=1, minutes=5)):
        for public_id in sent:
            failed = rng.random() < UNDELIVERED
            record_delivery_report(
                message_id=str(public_id),
                report_type=DeliveryReport.FAILED if failed else DeliveryReport.DELIVERED,
                detail="demo: absent subscriber" if failed else "",
            )
            summary.undelivered += failed
            summary.delivered += not failed
    now = send_at

    # Some addressees open their subpoena, some defendants study their documents.
    with transaction.atomic():
        subpoenas = list(Subpoena.objects.select_related("case", "person", "court").order_by("id"))
        for index, subpoena in enumerate(rng.sample(subpoenas, k=int(len(subpoenas) * VIEWED))):
            with clock.frozen_at(now + dt.timedelta(hours=2, minutes=index % 600)):
                actions.record_familiarisation(subpoena, DEMO_IP)
            summary.viewed += 1
        accesses = list(DocumentAccess.objects.select_related("case", "party").order_by("id"))
        for index, access in enumerate(rng.sample(accesses, k=int(len(accesses) * STUDIED))):
            with clock.frozen_at(now + dt.timedelta(hours=3, minutes=index % 600)):
                actions.record_document_opening(access=access, document=None, ip_address=DEMO_IP)
                for document in queries.documents_for(access)[:2]:
                    actions.record_document_opening(access=access, document=document, ip_address=DEMO_IP)
            summary.studied += 1
    assert DocumentOpening.objects.exists() or not accesses  # noqa: S101 - the demo's own consistency
    return summary
