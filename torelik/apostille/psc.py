"""A request made at a Public Service Centre: the operator finds the citizen's document by the citizen's
IIN, and the citizen consents with a code sent by SMS to the phone on the citizen's record (never shown
to the operator), read back at the counter — as for filings at a PSC (ADR 0044). The code is bound to
the document and country it was sent for."""

import datetime as dt
import logging
import secrets

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from torelik.apostille.access import access_act_for
from torelik.apostille.actions import check_apostillable, request_apostille
from torelik.apostille.errors import ApostilleError, ApostilleErrorCode, ApostilleForbiddenError, ApostilleNotFoundError
from torelik.apostille.models import ApostilleRequest, PscConsent
from torelik.cases.models import Channel
from torelik.core import clock
from torelik.core.identifiers import IIN, IdentifierError
from torelik.core.tokens import keyed_digest, keyed_digest_matches
from torelik.filing.access import is_psc_operator
from torelik.identity.models import Person, User
from torelik.notifications.actions import enqueue
from torelik.notifications.models import Template

logger = logging.getLogger("torelik.apostille")
CODE_TTL = dt.timedelta(minutes=10)
MAX_ATTEMPTS = 5


def _require_operator(user: User | None) -> None:
    if not is_psc_operator(user):
        raise ApostilleForbiddenError(
            ApostilleErrorCode.NOT_PSC_OPERATOR,
            _("Only a Public Service Centre operator asks for an apostille on behalf of a citizen."),
        )


def citizen(*, operator: User, iin: str) -> Person:
    """The citizen at the counter, by IIN (a checked IIN; nobody on record: not found)."""
    _require_operator(operator)
    try:
        parsed = str(IIN.parse(iin.strip()))
    except IdentifierError as error:
        raise ApostilleError(
            ApostilleErrorCode.DOCUMENT_NOT_FOUND, error.message, fields={"iin": [error.message]}
        ) from error
    person = Person.objects.filter(iin=parsed).first()
    if person is None:
        raise ApostilleNotFoundError(
            ApostilleErrorCode.DOCUMENT_NOT_FOUND, _("No court document of a person with this IIN is on record.")
        )
    return person


def _bound(consent: PscConsent, code: str) -> tuple[str, ...]:
    """What the code's digest covers: the consent, the document and the country it was sent for."""
    return ("psc", str(consent.pk), str(consent.act.public_id), consent.document_kind, consent.country, code)


def send_consent_code(
    *, operator: User, applicant: Person, act_id: str, document_kind: str, country: str
) -> PscConsent:
    _require_operator(operator)
    act = access_act_for(applicant, act_id)
    check_apostillable(act=act, document_kind=document_kind, country=country)
    phone = applicant.phone.strip()
    if not phone:
        raise ApostilleError(
            ApostilleErrorCode.NO_PHONE,
            _("The citizen has no mobile phone on record: the citizen asks in the Judicial Office instead."),
        )
    code = f"{secrets.randbelow(10**6):06d}"
    now = clock.now()
    with transaction.atomic():
        consent = PscConsent.objects.create(
            operator=operator,
            applicant=applicant,
            act=act,
            document_kind=document_kind,
            country=country,
            code_digest="",
            sent_at=now,
            expires_at=now + CODE_TTL,
        )
        consent.code_digest = keyed_digest("torelik.apostille", *_bound(consent, code))
        consent.save(update_fields=["code_digest"])
        language = applicant.preferred_language or "kk"
        with translation.override(language):
            purpose = str(_("your apostille request at the Public Service Centre"))
        enqueue(
            template=Template.CONFIRMATION_CODE,
            language=language,
            payload={"code": code, "purpose": purpose},
            phone=phone,
            cause=f"apostille-psc:{consent.pk}",
            channel="sms",
        )
    return consent


def confirm_consent(*, operator: User, consent_id: int, code: str) -> ApostilleRequest:
    """The citizen read back the code: the request is made (its fee then paid at the counter)."""
    _require_operator(operator)
    with transaction.atomic():
        consent = (
            PscConsent.objects.select_for_update(of=("self",))
            .select_related("act__case", "applicant")
            .filter(pk=consent_id, operator=operator, used_at__isnull=True)
            .first()
        )
        if consent is None or consent.expires_at < clock.now() or consent.attempts >= MAX_ATTEMPTS:
            raise ApostilleError(
                ApostilleErrorCode.CODE_EXPIRED, _("The code has expired: send a new one."), fields={"code": []}
            )
        if not keyed_digest_matches(consent.code_digest, "torelik.apostille", *_bound(consent, code.strip())):
            consent.attempts += 1
            consent.save(update_fields=["attempts"])
            matches = False
        else:
            consent.used_at = clock.now()
            consent.save(update_fields=["used_at"])
            matches = True
    if not matches:
        logger.warning("apostille PSC consent %s: wrong code", consent_id)
        raise ApostilleError(ApostilleErrorCode.CODE_WRONG, _("The code is not right."), fields={"code": []})
    return request_apostille(
        act=consent.act,
        document_kind=consent.document_kind,
        applicant=consent.applicant,
        country=consent.country,
        channel=Channel.PSC,
        actor=operator,
    )
