"""JSON API of the filing context: the e-government portal files with its API credential (Bearer)
the citizen's signed manifest (`POST /filings`, `POST /filings/{id}/signature`) and reads the status
(`GET /filings/{id}`); the sandbox payment gateway calls back (`POST /payments/sandbox/callback`)."""

import base64
import binascii
import datetime as dt
import io
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import IntegrityError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from torelik.core.api import ErrorOut
from torelik.filing import actions, queries
from torelik.filing.actions import SIGNATURE_HEADER
from torelik.filing.errors import FilingConflictError, FilingError, FilingErrorCode, FilingNotFoundError
from torelik.filing.manifest import canonical_manifest
from torelik.filing.models import ApiClient, Attachment, AttachmentRole, Filing, FilingKind

router = Router(tags=["filing"])


class ApiClientToken(HttpBearer):
    """A partner system: `Authorization: Bearer <API client token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient:
        return actions.api_client_for(token)


class AttachmentIn(Schema):
    filename: str = Field(..., max_length=255)
    role: AttachmentRole = AttachmentRole.EVIDENCE
    title: str = Field("", max_length=300)
    page_count: int = Field(1, ge=1, le=10000)
    content_base64: str


class FilingIn(Schema):
    id: uuid.UUID | None = None
    kind: FilingKind
    filer_iin: str = Field(..., max_length=12)
    filer_bin: str = Field("", max_length=12)
    on_behalf_of_iin: str = Field("", max_length=12)
    court: str = Field("", max_length=4)
    category: str = Field("", max_length=18)
    case: str = Field("", max_length=40)
    subject: str = Field("", max_length=5000)
    claim_amount: Decimal | None = None
    fee_exemption: str = Field("", max_length=40)
    data: dict[str, Any] = Field(default_factory=dict)
    attachments: list[AttachmentIn] = Field(default_factory=list)
    receipt_number: str = Field("", max_length=40)
    signature_base64: str = ""


class SignatureIn(Schema):
    signature_base64: str
    receipt_number: str = Field("", max_length=40)


class TrailOut(Schema):
    status: str
    at: dt.datetime
    data: dict[str, Any]


class FilingOut(Schema):
    id: uuid.UUID
    kind: str
    channel: str
    status: str
    status_name: str
    fee_amount: Decimal | None
    fee_basis: str
    fee_paid: bool
    manifest_base64: str | None
    case_number: str | None
    court: str | None
    judge: str | None
    trail: list[TrailOut]


def _out(filing: Filing, attachments: Sequence[Attachment] | None = None) -> FilingOut:
    """`attachments`: the draft's attachments in the manifest's order when the request just wrote them."""
    case = filing.case
    held_court = filing._state.fields_cache.get("court")
    if case is not None and held_court is not None and case.court_id == held_court.pk:
        case.court = held_court  # the same row, held already
    judge = case.judge.person.full_name if case is not None and case.judge is not None else None
    return FilingOut(
        id=filing.public_id,
        kind=filing.kind,
        channel=filing.channel,
        status=filing.status,
        status_name=str(filing.get_status_display()),
        fee_amount=filing.fee_amount,
        fee_basis=filing.fee_basis,
        fee_paid=queries.fee_settled(filing, attachments),
        manifest_base64=base64.b64encode(canonical_manifest(filing, attachments)).decode() if filing.is_draft else None,
        case_number=case.number if case is not None else None,
        court=case.court.code if case is not None else (filing.court.code if filing.court else None),
        judge=judge,
        trail=[TrailOut(status=e.status, at=e.at, data=e.data) for e in queries.trail(filing)],
    )


def _b64(value: str, field: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise FilingError(
            FilingErrorCode.INVALID,
            gettext_lazy("The value is not valid base64."),
            fields={field: [str(gettext_lazy("The value is not valid base64."))]},
        ) from error


def _client(request: HttpRequest) -> ApiClient:
    client = request.auth  # type: ignore[attr-defined]
    assert isinstance(client, ApiClient)  # noqa: S101 - the route's authentication
    return client


def _filing_of(client: ApiClient, filing_id: uuid.UUID) -> Filing:
    filing = queries.filings_with_registry().filter(public_id=filing_id, api_client=client).first()
    if filing is None:
        raise _not_found()
    return filing


def _not_found() -> FilingNotFoundError:
    return FilingNotFoundError(FilingErrorCode.NOT_FOUND, gettext_lazy("There is no such filing that you may see."))


def _settle_fee(filing: Filing, receipt_number: str) -> None:
    if receipt_number and not queries.fee_settled(filing):
        actions.verify_receipt(filing=filing, receipt_number=receipt_number)


@router.post(
    "/filings",
    response={
        200: FilingOut,
        201: FilingOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    },
    auth=ApiClientToken(),
    summary="File for a citizen (e-government portal)",
)
def create_filing(request: HttpRequest, body: FilingIn) -> Status[FilingOut]:
    """Without a signature: the draft is kept and answered with the manifest the citizen signs
    (then `POST /filings/{id}/signature`). With `id` (chosen by the portal) and a signature over
    the manifest the portal computed the same way, it is submitted at once.

    `id` also makes the request safe to repeat: sent again with the same `id` (after a refusal with
    the fields to correct, or a lost answer), it changes that draft instead of making another - its
    fields as given, and its attachments replaced by `attachments` when the request names them -
    and answers 200 instead of 201. A filing already submitted is answered as it stands when the
    request carries the same signature, else 409. An `id` of another client's filing, or of a
    filing of another kind or filer, is 409."""
    client = _client(request)
    signature = _b64(body.signature_base64, "signature_base64") if body.signature_base64 else b""
    filing = actions.portal_draft(client=client, kind=body.kind, filer_iin=body.filer_iin, public_id=body.id)
    created = False
    if filing is None:
        started = _start(client, body)
        if started is not None:
            (filing, problems, attached), created = started, True
        else:  # a twin request created the draft of this id meanwhile: this one changes it, as sent again
            filing = actions.portal_draft(client=client, kind=body.kind, filer_iin=body.filer_iin, public_id=body.id)
            assert filing is not None  # noqa: S101 - `_start` found it
    if not created and not filing.is_draft:
        return Status(200, _out(actions.already_submitted(filing, signature)))
    try:
        if not created:
            problems, attached = _fill(filing, body, with_attachments="attachments" in body.model_fields_set)
        filing, attached = _check_and_submit(filing, body, signature, problems, attached)
    except FilingConflictError:
        # A twin request submitted it in between: the same answer for the same request, else 409.
        filing.refresh_from_db()
        if filing.is_draft:
            raise
        filing = actions.already_submitted(filing, signature)
    return Status(201 if created else 200, _out(filing, attached if filing.is_draft else None))


def _form(body: FilingIn) -> dict[str, Any]:
    return {
        "court_code": body.court,
        "category_code": body.category,
        "case_number": body.case,
        "subject": body.subject,
        "claim_amount": "" if body.claim_amount is None else str(body.claim_amount),
        "filer_bin": body.filer_bin,
        "on_behalf_of_iin": body.on_behalf_of_iin,
        "fee_exemption": body.fee_exemption,
        "data": body.data,
    }


def _attachments(body: FilingIn) -> list[actions.AttachmentInput]:
    return [
        actions.AttachmentInput(
            content=io.BytesIO(_b64(item.content_base64, f"attachments[{index}].content_base64")),
            filename=item.filename,
            role=item.role,
            title=item.title,
            page_count=item.page_count,
        )
        for index, item in enumerate(body.attachments)
    ]


def _start(client: ApiClient, body: FilingIn) -> tuple[Filing, dict[str, list[str]], list[Attachment] | None] | None:
    """A new draft with its form and attachments (the refused fields, and the attachments in the
    manifest's order), or None when a twin request took its `id` meanwhile. Attachments that are not
    base64 are refused after the draft is kept with its form all the same."""
    draft = actions.new_draft(
        kind=body.kind,
        filer_iin=body.filer_iin,
        actor=None,
        channel=client.channel,
        api_client=client,
        public_id=body.id,
    )
    try:
        given: list[actions.AttachmentInput] | None = _attachments(body)
        refused = None
    except FilingError as error:
        given, refused = None, error
    try:
        problems, attached, step = actions.start_draft_with_attachments(draft=draft, attachments=given, **_form(body))
    except IntegrityError:
        if body.id is None or not Filing.objects.filter(public_id=body.id).exists():  # pragma: no cover
            raise  # not the portal's id that was taken
        return None
    if refused is not None:
        raise refused
    queries.hold_trail(draft, [step])
    return draft, problems, attached


def _fill(
    filing: Filing, body: FilingIn, *, with_attachments: bool
) -> tuple[dict[str, list[str]], list[Attachment] | None]:
    """The draft's form (and its attachments, when the request replaces them) changed: the refused
    fields, and the attachments in the manifest's order when this request replaced them."""
    form = _form(body)
    if not with_attachments:
        return actions.update_draft(filing=filing, actor=None, **form), None
    try:
        given = _attachments(body)
    except FilingError:
        actions.update_draft(filing=filing, actor=None, **form)  # the form is kept all the same
        raise
    return actions.update_draft_and_attachments(filing=filing, actor=None, attachments=given, **form)


def _check_and_submit(
    filing: Filing,
    body: FilingIn,
    signature: bytes,
    problems: dict[str, list[str]],
    attached: list[Attachment] | None,
) -> tuple[Filing, list[Attachment] | None]:
    """The refusal of the fields that were not valid, else the draft submitted when signed."""
    if problems:
        raise FilingError(
            FilingErrorCode.INVALID,
            gettext_lazy("Some fields of filing %(id)s are not valid: correct them and send it again with this id."),
            params={"id": str(filing.public_id)},
            fields=problems,
        )
    if signature:
        _settle_fee(filing, body.receipt_number)
        return actions.submit_filing(filing=filing, signature=signature, actor=None), None
    return filing, attached


@router.post(
    "/filings/{filing_id}/signature",
    response={200: FilingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=ApiClientToken(),
    summary="Submit a filing with the citizen's signature over its manifest",
)
def sign_filing(request: HttpRequest, filing_id: uuid.UUID, body: SignatureIn) -> FilingOut:
    client = _client(request)
    if body.receipt_number:
        _settle_fee(_filing_of(client, filing_id), body.receipt_number)
    try:
        signature = _b64(body.signature_base64, "signature_base64")
    except FilingError:
        _filing_of(client, filing_id)  # a filing the client may not see is answered 404 all the same
        raise
    # The filing read once, locked, to be submitted (with the court and category of its manifest).
    rows = queries.filings_with_registry().filter(public_id=filing_id, api_client=client)
    filing = actions.submit_filing_of(rows, signature=signature, actor=None)
    if filing is None:
        raise _not_found()
    return _out(filing)


@router.get(
    "/filings/{filing_id}",
    response={200: FilingOut, 401: ErrorOut, 404: ErrorOut},
    auth=ApiClientToken(),
    summary="Status of a filing",
)
def filing_status(request: HttpRequest, filing_id: uuid.UUID) -> FilingOut:
    return _out(_filing_of(_client(request), filing_id))


class CallbackOut(Schema):
    order_id: str
    status: str


@router.post(
    "/payments/sandbox/callback",
    response={200: CallbackOut, 400: ErrorOut, 404: ErrorOut},
    auth=None,
    summary="Payment notice of the sandbox gateway (HMAC-SHA256 signed body)",
)
def sandbox_callback(request: HttpRequest) -> CallbackOut:
    payment = actions.record_payment_callback(
        gateway_name="sandbox", body=request.body, signature=request.headers.get(SIGNATURE_HEADER, "")
    )
    return CallbackOut(order_id=payment.order_id, status=payment.status)
