"""Sending a PSC confirmation code by SMS through the notifications outbox (template
`confirmation_code`), to the phone on the citizen's record."""

from django.utils.translation import gettext

from torelik.filing.models import Filing
from torelik.notifications.actions import enqueue
from torelik.notifications.models import Template


def send_code(*, phone: str, code: str, filing: Filing, attempt: int, language: str = "kk") -> None:
    """Queue the SMS in the caller's transaction (sent once it commits); InvalidPhone-like
    DomainErrors of notifications propagate to the caller."""
    enqueue(
        template=Template.CONFIRMATION_CODE,
        language=language,
        payload={"code": code, "purpose": gettext("your filing at the Public Service Centre")},
        phone=phone,
        cause=f"psc-filing:{filing.public_id}:{attempt}",
        channel="sms",
    )
