"""The document exchange with state bodies in the manner of ESEDO (ADR 0097): the court office writes an
outgoing letter (a request for a case file, an answer, a letter), which is registered in the court's
journal of correspondence with its number and date, signed with the court's key (a detached CMS over
the letter's canonical JSON, RFC 8785) and handed to the state body by the workers, whose answer is the
acknowledgement with its own registration number and date; an incoming letter arrives signed by the
body's key (verified by `identity.eds`, its BIN the body's) or is registered by the office from paper,
and is acknowledged with the court's number. A letter that concerns a case is written in its journal."""

import base64
import datetime as dt
import json
import uuid
from typing import Any

import httpx
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from torelik.cases.actions import record_case_event
from torelik.cases.models import Case, CaseEventKind
from torelik.core import clock
from torelik.core.canonical import canonical
from torelik.core.errors import DomainError
from torelik.core.rows import counted
from torelik.courts.models import Court, StaffRole
from torelik.courts.queries import holds_role_in
from torelik.exchange.errors import (
    ExchangeErrorCode,
    ExchangeForbiddenError,
    invalid_field,
)
from torelik.exchange.models import (
    Letter,
    LetterCounter,
    LetterDirection,
    LetterKind,
    LetterStatus,
    PartnerClient,
    PartnerKind,
)
from torelik.identity import eds
from torelik.identity.models import User
from torelik.identity.pades import court_seal, seal_common_name
from torelik.identity.pki import KeyPurpose, sign_detached

OFFICE_ROLES = frozenset({StaffRole.CLERK, StaffRole.CHAIRMAN, StaffRole.ADMINISTRATOR})
SCHEMA_VERSION = "1"


class DeliveryError(Exception):
    """The state body did not take the letter (down, late, or an answer that is no acknowledgement)."""


class LetterContentV1(BaseModel):
    """An incoming letter as the state body signed it (schema version 1)."""

    model_config = ConfigDict(extra="ignore")

    court: str = Field(..., min_length=4, max_length=4)
    number: str = Field(..., min_length=1, max_length=60)
    date: dt.date
    kind: LetterKind
    subject: str = Field(..., min_length=1, max_length=300)
    text: str = Field(..., min_length=1, max_length=20000)
    case_number: str = Field("", max_length=40)
    in_reply_to: str = Field("", max_length=40)


class IncomingLetterV1(BaseModel):
    model_config = ConfigDict(extra="forbid")

    letter: LetterContentV1
    signature_base64: str = Field(..., min_length=1, max_length=200_000)


def _number(court: Court, on: dt.date) -> str:
    sequence = counted(LetterCounter, "last", court=court.pk, year=on.year)
    return f"{court.code}-{on:%y}/{sequence}"


def may_keep_letters(user: User | None, court: Court) -> bool:
    return holds_role_in(user, court, OFFICE_ROLES)


def _case_of(court: Court, number: str, field: str) -> Case | None:
    if not number:
        return None
    case = Case.objects.filter(court=court, number=number.strip()).first()
    if case is None:
        raise invalid_field(
            ExchangeErrorCode.CASE_NOT_FOUND, _("There is no case %(number)s at this court."), field, number=number
        )
    return case


def _journal(letter: Letter) -> None:
    if letter.case_id is None:
        return
    kind = (
        CaseEventKind.CORRESPONDENCE_SENT
        if letter.direction == LetterDirection.OUTGOING
        else CaseEventKind.CORRESPONDENCE_RECEIVED
    )
    record_case_event(
        case=Case(pk=letter.case_id),
        kind=kind,
        actor=letter.created_by,
        data={
            "letter": str(letter.public_id),
            "number": letter.number,
            "counterpart": letter.counterpart.name,
            "counterpart_number": letter.counterpart_number,
        },
    )


@transaction.atomic
def write_letter(
    *,
    court: Court,
    counterpart: PartnerClient,
    kind: str,
    subject: str,
    text: str,
    actor: User | None,
    case_number: str = "",
    in_reply_to: Letter | None = None,
) -> Letter:
    """An outgoing letter: registered under the court's next number, signed with the court's key, and
    queued for delivery to the state body (the workers retry until it acknowledges or fails for good)."""
    if not may_keep_letters(actor, court):
        raise ExchangeForbiddenError(
            ExchangeErrorCode.NOT_OFFICE, _("Only the office of %(court)s writes its letters."), params={"court": court}
        )
    if counterpart.kind != PartnerKind.STATE_BODY or not counterpart.is_active or not counterpart.endpoint_url:
        raise invalid_field(
            ExchangeErrorCode.INVALID, _("Letters go only to a state body of the document exchange."), "counterpart"
        )
    case = _case_of(court, case_number, "case_number")
    now = clock.now()
    today = timezone.localtime(now).date()
    number = _number(court, today)
    content: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "court": court.code,
        "court_name": court.name_ru or court.name,
        "number": number,
        "date": today.isoformat(),
        "kind": str(kind),
        "subject": subject,
        "text": text,
        "case_number": case.number if case else "",
        "in_reply_to": in_reply_to.counterpart_number if in_reply_to else "",
        "to": {"name": counterpart.name, "bin": counterpart.bin},
    }
    body = canonical(content)
    seal = court_seal(court.code, court.name_ru or court.name)
    letter = Letter.objects.create(
        court=court,
        direction=LetterDirection.OUTGOING,
        kind=kind,
        number=number,
        registered_on=today,
        registered_at=now,
        counterpart=counterpart,
        subject=subject,
        text=text,
        case=case,
        in_reply_to=in_reply_to,
        content=body,
        signature=sign_detached(body, seal),
        signer=seal_common_name(seal),
        status=LetterStatus.SENDING,
        message_id=str(uuid.uuid4()),
        created_by=actor,
    )
    _journal(letter)
    from torelik.exchange.tasks import send_letter  # noqa: PLC0415 - tasks import this module

    send_letter.enqueue(letter_id=letter.pk)
    return letter


def delivery_body(letter: Letter) -> bytes:
    """What is posted to the state body: the envelope of the inbound API, the letter and its CMS."""
    envelope: dict[str, Any] = {
        "message_id": letter.message_id,
        "schema_version": SCHEMA_VERSION,
        "data": {
            "letter": json.loads(bytes(letter.content)),
            "signature_base64": base64.b64encode(bytes(letter.signature)).decode(),
        },
    }
    return canonical(envelope)


class Acknowledgement(BaseModel):
    registration_number: str = Field(..., min_length=1, max_length=60)
    registered_on: dt.date


def deliver_letter(*, letter: Letter) -> Letter:
    """Hand the letter to its state body over HTTP (timeout from the settings); its answer is the
    acknowledgement with the body's registration number and date. Raises `DeliveryError` otherwise
    (after writing the attempt and its error on the letter)."""
    if letter.status != LetterStatus.SENDING:
        return letter
    try:
        response = httpx.post(
            letter.counterpart.endpoint_url,
            content=delivery_body(letter),
            headers={"Content-Type": "application/json", "X-Message-Id": letter.message_id},
            timeout=float(settings.TORELIK_EXCHANGE_TIMEOUT),
        )
        if response.status_code != httpx.codes.OK:
            raise DeliveryError(f"HTTP {response.status_code}")
        ack = Acknowledgement.model_validate_json(response.content)
    except (httpx.HTTPError, ValueError, DeliveryError) as error:
        Letter.objects.filter(pk=letter.pk).update(
            attempts=letter.attempts + 1, last_error=str(error)[:300] or type(error).__name__
        )
        raise DeliveryError(str(error) or type(error).__name__) from error
    with transaction.atomic():
        letter.counterpart_number = ack.registration_number
        letter.counterpart_date = ack.registered_on
        letter.acknowledged_at = clock.now()
        letter.status = LetterStatus.ACKNOWLEDGED
        letter.attempts += 1
        letter.last_error = ""
        letter.save(
            update_fields=[
                "counterpart_number",
                "counterpart_date",
                "acknowledged_at",
                "status",
                "attempts",
                "last_error",
                "updated_at",
            ]
        )
    return letter


def give_up(*, letter_id: int) -> None:
    """The last attempt failed: the letter is shown as not delivered, for the office to send again."""
    Letter.objects.filter(pk=letter_id, status=LetterStatus.SENDING).update(status=LetterStatus.FAILED)


@transaction.atomic
def send_again(*, letter: Letter, actor: User | None) -> Letter:
    if not may_keep_letters(actor, letter.court):
        raise ExchangeForbiddenError(
            ExchangeErrorCode.NOT_OFFICE,
            _("Only the office of %(court)s writes its letters."),
            params={"court": letter.court},
        )
    if letter.status == LetterStatus.FAILED:
        letter.status = LetterStatus.SENDING
        letter.save(update_fields=["status", "updated_at"])
        from torelik.exchange.tasks import send_letter  # noqa: PLC0415

        send_letter.enqueue(letter_id=letter.pk)
    return letter


def _register_incoming(
    *,
    court: Court,
    counterpart: PartnerClient,
    kind: str,
    number: str,
    on: dt.date,
    subject: str,
    text: str,
    case: Case | None,
    in_reply_to: Letter | None,
    content: bytes,
    signature: bytes,
    signer: str,
    message_id: str,
    actor: User | None,
) -> Letter:
    now = clock.now()
    today = timezone.localtime(now).date()
    letter = Letter.objects.create(
        court=court,
        direction=LetterDirection.INCOMING,
        kind=kind,
        number=_number(court, today),
        registered_on=today,
        registered_at=now,
        counterpart=counterpart,
        counterpart_number=number,
        counterpart_date=on,
        subject=subject,
        text=text,
        case=case,
        in_reply_to=in_reply_to,
        content=content,
        signature=signature,
        signer=signer,
        status=LetterStatus.REGISTERED,
        acknowledged_at=now,
        message_id=message_id,
        created_by=actor,
    )
    _journal(letter)
    return letter


@transaction.atomic
def register_paper_letter(
    *,
    court: Court,
    counterpart: PartnerClient,
    kind: str,
    number: str,
    on: dt.date,
    subject: str,
    text: str,
    actor: User | None,
    case_number: str = "",
) -> Letter:
    """An incoming letter that came on paper (or otherwise outside the exchange), registered by the office."""
    if not may_keep_letters(actor, court):
        raise ExchangeForbiddenError(
            ExchangeErrorCode.NOT_OFFICE, _("Only the office of %(court)s writes its letters."), params={"court": court}
        )
    case = _case_of(court, case_number, "case_number")
    content = canonical(
        {
            "court": court.code,
            "number": number,
            "date": on.isoformat(),
            "kind": str(kind),
            "subject": subject,
            "text": text,
            "case_number": case.number if case else "",
        }  # fmt: skip
    )
    return _register_incoming(
        court=court, counterpart=counterpart, kind=kind, number=number, on=on, subject=subject, text=text,
        case=case, in_reply_to=None, content=content, signature=b"", signer="", message_id="", actor=actor,
    )  # fmt: skip


def receive_letter(
    client: PartnerClient, message_id: str, data: IncomingLetterV1, raw: dict[str, Any]
) -> dict[str, Any]:
    """A letter sent by a state body through the exchange: its CMS signature verified (a signing key of the
    body's BIN), registered under the court's number and acknowledged with it (the API's answer)."""
    content = canonical(raw["letter"])
    try:
        signature = base64.b64decode(data.signature_base64, validate=True)
    except ValueError as error:
        raise invalid_field(
            ExchangeErrorCode.LETTER_SIGNATURE_REFUSED, _("The letter's signature is not base64."), "signature_base64"
        ) from error
    try:
        signer = eds.verify_detached(content, signature, purpose=KeyPurpose.SIGNING)
    except DomainError as error:
        raise invalid_field(
            ExchangeErrorCode.LETTER_SIGNATURE_REFUSED,
            _("The letter's signature was refused: %(reason)s"),
            "signature_base64",
            reason=error.message,
        ) from error
    if client.bin and signer.bin != client.bin:
        raise invalid_field(
            ExchangeErrorCode.LETTER_SIGNATURE_REFUSED,
            _("The letter is signed by another organisation (BIN %(bin)s)."),
            "signature_base64",
            bin=signer.bin or "—",
        )
    letter_in = data.letter
    court = Court.objects.filter(code=letter_in.court).first()
    if court is None:
        raise invalid_field(
            ExchangeErrorCode.WRONG_COURT, _("There is no court %(code)s."), "court", code=letter_in.court
        )
    case = _case_of(court, letter_in.case_number, "case_number")
    in_reply_to = None
    if letter_in.in_reply_to:
        in_reply_to = Letter.objects.filter(
            court=court, number=letter_in.in_reply_to, direction=LetterDirection.OUTGOING, counterpart=client
        ).first()
        if in_reply_to is None:
            raise invalid_field(
                ExchangeErrorCode.LETTER_NOT_FOUND,
                _("The court sent you no letter %(number)s."),
                "in_reply_to",
                number=letter_in.in_reply_to,
            )
        case = case or in_reply_to.case
    who = ", ".join(x for x in (signer.common_name, signer.organisation) if x)
    letter = _register_incoming(
        court=court,
        counterpart=client,
        kind=letter_in.kind,
        number=letter_in.number,
        on=letter_in.date,
        subject=letter_in.subject,
        text=letter_in.text,
        case=case,
        in_reply_to=in_reply_to,
        content=content,
        signature=signature,
        signer=who[:300],
        message_id=message_id,
        actor=None,
    )
    return {
        "message_id": message_id,
        "status": "registered",
        "registration_number": letter.number,
        "registered_on": letter.registered_on.isoformat(),
        "letter": str(letter.public_id),
        "case_number": case.number if case else "",
    }
