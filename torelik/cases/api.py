"""JSON API of the case file: registering a filing (`POST /api/v1/cases`), a case, its journal and
its documents. Who may see what is torelik.cases.access; every write is an action.

Case numbers hold a slash (`0215-26-00-2/1`), so the number is a `{path:...}` parameter: the routes
under a case are declared before the bare case route, which would otherwise swallow them.
"""

import base64
import binascii
import datetime as dt
import ipaddress
import uuid
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Form, Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from ninja.pagination import paginate
from pydantic import BaseModel, ConfigDict, field_validator
from pydantic import ValidationError as PydanticValidationError

from torelik.archive.queries import open_stored_file
from torelik.cases import access, actions, queries
from torelik.cases.actions import DocumentInput, PartyInput
from torelik.cases.errors import CaseError
from torelik.cases.models import (
    AccessKind,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    Document,
    Instance,
    Party,
    PartyRole,
)
from torelik.core.api import Day, ErrorOut, NotAuthenticatedError, Pagination, Session
from torelik.core.i18n import localized
from torelik.courts import queries as court_queries
from torelik.courts.errors import CourtNotFoundError
from torelik.courts.models import Court, ProceedingType
from torelik.identity.models import Language, User

MAX_PARTIES = 50
MAX_DOCUMENTS = 50


# Authentication: Django's session, refused in the API's error format (torelik.core.api.Session).


router = Router(tags=["cases"], auth=Session())


def _user(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]  # set by ninja's authentication
    if not isinstance(user, User):  # pragma: no cover - the router's auth guarantees it
        raise NotAuthenticatedError("not_authenticated", gettext_lazy("Log in to use this part of the API."))
    return user


def _client_ip(request: HttpRequest) -> str | None:
    """REMOTE_ADDR when it is an IP address (the access log's column is one)."""
    value = request.META.get("REMOTE_ADDR") or ""
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


# Schemas of the registration (the JSON in the `data` field of the multipart form)


class FilingPartyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    role: PartyRole
    iin: str = Field("", max_length=12, description="IIN of a person (12 digits)")
    bin: str = Field("", max_length=12, description="BIN of an organisation (12 digits)")
    surname: str = Field("", max_length=100)
    given_name: str = Field("", max_length=100)
    patronymic: str = Field("", max_length=100)
    organisation_name: str = Field("", max_length=300)
    phone: str = Field("", max_length=20)
    email: str = Field("", max_length=254)
    address: str = Field("", max_length=300)
    preferred_language: Language = Language.KAZAKH
    represents: int | None = Field(None, ge=0, description="index (from 0) of the party represented")

    @field_validator("email")
    @classmethod
    def _valid_email(cls, value: str) -> str:
        if value:
            try:
                validate_email(value)
            except DjangoValidationError as error:
                raise ValueError(_("Enter a valid e-mail address.")) from error
        return value


class FilingDocumentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    document_type: str = Field(max_length=40, description="code of the document-type classifier, e.g. `claim`")
    file: str = Field(min_length=1, max_length=100, description="name of the form field that carries the file")
    title: str = Field("", max_length=300)
    page_count: int = Field(1, ge=1, le=100_000)
    dated: Day | None = None
    author_party: int | None = Field(None, ge=0, description="index (from 0) of the party that wrote it")


class FilingIn(Schema):
    model_config = ConfigDict(extra="forbid")

    court: str = Field(pattern=r"^\d{4}$", description="4-digit code of the court whose office registers it")
    proceeding_type: ProceedingType
    category: str = Field(pattern=r"^\d{18}$", description="18-digit code of the case category")
    subject: str = Field("", max_length=2000)
    claim_amount: Decimal | None = Field(None, ge=0, max_digits=16, decimal_places=2, description="tenge")
    consent_sms: bool = False
    consent_email: bool = False
    parties: list[FilingPartyIn] = Field(min_length=1, max_length=MAX_PARTIES)
    documents: list[FilingDocumentIn] = Field(min_length=1, max_length=MAX_DOCUMENTS)


# Schemas of the answers. Plain pydantic models, built here from the rows: ninja then takes them as they
# are (a ninja Schema would be validated again attribute by attribute, a third of a large case's time).


class CourtRefOut(BaseModel):
    code: str
    name: str


class CategoryRefOut(BaseModel):
    code: str
    name: str


class PartyOut(BaseModel):
    id: uuid.UUID
    role: PartyRole
    name: str
    iin: str | None
    bin: str | None
    represents: uuid.UUID | None


class DocumentOut(BaseModel):
    id: uuid.UUID
    document_type: str
    title: str
    filename: str
    page_count: int
    dated: dt.date
    received_at: dt.datetime
    version: int
    corrects: uuid.UUID | None = Field(description="the version this one corrects")
    corrected_by: uuid.UUID | None = Field(description="the newer version that corrects this one")
    author: str
    media_type: str
    size: int
    sha256: str


class CaseOut(BaseModel):
    number: str
    status: CaseStatus
    court: CourtRefOut
    category: CategoryRefOut
    proceeding_type: ProceedingType
    instance: Instance
    channel: Channel
    subject: str
    claim_amount: Decimal | None
    judge: str | None
    registered_at: dt.datetime
    consent_sms: bool
    consent_email: bool
    parties: list[PartyOut]
    documents: list[DocumentOut]


class EventOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    actor: str | None = Field(description="username of whoever did it; null for the system")
    occurred_at: dt.datetime
    data: dict[str, Any]

    @field_validator("actor", mode="before")
    @classmethod
    def _username(cls, actor: User | str | None) -> str | None:
        return actor.username if isinstance(actor, User) else actor


def _party_out(party: Party, public_ids: dict[int, uuid.UUID]) -> PartyOut:
    return PartyOut(
        id=party.public_id,
        role=PartyRole(party.role),
        name=party.name,
        iin=str(party.person.iin) if party.person is not None else None,
        bin=str(party.organisation.bin) if party.organisation is not None else None,
        represents=public_ids.get(party.represents_id) if party.represents_id is not None else None,
    )


def _document_out(document: Document, public_ids: dict[int, uuid.UUID], newer: Document | None) -> DocumentOut:
    return DocumentOut(
        id=document.public_id,
        document_type=document.document_type.code,
        title=document.title,
        filename=document.filename,
        page_count=document.page_count,
        dated=document.dated,
        received_at=document.received_at,
        version=document.version,
        corrects=public_ids.get(document.previous_version_id) if document.previous_version_id is not None else None,
        corrected_by=public_ids.get(newer.pk) if newer is not None else None,
        author=document.author_name,
        media_type=document.file.media_type,
        size=document.file.size,
        sha256=document.file.sha256,
    )


def _case_out(case: Case) -> CaseOut:
    documents = list(queries.documents_of(case))
    return _case_out_of(
        case,
        list(queries.parties_of(case)),
        [(d, getattr(d, "next_version", None)) for d in documents],  # prefetched by documents_of
    )


def _registered_out(registered: actions.RegisteredCase) -> CaseOut:
    """The answer to a registration, from the rows it wrote (nothing corrects a document yet). The
    documents' moments are given in UTC, as the database gives them back when the case is read."""
    out = _case_out_of(registered.case, registered.parties, [(d, None) for d in registered.documents])
    for document in out.documents:
        document.received_at = document.received_at.astimezone(dt.UTC)
    return out


def _case_out_of(case: Case, parties: list[Party], documents: list[tuple[Document, Document | None]]) -> CaseOut:
    party_ids = {p.pk: p.public_id for p in parties}
    document_ids = {d.pk: d.public_id for d, _newer in documents}
    return CaseOut(
        number=case.number,
        status=CaseStatus(case.status),
        court=CourtRefOut(code=case.court.code, name=case.court.name),
        category=CategoryRefOut(code=case.category.code, name=localized(case.category, "name")),
        proceeding_type=ProceedingType(case.proceeding_type),
        instance=Instance(case.instance),
        channel=Channel(case.channel),
        subject=case.subject,
        claim_amount=case.claim_amount,
        judge=case.judge.person.full_name if case.judge is not None else None,
        registered_at=case.registered_at,
        consent_sms=case.consent_sms,
        consent_email=case.consent_email,
        parties=[_party_out(p, party_ids) for p in parties],
        documents=[_document_out(d, document_ids, newer) for d, newer in documents],
    )


# Reading the `data` field


def _field_path(location: tuple[int | str, ...]) -> str:
    """pydantic's ("parties", 0, "iin") as the name the actions use: `parties[0].iin`."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name or "data"


def _invalid(fields: dict[str, str]) -> NinjaValidationError:
    """A refusal in the same shape as ninja's own input errors (config.api words it)."""
    return NinjaValidationError(
        [
            {"loc": (name,), "type": "value_error", "msg": message, "ctx": {"error": message}}
            for name, message in fields.items()
        ]
    )


def _parse_filing(data: str) -> FilingIn:
    try:
        return FilingIn.model_validate_json(data)
    except PydanticValidationError as error:
        problems = error.errors(include_url=False)
        if any(problem["type"] == "json_invalid" for problem in problems):
            raise _invalid({"data": _("The field `data` must hold the filing as a JSON object.")}) from error
        # Keep pydantic's type and context so that config.api can word the message in the user's language.
        raise NinjaValidationError(
            [{**problem, "loc": (_field_path(tuple(problem["loc"])),)} for problem in problems]
        ) from error


def _uploads_of(filing: FilingIn, request: HttpRequest) -> list[UploadedFile]:
    """The uploaded file of each document, in order; every upload must belong to exactly one document."""
    problems: dict[str, str] = {}
    files: dict[str, UploadedFile] = {}
    for name in request.FILES:
        sent = request.FILES.getlist(name)
        if len(sent) > 1:
            problems[name] = _("Send one file per form field.")
        files[name] = sent[0]
    uploads: list[UploadedFile] = []
    used: set[str] = set()
    for index, document in enumerate(filing.documents):
        upload = files.get(document.file)
        if upload is None:
            problems[f"documents[{index}].file"] = _("No file was uploaded in the form field %(name)s.") % {
                "name": document.file
            }
        elif document.file in used:
            problems[f"documents[{index}].file"] = _("The file %(name)s already belongs to another document.") % {
                "name": document.file
            }
        else:
            used.add(document.file)
            uploads.append(upload)
    named = {document.file for document in filing.documents}
    for name in files:
        if name not in named:
            problems[name] = _("No document names the uploaded file %(name)s.") % {"name": name}
    if problems:
        raise _invalid(problems)
    return uploads


def _court(code: str) -> Court:
    """The court of the filing: the active court of that code, whoever asks (the action refuses a user
    who does not register for it); a code of no active court is refused on the field `court`."""
    court = queries.filing_court(code)
    if court is not None:
        return court
    try:
        return court_queries.get_court(code)  # refuses, in the courts' words
    except CourtNotFoundError as error:
        raise CaseError(error.code, error.message, fields={"court": [error.message]}) from error


# Endpoints. Order matters: the routes under a case come before `/cases/{path:number}`.


@router.post(
    "/cases",
    response={201: CaseOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Register a paper filing as a case (court office staff)",
    description=(
        "multipart/form-data: the field `data` holds the filing as JSON (court, proceeding_type, category, "
        "subject, claim_amount, consent_sms, consent_email, parties[], documents[]); each document names the "
        "form field of its uploaded file in `file`."
    ),
)
def register_case(request: HttpRequest, data: Form[str]) -> Status[CaseOut]:
    user = _user(request)
    filing = _parse_filing(data)
    uploads = _uploads_of(filing, request)
    registered = actions.register_case_with_rows(
        court=_court(filing.court),
        proceeding_type=filing.proceeding_type,
        category_code=filing.category,
        parties=[
            PartyInput(
                role=party.role,
                iin=party.iin.strip(),
                bin=party.bin.strip(),
                surname=party.surname.strip(),
                given_name=party.given_name.strip(),
                patronymic=party.patronymic.strip(),
                organisation_name=party.organisation_name.strip(),
                phone=party.phone.strip(),
                email=party.email.strip(),
                address=party.address.strip(),
                preferred_language=party.preferred_language,
                represents=party.represents,
            )
            for party in filing.parties
        ],
        documents=[
            DocumentInput(
                document_type=document.document_type,
                title=document.title.strip(),
                filename=upload.name or document.file,
                content=upload,
                page_count=document.page_count,
                dated=document.dated,
                author_party=document.author_party,
            )
            for document, upload in zip(filing.documents, uploads, strict=True)
        ],
        actor=user,
        channel=Channel.PAPER,
        subject=filing.subject.strip(),
        claim_amount=filing.claim_amount,
        consent_sms=filing.consent_sms,
        consent_email=filing.consent_email,
    )
    return Status(201, _registered_out(registered))


@router.get(
    "/cases/{path:number}/documents/{uuid:document_id}",
    response={200: None, 401: ErrorOut, 404: ErrorOut},
    summary="The content of a document, with its SHA-256",
    description="Headers: `X-Content-SHA256: <hex>` and `Repr-Digest: sha-256=:<base64>:` (RFC 9530).",
)
def get_document(request: HttpRequest, number: str, document_id: uuid.UUID) -> FileResponse:
    document = access.access_document_for(_user(request), number, str(document_id), ip_address=_client_ip(request))
    stored = document.file
    response = FileResponse(
        open_stored_file(stored), content_type=stored.media_type, as_attachment=False, filename=document.filename
    )
    response["Content-Length"] = str(stored.size)
    response["X-Content-SHA256"] = stored.sha256
    digest = base64.b64encode(binascii.unhexlify(stored.sha256)).decode("ascii")
    response["Repr-Digest"] = f"sha-256=:{digest}:"
    add_never_cache_headers(response)
    return response


@router.get(
    "/cases/{path:number}/events",
    response=list[EventOut],
    summary="The journal of a case, oldest first",
)
@paginate(Pagination)
def list_events(request: HttpRequest, number: str, response: HttpResponse) -> QuerySet[CaseEvent]:
    case = access.access_case_for(_user(request), number, kind=AccessKind.JOURNAL_READ, ip_address=_client_ip(request))
    add_never_cache_headers(response)
    return queries.journal(case)


@router.get(
    "/cases/{path:number}",
    response={200: CaseOut, 401: ErrorOut, 404: ErrorOut},
    summary="A case with its parties and documents (as the user may see it)",
)
def get_case(request: HttpRequest, number: str, response: HttpResponse) -> CaseOut:
    case = access.access_case_for(_user(request), number, ip_address=_client_ip(request))
    add_never_cache_headers(response)
    return _case_out(case)
