"""Submitting a filing: what it needs before it goes (ready, the signer, the filer's standing), the
signed or confirmed submission, and sending it to the court, where it registers a case or joins one."""

import hashlib
import logging
from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Exists, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.acts.actions import attach_appeal
from torelik.acts.appeals import lodge_appeal
from torelik.acts.queries import appeal_open_for_responses
from torelik.archive.actions import store_content
from torelik.cases.actions import DocumentInput, PartyInput, add_document, link_cases, register_case
from torelik.cases.errors import CaseError
from torelik.cases.models import (
    REPRESENTING_ROLES,
    Case,
    CaseLinkKind,
    DocumentType,
    Instance,
    Party,
    PartyRole,
)
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.filing import kinds, queries
from torelik.filing.access import represents
from torelik.filing.actions.drafts import locked_draft, take_state
from torelik.filing.errors import (
    FilingConflictError,
    FilingError,
    FilingErrorCode,
    FilingForbiddenError,
    refusal,
)
from torelik.filing.manifest import attachments_of, canonical_manifest
from torelik.filing.models import (
    Attachment,
    AttachmentRole,
    Filing,
    FilingEvent,
    FilingStatus,
)
from torelik.filing.signatures import Signer, verify_signing_signature
from torelik.identity.models import User

logger = logging.getLogger("torelik.filing")


def check_ready(filing: Filing, attachments: Sequence[Attachment] | None = None) -> None:
    """Everything a filing needs before it can be signed and sent, as one refusal listing the fields
    (`attachments`: the draft's attachments when the caller holds them already)."""
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
    if (
        filing.kind == kinds.FilingKind.APPEAL_RESPONSE
        and filing.target_case is not None
        and appeal_open_for_responses(filing.target_case, clock.today()) is None
    ):
        bad("case", _("No appeal in this case is open for responses: the term for responses has run or there is none."))
    for name in spec.required_data:
        if not str(filing.data.get(name, "")).strip():
            bad(name, _("This field is required."))
    if attachments is not None:
        has_filing = any(a.role == AttachmentRole.FILING for a in attachments)
    else:
        has_filing = filing.attachments.filter(role=AttachmentRole.FILING).exists()
    if not has_filing:
        bad("attachments", _("Attach the filing itself (PDF or a scan)."))
    if fields:
        raise FilingError(
            FilingErrorCode.INVALID, _("The filing is not complete: correct the marked fields."), fields=fields
        )
    if not queries.fee_settled(filing, attachments):
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


def _log_refusal(filing: Filing, error: DomainError) -> None:
    logger.warning(
        "filing %s refused: %s (%s)", filing.public_id, error.code, getattr(error, "reason", "") or error.message
    )


def submit_filing(
    *,
    filing: Filing,
    signature: bytes,
    actor: User | None,
    signed_manifest: bytes | None = None,
) -> Filing:
    """Verify the filer's signature over the manifest recomputed from the stored draft, then send the
    filing to the court: a new case (registered, distributed after commit) or a document of its case.
    Any refusal leaves the draft as it was. The answer is the filing as it stands after the commit,
    with its trail read along (`queries.trail`)."""
    try:
        if filing.status != FilingStatus.DRAFT:
            raise _already_submitted()
        signature_sha256 = hashlib.sha256(signature).hexdigest()
        if Filing.objects.filter(signature_sha256=signature_sha256).exists():
            raise _replayed()  # as such, before its verification over this draft fails (checked again under the lock)
        manifest, signer = _verified(filing, signature, signed_manifest)
        with transaction.atomic():
            locked = locked_draft(filing, _with_replayed(signature_sha256, Filing.objects.all()))
            written = _check_and_send(locked, manifest, signer, signature, signature_sha256, actor=actor)
    except DomainError as error:
        _log_refusal(filing, error)
        raise
    return _as_it_stands(filing, locked, written)


def submit_filing_of(rows: QuerySet[Filing], *, signature: bytes, actor: User | None) -> Filing | None:
    """`submit_filing` of the filing of `rows` (None when there is none), with what `rows` reads
    along (a partner's filing by its id, with its court and category)."""
    signature_sha256 = hashlib.sha256(signature).hexdigest()
    filing = _with_replayed(signature_sha256, rows).first()
    if filing is None:
        return None
    try:
        if filing.status != FilingStatus.DRAFT:
            raise _already_submitted()
        if filing.replayed:  # type: ignore[attr-defined]
            raise _replayed()
        manifest, signer = _verified(filing, signature, None)
        with transaction.atomic():
            locked = _with_replayed(signature_sha256, rows).select_for_update(of=("self",)).get()
            written = _check_and_send(locked, manifest, signer, signature, signature_sha256, actor=actor)
    except DomainError as error:
        _log_refusal(filing, error)
        raise
    return _as_it_stands(filing, locked, written)


def _already_submitted() -> FilingConflictError:
    return FilingConflictError(FilingErrorCode.REPLAYED, _("This filing was already submitted."))


def _replayed() -> FilingConflictError:
    return FilingConflictError(
        FilingErrorCode.REPLAYED, _("This signature was already used for a submission: sign again.")
    )


def _with_replayed(signature_sha256: str, rows: QuerySet[Filing]) -> QuerySet[Filing]:
    """`rows` with `replayed`: whether a filing was submitted with this signature already."""
    return rows.annotate(replayed=Exists(Filing.objects.filter(signature_sha256=signature_sha256)))


def _verified(filing: Filing, signature: bytes, signed_manifest: bytes | None) -> tuple[bytes, Signer]:
    """The manifest of the draft as read now and the signer verified over it. Outside any
    transaction: a revocation check may go to the network, and no lock waits for it."""
    attachments = attachments_of(filing)
    check_ready(filing, attachments)
    manifest = canonical_manifest(filing, attachments)
    if signed_manifest is not None and signed_manifest != manifest:
        raise refusal(
            FilingErrorCode.MANIFEST_MISMATCH,
            _("The signed manifest is not the manifest of this filing as stored: it was changed after signing."),
            "signature",
        )
    # Verified against the manifest recomputed here: a tampered attachment or field fails.
    signer = verify_signing_signature(manifest, signature)
    _check_signer(filing, signer.iin, signer.bin)
    return manifest, signer


def _check_and_send(
    locked: Filing, manifest: bytes, signer: Signer, signature: bytes, signature_sha256: str, *, actor: User | None
) -> list[FilingEvent]:
    """Under the lock of the draft (read with whether its signature was used already): sent, if it
    is still the draft that was verified. The trail steps written."""
    if locked.replayed:  # type: ignore[attr-defined]
        raise _replayed()
    if locked.status != FilingStatus.DRAFT:
        raise _already_submitted()
    return _send_unchanged(
        locked,
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
    """Send a filing whose `manifest` was confirmed (signed or, at a Public Service Centre, by the
    filer's code) to the court, if the draft as stored still has that manifest."""
    with transaction.atomic():
        locked = locked_draft(filing)
        written = _send_unchanged(
            locked,
            manifest=manifest,
            signature=signature,
            signature_sha256=signature_sha256,
            signer_iin=signer_iin,
            signer_name=signer_name,
            actor=actor,
        )
    return _as_it_stands(filing, locked, written)


def _send_unchanged(locked: Filing, *, manifest: bytes, **sent: Any) -> list[FilingEvent]:
    """`_send` if the locked draft's manifest is still `manifest` (the one confirmed); refused otherwise."""
    attachments = attachments_of(locked)
    if canonical_manifest(locked, attachments) != manifest:
        raise refusal(
            FilingErrorCode.MANIFEST_MISMATCH,
            _("The filing changed while it was being signed: sign it again."),
            "signature",
        )
    return _send(locked, attachments, manifest=manifest, **sent)


def _send(
    locked: Filing,
    attachments: Sequence[Attachment],
    *,
    manifest: bytes,
    signature: bytes | None,
    signature_sha256: str | None,
    signer_iin: str,
    signer_name: str,
    actor: User | None,
) -> list[FilingEvent]:
    """The locked draft submitted and sent to the court (in the caller's transaction): its trail steps."""
    now = clock.now()
    locked.manifest = store_content(manifest, "application/json")
    if signature is not None:
        locked.signature = store_content(signature, "application/pkcs7-signature")
    locked.signature_sha256 = signature_sha256
    locked.signer_iin, locked.signer_name = signer_iin, signer_name[:300]
    locked.submitted_at = now
    # The submission and the step to the court are written as one update and one insert of the
    # trail once the court has it (a refusal on the way rolls all of it back).
    trail = [FilingEvent(filing=locked, status=FilingStatus.SUBMITTED, at=clock.now(), data={"signer": signer_iin})]
    try:
        status, data = _to_court(locked, actor, attachments)
    except CaseError as error:
        refused = FilingError(FilingErrorCode.INVALID, error.message_template, params=error.params, fields=error.fields)
        raise refused from error
    locked.status = status
    trail.append(FilingEvent(filing=locked, status=status, at=clock.now(), data=data))
    try:
        locked.save(update_fields=_SUBMITTED_FIELDS)
    except IntegrityError as error:
        # The signature's unique hash: the same signature submitted another filing in between.
        raise _replayed() from error
    return FilingEvent.objects.bulk_create(trail)


# What a submission changes of the locked draft (`updated_at` by itself).
_SUBMITTED_FIELDS = [
    "manifest",
    "signature",
    "signature_sha256",
    "signer_iin",
    "signer_name",
    "submitted_at",
    "status",
    "case",
    "updated_at",
]


def _as_it_stands(filing: Filing, locked: Filing, written: Sequence[FilingEvent]) -> Filing:
    """`filing` as it stands after the commit (and what ran after it, such as a draw assigning the
    judge), with its trail read along. The trail is read back; when its last step is the one this
    submission wrote, nothing has followed the case since (a judge assigned or a change of status
    adds a step in its transaction), and the filing is what was written, without reading it again."""
    queries.forget_trail(filing)  # held since the draft was written, in the same request
    trail = list(queries.trail(filing))
    if trail and written and written[-1].pk is not None and trail[-1].pk == written[-1].pk:
        take_state(filing, locked)
    else:
        filing.refresh_from_db(from_queryset=queries.filings_with_registry())
        trail = list(queries.trail(filing))
    queries.hold_trail(filing, trail)
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


def _documents(filing: Filing, attachments: Sequence[Attachment]) -> list[DocumentInput]:
    spec = kinds.SPECS[filing.kind]
    known = set(DocumentType.objects.values_list("code", flat=True))
    documents = []
    for attachment in attachments:
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
        documents.append(
            DocumentInput(
                document_type=code,
                title=attachment.title or str(attachment.get_role_display()),
                filename=attachment.filename,
                content=attachment.file,  # already in the store: the case's document is the same content
                page_count=attachment.page_count,
                author_party=0,
            )
        )
    return documents


def _to_court(filing: Filing, actor: User | None, attachments: Sequence[Attachment]) -> tuple[str, dict[str, Any]]:
    """Register the case or add the documents to it: `filing.case` set, and the filing's next status
    with the data of its trail step (the caller saves them)."""
    spec = kinds.SPECS[filing.kind]
    documents = _documents(filing, attachments)
    channel = filing.channel
    if filing.kind == kinds.FilingKind.APPEAL and filing.target_case is not None and filing.court is not None:
        return _lodge_appeal(filing, actor, documents)
    if not spec.new_case:
        case = filing.target_case
        assert case is not None  # noqa: S101 - checked by check_ready
        author = Party.objects.filter(case=case, person__iin=filing.on_behalf_of_iin or filing.filer_iin).first()
        for document in documents:
            add_document(case=case, document=document, actor=actor, author=author)
        filing.case = case
        return FilingStatus.JOINED, {"number": case.number}
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
        attach_appeal(lower_case=filing.target_case, appeal_case=case, actor=actor)
    filing.case = case
    return FilingStatus.REGISTERED, {"number": case.number, "court": case.court.code}


def _lodge_appeal(filing: Filing, actor: User | None, documents: Sequence[DocumentInput]) -> tuple[str, dict[str, Any]]:
    """An appeal is filed through the court that made the decision: its documents join that case and
    the appeal waits there for the other parties' responses; the court sends the case up later
    (`acts.appeals.send_appeal`, ADR 0068)."""
    case = filing.target_case
    assert case is not None  # noqa: S101 - checked by the caller
    assert filing.court is not None  # noqa: S101
    appellant_iin = filing.on_behalf_of_iin or filing.filer_iin
    author = Party.objects.filter(case=case, person__iin=appellant_iin).first()
    added = [add_document(case=case, document=document, actor=actor, author=author) for document in documents]
    appeal = lodge_appeal(
        lower_case=case,
        higher_court=filing.court,
        appellant_iin=appellant_iin,
        document=next((d for d in added if d.document_type.code == "appeal"), added[0] if added else None),
        actor=actor,
    )
    filing.case = case
    return FilingStatus.JOINED, {
        "number": case.number,
        "court": filing.court.code,
        "responses_until": appeal.responses_until.isoformat(),
    }


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
