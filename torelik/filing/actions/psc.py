"""Filing at a Public Service Centre: the operator drafts on behalf of a citizen, who confirms with
a code sent by SMS to the mobile phone on the citizen's record, bound to the filing as it was when the
code was sent. The operator never sees the code nor chooses where it goes: reading it back is the
citizen's own consent."""

import datetime as dt
import hashlib
import logging
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from torelik.cases.models import Channel
from torelik.core import clock
from torelik.core.tokens import keyed_digest, keyed_digest_matches
from torelik.filing import sms
from torelik.filing.access import is_psc_operator
from torelik.filing.actions import drafts, submission
from torelik.filing.errors import FilingError, FilingErrorCode, FilingForbiddenError, refusal
from torelik.filing.manifest import canonical_manifest
from torelik.filing.models import Filing, PscConfirmation
from torelik.identity.models import Person, User
from torelik.notifications.errors import InvalidPhoneError
from torelik.notifications.phones import normalise_phone

logger = logging.getLogger("torelik.filing")
PSC_CODE_TTL = dt.timedelta(minutes=10)
PSC_MAX_ATTEMPTS = 5
COUNTER = "counter"  # the code went to a number the citizen gave at the counter


def _require_operator(user: User | None) -> None:
    if not is_psc_operator(user):
        raise FilingForbiddenError(
            FilingErrorCode.NOT_PSC_OPERATOR, _("Only a Public Service Centre operator files on behalf of citizens.")
        )


def start_psc_filing(*, operator: User, kind: str, citizen_iin: str) -> Filing:
    _require_operator(operator)
    return drafts.start_draft(kind=kind, filer_iin=citizen_iin, actor=operator, channel=Channel.PSC)


def no_phone_refusal(filing: Filing) -> FilingError:
    return refusal(
        FilingErrorCode.PSC_NO_PHONE,
        _(
            "The citizen with IIN %(iin)s has no mobile phone on record. Type the mobile number the citizen "
            "gives you: a code goes to it, and once the citizen reads it back the number is on their record. "
            "Or the citizen signs with their own digital signature on this computer."
        ),
        "counter_phone",
        iin=filing.filer_iin,
    )


def phone_on_record(filing: Filing) -> str:
    person = Person.objects.filter(iin=filing.filer_iin).first()
    return person.phone.strip() if person is not None else ""


def _counter_phone(given: str, operator: User) -> str:
    """The number the citizen names at the counter, refused when it is the operator's own or another
    staff member's phone on record: the code stands for the citizen's consent, not the office's."""
    try:
        number = normalise_phone(given)
    except InvalidPhoneError as error:
        raise refusal(FilingErrorCode.INVALID, error.message, "counter_phone") from error
    staff = Person.objects.filter(phone=number).filter(
        Q(pk=operator.person_id) | Q(account__positions__isnull=False) | Q(judge__isnull=False)
    )
    if staff.exists():
        raise refusal(
            FilingErrorCode.INVALID,
            _("This number belongs to a member of the court's or the centre's staff: give the citizen's own."),
            "counter_phone",
        )
    return number


def send_psc_code(*, filing: Filing, operator: User, counter_phone: str = "") -> PscConfirmation:
    """Send the citizen a confirmation code by SMS, through the notifications outbox, to the mobile
    phone on the citizen's record (`Person.phone`) - never on the operator's screen: the code stands
    for the citizen's consent, so only the citizen may get it. With a phone on record, a number the
    operator types is ignored. Without one, the number the citizen gives at the counter
    (`counter_phone`, never a staff member's own) receives it; read back, it proves the citizen holds
    that phone, and it goes on the citizen's record (ADR 0044). Without either it is refused."""
    _require_operator(operator)
    submission.check_ready(filing)
    submission.check_standing(filing)
    person = Person.objects.filter(iin=filing.filer_iin).first()
    phone = person.phone.strip() if person is not None else ""
    delivery = "sms"
    if not phone:
        if not counter_phone.strip():
            raise no_phone_refusal(filing)
        phone, delivery = _counter_phone(counter_phone, operator), COUNTER
    code = f"{secrets.randbelow(10**6):06d}"
    now = clock.now()
    with transaction.atomic():
        drafts.locked_draft(filing)
        attempt = PscConfirmation.objects.filter(filing=filing).count() + 1
        language = person.preferred_language if person is not None else "kk"
        sms.send_code(phone=phone, code=code, filing=filing, attempt=attempt, language=language)
        PscConfirmation.objects.filter(filing=filing, confirmed_at__isnull=True).delete()
        return PscConfirmation.objects.create(
            filing=filing,
            code_sha256=_psc_code_hash(filing, code),
            phone=phone,
            sent_at=now,
            expires_at=now + PSC_CODE_TTL,
            delivery=delivery,
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
        if confirmation.delivery == COUNTER:
            # The citizen, present, read back the code sent to the number they gave: it is theirs.
            Person.objects.filter(iin=filing.filer_iin, phone="").update(phone=confirmation.phone)
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
