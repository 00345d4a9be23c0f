"""Writes of a filing itself: drafts and their attachments, the quoted state fee, representations,
and the signed submission that registers a case (or adds to one). The fee's payment is in
`fee_payments`, partners' credentials in `api_clients`, the Public Service Centre's path in `psc`,
the status trail in `trail`."""

import datetime as dt
import hashlib
import io
import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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
from torelik.cases.models import (
    REPRESENTING_ROLES,
    Case,
    CaseLinkKind,
    Channel,
    DocumentType,
    Instance,
    Party,
    PartyRole,
)
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.core.identifiers import BIN, IIN, IdentifierError
from torelik.courts.models import CaseCategory, Court, CourtKind
from torelik.filing import fees, kinds, queries
from torelik.filing.errors import (
    FilingConflictError,
    FilingError,
    FilingErrorCode,
    FilingForbiddenError,
    refusal,
)
from torelik.filing.manifest import canonical_manifest
from torelik.filing.models import (
    ApiClient,
    Attachment,
    AttachmentRole,
    FilerType,
    Filing,
    FilingStatus,
    Representation,
)
from torelik.filing.signatures import verify_signing_signature
from torelik.filing.trail import record_trail
from torelik.identity.models import User

logger = logging.getLogger("torelik.filing")

ATTACHMENT_MEDIA_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


def locked_draft(filing: Filing) -> Filing:
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
    public_id: uuid.UUID | None = None,
) -> Filing:
    """Open a draft of `kind` in the name of the person `filer_iin` (with `public_id` when the
    e-government portal chose it)."""
    if kind not in kinds.SPECS:
        raise refusal(FilingErrorCode.INVALID, _("Unknown kind of filing."), "kind")
    iin = _filer_iin(filer_iin)
    filing = Filing.objects.create(
        public_id=public_id or uuid.uuid4(),
        kind=kind,
        filer_iin=iin,
        channel=channel,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        api_client=api_client,
    )
    record_trail(filing, FilingStatus.DRAFT)
    return filing


def _filer_iin(value: str) -> str:
    try:
        return str(IIN.parse(value))
    except IdentifierError as error:
        raise refusal(FilingErrorCode.INVALID, error.message, "filer_iin") from error


MAX_CLAIM_AMOUNT = Decimal(10) ** 14


def _amount(value: Any) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).replace(" ", "").replace(",", "."))
    except InvalidOperation as error:
        raise refusal(FilingErrorCode.INVALID, _("Give the claim amount in tenge, as a number."), "claim_amount") from (
            error
        )
    if not amount.is_finite():
        raise refusal(FilingErrorCode.INVALID, _("Give the claim amount in tenge, as a number."), "claim_amount")
    if amount < 0:
        raise refusal(FilingErrorCode.INVALID, _("The claim amount cannot be negative."), "claim_amount")
    if amount >= MAX_CLAIM_AMOUNT:  # the column holds 14 digits of tenge (and no claim is larger)
        raise refusal(
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
        locked = locked_draft(filing)
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
    _check_role(role)
    if filing.attachments.count() >= settings.TORELIK_FILING_MAX_ATTACHMENTS:
        raise _too_many_attachments("file")
    stored = _store_attachment(filing, content, filename)
    with transaction.atomic():
        locked = locked_draft(filing)
        return Attachment.objects.create(
            filing=locked,
            role=role,
            title=title.strip()[:300],
            filename=filename[:255],
            file=stored,
            page_count=max(page_count, 1),
        )


def _check_role(role: str) -> None:
    if role not in AttachmentRole.values:
        raise refusal(FilingErrorCode.INVALID, _("Unknown role of an attachment."), "role")


def _too_many_attachments(field: str) -> FilingError:
    return refusal(
        FilingErrorCode.TOO_MANY_ATTACHMENTS,
        _("A filing has at most %(count)s attachments."),
        field,
        count=settings.TORELIK_FILING_MAX_ATTACHMENTS,
    )


def _store_attachment(filing: Filing, content: IO[bytes], filename: str) -> StoredFile:
    """The file in the content-addressed store, if it is a PDF, JPEG or PNG by its content and within
    the size limit."""
    try:
        return store_file(
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


@dataclass(frozen=True)
class AttachmentInput:
    content: IO[bytes]
    filename: str
    role: str = AttachmentRole.EVIDENCE
    title: str = ""
    page_count: int = 1


def replace_attachments(
    *, filing: Filing, actor: User | None, attachments: Sequence[AttachmentInput]
) -> dict[str, list[str]]:
    """Make `attachments` the draft's attachments, all of them or none: when one is refused the
    draft keeps the attachments it had, and the refused ones are answered (`attachments[i]`)."""
    if len(attachments) > settings.TORELIK_FILING_MAX_ATTACHMENTS:
        error = _too_many_attachments("attachments")
        return dict(error.fields)
    problems: dict[str, list[str]] = {}
    stored: list[StoredFile] = []
    for index, item in enumerate(attachments):
        try:
            _check_role(item.role)
            stored.append(_store_attachment(filing, item.content, item.filename))
        except FilingError as error:
            problems.setdefault(f"attachments[{index}]", []).extend(sum(error.fields.values(), []) or [error.message])
    if problems:
        return problems
    with transaction.atomic():
        locked = locked_draft(filing)
        locked.attachments.all().delete()
        Attachment.objects.bulk_create(
            Attachment(
                filing=locked,
                role=item.role,
                title=item.title.strip()[:300],
                filename=item.filename[:255],
                file=file,
                page_count=max(item.page_count, 1),
            )
            for item, file in zip(attachments, stored, strict=True)
        )
    return {}


@transaction.atomic
def remove_attachment(*, attachment: Attachment, actor: User | None) -> None:
    locked_draft(attachment.filing)
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
        raise refusal(FilingErrorCode.INVALID, _("Give the client's IIN or BIN."), "client_iin")
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
    if not queries.fee_settled(filing):
        raise refusal(
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
    check_standing(filing)


def check_standing(filing: Filing) -> None:
    """What a filing needs of its filer however it is confirmed (a signature, or a PSC code sent to
    the filer): a filing for a client needs the filer's registered representation of that client,
    and a filing in an existing case needs the person it is for to be a party of that case."""
    if filing.on_behalf_of_iin and represents(filing.filer_iin, client_iin=filing.on_behalf_of_iin) is None:
        raise FilingForbiddenError(
            FilingErrorCode.NOT_REPRESENTATIVE,
            _("IIN %(filer)s is not a registered representative of IIN %(client)s."),
            params={"filer": filing.filer_iin, "client": filing.on_behalf_of_iin},
        )
    if kinds.SPECS[filing.kind].existing_case:
        _check_party_of_case(filing, filing.on_behalf_of_iin or filing.filer_iin)


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
        raise refusal(
            FilingErrorCode.MANIFEST_MISMATCH,
            _("The signed manifest is not the manifest of this filing as stored: it was changed after signing."),
            "signature",
        )
    # Verified against the manifest recomputed here: a tampered attachment or field fails.
    signer = verify_signing_signature(manifest, signature)
    _check_signer(filing, signer.iin, signer.bin)
    return send_to_court(
        filing=filing,
        manifest=manifest,
        signature=signature,
        signature_sha256=signature_sha256,
        signer_iin=signer.iin,
        signer_name=signer.common_name,
        actor=actor,
    )


def send_to_court(
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
        locked = locked_draft(filing)
        if canonical_manifest(locked) != manifest:
            raise refusal(
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
        record_trail(locked, FilingStatus.SUBMITTED, signer=signer_iin)
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
        record_trail(filing, FilingStatus.JOINED, number=case.number)
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
    record_trail(filing, FilingStatus.REGISTERED, number=case.number, court=case.court.code)


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


def start_portal_draft(
    *, client: ApiClient, kind: str, filer_iin: str, public_id: uuid.UUID | None
) -> tuple[Filing, bool]:
    """The draft a partner system's request is about, and whether this request created it.

    Without `public_id` a new draft. With the id the portal chose: a new draft of that id, or the
    filing the portal already sent with it - so a refused draft is corrected by sending it again, and
    a request sent twice (a retry, or two at the same moment) comes to the one filing. Two requests
    creating the same id at once: the database's unique id decides, and the second finds the first's.
    Another client's id, or another kind or filer under the same id, is a conflict (409)."""
    if public_id is None:
        return start_draft(kind=kind, filer_iin=filer_iin, actor=None, channel=client.channel, api_client=client), True
    existing = Filing.objects.filter(public_id=public_id).first()
    if existing is None:
        try:
            with transaction.atomic():
                filing = start_draft(
                    kind=kind,
                    filer_iin=filer_iin,
                    actor=None,
                    channel=client.channel,
                    api_client=client,
                    public_id=public_id,
                )
            return filing, True
        except IntegrityError:
            existing = Filing.objects.filter(public_id=public_id).first()
            if existing is None:  # pragma: no cover - the unique id was not what failed
                raise
    if existing.api_client_id != client.pk:
        raise FilingConflictError(
            FilingErrorCode.ID_TAKEN, _("A filing with this id exists already: choose another id for a new filing.")
        )
    if existing.kind != kind or existing.filer_iin != _filer_iin(filer_iin):
        raise FilingConflictError(
            FilingErrorCode.ID_TAKEN,
            _("Filing %(id)s is of another kind or has another filer: choose another id for a new filing."),
            params={"id": str(public_id)},
        )
    return existing, False


def already_submitted(filing: Filing, signature: bytes) -> Filing:
    """A filing sent again after it was submitted: the same signature is the same request (a retry,
    or the twin of a request sent twice at once) and gets the filing as it now stands; anything else
    is refused, since a submitted filing no longer changes."""
    if signature and filing.signature_sha256 == hashlib.sha256(signature).hexdigest():
        return filing
    raise FilingConflictError(
        FilingErrorCode.NOT_A_DRAFT,
        _("Filing %(id)s was already submitted and can no longer be changed."),
        params={"id": str(filing.public_id)},
    )
