"""Filing at a Public Service Centre: the operator drafts on behalf of a citizen, who confirms with
a code sent by SMS to the mobile phone on the citizen's record, bound to the filing as it was when the
code was sent. The operator never sees the code nor chooses where it goes: reading it back is the
citizen's own consent."""

import datetime as dt
import hashlib
import logging
import secrets

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Channel
from torelik.core import clock
from torelik.core.tokens import keyed_digest, keyed_digest_matches
from torelik.filing import sms
from torelik.filing.access import is_psc_operator
from torelik.filing.actions import drafts, submission
from torelik.filing.errors import FilingErrorCode, FilingForbiddenError, refusal
from torelik.filing.manifest import canonical_manifest
from torelik.filing.models import Filing, PscConfirmation
from torelik.identity.models import Person, User

logger = logging.getLogger("torelik.filing")
PSC_CODE_TTL = dt.timedelta(minutes=10)
PSC_MAX_ATTEMPTS = 5


def _require_operator(user: User | None) -> None:
    if not is_psc_operator(user):
        raise FilingForbiddenError(
            FilingErrorCode.NOT_PSC_OPERATOR, _("Only a Public Service Centre operator files on behalf of citizens.")
        )


def start_psc_filing(*, operator: User, kind: str, citizen_iin: str) -> Filing:
    _require_operator(operator)
    return drafts.start_draft(kind=kind, filer_iin=citizen_iin, actor=operator, channel=Channel.PSC)


def send_psc_code(*, filing: Filing, operator: User) -> PscConfirmation:
    """Send the citizen a confirmation code by SMS, through the notifications outbox, to the mobile
    phone on the citizen's record (`Person.phone`) - never to a number the operator gives, and never
    on the operator's screen: the code stands for the citizen's consent, so only the citizen may get
    it (the on-screen code was the stopgap of issue 7 until notifications existed). Without a phone
    on record it is refused: the citizen's phone is registered first."""
    _require_operator(operator)
    submission.check_ready(filing)
    submission.check_standing(filing)
    person = Person.objects.filter(iin=filing.filer_iin).first()
    phone = person.phone.strip() if person is not None else ""
    if person is None or not phone:
        raise refusal(
            FilingErrorCode.PSC_NO_PHONE,
            _(
                "The citizen with IIN %(iin)s has no mobile phone on record. The code is sent only to the "
                "phone on record: register the citizen's phone first."
            ),
            "phone",
            iin=filing.filer_iin,
        )
    code = f"{secrets.randbelow(10**6):06d}"
    now = clock.now()
    with transaction.atomic():
        drafts.locked_draft(filing)
        attempt = PscConfirmation.objects.filter(filing=filing).count() + 1
        sms.send_code(phone=phone, code=code, filing=filing, attempt=attempt, language=person.preferred_language)
        PscConfirmation.objects.filter(filing=filing, confirmed_at__isnull=True).delete()
        return PscConfirmation.objects.create(
            filing=filing,
            code_sha256=_psc_code_hash(filing, code),
            phone=phone,
            sent_at=now,
            expires_at=now + PSC_CODE_TTL,
            delivery="sms",
        )


def masked_phone(phone: str) -> str:
    """The end of a phone number (`••• 45 67`): enough for the citizen to recognise their own."""
    digits = [ch for ch in phone if ch.isdigit()]
    return f"••• {''.join(digits[-4:-2])} {''.join(digits[-2:])}" if len(digits) >= 4 else "•••"


def _psc_code_hash(filing: Filing, code: str) -> str:
    """The code is bound to the filing as it was when the code was sent (its canonical manifest): a
    draft changed afterwards no longer matches, so the citizen confirms exactly what they were shown."""
    content = hashlib.sha256(canonical_manifest(filing)).hexdigest()
    return keyed_digest("torelik.filing", "psc", str(filing.public_id), content, code)  # keyed: six digits


def _psc_code_matches(stored: str, filing: Filing, code: str) -> bool:
    content = hashlib.sha256(canonical_manifest(filing)).hexdigest()
    return keyed_digest_matches(stored, "torelik.filing", "psc", str(filing.public_id), content, code)


def confirm_psc_filing(*, filing: Filing, operator: User, code: str) -> Filing:
    """The citizen read back the code: the filing goes to the court with its scanned originals."""
    _require_operator(operator)
    with transaction.atomic():
        confirmation = PscConfirmation.objects.select_for_update().filter(filing=filing).first()
        if confirmation is None or confirmation.expires_at < clock.now():
            raise refusal(FilingErrorCode.PSC_CODE_EXPIRED, _("The code has expired: send a new one."), "code")
        if confirmation.attempts >= PSC_MAX_ATTEMPTS:
            raise refusal(FilingErrorCode.PSC_CODE_EXPIRED, _("Too many wrong codes: send a new one."), "code")
        matches = _psc_code_matches(confirmation.code_sha256, filing, code.strip())
        if not matches:
            confirmation.attempts += 1
            confirmation.save(update_fields=["attempts"])
    if not matches:
        logger.warning("PSC filing %s: wrong confirmation code", filing.public_id)
        raise refusal(FilingErrorCode.PSC_CODE_WRONG, _("The code is not right."), "code")
    submission.check_ready(filing)
    submission.check_standing(filing)  # the code stands for the filer's consent, not for anyone else's
    with transaction.atomic():
        PscConfirmation.objects.filter(pk=confirmation.pk).update(confirmed_at=clock.now())
        Filing.objects.filter(pk=filing.pk).update(psc_confirmed_at=clock.now())
        filing.refresh_from_db()
        return submission.send_to_court(
            filing=filing,
            manifest=canonical_manifest(filing),
            signature=None,
            signature_sha256=None,
            signer_iin="",
            signer_name="",
            actor=operator,
        )
