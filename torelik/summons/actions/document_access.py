"""Court documents by SMS login: who of a registered case's parties gets a login to its documents,
the login granted and sent, logging in with it (under the same lockout as subpoena codes), and each
opening recorded (the first of each document in the case journal)."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from torelik.cases.actions import coupon_secret, record_case_event
from torelik.cases.models import Case, CaseEventKind, Channel, Document, Party, PartyRole
from torelik.cases.queries import reachable_parties
from torelik.core import clock
from torelik.courts.zones import court_zone
from torelik.identity.models import User
from torelik.summons import delivery, secret_codes
from torelik.summons.actions import code_lockout
from torelik.summons.errors import (
    CodeExpiredError,
    SummonsErrorCode,
)
from torelik.summons.models import (
    DocumentAccess,
    DocumentOpening,
)


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


def entitled_parties(case_id: int) -> list[Party]:
    """Who is told of a claim's registration: each defendant with a phone or e-mail (the claim notice
    with an SMS login), and a claimant who filed on paper and agreed to notices (the consent shown on
    the coupon; a registration notice). Each party comes with its case, court and region (`party.case`)."""
    reachable = reachable_parties(case_id, (PartyRole.DEFENDANT, PartyRole.CLAIMANT))
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


def _court_name(case: Case, language: str) -> str:
    """The court's name in the recipient's language (not in that of whoever caused the message)."""
    with translation.override(language):
        return str(case.court.name)


@transaction.atomic(savepoint=False)  # a failure fails the caller's whole transaction (the registration)
def notify_filer_of_registration(*, case: Case, party: Party, actor: User | None = None) -> str:
    """Tell a claimant who filed on paper and agreed to notices that the filing is a case now: its
    number, the court and where to follow it (no login: the documents are the claimant's own).
    The outbox message's id, or "" when the claimant cannot be reached."""
    phone, email = _party_contact(case, party)
    phone = phone if case.consent_sms else ""
    email = email if case.consent_email else ""
    if not phone and not email:
        return ""
    language = party.preferred_language
    return delivery.send(
        delivery.Outgoing(
            template=delivery.FILING_REGISTERED,
            language=language,
            payload={
                "court": _court_name(case, language),
                "case_number": case.number,
                "url": verify_registration_url(case, language),
            },
            cause=f"registered:{case.pk}:{party.pk}",
            phone=phone,
            email=email,
            recipient_name=party.name,
            court=case.court,
            case=case,
        )
    )


def verify_registration_url(case: Case, language: str) -> str:
    """The public page of the registration (the coupon's check page): what was received, and the case."""
    with translation.override(language):
        path = reverse("cases:verify", args=[case.public_id, coupon_secret(case)])
    return f"{settings.TORELIK_PUBLIC_URL.rstrip('/')}{path}"


@transaction.atomic(savepoint=False)  # a failure fails the caller's whole transaction (the registration)
def grant_document_access(*, case: Case, party: Party, actor: User | None = None) -> GrantedAccess | None:
    """An SMS login and one-time password for the defendant `party` to study the documents of `case`,
    sent through the outbox in this transaction; None if the party already has one or cannot be reached."""
    if DocumentAccess.objects.filter(case=case, party=party).exists():
        return None
    phone, email = _party_contact(case, party)
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
                "court": _court_name(case, access.language),
                "case_number": case.number,
                "login": login,
                "password": password,
                "url": documents_url(access.language),
                "until": f"{access.expires_at.astimezone(court_zone(case.court)):%d.%m.%Y}",
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


def log_in_to_documents(*, login: str, password: str, ip_address: str | None = None) -> DocumentAccess:
    """The access that `login` and `password` open; the same refusal for an unknown login and a wrong
    password, the same lockout as subpoena codes."""
    login = "".join(ch for ch in login if ch.isalnum()).lower()
    digests = secret_codes.password_hashes(login, secret_codes.clean_password(password))
    keys = [(secret_codes.throttle_key("login", login or "-"), settings.TORELIK_CODE_ATTEMPTS)]
    if ip_address:
        keys.append((secret_codes.throttle_key("address", ip_address), settings.TORELIK_CODE_ADDRESS_ATTEMPTS))
    found, locked_until, left = code_lockout.attempt(
        keys,
        lambda: (
            DocumentAccess.objects.select_related("case__court", "party", "court")
            .filter(login=login, password_hash__in=digests)
            .first()
        ),
    )
    if found is None:
        if locked_until is not None:
            raise code_lockout.locked(locked_until)
        raise code_lockout.wrong(left, _("The login or the password is wrong."), SummonsErrorCode.WRONG_LOGIN)
    if found.expires_at <= clock.now():
        raise CodeExpiredError(
            SummonsErrorCode.ACCESS_EXPIRED,
            _("This login expired on %(day)s. Ask the court office for access to the documents."),
            params={"day": f"{found.expires_at.astimezone(court_zone(found.court)):%d.%m.%Y}"},
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
