"""Every write of the filing context: drafts and their attachments, the state fee and its payment,
the signed submission that registers a case (or adds to one), representations, API clients, PSC
confirmation codes, and the status trail that follows the case."""

import datetime as dt
import hashlib
import io
import logging
import secrets
import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from torelik.archive.actions import store_file
from torelik.archive.errors import ArchiveError
from torelik.archive.file_store import file_store
from torelik.archive.models import StoredFile
from torelik.cases.actions import DocumentInput, PartyInput, add_document, link_cases, register_case
from torelik.cases.errors import CaseError
from torelik.cases.events import CaseEventRecorded
from torelik.cases.models import (
    REPRESENTING_ROLES,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseLinkKind,
    CaseStatus,
    Channel,
    DocumentType,
    Instance,
    Party,
    PartyRole,
)
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.core.identifiers import BIN, IIN, IdentifierError
from torelik.courts.models import CaseCategory, Court, CourtKind, StaffPosition, StaffRole
from torelik.filing import fees, kinds, sms
from torelik.filing.errors import (
    ApiClientError,
    FilingConflictError,
    FilingError,
    FilingErrorCode,
    FilingForbiddenError,
    FilingNotFoundError,
    PaymentCallbackError,
)
from torelik.filing.manifest import canonical_manifest
from torelik.filing.models import (
    ApiClient,
    Attachment,
    AttachmentRole,
    FilerType,
    Filing,
    FilingEvent,
    FilingStatus,
    Payment,
    PaymentCallback,
    PaymentStatus,
    PscConfirmation,
    Representation,
)
from torelik.filing.payments import gateway
from torelik.filing.signatures import verify_signing_signature
from torelik.identity.models import User

logger = logging.getLogger("torelik.filing")

ATTACHMENT_MEDIA_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
PSC_CODE_TTL = dt.timedelta(minutes=10)
PSC_MAX_ATTEMPTS = 5


def _trail(filing: Filing, status: str, **data: Any) -> FilingEvent:
    return FilingEvent.objects.create(filing=filing, status=status, at=clock.now(), data=data)


def _refuse(code: FilingErrorCode, message: Any, field: str | None = None, **params: Any) -> FilingError:
    error = FilingError(code, message, params=params)
    if field:
        error.fields = {field: [error.message]}
    return error


def _locked_draft(filing: Filing) -> Filing:
    locked = Filing.objects.select_for_update().get(pk=filing.pk)
    if locked.status != FilingStatus.DRAFT:
        raise FilingConflictError(
            FilingErrorCode.NOT_A_DRAFT, _("This filing was already submitted and can no longer be changed.")
        )
    return locked


# Drafts


@transaction.atomic
def start_draft(
    *,
    kind: str,
    filer_iin: str,
    actor: User | None,
    channel: str = Channel.JUDICIAL_OFFICE,
    api_client: ApiClient | None = None,
) -> Filing:
    """Open a draft of `kind` in the name of the person `filer_iin`."""
    if kind not in kinds.SPECS:
        raise _refuse(FilingErrorCode.INVALID, _("Unknown kind of filing."), "kind")
    try:
        iin = str(IIN.parse(filer_iin))
    except IdentifierError as error:
        raise _refuse(FilingErrorCode.INVALID, error.message, "filer_iin") from error
    filing = Filing.objects.create(
        kind=kind,
        filer_iin=iin,
        channel=channel,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        api_client=api_client,
    )
    _trail(filing, FilingStatus.DRAFT)
    return filing


MAX_CLAIM_AMOUNT = Decimal(10) ** 14


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation as error:
        raise _refuse(FilingErrorCode.INVALID, _("Give the claim amount in tenge, as a number."), "claim_amount") from (
            error
        )
    if not amount.is_finite():
        raise _refuse(FilingErrorCode.INVALID, _("Give the claim amount in tenge, as a number."), "claim_amount")
    if amount < 0:
        raise _refuse(FilingErrorCode.INVALID, _("The claim amount cannot be negative."), "claim_amount")
    if amount >= MAX_CLAIM_AMOUNT:  # the column holds 14 digits of tenge (and no claim is larger)
        raise _refuse(
            FilingErrorCode.INVALID,
            _("The claim amount is larger than any claim can be (at most 14 digits of tenge)."),
            "claim_amount",
        )
    return amount.quantize(Decimal("0.01"))


def filer_type(filing: Filing) -> str:
    return FilerType.LEGAL_ENTITY if filing.filer_bin else FilerType.INDIVIDUAL


def quote_fee(filing: Filing) -> fees.FeeQuote:
    """The state fee of the draft as it stands (shown before signing)."""
    spec = kinds.SPECS[filing.kind]
    proceeding_type = filing.category.proceeding_type if filing.category is not None else None
    if spec.higher_instance and filing.target_case is not None:
        proceeding_type = filing.target_case.proceeding_type
    amount = filing.claim_amount
    if spec.higher_instance and amount is None and filing.target_case is not None:
        amount = filing.target_case.claim_amount
    return fees.compute_fee(
        kind=filing.kind,
        filer=filer_type(filing),
        proceeding_type=proceeding_type,
        claim_amount=amount,
        on=clock.today(),
        exemption_code=filing.fee_exemption,
    )


def update_draft(
    *,
    filing: Filing,
    actor: User | None,
    court_code: str | None = None,
    category_code: str | None = None,
    case_number: str | None = None,
    subject: str | None = None,
    claim_amount: Any = None,
    filer_bin: str | None = None,
    on_behalf_of_iin: str | None = None,
    fee_exemption: str | None = None,
    data: Mapping[str, Any] | None = None,
) -> dict[str, list[str]]:
    """Save the form of a draft: what is given and valid replaces what was there, the rest stays
    (a draft is never lost over one bad field). Answers the refused fields with their reasons."""
    fields: dict[str, list[str]] = {}

    def bad(name: str, message: Any) -> None:
        fields.setdefault(name, []).append(str(message))

    with transaction.atomic():
        locked = _locked_draft(filing)
        if court_code is not None:
            court = Court.objects.filter(code=court_code, is_active=True).first() if court_code else None
            if court_code and court is None:
                bad("court", _("There is no court with this code."))
            else:
                locked.court = court
        if category_code is not None:
            category = (
                CaseCategory.objects.filter(code=category_code, is_active=True).first() if category_code else None
            )
            if category_code and category is None:
                bad("category", _("There is no case category with this code."))
            else:
                locked.category = category
        if case_number is not None:
            number = case_number.strip()
            target = Case.objects.filter(number=number).first() if number else None
            if number and target is None:
                bad("case", _("There is no case with this number."))
            else:
                locked.target_case = target
        if subject is not None:
            locked.subject = subject.strip()[:5000]
        if claim_amount is not None:
            try:
                locked.claim_amount = _amount(claim_amount)
            except FilingError as error:
                bad("claim_amount", error.message)
        if filer_bin is not None:
            try:
                locked.filer_bin = str(BIN.parse(filer_bin)) if filer_bin.strip() else ""
            except IdentifierError as error:
                bad("filer_bin", error.message)
        if on_behalf_of_iin is not None:
            try:
                locked.on_behalf_of_iin = str(IIN.parse(on_behalf_of_iin)) if on_behalf_of_iin.strip() else ""
            except IdentifierError as error:
                bad("on_behalf_of_iin", error.message)
        if fee_exemption is not None:
            if fee_exemption and fees.exemption(fee_exemption, clock.today()) is None:
                bad("fee_exemption", _("Unknown ground of exemption from the state fee."))
            else:
                locked.fee_exemption = fee_exemption
        if data is not None:
            cleaned, problems = kinds.clean_data(locked.kind, dict(data))
            for name, messages in problems.items():
                for message in messages:
                    bad(name, message)
            locked.data = cleaned
        if locked.target_case is not None and kinds.SPECS[locked.kind].higher_instance:
            locked.court = higher_court(locked.target_case, locked.kind)
        quote = quote_fee(locked)
        locked.fee_amount, locked.fee_basis = quote.amount, quote.basis
        locked.save()
    filing.refresh_from_db()
    return fields


def higher_court(case: Case, kind: str) -> Court | None:
    """Where an appeal (the court above) or a cassation petition (the cassation court of the
    proceeding type, else the Supreme Court) of `case` goes."""
    if kind == kinds.FilingKind.APPEAL:
        court = case.court
        if court.kind in (CourtKind.DISTRICT, CourtKind.SPECIALISED):
            return court.parent or Court.objects.filter(region=court.region, kind=CourtKind.REGIONAL).first()
        return None
    cassation = Court.objects.filter(kind=CourtKind.CASSATION, is_active=True)
    specialised = cassation.filter(specialisation=case.category.specialisation).first()
    return specialised or cassation.first() or Court.objects.filter(kind=CourtKind.SUPREME).first()


def max_attachment_size() -> int:
    return int(settings.TORELIK_FILING_MAX_ATTACHMENT_MB) * 1024 * 1024


def add_attachment(
    *,
    filing: Filing,
    actor: User | None,
    content: IO[bytes],
    filename: str,
    role: str = AttachmentRole.EVIDENCE,
    title: str = "",
    page_count: int = 1,
) -> Attachment:
    """Keep an uploaded file with the draft: PDF, JPEG or PNG by its content (not its name), within
    the size limit."""
    if role not in AttachmentRole.values:
        raise _refuse(FilingErrorCode.INVALID, _("Unknown role of an attachment."), "role")
    if filing.attachments.count() >= settings.TORELIK_FILING_MAX_ATTACHMENTS:
        raise _refuse(
            FilingErrorCode.TOO_MANY_ATTACHMENTS,
            _("A filing has at most %(count)s attachments."),
            "file",
            count=settings.TORELIK_FILING_MAX_ATTACHMENTS,
        )
    try:
        stored = store_file(
            content=content,
            filename=filename,
            max_size=max_attachment_size(),
            allowed_media_types=ATTACHMENT_MEDIA_TYPES,
        )
    except ArchiveError as error:
        logger.warning("filing %s: attachment %r refused: %s", filing.public_id, filename, error.code)
        refused = FilingError(FilingErrorCode.ATTACHMENT_REFUSED, error.message, fields={"file": [error.message]})
        refused.reason = error.code  # type: ignore[attr-defined]
        raise refused from error
    with transaction.atomic():
        locked = _locked_draft(filing)
        return Attachment.objects.create(
            filing=locked,
            role=role,
            title=title.strip()[:300],
            filename=filename[:255],
            file=stored,
            page_count=max(page_count, 1),
        )


@transaction.atomic
def remove_attachment(*, attachment: Attachment, actor: User | None) -> None:
    _locked_draft(attachment.filing)
    attachment.delete()


# Representations


@transaction.atomic
def register_representation(
    *,
    representative_iin: str,
    power_of_attorney: IO[bytes],
    filename: str,
    client_iin: str = "",
    client_bin: str = "",
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> Representation:
    """Record that a lawyer or representative acts for a client under a power of attorney (a PDF)."""
    representative = str(IIN.parse(representative_iin))
    client = str(IIN.parse(client_iin)) if client_iin else ""
    organisation = str(BIN.parse(client_bin)) if client_bin else ""
    if not client and not organisation:
        raise _refuse(FilingErrorCode.INVALID, _("Give the client's IIN or BIN."), "client_iin")
    stored = store_file(content=power_of_attorney, filename=filename, max_size=max_attachment_size())
    return Representation.objects.create(
        representative_iin=representative,
        client_iin=client,
        client_bin=organisation,
        power_of_attorney=stored,
        valid_from=valid_from or clock.today(),
        valid_until=valid_until,
    )


def represents(representative_iin: str, *, client_iin: str = "", client_bin: str = "") -> Representation | None:
    today = clock.today()
    rows = Representation.objects.filter(representative_iin=representative_iin, revoked_at__isnull=True).exclude(
        valid_from__gt=today
    )
    rows = rows.exclude(valid_until__lt=today)
    if client_iin:
        return rows.filter(client_iin=client_iin).first()
    if client_bin:
        return rows.filter(client_bin=client_bin).first()
    return None


# The state fee


def paid_payment(filing: Filing) -> Payment | None:
    return filing.payments.filter(status=PaymentStatus.PAID).order_by("-paid_at").first()


def fee_settled(filing: Filing) -> bool:
    """Paid, exempt, with a petition for exemption or deferral attached, or no fee at all."""
    if not filing.fee_amount or filing.fee_exemption:
        return True
    if filing.attachments.filter(role=AttachmentRole.FEE_PETITION).exists():
        return True
    payment = paid_payment(filing)
    return payment is not None and payment.amount >= filing.fee_amount


@transaction.atomic
def start_payment(*, filing: Filing, actor: User | None, callback_url: str, return_url: str) -> tuple[Payment, str]:
    """Open a payment of the draft's state fee with the gateway; answers it and the payment page's URL."""
    locked = _locked_draft(filing)
    quote = quote_fee(locked)
    locked.fee_amount, locked.fee_basis = quote.amount, quote.basis
    locked.save(update_fields=["fee_amount", "fee_basis", "updated_at"])
    if quote.payable <= 0 or fee_settled(locked):
        raise _refuse(FilingErrorCode.NOTHING_TO_PAY, _("There is no state fee left to pay for this filing."))
    pending = locked.payments.filter(status=PaymentStatus.PENDING, amount=quote.payable).first()
    payment = pending or Payment.objects.create(
        filing=locked, gateway="sandbox", order_id=uuid.uuid4().hex, amount=quote.payable
    )
    url = gateway(payment.gateway).create_payment(
        order_id=payment.order_id, amount=payment.amount, callback_url=callback_url, return_url=return_url
    )
    return payment, url


def _callback_log(gateway_name: str, body: bytes, *, refusal: str = "", payment: Payment | None = None) -> None:
    PaymentCallback.objects.create(
        gateway=gateway_name,
        received_at=clock.now(),
        body=body.decode("utf-8", "replace")[:4000],
        accepted=not refusal,
        refusal=refusal,
        payment=payment,
    )


def record_payment_callback(*, gateway_name: str, body: bytes, signature: str) -> Payment:
    """A gateway's callback: refused (and logged) when its signature or amount is wrong; a repeated
    callback of a paid payment changes nothing."""
    try:
        result = gateway(gateway_name).verify_callback(body=body, signature=signature)
    except (ValueError, KeyError, TypeError, InvalidOperation, LookupError) as error:
        with transaction.atomic():
            _callback_log(gateway_name, body, refusal=FilingErrorCode.PAYMENT_MALFORMED)
        logger.warning("payment callback refused: malformed (%s)", type(error).__name__)
        raise PaymentCallbackError(
            FilingErrorCode.PAYMENT_MALFORMED, _("The payment notice is not in the expected format.")
        ) from error
    if result is None:
        with transaction.atomic():
            _callback_log(gateway_name, body, refusal=FilingErrorCode.PAYMENT_BAD_HMAC)
        logger.warning("payment callback refused: bad signature")
        raise PaymentCallbackError(
            FilingErrorCode.PAYMENT_BAD_HMAC, _("The payment notice is not signed by the payment gateway.")
        )
    with transaction.atomic():
        payment = Payment.objects.select_for_update().filter(order_id=result.order_id, gateway=gateway_name).first()
        if payment is not None and result.amount == payment.amount:
            _callback_log(gateway_name, body, payment=payment)
            if payment.status == PaymentStatus.PAID:
                return payment  # idempotent: the gateway may repeat its notice
            if result.status == PaymentStatus.PAID:
                payment.status, payment.paid_at = PaymentStatus.PAID, clock.now()
                payment.receipt_number = result.receipt_number or None
            elif result.status == PaymentStatus.DECLINED:
                payment.status = PaymentStatus.DECLINED
            payment.save()
            return payment
    # Refusals are logged in their own transaction (the audit must outlive the refusal).
    with transaction.atomic():
        if payment is None:
            _callback_log(gateway_name, body, refusal=FilingErrorCode.PAYMENT_NOT_FOUND)
        else:
            _callback_log(gateway_name, body, refusal=FilingErrorCode.PAYMENT_WRONG_AMOUNT, payment=payment)
    if payment is None:
        logger.warning("payment callback refused: unknown order %s", result.order_id)
        raise FilingNotFoundError(FilingErrorCode.PAYMENT_NOT_FOUND, _("There is no such payment."))
    logger.warning(
        "payment callback %s refused: amount %s, expected %s", payment.order_id, result.amount, payment.amount
    )
    raise PaymentCallbackError(
        FilingErrorCode.PAYMENT_WRONG_AMOUNT,
        _("The payment notice is for %(paid)s ₸, but %(expected)s ₸ are due."),
        params={"paid": result.amount, "expected": payment.amount},
    )


@transaction.atomic
def verify_receipt(*, filing: Filing, receipt_number: str) -> Payment:
    """A fee paid elsewhere (or whose notice was lost): ask the gateway by receipt number."""
    receipt = receipt_number.strip()
    known = Payment.objects.filter(receipt_number=receipt, status=PaymentStatus.PAID).first()
    if known is not None:
        if known.filing_id != filing.pk:
            raise _refuse(FilingErrorCode.RECEIPT_NOT_FOUND, _("This receipt pays another filing."), "receipt_number")
        return known
    status = gateway("sandbox").status_by_receipt(receipt) if receipt else None
    if status is None or status.status != PaymentStatus.PAID:
        raise _refuse(
            FilingErrorCode.RECEIPT_NOT_FOUND, _("No paid state fee has this receipt number."), "receipt_number"
        )
    payment = Payment.objects.select_for_update().filter(order_id=status.order_id).first()
    if payment is None or payment.filing_id != filing.pk:
        raise _refuse(FilingErrorCode.RECEIPT_NOT_FOUND, _("This receipt pays another filing."), "receipt_number")
    if status.amount != payment.amount:
        raise _refuse(FilingErrorCode.PAYMENT_WRONG_AMOUNT, _("The receipt is for another amount."), "receipt_number")
    payment.status, payment.paid_at, payment.receipt_number = PaymentStatus.PAID, clock.now(), receipt
    payment.save()
    return payment


# Submission


def check_ready(filing: Filing) -> None:
    """Everything a filing needs before it can be signed and sent, as one refusal listing the fields."""
    spec = kinds.SPECS[filing.kind]
    fields: dict[str, list[str]] = {}

    def bad(name: str, message: Any) -> None:
        fields.setdefault(name, []).append(str(message))

    if spec.existing_case and filing.target_case is None:
        bad("case", _("Give the number of the case this filing concerns."))
    if spec.new_case:
        if filing.court is None:
            bad("court", _("Choose the court."))
        if filing.category is None and not spec.higher_instance:
            bad("category", _("Choose the category of the case."))
        if not spec.higher_instance:
            roles = {p.get("role") for p in filing.data.get("parties", [])}
            for role in spec.required_other_roles:
                if role not in roles:
                    bad("parties", _("Add the %(role)s.") % {"role": PartyRole(role).label})
    if spec.higher_instance and filing.target_case is not None and filing.court is None:
        bad("court", _("There is no higher court for this case."))
    for name in spec.required_data:
        if not str(filing.data.get(name, "")).strip():
            bad(name, _("This field is required."))
    if not filing.attachments.filter(role=AttachmentRole.FILING).exists():
        bad("attachments", _("Attach the filing itself (PDF or a scan)."))
    if fields:
        raise FilingError(
            FilingErrorCode.INVALID, _("The filing is not complete: correct the marked fields."), fields=fields
        )
    if not fee_settled(filing):
        raise _refuse(
            FilingErrorCode.FEE_NOT_PAID,
            _("The state fee of %(amount)s ₸ is not paid."),
            "fee",
            amount=filing.fee_amount,
        )


def _check_party_of_case(filing: Filing, iin: str) -> None:
    case = filing.target_case
    assert case is not None  # noqa: S101 - checked by check_ready
    if not Party.objects.filter(case=case, person__iin=iin).exists():
        raise FilingForbiddenError(
            FilingErrorCode.NOT_A_PARTY,
            _("Only a party of case %(number)s or its representative files in it."),
            params={"number": case.number},
        )


def _check_signer(filing: Filing, signer_iin: str, signer_bin: str) -> None:
    """The signer is the filer, or the filer's registered representative; a filing for a company
    is signed with a certificate of that company; a filing for a client needs a representation."""
    if signer_iin != filing.filer_iin and represents(signer_iin, client_iin=filing.filer_iin) is None:
        raise FilingForbiddenError(
            FilingErrorCode.SIGNER_NOT_FILER,
            _("The filing is signed by IIN %(signer)s, who is neither the filer nor their registered representative."),
            params={"signer": signer_iin},
        )
    if filing.filer_bin and signer_bin != filing.filer_bin:
        raise FilingForbiddenError(
            FilingErrorCode.SIGNER_NOT_ORGANISATION,
            _("A filing of organisation %(bin)s must be signed with a certificate of that organisation."),
            params={"bin": filing.filer_bin},
        )
    if filing.on_behalf_of_iin and represents(filing.filer_iin, client_iin=filing.on_behalf_of_iin) is None:
        raise FilingForbiddenError(
            FilingErrorCode.NOT_REPRESENTATIVE,
            _("IIN %(filer)s is not a registered representative of IIN %(client)s."),
            params={"filer": filing.filer_iin, "client": filing.on_behalf_of_iin},
        )


def _store_blob(data: bytes, media_type: str) -> StoredFile:
    stored = file_store().save(io.BytesIO(data))
    row, _created = StoredFile.objects.get_or_create(
        sha256=stored.sha256, defaults={"size": stored.size, "media_type": media_type}
    )
    return row


def _log_refusal(filing: Filing, error: DomainError) -> None:
    logger.warning(
        "filing %s refused: %s (%s)", filing.public_id, error.code, getattr(error, "reason", "") or error.message
    )


def submit_filing(
    *, filing: Filing, signature: bytes, actor: User | None, signed_manifest: bytes | None = None
) -> Filing:
    """Verify the filer's signature over the manifest recomputed from the stored draft, then send the
    filing to the court: a new case (registered, distributed after commit) or a document of its case.
    Any refusal leaves the draft as it was."""
    try:
        return _submit(filing=filing, signature=signature, actor=actor, signed_manifest=signed_manifest)
    except DomainError as error:
        _log_refusal(filing, error)
        raise


def _submit(*, filing: Filing, signature: bytes, actor: User | None, signed_manifest: bytes | None) -> Filing:
    if filing.status != FilingStatus.DRAFT:
        raise FilingConflictError(FilingErrorCode.REPLAYED, _("This filing was already submitted."))
    signature_sha256 = hashlib.sha256(signature).hexdigest()
    if Filing.objects.filter(signature_sha256=signature_sha256).exists():
        raise FilingConflictError(
            FilingErrorCode.REPLAYED, _("This signature was already used for a submission: sign again.")
        )
    check_ready(filing)
    manifest = canonical_manifest(filing)
    if signed_manifest is not None and signed_manifest != manifest:
        raise _refuse(
            FilingErrorCode.MANIFEST_MISMATCH,
            _("The signed manifest is not the manifest of this filing as stored: it was changed after signing."),
            "signature",
        )
    # Verified against the manifest recomputed here: a tampered attachment or field fails.
    signer = verify_signing_signature(manifest, signature)
    _check_signer(filing, signer.iin, signer.bin)
    if kinds.SPECS[filing.kind].existing_case:
        _check_party_of_case(filing, filing.on_behalf_of_iin or filing.filer_iin)
    return _send(
        filing=filing,
        manifest=manifest,
        signature=signature,
        signature_sha256=signature_sha256,
        signer_iin=signer.iin,
        signer_name=signer.common_name,
        actor=actor,
    )


def _send(
    *,
    filing: Filing,
    manifest: bytes,
    signature: bytes | None,
    signature_sha256: str | None,
    signer_iin: str,
    signer_name: str,
    actor: User | None,
) -> Filing:
    with transaction.atomic():
        locked = _locked_draft(filing)
        if canonical_manifest(locked) != manifest:
            raise _refuse(
                FilingErrorCode.MANIFEST_MISMATCH,
                _("The filing changed while it was being signed: sign it again."),
                "signature",
            )
        now = clock.now()
        locked.manifest = _store_blob(manifest, "application/json")
        if signature is not None:
            locked.signature = _store_blob(signature, "application/pkcs7-signature")
        locked.signature_sha256 = signature_sha256
        locked.signer_iin, locked.signer_name = signer_iin, signer_name[:300]
        locked.submitted_at = now
        locked.status = FilingStatus.SUBMITTED
        try:
            with transaction.atomic():
                locked.save()
        except IntegrityError as error:
            raise FilingConflictError(
                FilingErrorCode.REPLAYED, _("This signature was already used for a submission: sign again.")
            ) from error
        _trail(locked, FilingStatus.SUBMITTED, signer=signer_iin)
        try:
            _to_court(locked, actor)
        except CaseError as error:
            refused = FilingError(FilingErrorCode.INVALID, error._message, params=error.params, fields=error.fields)  # noqa: SLF001
            raise refused from error
    filing.refresh_from_db()
    return filing


def _filer_party(filing: Filing, role: str) -> PartyInput:
    person_iin = filing.on_behalf_of_iin or filing.filer_iin
    given = next((p for p in filing.data.get("parties", []) if p.get("iin") == person_iin), None)
    from torelik.identity.models import Person  # noqa: PLC0415 - only needed here

    person = Person.objects.filter(iin=person_iin).first()
    if filing.filer_bin:
        organisation = filing.data.get("filer_organisation_name") or filing.filer_bin
        return PartyInput(role=role, bin=filing.filer_bin, organisation_name=str(organisation))
    return PartyInput(
        role=role,
        iin=person_iin,
        surname=(person.surname if person else "") or str((given or {}).get("surname", "")) or "—",
        given_name=(person.given_name if person else "") or str((given or {}).get("given_name", "")) or "—",
        patronymic=(person.patronymic if person else "") or str((given or {}).get("patronymic", "")),
        phone=(person.phone if person else "") or str(filing.data.get("phone", "")),
        email=(person.email if person else "") or str(filing.data.get("email", "")),
        address=str(filing.data.get("address", "")),
    )


def _other_parties(filing: Filing) -> list[PartyInput]:
    parties = []
    for row in filing.data.get("parties", []):
        if row.get("iin") and row.get("iin") in (filing.filer_iin, filing.on_behalf_of_iin):
            continue
        parties.append(
            PartyInput(
                role=str(row.get("role", "")),
                iin=str(row.get("iin", "")),
                bin=str(row.get("bin", "")),
                surname=str(row.get("surname", "")),
                given_name=str(row.get("given_name", "")),
                patronymic=str(row.get("patronymic", "")),
                organisation_name=str(row.get("organisation_name", "")),
                address=str(row.get("address", "")),
                phone=str(row.get("phone", "")),
            )
        )
    return parties


def _documents(filing: Filing) -> list[DocumentInput]:
    spec = kinds.SPECS[filing.kind]
    known = set(DocumentType.objects.values_list("code", flat=True))
    documents = []
    for attachment in filing.attachments.select_related("file").order_by("created_at", "id"):
        if attachment.role == AttachmentRole.FILING:
            code = spec.document_type
        elif attachment.role == AttachmentRole.POWER_OF_ATTORNEY:
            code = "power_of_attorney"
        elif attachment.role == AttachmentRole.EVIDENCE:
            code = "evidence"
        else:
            code = "other"
        if code not in known:
            code = "other" if "other" in known else spec.document_type
        from torelik.archive.queries import open_stored_file  # noqa: PLC0415

        with open_stored_file(attachment.file) as handle:
            content = io.BytesIO(handle.read())
        documents.append(
            DocumentInput(
                document_type=code,
                title=attachment.title or str(attachment.get_role_display()),
                filename=attachment.filename,
                content=content,
                page_count=attachment.page_count,
                author_party=0,
            )
        )
    return documents


def _to_court(filing: Filing, actor: User | None) -> None:
    spec = kinds.SPECS[filing.kind]
    documents = _documents(filing)
    channel = filing.channel
    if not spec.new_case:
        case = filing.target_case
        assert case is not None  # noqa: S101 - checked by check_ready
        author = Party.objects.filter(case=case, person__iin=filing.on_behalf_of_iin or filing.filer_iin).first()
        for document in documents:
            add_document(case=case, document=document, actor=actor, author=author)
        filing.case = case
        filing.status = FilingStatus.JOINED
        filing.save(update_fields=["case", "status", "updated_at"])
        _trail(filing, FilingStatus.JOINED, number=case.number)
        return
    filer = _filer_party(filing, spec.filer_role)
    parties = [filer, *_other_parties(filing)]
    if filing.on_behalf_of_iin:
        from torelik.identity.models import Person  # noqa: PLC0415

        lawyer = Person.objects.filter(iin=filing.filer_iin).first()
        parties.append(
            PartyInput(
                role=PartyRole.REPRESENTATIVE,
                iin=filing.filer_iin,
                surname=lawyer.surname if lawyer else "—",
                given_name=lawyer.given_name if lawyer else "—",
                represents=0,
            )
        )
    if spec.higher_instance:
        target = filing.target_case
        assert target is not None  # noqa: S101 - checked by check_ready
        assert filing.court is not None  # noqa: S101
        proceeding_type, category_code = target.proceeding_type, target.category.code
        instance = Instance.APPEAL if filing.kind == kinds.FilingKind.APPEAL else Instance.CASSATION
        parties = [filer, *_parties_of(target, exclude_iin=filing.on_behalf_of_iin or filing.filer_iin)]
    else:
        assert filing.category is not None  # noqa: S101 - checked by check_ready
        assert filing.court is not None  # noqa: S101
        proceeding_type, category_code, instance = filing.category.proceeding_type, filing.category.code, Instance.FIRST
    case = register_case(
        court=filing.court,
        proceeding_type=proceeding_type,
        category_code=category_code,
        parties=parties,
        documents=documents,
        actor=actor,
        channel=channel,
        instance=instance,
        subject=filing.subject,
        claim_amount=filing.claim_amount,
    )
    if spec.higher_instance and filing.target_case is not None:
        link_cases(from_case=case, to_case=filing.target_case, kind=CaseLinkKind.APPEAL_OF, actor=actor)
    filing.case = case
    filing.status = FilingStatus.REGISTERED
    filing.save(update_fields=["case", "status", "updated_at"])
    _trail(filing, FilingStatus.REGISTERED, number=case.number, court=case.court.code)


def _parties_of(case: Case, *, exclude_iin: str) -> list[PartyInput]:
    rows = []
    for party in case.parties.select_related("person", "organisation").exclude(role__in=REPRESENTING_ROLES):
        if party.person is not None and party.person.iin == exclude_iin:
            continue
        role = PartyRole.DEFENDANT if party.role in (PartyRole.CLAIMANT, PartyRole.APPLICANT) else PartyRole.THIRD_PARTY
        if party.person is not None:
            rows.append(
                PartyInput(
                    role=role,
                    iin=str(party.person.iin),
                    surname=party.person.surname,
                    given_name=party.person.given_name,
                    patronymic=party.person.patronymic,
                )
            )
        elif party.organisation is not None:
            rows.append(
                PartyInput(role=role, bin=str(party.organisation.bin), organisation_name=party.organisation.name)
            )
    return rows


# The e-government portal


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_api_client(*, name: str, channel: str = Channel.EGOV) -> tuple[ApiClient, str]:
    """A new partner credential; the token is shown once and only its hash is kept."""
    token = secrets.token_urlsafe(32)
    client = ApiClient.objects.create(name=name, channel=channel, token_sha256=_token_hash(token))
    return client, token


def api_client_for(token: str) -> ApiClient:
    client = ApiClient.objects.filter(token_sha256=_token_hash(token), is_active=True).first() if token else None
    if client is None:
        raise ApiClientError(FilingErrorCode.API_TOKEN_INVALID, _("The API credential is not valid."))
    return client


# The Public Service Centre


def is_psc_operator(user: User | None) -> bool:
    if user is None or not user.is_authenticated:
        return False
    today = clock.today()
    return (
        StaffPosition.objects.filter(user=user, role=StaffRole.PSC_OPERATOR)
        .exclude(starts_on__gt=today)
        .exclude(ends_on__lt=today)
        .exists()
    )


def _require_operator(user: User | None) -> None:
    if not is_psc_operator(user):
        raise FilingForbiddenError(
            FilingErrorCode.NOT_PSC_OPERATOR, _("Only a Public Service Centre operator files on behalf of citizens.")
        )


def start_psc_filing(*, operator: User, kind: str, citizen_iin: str) -> Filing:
    _require_operator(operator)
    return start_draft(kind=kind, filer_iin=citizen_iin, actor=operator, channel=Channel.PSC)


def send_psc_code(*, filing: Filing, operator: User, phone: str = "") -> tuple[PscConfirmation, str | None]:
    """Send the citizen a confirmation code: by SMS through the notifications outbox when a phone is
    given (the citizen's, from the form or their record), else it is to be shown on the operator's
    screen. Answers the code when it must be shown."""
    _require_operator(operator)
    check_ready(filing)
    code = f"{secrets.randbelow(10**6):06d}"
    now = clock.now()
    from torelik.identity.models import Person  # noqa: PLC0415

    person = Person.objects.filter(iin=filing.filer_iin).first()
    phone = phone.strip() or (person.phone if person is not None else "")
    with transaction.atomic():
        _locked_draft(filing)
        attempt = PscConfirmation.objects.filter(filing=filing).count() + 1
        if phone:
            sms.send_code(
                phone=phone,
                code=code,
                filing=filing,
                attempt=attempt,
                language=person.preferred_language if person is not None else "kk",
            )
        PscConfirmation.objects.filter(filing=filing, confirmed_at__isnull=True).delete()
        confirmation = PscConfirmation.objects.create(
            filing=filing,
            code_sha256=_psc_code_hash(filing, code),
            phone=phone,
            sent_at=now,
            expires_at=now + PSC_CODE_TTL,
            delivery="sms" if phone else "screen",
        )
    return confirmation, None if phone else code


def _psc_code_hash(filing: Filing, code: str) -> str:
    """The code is bound to the filing as it was when the code was sent (its canonical manifest): a
    draft changed afterwards no longer matches, so the citizen confirms exactly what they were shown."""
    content = hashlib.sha256(canonical_manifest(filing)).hexdigest()
    return _token_hash(f"{filing.public_id}:{content}:{code}")


def confirm_psc_filing(*, filing: Filing, operator: User, code: str) -> Filing:
    """The citizen read back the code: the filing goes to the court with its scanned originals."""
    _require_operator(operator)
    with transaction.atomic():
        confirmation = PscConfirmation.objects.select_for_update().filter(filing=filing).first()
        if confirmation is None or confirmation.expires_at < clock.now():
            raise _refuse(FilingErrorCode.PSC_CODE_EXPIRED, _("The code has expired: send a new one."), "code")
        if confirmation.attempts >= PSC_MAX_ATTEMPTS:
            raise _refuse(FilingErrorCode.PSC_CODE_EXPIRED, _("Too many wrong codes: send a new one."), "code")
        matches = secrets.compare_digest(confirmation.code_sha256, _psc_code_hash(filing, code.strip()))
        if not matches:
            confirmation.attempts += 1
            confirmation.save(update_fields=["attempts"])
    if not matches:
        logger.warning("PSC filing %s: wrong confirmation code", filing.public_id)
        raise _refuse(FilingErrorCode.PSC_CODE_WRONG, _("The code is not right."), "code")
    check_ready(filing)
    with transaction.atomic():
        PscConfirmation.objects.filter(pk=confirmation.pk).update(confirmed_at=clock.now())
        Filing.objects.filter(pk=filing.pk).update(psc_confirmed_at=clock.now())
        filing.refresh_from_db()
        return _send(
            filing=filing,
            manifest=canonical_manifest(filing),
            signature=None,
            signature_sha256=None,
            signer_iin="",
            signer_name="",
            actor=operator,
        )


# Reactions to the case file

_STATUS_TRAIL = {
    CaseStatus.ACCEPTED: FilingStatus.ACCEPTED,
    CaseStatus.RETURNED: FilingStatus.RETURNED,
    CaseStatus.REFUSED: FilingStatus.REFUSED,
    CaseStatus.LEFT_WITHOUT_MOTION: FilingStatus.LEFT_WITHOUT_MOTION,
}


def follow_case_event(event: CaseEventRecorded) -> None:
    """In the transaction of the case change: the filings that became this case take the step
    into their trail (judge assigned; accepted, returned, refused or left without motion, with
    the reason)."""
    if event.kind not in (CaseEventKind.ASSIGNED, CaseEventKind.STATUS_CHANGED):
        return
    filings = list(Filing.objects.filter(case_id=event.case_id, status__in=_FOLLOWED))
    if not filings:
        return
    row = CaseEvent.objects.select_related("case__judge__person").get(pk=event.event_id)
    if event.kind == CaseEventKind.ASSIGNED:
        judge = row.case.judge
        status = FilingStatus.ASSIGNED
        data: dict[str, Any] = {"judge": judge.person.full_name if judge is not None else ""}
    else:
        mapped = _STATUS_TRAIL.get(row.data.get("to", ""))
        if mapped is None:
            return
        status = mapped
        data = {"reason": str(row.data.get("reason", ""))}
    for filing in filings:
        filing.status = status
        filing.save(update_fields=["status", "updated_at"])
        _trail(filing, status, **data)


_FOLLOWED = [
    FilingStatus.REGISTERED,
    FilingStatus.ASSIGNED,
    FilingStatus.ACCEPTED,
    FilingStatus.LEFT_WITHOUT_MOTION,
]
