"""Subpoenas: issue and revoke them with their hearing, open one with phone and code (the
familiarisation), seal its PDF."""

import datetime as dt
import io
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from torelik.archive.actions import store_file
from torelik.archive.queries import open_stored_file
from torelik.cases.actions import record_case_event
from torelik.cases.models import CaseEventKind, Party
from torelik.core import clock
from torelik.core.rows import counted
from torelik.courts.zones import court_zone
from torelik.hearings.models import Hearing, HearingParticipant
from torelik.identity.models import User
from torelik.post.models import LetterKind
from torelik.summons import delivery, sealing, secret_codes
from torelik.summons.actions import code_lockout
from torelik.summons.actions.letters import send_subpoena_letter
from torelik.summons.errors import (
    CodeExpiredError,
    SummonsErrorCode,
)
from torelik.summons.models import (
    NoticeChannel,
    NoticeChoice,
    Subpoena,
    SubpoenaCounter,
    SubpoenaStatus,
    SubpoenaView,
)
from torelik.summons.subpoena_pdf import render_subpoena_pdf
from torelik.summons.subpoena_text import snapshot, subpoena_text, verify_url

MAX_PDF_SIZE = 5 * 1024 * 1024
T = TypeVar("T")


# --- Subpoenas -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedSubpoena:
    subpoena: Subpoena
    code: str  # in clear only here, on its way into the SMS


def _next_number(hearing: Hearing) -> str:
    court = hearing.courtroom.court
    year = clock.today().year
    sequence = counted(SubpoenaCounter, "last", court=court.pk, year=year)
    return f"{court.code}-{year % 100:02d}-S-{sequence:06d}"


def _contact(party: Party | None, participant: HearingParticipant) -> tuple[str, str, str]:
    """The phone (normalised, or empty), e-mail and language to use: the contact data as given in
    this case (the participant's party row), else the person's own."""
    person = participant.person
    raw_phone = (party.phone if party is not None and party.phone else "") or person.phone
    try:
        phone = delivery.normalise(raw_phone) if raw_phone else ""
    except delivery.InvalidPhoneError:
        phone = ""
    email = (party.email if party is not None and party.email else "") or person.email
    language = party.preferred_language if party is not None else person.preferred_language
    return phone, email, language


def _unique_code_hash(phone: str, number: str) -> tuple[str, str]:
    if phone:
        code_lockout.reset(secret_codes.throttle_key("phone", phone))  # a new code: the old count is moot
    for _attempt in range(10):
        code = secret_codes.new_code()
        # Without a phone nobody can open it by phone and code: the hash only has to be unique.
        digest = secret_codes.code_hash(phone, code) if phone else secret_codes.keyed_hash("nophone", number, code)
        if not Subpoena.objects.filter(code_hash=digest).exists():
            return code, digest
    raise RuntimeError("could not draw a unique subpoena code")  # pragma: no cover - 10 collisions in a row


def _code_expiry(hearing: Hearing) -> dt.datetime:
    # Valid for the configured period, and at least until the hearing is over.
    return max(clock.now() + dt.timedelta(days=settings.TORELIK_SUBPOENA_CODE_DAYS), hearing.ends_at)


@transaction.atomic
def issue_subpoenas(*, hearing: Hearing, actor: User | None) -> list[IssuedSubpoena]:
    """A subpoena for each participant of a scheduled hearing, each with a code sent by SMS (or its
    notice by e-mail) through the outbox in this same transaction. Idempotent per participant."""
    hearing = Hearing.objects.select_related("case", "courtroom__court__region", "judge__person").get(pk=hearing.pk)
    court = hearing.courtroom.court
    issued: list[IssuedSubpoena] = []
    done = set(Subpoena.objects.filter(hearing=hearing).values_list("participant_id", flat=True))
    parties: dict[int, Party] = {}
    for row in Party.objects.filter(case=hearing.case, person__isnull=False).order_by("-id"):
        parties[row.person_id] = row  # type: ignore[index]  # the first row of each person wins
    chosen = dict(NoticeChoice.objects.filter(case=hearing.case).values_list("party_id", "channel"))
    for participant in hearing.participants.select_related("person").order_by("id"):
        if participant.pk in done:
            continue
        party = parties.get(participant.person_id)
        phone, email, language = _contact(party, participant)
        choice = chosen.get(party.pk, NoticeChannel.AUTO) if party is not None else NoticeChannel.AUTO
        channel = channel_for(choice, phone=phone, email=email)
        number = _next_number(hearing)
        code, digest = _unique_code_hash(phone, number)
        subpoena = Subpoena(
            number=number,
            court=court,
            case=hearing.case,
            hearing=hearing,
            participant=participant,
            person=participant.person,
            role=participant.role,
            language=language,
            phone=phone,
            email=email,
            code_hash=digest,
            verify_code=secret_codes.new_verify_code(),
            code_expires_at=_code_expiry(hearing),
            facts=snapshot(hearing=hearing, participant=participant, party=party),
            issued_at=clock.now(),
            channel=channel,
        )
        # The outbox row first (its cause is the number), then the subpoena with its message's id.
        subpoena.message_id = _send_code(subpoena, code, channel)
        subpoena.save(force_insert=True)
        record_case_event(
            case=hearing.case,
            kind=CaseEventKind.SUBPOENA_ISSUED,
            actor=actor,
            data={
                "subpoena": subpoena.number,
                "hearing": str(hearing.public_id),
                "person": str(participant.person.public_id),
                "role": participant.role,
                "channel": channel,
                "chosen": choice,
                "message": subpoena.message_id,
            },
        )
        if channel in LETTERS:  # on paper: chosen by the court, or no mobile phone
            send_subpoena_letter(subpoena=subpoena, kind=LETTERS[channel])
        issued.append(IssuedSubpoena(subpoena=subpoena, code=code))
    return issued


LETTERS: dict[str, str] = {NoticeChannel.REGISTERED: LetterKind.REGISTERED, NoticeChannel.HYBRID: LetterKind.HYBRID}


def channel_for(choice: str, *, phone: str, email: str) -> str:
    """The channel a subpoena goes by: the court's choice when it can reach the party that way, else
    the rules' (SMS to a mobile phone; otherwise a hybrid letter, with an e-mail besides if one is known)."""
    if choice == NoticeChannel.ESUBPOENA and email:
        return NoticeChannel.ESUBPOENA
    if choice in LETTERS:
        return choice
    return NoticeChannel.SMS if phone else NoticeChannel.HYBRID


def _send_code(subpoena: Subpoena, code: str, channel: str = NoticeChannel.SMS) -> str:
    if channel == NoticeChannel.REGISTERED or (channel == NoticeChannel.HYBRID and subpoena.phone):
        return ""  # the court chose paper: no message
    phone = subpoena.phone if channel == NoticeChannel.SMS else ""
    email = subpoena.email
    if not phone and not email:
        return ""
    text = subpoena_text(subpoena)
    facts = subpoena.facts
    return delivery.send(
        delivery.Outgoing(
            template=delivery.HEARING_SUMMONS,
            language=subpoena.language,
            payload={
                "court": text.court,
                "date": str(facts.get("date", "")),
                "time": str(facts.get("time", "")),
                "role": text.role,
                "case_number": str(facts.get("case_number", "")),
                "code": code,
                "url": page_url(subpoena.language),
                "number": subpoena.number,
            },
            cause=f"subpoena:{subpoena.number}",
            phone=phone,
            email=email,
            recipient_name=subpoena.person.full_name,
            court=subpoena.court,
            case=subpoena.case,
        )
    )


def page_url(language: str) -> str:
    with translation.override(language):
        path = reverse("summons:open")
    return f"{settings.TORELIK_PUBLIC_URL.rstrip('/')}{path}"


@transaction.atomic
def revoke_subpoenas(*, hearing: Hearing, reason: str, actor: User | None) -> list[Subpoena]:
    """A postponed or cancelled hearing revokes its subpoenas (a new hearing issues new ones); the
    addressees are told through the outbox."""
    revoked: list[Subpoena] = []
    for subpoena in Subpoena.objects.select_for_update().filter(hearing=hearing).exclude(status=SubpoenaStatus.REVOKED):
        subpoena.status = SubpoenaStatus.REVOKED
        subpoena.revoked_at = clock.now()
        subpoena.revoke_reason = reason
        subpoena.save(update_fields=["status", "revoked_at", "revoke_reason", "updated_at"])
        # Its SMS, if still waiting in the queue, is stopped; the addressee is told of the revocation
        # only if the subpoena may have reached them.
        cause = f"subpoena:{subpoena.number}"
        reached = not delivery.never_handed_over(cause)
        delivery.withdraw(cause, reason=f"subpoena revoked: {reason}")
        if reached:
            _send_revocation(subpoena)
        record_case_event(
            case=subpoena.case,
            kind=CaseEventKind.SUBPOENA_REVOKED,
            actor=actor,
            data={"subpoena": subpoena.number, "hearing": str(hearing.public_id), "reason": reason},
        )
        revoked.append(subpoena)
    return revoked


def _send_revocation(subpoena: Subpoena) -> str:
    if not subpoena.phone and not subpoena.email:
        return ""
    text = subpoena_text(subpoena)
    return delivery.send(
        delivery.Outgoing(
            template=delivery.DOCUMENT_RECEIVED,
            language=subpoena.language,
            payload={
                "court": text.court,
                "case_number": str(subpoena.facts.get("case_number", "")),
                "document": _revocation_note(subpoena),
                "url": text.verify_url,
            },
            cause=f"subpoena-revoked:{subpoena.number}",
            phone=subpoena.phone,
            email=subpoena.email,
            recipient_name=subpoena.person.full_name,
            court=subpoena.court,
            case=subpoena.case,
        )
    )


def _revocation_note(subpoena: Subpoena) -> str:
    with translation.override(subpoena.language):
        return str(_("subpoena %(number)s is revoked: %(reason)s")) % {
            "number": subpoena.number,
            "reason": subpoena.revoke_reason,
        }


def open_subpoena(*, phone: str, code: str, ip_address: str | None = None) -> Subpoena:
    """The subpoena that `phone` and `code` open; the first view is journaled as the moment of
    familiarisation. The same refusal for an unknown phone and a wrong code."""
    normalised = delivery.normalise(phone)  # InvalidPhoneError: translated, 422, naming `phone`
    digests = secret_codes.code_hashes(normalised, secret_codes.clean_code(code))
    keys = [(secret_codes.throttle_key("phone", normalised), settings.TORELIK_CODE_ATTEMPTS)]
    if ip_address:
        keys.append((secret_codes.throttle_key("address", ip_address), settings.TORELIK_CODE_ADDRESS_ATTEMPTS))
    found, locked_until, left = code_lockout.attempt(
        keys,
        lambda: Subpoena.objects.select_related("court", "case", "person").filter(code_hash__in=digests).first(),
    )
    if found is None:
        if locked_until is not None:
            raise code_lockout.locked(locked_until)
        raise code_lockout.wrong(left, _("The phone number or the code is wrong."), SummonsErrorCode.WRONG_CODE)
    if found.code_expires_at <= clock.now():
        raise CodeExpiredError(
            SummonsErrorCode.CODE_EXPIRED,
            _("This code expired on %(day)s. Ask the court office for the subpoena."),
            params={"day": f"{found.code_expires_at.astimezone(court_zone(found.court)):%d.%m.%Y}"},
        )
    return record_familiarisation(found, ip_address)


@transaction.atomic
def record_familiarisation(subpoena: Subpoena, ip_address: str | None) -> Subpoena:
    """Note a view of the subpoena; the first one (of a subpoena still in force) is the moment of
    familiarisation, journaled once."""
    locked = Subpoena.objects.select_for_update().select_related("court", "case", "person").get(pk=subpoena.pk)
    now = clock.now()
    SubpoenaView.objects.create(subpoena=locked, at=now, ip_address=ip_address)
    if locked.first_viewed_at is None:
        locked.first_viewed_at = now
        fields = ["first_viewed_at", "updated_at"]
        if locked.status == SubpoenaStatus.ISSUED:
            locked.status = SubpoenaStatus.VIEWED
            fields.append("status")
            # The moment of familiarisation: deadlines may take it as proof of notice.
            record_case_event(
                case=locked.case,
                kind=CaseEventKind.SUBPOENA_VIEWED,
                actor=None,
                data={
                    "subpoena": locked.number,
                    "hearing": str(locked.hearing.public_id),
                    "person": str(locked.person.public_id),
                    "viewed_at": now.isoformat(),
                },
            )
        locked.save(update_fields=fields)
    return locked


def sealed_pdf(*, subpoena: Subpoena) -> bytes:
    """The subpoena's PDF sealed by its court, made once and kept in the file store."""
    if subpoena.pdf is not None:
        with open_stored_file(subpoena.pdf) as stored:
            return stored.read()
    text = subpoena_text(subpoena)
    pdf = sealing.seal(render_subpoena_pdf(text), subpoena.court)
    stored_file = store_file(content=io.BytesIO(pdf), filename=f"{subpoena.number}.pdf", max_size=MAX_PDF_SIZE)
    Subpoena.objects.filter(pk=subpoena.pk, pdf__isnull=True).update(pdf=stored_file)
    subpoena.pdf = stored_file
    return pdf


def verify_address(subpoena: Subpoena) -> str:
    return verify_url(subpoena.number, subpoena.verify_code, subpoena.language)
