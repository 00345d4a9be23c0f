"""Every write to the case file: register a case, change its status, add parties and documents,
correct a document, link cases, record who opened a file. Each writes its journal entry in the same
transaction and publishes on the event bus."""

import datetime as dt
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, NotRequired, TypedDict, Unpack

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.archive.actions import LogEntryKind, NewEntry, append_entries, reuse_stored_file, store_file
from torelik.archive.errors import ArchiveError
from torelik.archive.models import StoredFile
from torelik.archive.sweep import discard_unreferenced
from torelik.cases import case_numbers
from torelik.cases.errors import CaseError, CaseErrorCode, CaseForbiddenError
from torelik.cases.events import CaseEventRecorded, CaseRegistered, CaseStatusChanged
from torelik.cases.models import (
    REPRESENTING_ROLES,
    AccessKind,
    Case,
    CaseAccess,
    CaseEvent,
    CaseEventKind,
    CaseLink,
    CaseLinkKind,
    CaseStatus,
    Channel,
    Document,
    DocumentType,
    Instance,
    Party,
    PartyRole,
)
from torelik.cases.statuses import can_move, roles_for
from torelik.core import clock, events
from torelik.core.identifiers import BIN, IIN, IdentifierError
from torelik.core.rows import created_or_read, rows_where, rows_where_in
from torelik.courts.models import CaseCategory, Court, Judge, StaffRole
from torelik.courts.queries import holds_role_in
from torelik.identity.models import Language, Organisation, Person, User

logger = logging.getLogger(__name__)
MAX_DOCUMENT_SIZE = 50 * 1024 * 1024
# Who may register a paper filing in a court's office.
REGISTRAR_ROLES = frozenset({StaffRole.CLERK, StaffRole.CHAIRMAN})
# Who moves a case of their court along the procedure (a status change is a procedural act).
PROCEDURE_ROLES = frozenset(
    {StaffRole.JUDGE, StaffRole.CHAIRMAN, StaffRole.CLERK, StaffRole.SECRETARY, StaffRole.ASSISTANT}
)


@dataclass(frozen=True)
class PartyInput:
    role: str
    iin: str = ""
    bin: str = ""
    surname: str = ""
    given_name: str = ""
    patronymic: str = ""
    organisation_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    preferred_language: str = Language.KAZAKH
    represents: int | None = None  # index of the represented party in the same list


@dataclass(frozen=True)
class DocumentInput:
    document_type: str
    title: str
    filename: str
    content: IO[bytes] | StoredFile  # the bytes, or a file already in the store (a Judicial Office attachment)
    page_count: int = 1
    dated: dt.date | None = None
    author_party: int | None = None  # index in the parties list of the registration


@dataclass(frozen=True)
class _StoredDocument:
    input: DocumentInput
    stored: StoredFile
    document_type: DocumentType


@dataclass
class _Refusals:
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)


def record_case_event(*, case: Case, kind: str, actor: User | None, data: dict[str, Any] | None = None) -> CaseEvent:
    """Append to the case journal (inside the caller's transaction) and tell the other contexts."""
    event = CaseEvent.objects.create(case=case, kind=kind, actor=actor, occurred_at=clock.now(), data=data or {})
    events.publish(CaseEventRecorded(case_id=case.pk, event_id=event.pk, kind=kind))
    return event


JournalEntry = tuple[Case, str, User | None, dict[str, Any]]  # (case, kind, actor, data)


def record_case_events(entries: Sequence[JournalEntry]) -> list[CaseEvent]:
    """`record_case_event` for entries of many cases (a batch of draws): one insert, at one moment,
    then each entry told to the other contexts in the order given."""
    at = clock.now()
    rows = CaseEvent.objects.bulk_create(
        CaseEvent(case=case, kind=kind, actor=actor, occurred_at=at, data=data) for case, kind, actor, data in entries
    )
    for row in rows:
        events.publish(CaseEventRecorded(case_id=row.case_id, event_id=row.pk, kind=row.kind))
    return rows


def _category(code: str, proceeding_type: str) -> CaseCategory:
    category = next(iter(rows_where(CaseCategory, code=code, is_active=True)), None)
    if category is None:
        error = CaseError(
            CaseErrorCode.UNKNOWN_CATEGORY,
            _("There is no case category with the code %(code)s."),
            params={"code": code},
        )
    elif category.proceeding_type != proceeding_type:
        error = CaseError(
            CaseErrorCode.CATEGORY_MISMATCH,
            _("The category %(code)s belongs to %(type)s proceedings."),
            params={"code": code, "type": category.get_proceeding_type_display()},
        )
    else:
        return category
    error.fields = {"category": [error.message]}
    raise error


def _check_parties(parties: Sequence[PartyInput], refusals: _Refusals) -> None:
    if not parties:
        refusals.add("parties", str(_("A case needs at least one party.")))
    for index, party in enumerate(parties):
        prefix = f"parties[{index}]"
        if party.role not in PartyRole.values:
            refusals.add(f"{prefix}.role", str(_("Unknown role of a party.")))
        if bool(party.iin) == bool(party.bin):
            refusals.add(prefix, str(_("Give either an IIN (a person) or a BIN (an organisation).")))
            continue
        try:
            if party.iin:
                IIN.parse(party.iin)
                if not party.surname or not party.given_name:
                    refusals.add(f"{prefix}.surname", str(_("Give the surname and the given name.")))
            else:
                BIN.parse(party.bin)
                if not party.organisation_name:
                    refusals.add(f"{prefix}.organisation_name", str(_("Give the name of the organisation.")))
        except IdentifierError as error:
            refusals.add(f"{prefix}.{'iin' if party.iin else 'bin'}", error.message)
        if party.represents is not None:
            if party.role not in REPRESENTING_ROLES:
                refusals.add(f"{prefix}.represents", str(_("Only a lawyer or a representative represents a party.")))
            elif not 0 <= party.represents < len(parties) or party.represents == index:
                refusals.add(f"{prefix}.represents", str(_("The represented party is not in this case.")))


def _store_documents(documents: Sequence[DocumentInput], refusals: _Refusals) -> list[_StoredDocument]:
    """Store the contents first: a refused or failed registration leaves no case rows behind
    (the store is content-addressed, so an unreferenced content harms nothing)."""
    types = {t.code: t for t in rows_where_in(DocumentType, "code", {d.document_type for d in documents})}
    stored = []
    for index, document in enumerate(documents):
        prefix = f"documents[{index}]"
        document_type = types.get(document.document_type)
        if document_type is None:
            refusals.add(f"{prefix}.document_type", str(_("Unknown type of document.")))
            continue
        if document.page_count < 1:
            refusals.add(f"{prefix}.page_count", str(_("A document has at least one page.")))
        try:
            if isinstance(document.content, StoredFile):
                content = reuse_stored_file(document.content, filename=document.filename, max_size=MAX_DOCUMENT_SIZE)
            else:
                content = store_file(content=document.content, filename=document.filename, max_size=MAX_DOCUMENT_SIZE)
        except ArchiveError as error:
            refusals.add(f"{prefix}.file", error.message)
            continue
        stored.append(_StoredDocument(input=document, stored=content, document_type=document_type))
    return stored


def _people_and_organisations(parties: Sequence[PartyInput]) -> list[tuple[Person | None, Organisation | None]]:
    """The person or organisation of each party, created when the register does not know it yet.

    The phone and e-mail given in a filing stay on the party's row of this case: whoever names a person
    first must not set the contacts on their record (codes for their consent go there). A new record
    takes the data of the first party that names it. One query per table for those known, one insert
    for those new; two registrations naming the same new IIN at once both succeed (the second one's
    insert ignores the conflict and reads the first one's row)."""
    iins = [str(IIN.parse(p.iin)) if p.iin else "" for p in parties]
    bins = [str(BIN.parse(p.bin)) if not p.iin else "" for p in parties]
    people: dict[str, Person] = {}
    organisations: dict[str, Organisation] = {}
    if any(iins):
        people = {str(p.iin): p for p in rows_where_in(Person, "iin", {i for i in iins if i})}
        new_people: dict[str, Person] = {}
        for party, iin in zip(parties, iins, strict=True):
            if iin and iin not in people and iin not in new_people:
                new_people[iin] = Person(
                    iin=iin,
                    surname=party.surname,
                    given_name=party.given_name,
                    patronymic=party.patronymic,
                    preferred_language=party.preferred_language,
                )
        people.update(created_or_read(new_people, "iin"))
    if any(bins):
        organisations = {str(o.bin): o for o in rows_where_in(Organisation, "bin", {b for b in bins if b})}
        new_organisations: dict[str, Organisation] = {}
        for party, bin_ in zip(parties, bins, strict=True):
            if bin_ and bin_ not in organisations and bin_ not in new_organisations:
                new_organisations[bin_] = Organisation(
                    bin=bin_, name=party.organisation_name, phone=party.phone, email=party.email, address=party.address
                )
        organisations.update(created_or_read(new_organisations, "bin"))
    return [(people[iin], None) if iin else (None, organisations[bin_]) for iin, bin_ in zip(iins, bins, strict=True)]


@dataclass(frozen=True)
class RegisteredCase:
    """A case just registered with the rows the registration wrote, in their order (whoever answers
    the registration needs not read them again)."""

    case: Case
    parties: list[Party]
    documents: list[Document]


def register_case_with_rows(
    *,
    court: Court,
    proceeding_type: str,
    category_code: str,
    parties: Sequence[PartyInput],
    documents: Sequence[DocumentInput],
    actor: User | None,
    channel: str = Channel.PAPER,
    instance: str = Instance.FIRST,
    subject: str = "",
    claim_amount: Decimal | None = None,
    consent_sms: bool = False,
    consent_email: bool = False,
) -> RegisteredCase:
    """Register a filing as a new case with its parties and documents, numbered in the court's series;
    the case with the parties and documents written (ordered by their key)."""
    if channel == Channel.PAPER and not holds_role_in(actor, court, REGISTRAR_ROLES):
        raise CaseForbiddenError(
            CaseErrorCode.NOT_STAFF_OF_COURT,
            _("Only the office of %(court)s registers its paper filings."),
            params={"court": court.name},
        )
    category = _category(category_code, proceeding_type)
    refusals = _Refusals()
    _check_parties(parties, refusals)
    if claim_amount is not None and claim_amount < 0:
        refusals.add("claim_amount", str(_("The claim amount cannot be negative.")))
    if not documents:
        refusals.add("documents", str(_("Attach at least one document: the filing itself.")))
    for index, document in enumerate(documents):
        if document.author_party is not None and not 0 <= document.author_party < len(parties):
            refusals.add(f"documents[{index}].author_party", str(_("The author is not a party of this case.")))
    stored = _store_documents(documents, refusals) if not refusals.fields else []
    # What this request stored itself (not a content it reused): removed again if the registration is
    # refused or fails, unless another document uses the same bytes (ADR 0037).
    written = [d.stored for d in stored if not isinstance(d.input.content, StoredFile)]
    if refusals.fields:
        discard_unreferenced(written)
        raise CaseError(
            CaseErrorCode.INVALID_FILING,
            _("The filing cannot be registered: correct the marked fields."),
            fields=refusals.fields,
        )
    try:
        return _register_atomically(
            court=court,
            proceeding_type=proceeding_type,
            instance=instance,
            category=category,
            subject=subject,
            claim_amount=claim_amount,
            parties=parties,
            stored=stored,
            actor=actor,
            channel=channel,
            consent_sms=consent_sms,
            consent_email=consent_email,
        )
    except BaseException:
        _discard_quietly(written)
        raise


def _discard_quietly(written: list[StoredFile]) -> None:
    """After a failed registration: a failure to clean up must not hide the failure (the sweep retries)."""
    try:
        discard_unreferenced(written)
    except Exception:
        logger.exception("stored files of a failed registration not removed; the sweep will")


@transaction.atomic
def _register_atomically(**arguments: Any) -> RegisteredCase:
    return _register(**arguments)


class Registration(TypedDict):
    """What `register_case` takes: the arguments of `register_case_with_rows` (mypy holds the two to
    each other where one is passed on to the other)."""

    court: Court
    proceeding_type: str
    category_code: str
    parties: Sequence[PartyInput]
    documents: Sequence[DocumentInput]
    actor: User | None
    channel: NotRequired[str]
    instance: NotRequired[str]
    subject: NotRequired[str]
    claim_amount: NotRequired[Decimal | None]
    consent_sms: NotRequired[bool]
    consent_email: NotRequired[bool]


def register_case(**registration: Unpack[Registration]) -> Case:
    """Register a filing as a new case (`register_case_with_rows`), for callers that need only the case."""
    return register_case_with_rows(**registration).case


def _register(
    *,
    court: Court,
    proceeding_type: str,
    instance: str,
    category: CaseCategory,
    subject: str,
    claim_amount: Decimal | None,
    parties: Sequence[PartyInput],
    stored: Sequence[_StoredDocument],
    actor: User | None,
    channel: str,
    consent_sms: bool,
    consent_email: bool,
) -> RegisteredCase:
    now = clock.now()
    year = clock.today().year
    code = case_numbers.type_code(proceeding_type, instance)
    sequence = case_numbers.next_sequence(court=court, year=year, type_code=code)
    case = Case.objects.create(
        number=case_numbers.format_case_number(court_code=court.code, year=year, type_code=code, sequence=sequence),
        court=court,
        year=year,
        type_code=code,
        sequence=sequence,
        proceeding_type=proceeding_type,
        instance=instance,
        category=category,
        subject=subject,
        claim_amount=claim_amount,
        registered_at=now,
        registered_by=actor if actor is not None and actor.is_authenticated else None,
        channel=channel,
        consent_sms=consent_sms,
        consent_email=consent_email,
    )
    # One insert for the parties and one for the documents; a representative's links (to the party
    # represented and to their power of attorney) need both keys, so they are set afterwards.
    party_rows = Party.objects.bulk_create(
        [
            Party(
                case=case,
                role=party.role,
                person=person,
                organisation=organisation,
                phone=party.phone,
                email=party.email,
                address=party.address,
                preferred_language=party.preferred_language,
            )
            for party, (person, organisation) in zip(parties, _people_and_organisations(parties), strict=True)
        ]
    )
    document_rows = Document.objects.bulk_create(
        [
            _new_document(
                case=case,
                item=item,
                author=party_rows[item.input.author_party] if item.input.author_party is not None else None,
                actor=actor,
                received_at=now,
            )
            for item in stored
        ]
    )
    for row, party in zip(party_rows, parties, strict=True):
        if party.represents is not None:
            row.represents = party_rows[party.represents]
            row.power_of_attorney = next(
                (
                    d
                    for d in document_rows
                    if d.document_type.code == "power_of_attorney" and d.author_party_id == row.pk
                ),
                None,
            )
            Party.objects.filter(pk=row.pk).update(represents=row.represents, power_of_attorney=row.power_of_attorney)
    record_case_event(
        case=case,
        kind=CaseEventKind.REGISTERED,
        actor=actor,
        data={
            "number": case.number,
            "court": court.code,
            "channel": channel,
            "category": category.code,
            "parties": [{"role": p.role, "id": p.identifier} for p in party_rows],
            "documents": [
                {"id": str(d.public_id), "type": d.document_type.code, "sha256": d.file.sha256, "log_leaf": leaf}
                for d, leaf in zip(document_rows, log_documents(document_rows), strict=True)
            ],
        },
    )
    events.publish(
        CaseRegistered(
            case_id=case.pk,
            court_id=court.pk,
            number=case.number,
            proceeding_type=case.proceeding_type,
            category_id=category.pk,
            channel=channel,
            registered_at=case.registered_at,
        )
    )
    return RegisteredCase(case=case, parties=party_rows, documents=document_rows)


def _new_document(
    *,
    case: Case,
    item: _StoredDocument,
    author: Party | None,
    actor: User | None,
    received_at: dt.datetime,
    previous: Document | None = None,
) -> Document:
    return Document(
        case=case,
        document_type=item.document_type,
        title=item.input.title or item.document_type.name,
        author_party=author,
        author_name=author.name if author is not None else "",
        dated=item.input.dated or clock.today(),
        received_at=received_at,
        page_count=item.input.page_count,
        file=item.stored,
        filename=item.input.filename,
        version=previous.version + 1 if previous is not None else 1,
        previous_version=previous,
        registered_by=actor if actor is not None and actor.is_authenticated else None,
    )


def log_documents(documents: Sequence[Document]) -> list[str]:
    """Each document version as an entry of the transparency log (in the caller's transaction): their
    leaf hashes, which the journal entries that record them carry."""
    receipts = append_entries(
        [
            NewEntry(
                kind=LogEntryKind.DOCUMENT_VERSION,
                fields={
                    "case": {"id": str(d.case.public_id), "number": d.case.number},
                    "document": str(d.public_id),
                    "type": d.document_type.code,
                    "version": d.version,
                    "previous_version": str(d.previous_version.public_id) if d.previous_version else None,
                    "sha256": d.file.sha256,
                    "size": d.file.size,
                    "media_type": d.file.media_type,
                    # No signature is kept per document yet: a Judicial Office filing's signature covers its manifest.
                    "signer_certificate_sha256": None,
                },
                subject=str(d.public_id),
                case=str(d.case.public_id),
            )
            for d in documents
        ]
    )
    return [receipt.leaf_hash for receipt in receipts]


def _create_document(
    *,
    case: Case,
    item: _StoredDocument,
    author: Party | None,
    actor: User | None,
    received_at: dt.datetime,
    previous: Document | None = None,
) -> Document:
    row = _new_document(case=case, item=item, author=author, actor=actor, received_at=received_at, previous=previous)
    row.save(force_insert=True)
    return row


@transaction.atomic
def change_status(*, case: Case, to: str, actor: User | None, reason: str = "") -> Case:
    """Move a case to another status if the procedure allows it from where it stands.

    `actor` None is the system itself (a term that ran out, the distribution); a person must hold a
    procedural role in the case's court."""
    return _change_status(case=case, to=to, actor=actor, reason=reason)


def _change_status(
    *, case: Case, to: str, actor: User | None, reason: str, held: bool = False, judge: Judge | None = None
) -> Case:
    """`change_status` inside the caller's transaction (no savepoint of its own); `held`: the
    caller holds `case` read under its row lock; `judge`: given the case in the same update."""
    if actor is not None and not holds_role_in(actor, case.court, PROCEDURE_ROLES):
        raise CaseForbiddenError(
            CaseErrorCode.NOT_STAFF_OF_COURT,
            _("Only the judges and the office of %(court)s move its cases along the procedure."),
            params={"court": case.court.name},
        )
    locked = case if held else Case.objects.select_for_update().get(pk=case.pk)
    if not can_move(locked.status, to):
        error = CaseError(
            CaseErrorCode.TRANSITION_NOT_ALLOWED,
            _("A case that is %(current)s cannot become %(wanted)s."),
            params={"current": locked.get_status_display(), "wanted": CaseStatus(to).label},
        )
        error.fields = {"status": [error.message]}
        raise error
    if actor is not None:
        _check_mover(actor=actor, case=locked, to=to)
    previous = locked.status
    locked.status = to
    if judge is not None:
        locked.judge = judge
    locked.save(update_fields=["status", "updated_at", *(["judge"] if judge is not None else [])])
    record_case_event(
        case=locked, kind=CaseEventKind.STATUS_CHANGED, actor=actor, data={"from": previous, "to": to, "reason": reason}
    )
    events.publish(CaseStatusChanged(case_id=locked.pk, from_status=previous, to_status=to, reason=reason))
    case.status, case.updated_at = locked.status, locked.updated_at
    return locked


def _check_mover(*, actor: User, case: Case, to: str) -> None:
    """A person makes a move only if one of its roles holds for them in the case's court; a move of
    the system (a draw, entry into force after the appeal term) is refused to everyone."""
    roles = roles_for(case.status, to)
    if not roles:
        raise CaseForbiddenError(
            CaseErrorCode.TRANSITION_BY_SYSTEM_ONLY,
            _("Nobody sets a case to %(wanted)s by hand: the system does it when the law says so."),
            params={"wanted": CaseStatus(to).label},
            fields={"status": [str(_("The system makes this change by itself."))]},
        )
    if not holds_role_in(actor, case.court, roles):
        labels = ", ".join(str(StaffRole(role).label) for role in sorted(roles))
        raise CaseForbiddenError(
            CaseErrorCode.TRANSITION_NOT_YOURS,
            _("A case becomes %(wanted)s only by: %(roles)s."),
            params={"wanted": CaseStatus(to).label, "roles": labels},
            fields={"status": [str(_("Your role does not make this change."))]},
        )


@transaction.atomic
def record_reassignment(*, case: Case, judge: Judge, actor: User | None, data: dict[str, Any]) -> Case:
    """Give a case that already has a judge to another one (a new draw after a recusal or a long
    absence); the status stays where the procedure is."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if judge.court_id != locked.court_id:
        raise CaseError(
            CaseErrorCode.JUDGE_OF_OTHER_COURT,
            _("Judge %(judge)s does not sit in the court of case %(number)s."),
            params={"judge": judge.person.full_name, "number": locked.number},
        )
    previous = locked.judge
    locked.judge = judge
    locked.save(update_fields=["judge", "updated_at"])
    record_case_event(
        case=locked,
        kind=CaseEventKind.ASSIGNED,
        actor=actor,
        data={"judge": str(judge.public_id), "previous_judge": str(previous.public_id) if previous else None, **data},
    )
    case.judge = judge
    return locked


def record_assignment(
    *, case: Case, judge: Judge, actor: User | None, data: dict[str, Any], locked: bool = False
) -> Case:
    """Give the case to the judge chosen by the distribution (`data` carries its protocol).

    `locked`: the caller holds the case's row locked in its transaction, as read under that lock
    (a batch of draws): the case is not read again, and no savepoint is taken, so a failure here
    fails the caller's whole transaction."""
    if judge.court_id != case.court_id:
        raise CaseError(
            CaseErrorCode.JUDGE_OF_OTHER_COURT,
            _("Judge %(judge)s does not sit in the court of case %(number)s."),
            params={"judge": judge.person.full_name, "number": case.number},
        )
    # One savepoint at most for the whole assignment: the status change needs none of its own inside it.
    with transaction.atomic(savepoint=not locked):
        updated = _change_status(
            case=case, to=CaseStatus.ASSIGNED, actor=actor, reason="assignment", held=locked, judge=judge
        )
        record_case_event(
            case=updated, kind=CaseEventKind.ASSIGNED, actor=actor, data={"judge": str(judge.public_id), **data}
        )
    case.judge, case.status = judge, updated.status
    return updated


def add_document(*, case: Case, document: DocumentInput, actor: User | None, author: Party | None = None) -> Document:
    """Add an incoming or outgoing document to an existing case."""
    refusals = _Refusals()
    stored = _store_documents([document], refusals)
    if refusals.fields:
        raise CaseError(
            CaseErrorCode.INVALID_FILING,
            _("The document cannot be added: correct the marked fields."),
            fields=refusals.fields,
        )
    with transaction.atomic():
        row = _create_document(case=case, item=stored[0], author=author, actor=actor, received_at=clock.now())
        record_case_event(
            case=case,
            kind=CaseEventKind.DOCUMENT_ADDED,
            actor=actor,
            data={
                "id": str(row.public_id),
                "type": row.document_type.code,
                "sha256": row.file.sha256,
                "log_leaf": log_documents([row])[0],
            },
        )
    return row


def correct_document(*, document: Document, correction: DocumentInput, actor: User | None, reason: str) -> Document:
    """A correction is a new version pointing to the old one; the old one stays as it was."""
    refusals = _Refusals()
    stored = _store_documents([correction], refusals)
    if refusals.fields:
        raise CaseError(
            CaseErrorCode.INVALID_FILING,
            _("The correction cannot be added: correct the marked fields."),
            fields=refusals.fields,
        )
    with transaction.atomic():
        if Document.objects.select_for_update().filter(previous_version=document).exists():
            raise CaseError(
                CaseErrorCode.ALREADY_CORRECTED,
                _("This version was already corrected: correct the newest version instead."),
            )
        row = _create_document(
            case=document.case,
            item=stored[0],
            author=document.author_party,
            actor=actor,
            received_at=clock.now(),
            previous=document,
        )
        record_case_event(
            case=document.case,
            kind=CaseEventKind.DOCUMENT_CORRECTED,
            actor=actor,
            data={
                "id": str(row.public_id),
                "corrects": str(document.public_id),
                "version": row.version,
                "reason": reason,
                "sha256": row.file.sha256,
                "log_leaf": log_documents([row])[0],
            },
        )
    return row


@transaction.atomic
def coupon_secret(case: Case, *, actor: User | None = None) -> str:
    """The secret the registration coupon's QR carries, drawn when the coupon is first printed; the
    drawing is journaled once (`coupon_issued`: the statistics count the coupons of paper filings)."""
    if not case.coupon_secret:
        secret = secrets.token_urlsafe(16)
        if Case.objects.filter(pk=case.pk, coupon_secret="").update(coupon_secret=secret):
            case.coupon_secret = secret
            record_case_event(case=case, kind=CaseEventKind.COUPON_ISSUED, actor=actor)
        else:  # drawn meanwhile by another request: theirs is the one
            case.coupon_secret = Case.objects.values_list("coupon_secret", flat=True).get(pk=case.pk)
    return case.coupon_secret


def link_cases(*, from_case: Case, to_case: Case, kind: CaseLinkKind, actor: User | None) -> CaseLink:
    link, _created = CaseLink.objects.get_or_create(
        from_case=from_case, to_case=to_case, kind=kind, defaults={"created_at": clock.now()}
    )
    record_case_event(case=from_case, kind=CaseEventKind.LINKED, actor=actor, data={"kind": kind, "to": to_case.number})
    return link


def record_case_access(
    *, case: Case, user: User, kind: AccessKind, document: Document | None = None, ip_address: str | None = None
) -> CaseAccess:
    """Note that a staff member opened a case file (read by the court chairman)."""
    return CaseAccess.objects.create(
        case=case, user=user, kind=kind, document=document, at=clock.now(), ip_address=ip_address
    )
