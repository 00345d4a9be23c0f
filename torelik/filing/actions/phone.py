"""A person's own mobile number on their record, given in the Judicial Office and confirmed with a code
sent to it by SMS. Codes for the person's consent (a PSC filing) go only to this number, so nobody but the
person puts it there: a phone typed in a filing stays on that case's party row."""

import datetime as dt
import secrets

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.core.tokens import keyed_digest, keyed_digest_matches
from torelik.filing.errors import FilingErrorCode, TooManyCodesError, refusal
from torelik.filing.models import PhoneConfirmation
from torelik.filing.queries import PHONE_CODE_ATTEMPTS
from torelik.identity.models import Person, User
from torelik.notifications.actions import enqueue
from torelik.notifications.errors import InvalidPhoneError
from torelik.notifications.models import Template
from torelik.notifications.phones import normalise_phone

CODE_TTL = dt.timedelta(minutes=10)
MAX_ATTEMPTS = PHONE_CODE_ATTEMPTS
CODES_PER_HOUR = 3


def _person(user: User | None) -> Person:
    person = user.person if user is not None and user.is_authenticated and user.person_id else None
    if person is None:
        raise refusal(FilingErrorCode.NO_PERSON, _("Only a person logged in with their IIN keeps a phone on record."))
    return person


def _code_hash(confirmation_phone: str, person: Person, code: str) -> str:
    """Kept in `code_sha256`: a keyed hash, as six digits are found from a plain one by trying them all."""
    return keyed_digest("torelik.filing", "phone", str(person.pk), confirmation_phone, code)


def send_phone_code(*, user: User | None, phone: str) -> PhoneConfirmation:
    """Send a code by SMS to `phone`, which the logged-in person gives as their own; at most
    CODES_PER_HOUR codes an hour, each valid CODE_TTL."""
    person = _person(user)
    try:
        number = normalise_phone(phone)
    except InvalidPhoneError as error:
        raise refusal(FilingErrorCode.INVALID, error.message, "phone") from error
    now = clock.now()
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)  # one sender at a time per person
        if PhoneConfirmation.objects.filter(person=person, sent_at__gt=now - dt.timedelta(hours=1)).count() >= (
            CODES_PER_HOUR
        ):
            raise TooManyCodesError(
                FilingErrorCode.PHONE_CODES_LIMIT,
                _("Too many codes were sent in the last hour: try again later."),
            )
        code = f"{secrets.randbelow(10**6):06d}"
        confirmation = PhoneConfirmation.objects.create(
            person=person,
            phone=number,
            code_sha256=_code_hash(number, person, code),
            sent_at=now,
            expires_at=now + CODE_TTL,
        )
        enqueue(
            template=Template.CONFIRMATION_CODE,
            language=person.preferred_language,
            payload={"code": code, "purpose": gettext("your phone number in the Judicial Office")},
            phone=number,
            cause=f"phone-confirmation:{confirmation.pk}",
            channel="sms",
        )
    return confirmation


def confirm_phone(*, user: User | None, code: str) -> Person:
    """The code read back: the number it was sent to becomes the person's phone on record."""
    person = _person(user)
    with transaction.atomic():
        confirmation = (
            PhoneConfirmation.objects.select_for_update()
            .filter(person=person, confirmed_at__isnull=True)
            .order_by("-sent_at")
            .first()
        )
        if confirmation is None or confirmation.expires_at < clock.now() or confirmation.attempts >= MAX_ATTEMPTS:
            raise refusal(FilingErrorCode.PHONE_CODE_EXPIRED, _("The code has expired: send a new one."), "code")
        if not keyed_digest_matches(
            confirmation.code_sha256, "torelik.filing", "phone", str(person.pk), confirmation.phone, code.strip()
        ):
            confirmation.attempts += 1
            confirmation.save(update_fields=["attempts"])
            wrong = True
        else:
            wrong = False
            confirmation.confirmed_at = clock.now()
            confirmation.save(update_fields=["confirmed_at"])
            Person.objects.filter(pk=person.pk).update(phone=confirmation.phone)
    if wrong:
        raise refusal(FilingErrorCode.PHONE_CODE_WRONG, _("The code is not right."), "code")
    person.refresh_from_db()
    return person
