"""Every write of the summons context: issue and revoke subpoenas, open one with phone and code (the
familiarisation), grant an SMS login to a case's documents, log in with it and record each opening.

A wrong code is counted in the database, per phone (or login), in its own transaction, so that the
count survives the refusal and holds across processes (ADR 0028)."""

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from torelik.archive.actions import store_file
from torelik.archive.queries import open_stored_file
from torelik.cases.actions import record_case_event
from torelik.cases.coupon import court_time_zone
from torelik.cases.models import Case, CaseEventKind, Channel, Document, Party, PartyRole
from torelik.core import clock
from torelik.core.rows import table
from torelik.hearings.models import Hearing, HearingParticipant
from torelik.identity.models import Person, User
from torelik.summons import delivery, sealing, secret_codes
from torelik.summons.errors import (
    CodeExpiredError,
    LockedError,
    SummonsErrorCode,
    WrongCodeError,
)
from torelik.summons.models import (
    CodeAttempt,
    CodeThrottle,
    DocumentAccess,
    DocumentOpening,
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
    counter, _created = SubpoenaCounter.objects.select_for_update().get_or_create(court=court, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{court.code}-{year % 100:02d}-S-{counter.last:06d}"


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
    for participant in hearing.participants.select_related("person").order_by("id"):
        if participant.pk in done:
            continue
        party = parties.get(participant.person_id)
        phone, email, language = _contact(party, participant)
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
            code_expires_at=_code_expiry(hearing),
            facts=snapshot(hearing=hearing, participant=participant, party=party),
            issued_at=clock.now(),
        )
        # The outbox row first (its cause is the number), then the subpoena with its message's id.
        subpoena.message_id = _send_code(subpoena, code)
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
                "channel": "sms" if phone else ("email" if email else "paper"),
                "message": subpoena.message_id,
            },
        )
        issued.append(IssuedSubpoena(subpoena=subpoena, code=code))
    return issued


def _send_code(subpoena: Subpoena, code: str) -> str:
    if not subpoena.phone and not subpoena.email:
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
            phone=subpoena.phone,
            email=subpoena.email,
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


# --- Codes and their lockout -----------------------------------------------------------------


def _attempt(key: str, find: Callable[[], T | None]) -> tuple[T | None, dt.datetime | None, int]:
    """Check a code under the per-key lock: (found, locked until, tries left). A miss is counted."""
    attempts = settings.TORELIK_CODE_ATTEMPTS
    window = dt.timedelta(minutes=settings.TORELIK_CODE_LOCK_MINUTES)
    with transaction.atomic():
        try:
            with transaction.atomic():
                CodeThrottle.objects.get_or_create(key=key)
        except IntegrityError:  # created by a parallel try in between
            pass
        CodeThrottle.objects.select_for_update().get(key=key)
        now = clock.now()
        failures = list(
            CodeAttempt.objects.filter(key=key, at__gt=now - window).order_by("at").values_list("at", flat=True)
        )
        if len(failures) >= attempts:
            return None, failures[-attempts] + window, 0
        found = find()
        if found is None:
            CodeAttempt.objects.create(key=key, at=now)
            left = attempts - len(failures) - 1
            return None, (now + window if left == 0 else None), left
        return found, None, attempts - len(failures)


def _locked(until: dt.datetime) -> LockedError:
    local = until.astimezone(ZoneInfo(settings.TIME_ZONE))
    return LockedError(
        SummonsErrorCode.LOCKED,
        _("Too many wrong attempts. Entry is locked until %(time)s; try again then."),
        params={"time": f"{local:%d.%m.%Y %H:%M}"},
    )


def _wrong(left: int, message: str | object, code: SummonsErrorCode) -> WrongCodeError:
    return WrongCodeError(
        code,
        _("%(message)s Attempts left before the entry is locked for an hour: %(left)s."),
        params={"message": str(message), "left": left},
    )


def _phone_or_refuse(raw: str) -> str:
    # notifications' InvalidPhoneError: translated, 422, naming the field `phone`.
    return delivery.normalise(raw)


def open_subpoena(*, phone: str, code: str, ip_address: str | None = None) -> Subpoena:
    """The subpoena that `phone` and `code` open; the first view is journaled as the moment of
    familiarisation. The same refusal for an unknown phone and a wrong code."""
    normalised = _phone_or_refuse(phone)
    digest = secret_codes.code_hash(normalised, secret_codes.clean_code(code))
    found, locked_until, left = _attempt(
        secret_codes.throttle_key("phone", normalised),
        lambda: Subpoena.objects.select_related("court", "case", "person").filter(code_hash=digest).first(),
    )
    if found is None:
        if locked_until is not None:
            raise _locked(locked_until)
        raise _wrong(left, _("The phone number or the code is wrong."), SummonsErrorCode.WRONG_CODE)
    if found.code_expires_at <= clock.now():
        raise CodeExpiredError(
            SummonsErrorCode.CODE_EXPIRED,
            _("This code expired on %(day)s. Ask the court office for the subpoena."),
            params={"day": f"{found.code_expires_at.astimezone(court_time_zone(found.court)):%d.%m.%Y}"},
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


# --- Court documents by SMS login -------------------------------------------------------------


@dataclass(frozen=True)
class GrantedAccess:
    access: DocumentAccess
    password: str  # in clear only here, on its way into the SMS


def _party_contact(case: Case, party: Party) -> tuple[str, str]:
    raw = party.phone or (party.person.phone if party.person is not None else "")
    try:
        phone = delivery.normalise(raw) if raw else ""
    except delivery.InvalidPhoneError:
        phone = ""
    return phone, party.email


# The defendants and claimants of a case with a phone or an e-mail at all (of the party, or the phone
# of the person): the only ones who may be entitled to a login. Plain SQL, because this runs at every
# registration and most name nobody: the ORM's compilation of the full read cost more than the query.
_REACHABLE_SQL = f"""
SELECT p.id FROM {table(Party)} p LEFT JOIN {table(Person)} pe ON pe.id = p.person_id
WHERE p.case_id = %s AND p.role IN (%s, %s) AND (p.phone <> '' OR p.email <> '' OR pe.phone <> '')
"""  # noqa: S608 - no input in the text


def entitled_parties(case_id: int) -> list[Party]:
    """Who gets an SMS login when a claim is registered: each defendant with a phone or e-mail, and a
    claimant who filed on paper and agreed to notices (the consent shown on the coupon). Each party
    comes with its case, court and region (`party.case`)."""
    with connection.cursor() as cursor:
        cursor.execute(_REACHABLE_SQL, [case_id, PartyRole.DEFENDANT.value, PartyRole.CLAIMANT.value])
        reachable = [row[0] for row in cursor.fetchall()]
    if not reachable:
        return []
    chosen = []
    # The region too: the court's time zone dates the SMS.
    parties = Party.objects.filter(pk__in=reachable).select_related("person", "organisation", "case__court__region")
    for party in parties.order_by("id"):
        case = party.case
        phone, email = _party_contact(case, party)
        if (
            party.role == PartyRole.DEFENDANT
            and (phone or email)
            or (
                party.role == PartyRole.CLAIMANT
                and case.channel == Channel.PAPER
                and ((case.consent_sms and phone) or (case.consent_email and email))
            )
        ):
            chosen.append(party)
    return chosen


@transaction.atomic(savepoint=False)  # a failure fails the caller's whole transaction (the registration)
def grant_document_access(*, case: Case, party: Party, actor: User | None = None) -> GrantedAccess | None:
    """An SMS login and one-time password for `party` to study the documents of `case`, sent through
    the outbox in this transaction; None if the party already has one or cannot be reached."""
    if DocumentAccess.objects.filter(case=case, party=party).exists():
        return None
    phone, email = _party_contact(case, party)
    if party.role == PartyRole.CLAIMANT:
        phone = phone if case.consent_sms else ""
        email = email if case.consent_email else ""
    if not phone and not email:
        return None
    for _attempt_no in range(10):
        login = secret_codes.new_login()
        if not DocumentAccess.objects.filter(login=login).exists():
            break
    password = secret_codes.new_password()
    now = clock.now()
    # Written once the message is in the outbox, with its id: one insert and no update.
    access = DocumentAccess(
        case=case,
        party=party,
        court=case.court,
        login=login,
        password_hash=secret_codes.password_hash(login, password),
        phone=phone,
        email=email,
        language=party.preferred_language,
        issued_at=now,
        expires_at=now + dt.timedelta(days=settings.TORELIK_DOCUMENT_ACCESS_DAYS),
    )
    access.message_id = delivery.send(
        delivery.Outgoing(
            template=delivery.CLAIM_FILED_AGAINST_YOU,
            language=access.language,
            payload={
                "court": case.court.name,
                "case_number": case.number,
                "login": login,
                "password": password,
                "url": documents_url(access.language),
                "until": f"{access.expires_at.astimezone(court_time_zone(case.court)):%d.%m.%Y}",
            },
            cause=f"documents:{case.pk}:{party.pk}",
            phone=phone,
            email=email,
            recipient_name=party.name,
            court=case.court,
            case=case,
        )
    )
    access.save(force_insert=True)
    record_case_event(
        case=case,
        kind=CaseEventKind.DOCUMENTS_ACCESS_GRANTED,
        actor=actor,
        data={
            "party": str(party.public_id),
            "role": party.role,
            "channel": "sms" if phone else "email",
            "valid_until": access.expires_at.isoformat(),
            "message": access.message_id,
        },
    )
    return GrantedAccess(access=access, password=password)


def documents_url(language: str) -> str:
    with translation.override(language):
        path = reverse("summons:documents")
    return f"{settings.TORELIK_PUBLIC_URL.rstrip('/')}{path}"


def log_in_to_documents(*, login: str, password: str) -> DocumentAccess:
    """The access that `login` and `password` open; the same refusal for an unknown login and a wrong
    password, the same lockout as subpoena codes."""
    login = "".join(ch for ch in login if ch.isalnum()).lower()
    digest = secret_codes.password_hash(login, secret_codes.clean_password(password))
    found, locked_until, left = _attempt(
        secret_codes.throttle_key("login", login or "-"),
        lambda: (
            DocumentAccess.objects.select_related("case__court", "party", "court")
            .filter(login=login, password_hash=digest)
            .first()
        ),
    )
    if found is None:
        if locked_until is not None:
            raise _locked(locked_until)
        raise _wrong(left, _("The login or the password is wrong."), SummonsErrorCode.WRONG_LOGIN)
    if found.expires_at <= clock.now():
        raise CodeExpiredError(
            SummonsErrorCode.ACCESS_EXPIRED,
            _("This login expired on %(day)s. Ask the court office for access to the documents."),
            params={"day": f"{found.expires_at.astimezone(court_time_zone(found.court)):%d.%m.%Y}"},
        )
    return found


@transaction.atomic
def record_document_opening(
    *, access: DocumentAccess, document: Document | None, ip_address: str | None = None
) -> DocumentOpening:
    """Note an opening of the list (`document` None) or of a document; the first opening of each
    document by this login goes into the case journal, once: the openings of one login are noted one
    at a time (its row locked), so two first openings at the same moment do not both count as first."""
    DocumentAccess.objects.select_for_update().only("pk").get(pk=access.pk)
    now = clock.now()
    first = document is not None and not DocumentOpening.objects.filter(access=access, document=document).exists()
    opening = DocumentOpening.objects.create(access=access, document=document, at=now, ip_address=ip_address)
    if access.first_used_at is None:
        DocumentAccess.objects.filter(pk=access.pk, first_used_at__isnull=True).update(first_used_at=now)
        access.first_used_at = now
    if first and document is not None:
        record_case_event(
            case=access.case,
            kind=CaseEventKind.DOCUMENT_STUDIED,
            actor=None,
            data={
                "document": str(document.public_id),
                "party": str(access.party.public_id),
                "login": access.login,
                "at": now.isoformat(),
            },
        )
    return opening


def verify_address(subpoena: Subpoena) -> str:
    return verify_url(subpoena.number, subpoena.language)
