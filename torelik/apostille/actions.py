"""Every write of the apostille context: a request (by the citizen in the Judicial Office, or by a PSC
operator with the citizen's SMS consent), its state fee paid through the payment gateway (a signed,
idempotent callback), and the court office's decision: the apostille issued — numbered per court and
year, rendered with the original attached, sealed by the court (PAdES) — or refused with a reason; an
issued one revoked. The applicant is told by SMS through the notifications outbox."""

import datetime as dt
import hashlib
import logging
import uuid
from decimal import InvalidOperation

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from torelik.acts.models import Act, ActStatus
from torelik.apostille import countries
from torelik.apostille.access import office_court_ids
from torelik.apostille.apostille_pdf import PrintedApostille, attach_original, render_apostille_pdf
from torelik.apostille.errors import (
    ApostilleConflictError,
    ApostilleError,
    ApostilleErrorCode,
    ApostilleForbiddenError,
    ApostilleNotFoundError,
)
from torelik.apostille.models import (
    ApostilleCounter,
    ApostilleRequest,
    ApostilleStatus,
    CallbackRefusal,
    DocumentKind,
    PaymentCallback,
)
from torelik.archive.actions import store_content
from torelik.archive.queries import open_stored_file
from torelik.cases.models import Party
from torelik.core import clock
from torelik.core.rows import counted
from torelik.filing.actions.payments import gateway
from torelik.filing.fees import service_fee
from torelik.identity.models import Person, User
from torelik.identity.pades import court_seal, seal_common_name, seal_pdf
from torelik.notifications.actions import enqueue
from torelik.notifications.errors import InvalidPhoneError
from torelik.notifications.models import Template

logger = logging.getLogger("torelik.apostille")
GATEWAY = "sandbox"
SEAL_FIELD = "ApostilleSeal"
REGISTER_DATE = "%Y-%m-%d"


def verify_url(number: str, on: dt.date, language: str = "en") -> str:
    """The public register's page of apostille `number` of day `on` (what its QR code holds)."""
    with translation.override(language):
        path = reverse("apostille:verify")
    return f"{settings.TORELIK_PUBLIC_URL.rstrip('/')}{path}?number={number}&date={on.strftime(REGISTER_DATE)}"


# --- The request --------------------------------------------------------------------------------


def check_apostillable(*, act: Act, document_kind: str, country: str) -> None:
    """Refusals of a document that cannot be apostilled (not in force, no writ) or of an unknown country."""
    if act.status != ActStatus.IN_FORCE or act.signed_file_id is None:
        raise ApostilleError(
            ApostilleErrorCode.NOT_IN_FORCE,
            _("An apostille is put only on a judicial act that has entered into force."),
            fields={"document": [str(_("This act is not in force."))]},
        )
    if document_kind == DocumentKind.WRIT and act.writ_id is None:
        raise ApostilleError(
            ApostilleErrorCode.NO_WRIT,
            _("This act has no writ of execution."),
            fields={"document": [str(_("This act has no writ of execution."))]},
        )
    if document_kind not in DocumentKind.values:
        raise ApostilleError(ApostilleErrorCode.DOCUMENT_NOT_FOUND, _("Choose the document."))
    if not countries.is_known(country):
        raise ApostilleError(
            ApostilleErrorCode.COUNTRY,
            _("Choose the country where the document will be used."),
            fields={"country": [str(_("Choose the country where the document will be used."))]},
        )


def request_apostille(
    *, act: Act, document_kind: str, applicant: Person, country: str, channel: str, actor: User | None
) -> ApostilleRequest:
    """A request for an apostille on a document of the applicant's own case, its fee computed from the
    rate table (per document, in MCI, on today's MCI)."""
    if not Party.objects.filter(case_id=act.case_id, person=applicant).exists():
        raise ApostilleNotFoundError(
            ApostilleErrorCode.DOCUMENT_NOT_FOUND, _("There is no such court document that you may ask about.")
        )
    check_apostillable(act=act, document_kind=document_kind, country=country)
    quote = service_fee(fee_kind="apostille", filer="individual", on=clock.today())
    return ApostilleRequest.objects.create(
        act=act,
        document_kind=document_kind,
        court_id=act.case.court_id,
        applicant=applicant,
        channel=channel,
        requested_by=actor,
        country=country,
        fee_amount=quote.amount,
        fee_basis=quote.basis,
        order_id=uuid.uuid4().hex,
    )


# --- The state fee ------------------------------------------------------------------------------


def start_payment(*, request: ApostilleRequest, callback_url: str, return_url: str) -> str:
    """Open the fee's payment with the gateway; answers its payment page's address."""
    if request.status != ApostilleStatus.AWAITING_PAYMENT:
        raise ApostilleConflictError(ApostilleErrorCode.ALREADY_PAID, _("The state fee of this request is paid."))
    return gateway(GATEWAY).create_payment(
        order_id=request.order_id, amount=request.fee_amount, callback_url=callback_url, return_url=return_url
    )


def _callback_log(body: bytes, *, refusal: str = "", request: ApostilleRequest | None = None) -> None:
    """The notice in the log; a refusal in a transaction of its own (the audit must outlive the refusal)."""
    with transaction.atomic():
        PaymentCallback.objects.create(
            gateway=GATEWAY,
            received_at=clock.now(),
            body=body.decode("utf-8", "replace")[:4000],
            accepted=not refusal,
            refusal=refusal,
            request=request,
        )


def record_payment_callback(*, body: bytes, signature: str) -> ApostilleRequest:
    """The gateway's signed notice: the request goes to the court office's queue. Refused (and logged)
    when forged, unknown or for a wrong amount; a repeated notice changes nothing."""
    try:
        result = gateway(GATEWAY).verify_callback(body=body, signature=signature)
    except (ValueError, KeyError, TypeError, InvalidOperation) as error:
        _callback_log(body, refusal=CallbackRefusal.MALFORMED)
        logger.warning("apostille payment notice refused: malformed (%s)", type(error).__name__)
        raise ApostilleError(
            ApostilleErrorCode.PAYMENT_REFUSED, _("The payment notice is not in the expected format.")
        ) from error
    if result is None:
        _callback_log(body, refusal=CallbackRefusal.BAD_SIGNATURE)
        logger.warning("apostille payment notice refused: bad signature")
        raise ApostilleError(
            ApostilleErrorCode.PAYMENT_REFUSED, _("The payment notice is not signed by the payment gateway.")
        )
    with transaction.atomic():
        request = ApostilleRequest.objects.select_for_update().filter(order_id=result.order_id).first()
        if request is not None and result.amount == request.fee_amount:
            _callback_log(body, request=request)
            _paid(request, result.status, result.receipt_number)
            return request
    if request is None:
        _callback_log(body, refusal=CallbackRefusal.NOT_FOUND)
        logger.warning("apostille payment notice refused: unknown order %s", result.order_id)
        raise ApostilleNotFoundError(ApostilleErrorCode.NOT_FOUND, _("There is no such payment."))
    _callback_log(body, refusal=CallbackRefusal.WRONG_AMOUNT, request=request)
    logger.warning("apostille payment %s refused: amount %s", request.order_id, result.amount)
    raise ApostilleError(
        ApostilleErrorCode.PAYMENT_REFUSED,
        _("The payment notice is for %(paid)s ₸, but %(expected)s ₸ are due."),
        params={"paid": result.amount, "expected": request.fee_amount},
    )


def _paid(request: ApostilleRequest, status: str, receipt_number: str) -> None:
    """A notice of the right amount: a first "paid" sends the request to the court office's queue."""
    if request.status == ApostilleStatus.AWAITING_PAYMENT and status == "paid":
        request.status = ApostilleStatus.QUEUED
        request.paid_at = clock.now()
        request.receipt_number = receipt_number
        request.save(update_fields=["status", "paid_at", "receipt_number", "updated_at"])


# --- The court office's decision ----------------------------------------------------------------


def _decidable(request: ApostilleRequest, actor: User) -> ApostilleRequest:
    if request.court_id not in office_court_ids(actor):
        raise ApostilleForbiddenError(
            ApostilleErrorCode.NOT_THE_OFFICE, _("Only the court office decides on apostille requests.")
        )
    locked = (
        ApostilleRequest.objects.select_for_update(of=("self",))
        .select_related("act__case", "court__region")
        .get(pk=request.pk)
    )
    if locked.status == ApostilleStatus.AWAITING_PAYMENT:
        raise ApostilleError(ApostilleErrorCode.NOT_PAID, _("The state fee of this request is not paid."))
    if locked.status != ApostilleStatus.QUEUED:
        raise ApostilleConflictError(ApostilleErrorCode.NOT_QUEUED, _("This request has been decided already."))
    return locked


def _next_number(request: ApostilleRequest, today: dt.date) -> str:
    sequence = counted(ApostilleCounter, "last", court=request.court_id, year=today.year)
    return f"{request.court.code}-{today.year % 100:02d}-A-{sequence:06d}"


def _three(kk: str, ru: str, en: str) -> str:
    return " / ".join(dict.fromkeys(part for part in (kk, ru, en) if part))


def _original(request: ApostilleRequest) -> tuple[bytes, str]:
    act = request.act
    if request.document_kind == DocumentKind.WRIT and act.writ is not None:
        stored, name = act.writ.file, act.writ.filename
    else:
        assert act.signed_file is not None  # noqa: S101 - an act in force is signed (check_apostillable)
        stored, name = act.signed_file, f"act-{act.public_id}.pdf"
    with open_stored_file(stored) as handle:
        return handle.read(), name


def _tell(request: ApostilleRequest, document: str) -> None:
    """The applicant's SMS (outbox, sent once the decision commits) to the phone given in the case, else
    the one on the person's record; none known: no SMS (the Judicial Office shows the decision)."""
    person = request.applicant
    given = Party.objects.filter(case_id=request.act.case_id, person=person).exclude(phone="").first()
    phone = (given.phone if given is not None else "") or person.phone.strip()
    if not phone:
        return
    with translation.override(person.preferred_language or "kk"):
        url = f"{settings.TORELIK_PUBLIC_URL.rstrip('/')}{reverse('apostille:request', args=[request.public_id])}"
    try:
        enqueue(
            template=Template.DOCUMENT_RECEIVED,
            language=person.preferred_language or "kk",
            payload={"case_number": request.act.case.number, "document": document, "url": url},
            phone=phone,
            recipient_name=person.full_name,
            cause=f"apostille:{request.public_id}:{request.status}",
            case=request.act.case,
            channel="sms",
        )
    except InvalidPhoneError:
        logger.warning("apostille %s: the applicant's phone is not valid, no SMS", request.public_id)


@transaction.atomic
def issue_apostille(*, request: ApostilleRequest, actor: User) -> ApostilleRequest:
    """Issue the apostille: number, the certificate's fields, the PDF with the original attached,
    sealed by the court; the applicant is told by SMS."""
    locked = _decidable(request, actor)
    act, court = locked.act, locked.court
    now = clock.now()
    today = clock.today()
    number = _next_number(locked, today)
    region = court.region
    seal_names = _three(court.name_kk, court.name_ru, court.name_en)
    seal = court_seal(court.code, court.name_ru or court.name)
    original, filename = _original(locked)
    locked.number, locked.issued_on, locked.issued_at = number, today, now
    locked.signed_by = act.signer_name
    locked.capacity = _three("судья", "судья", "judge")
    locked.seal_of = seal_names
    locked.certified_at = _three(region.centre_kk, region.centre_ru, region.centre_en) if region else ""
    locked.certified_by = seal_names
    locked.officer = actor.person.full_name if actor.person is not None else actor.get_username()
    locked.original_sha256 = hashlib.sha256(original).hexdigest()
    printed = PrintedApostille(
        signed_by=locked.signed_by,
        capacity=locked.capacity,
        seal_of=locked.seal_of,
        certified_at=locked.certified_at,
        date=today.strftime("%d.%m.%Y"),
        certified_by=locked.certified_by,
        number=number,
        seal=_three("Электрондық мөр", "Электронная печать", "Electronic seal") + f": {seal_common_name(seal)}",
        officer=locked.officer,
        verify_url=verify_url(number, today),
        original_name=filename,
        original_sha256=locked.original_sha256,
    )
    pdf = attach_original(render_apostille_pdf(printed), original=original, filename=filename)
    sealed = seal_pdf(
        pdf, signer=seal, field_name=SEAL_FIELD, reason=f"Apostille {number}", location=locked.certified_at[:100]
    )
    locked.pdf = store_content(sealed, "application/pdf")
    locked.status, locked.decided_at, locked.issued_by = ApostilleStatus.ISSUED, now, actor
    locked.save()
    _tell(locked, f"Apostille {number}")
    return locked


@transaction.atomic
def refuse_apostille(*, request: ApostilleRequest, actor: User, reason: str) -> ApostilleRequest:
    """Refuse with a reason (the applicant reads it in the Judicial Office); the refusal is registered
    under a number of its own, so that the register can answer for it."""
    if not reason.strip():
        raise ApostilleError(
            ApostilleErrorCode.NO_REASON,
            _("Give the reason for the refusal."),
            fields={"reason": [str(_("Give the reason for the refusal."))]},
        )
    locked = _decidable(request, actor)
    today = clock.today()
    locked.number, locked.issued_on = _next_number(locked, today), today
    locked.status, locked.decided_at, locked.issued_by = ApostilleStatus.REFUSED, clock.now(), actor
    locked.refusal_reason = reason.strip()[:2000]
    locked.save()
    _tell(locked, f"Apostille {locked.number}")
    return locked


@transaction.atomic
def revoke_apostille(*, request: ApostilleRequest, actor: User, reason: str) -> ApostilleRequest:
    """An issued apostille withdrawn (issued in error, or the act quashed): the register says so."""
    if request.court_id not in office_court_ids(actor):
        raise ApostilleForbiddenError(
            ApostilleErrorCode.NOT_THE_OFFICE, _("Only the court office decides on apostille requests.")
        )
    if not reason.strip():
        raise ApostilleError(
            ApostilleErrorCode.NO_REASON,
            _("Give the reason for the revocation."),
            fields={"reason": [str(_("Give the reason for the revocation."))]},
        )
    locked = ApostilleRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != ApostilleStatus.ISSUED:
        raise ApostilleConflictError(ApostilleErrorCode.NOT_ISSUED, _("Only an issued apostille is revoked."))
    locked.status, locked.revoked_at = ApostilleStatus.REVOKED, clock.now()
    locked.revocation_reason = reason.strip()[:2000]
    locked.save(update_fields=["status", "revoked_at", "revocation_reason", "updated_at"])
    return locked
