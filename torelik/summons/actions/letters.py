"""Subpoenas on paper: a party with no mobile phone, or whose SMS was not delivered within
TORELIK_POST_SMS_FALLBACK_MINUTES, gets the subpoena in a hybrid letter through the post context (the
letter is idempotent by the subpoena's number, so a second look never sends two)."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import translation

from torelik.core import clock
from torelik.notifications.models import Message, MessageStatus
from torelik.post import actions as post
from torelik.post.models import Letter, LetterKind, enclosure
from torelik.summons.models import Subpoena, SubpoenaStatus
from torelik.summons.subpoena_text import subpoena_text


def _address(subpoena: Subpoena) -> str:
    from torelik.cases.models import Party

    party = Party.objects.filter(case_id=subpoena.case_id, person_id=subpoena.person_id).exclude(address="").first()
    return party.address if party is not None else ""  # no address: the letter waits in the worklist


def letter_cause(subpoena: Subpoena) -> str:
    return f"subpoena:{subpoena.number}"


@transaction.atomic
def send_subpoena_letter(*, subpoena: Subpoena, kind: str = LetterKind.HYBRID) -> Letter:
    """The subpoena, its facts and the consequences of not appearing, printed in a hybrid letter to the
    address in the case (or the person's own)."""
    from torelik.cases.models import Party

    text = subpoena_text(subpoena)
    with translation.override(subpoena.language):
        lines = [text.addressee, text.summons, *(f"{label}: {value}" for label, value in text.facts)]
        lines += [text.consequences_heading, *(f"{body} ({basis})" for body, basis in text.consequences)]
    party = Party.objects.filter(case_id=subpoena.case_id, person_id=subpoena.person_id).first()
    return post.prepare_letter(
        court=subpoena.court,
        kind=kind,
        recipient_name=subpoena.person.full_name,
        address_text=_address(subpoena),
        enclosures=[enclosure("subpoena", text.title, subpoena.number, lines)],
        case=subpoena.case,
        party=party,
        language=subpoena.language,
        cause=letter_cause(subpoena),
    )


def undelivered_sms_subpoenas(now: dt.datetime) -> list[Subpoena]:
    """Issued subpoenas sent by SMS whose message was not delivered within the configured time and that
    have no letter yet."""
    since = now - dt.timedelta(minutes=settings.TORELIK_POST_SMS_FALLBACK_MINUTES)
    candidates = list(
        Subpoena.objects.filter(
            status=SubpoenaStatus.ISSUED, issued_at__lte=since, issued_at__gte=since - dt.timedelta(days=30)
        )
        .exclude(phone="")
        .exclude(message_id="")
        .filter(channel__in=("", "sms"))  # the court's choice of e-mail or paper is no SMS to follow up
        .select_related("court", "case", "person")
    )
    if not candidates:
        return []
    delivered = set(
        str(x)
        for x in Message.objects.filter(
            public_id__in=[s.message_id for s in candidates], status=MessageStatus.DELIVERED
        ).values_list("public_id", flat=True)
    )
    lettered = set(
        Letter.objects.filter(cause__in=[letter_cause(s) for s in candidates]).values_list("cause", flat=True)
    )
    return [s for s in candidates if s.message_id not in delivered and letter_cause(s) not in lettered]


def follow_undelivered_sms() -> int:
    """A letter for each subpoena whose SMS was not delivered in time; returns how many were sent."""
    due = undelivered_sms_subpoenas(clock.now())
    for subpoena in due:
        send_subpoena_letter(subpoena=subpoena)
    return len(due)
