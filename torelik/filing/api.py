"""JSON API of the filing context: the e-government portal files with its API credential (Bearer)
the citizen's signed manifest (`POST /filings`, `POST /filings/{id}/signature`) and reads the status
(`GET /filings/{id}`); the sandbox payment gateway calls back (`POST /payments/sandbox/callback`)."""

import base64
import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from torelik.core.api import ErrorOut
from torelik.filing import access, actions, queries
from torelik.filing.actions import SIGNATURE_HEADER, portal
from torelik.filing.errors import FilingError, FilingErrorCode, FilingNotFoundError
from torelik.filing.manifest import canonical_manifest
from torelik.filing.models import ApiClient, Attachment, AttachmentRole, Filing, FilingKind

router = Router(tags=["filing"])


class ApiClientToken(HttpBearer):
    """A partner system: `Authorization: Bearer <API client token>`."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiClient:
        return access.api_client_for(token)


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
    held_court = filing.court if Filing.court.is_cached(filing) else None
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
    signature = portal.decoded(body.signature_base64, "signature_base64") if body.signature_base64 else b""
    outcome = portal.file_for_portal(
        client=client,
        sent=portal.PortalFiling(
            public_id=body.id,
            kind=body.kind,
            filer_iin=body.filer_iin,
            form={
                "court_code": body.court,
                "category_code": body.category,
                "case_number": body.case,
                "subject": body.subject,
                "claim_amount": "" if body.claim_amount is None else str(body.claim_amount),
                "filer_bin": body.filer_bin,
                "on_behalf_of_iin": body.on_behalf_of_iin,
                "fee_exemption": body.fee_exemption,
                "data": body.data,
            },
            attachments=[
                portal.PortalAttachment(
                    filename=item.filename,
                    role=item.role,
                    title=item.title,
                    page_count=item.page_count,
                    content_base64=item.content_base64,
                )
                for item in body.attachments
            ]
            if "attachments" in body.model_fields_set
            else None,
            receipt_number=body.receipt_number,
            signature=signature,
        ),
    )
    return Status(201 if outcome.created else 200, _out(outcome.filing, outcome.attachments))


@router.post(
    "/filings/{filing_id}/signature",
    response={200: FilingOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
    auth=ApiClientToken(),
    summary="Submit a filing with the citizen's signature over its manifest",
)
def sign_filing(request: HttpRequest, filing_id: uuid.UUID, body: SignatureIn) -> FilingOut:
    client = _client(request)
    if body.receipt_number:
        portal.settle_fee(_filing_of(client, filing_id), body.receipt_number)
    try:
        signature = portal.decoded(body.signature_base64, "signature_base64")
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
