"""The e-government portal's filing in one request: create the draft (or change the one of the portal's
`id`), then submit it when the request is signed. Safe to repeat: the same `id` sent again (after a
refusal with the fields to correct, or a lost answer) changes that draft instead of making another, and
two requests creating it at once come to the one filing (the database's unique id decides)."""

import base64
import binascii
import io
import os
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
from django.http.multipartparser import MultiPartParser
from django.utils.translation import gettext_lazy as _

from torelik.filing import access, queries
from torelik.filing.actions import attachments, drafts, fee_payments, submission
from torelik.filing.errors import FilingConflictError, FilingError, FilingErrorCode
from torelik.filing.models import ApiClient, Attachment, Filing


def decoded(value: str, field: str) -> bytes:
    """The bytes of a base64 value the portal sent in `field` (a refusal naming the field otherwise)."""
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError) as error:
        raise FilingError(
            FilingErrorCode.INVALID,
            _("The value is not valid base64."),
            fields={field: [str(_("The value is not valid base64."))]},
        ) from error


@dataclass(frozen=True)
class PortalAttachment:
    filename: str
    role: str
    title: str
    page_count: int
    content_base64: str


@dataclass(frozen=True)
class PortalFiling:
    """What the portal sends: the draft's form as `drafts.update_draft` takes it, its attachments (None
    when the request does not name them: a draft sent again keeps its own), the receipt of the fee it
    paid, and the citizen's signature over the manifest (empty: not signed yet)."""

    public_id: uuid.UUID | None
    kind: str
    filer_iin: str
    form: Mapping[str, Any]
    attachments: Sequence[PortalAttachment] | None
    receipt_number: str = ""
    signature: bytes = b""


@dataclass(frozen=True)
class PortalOutcome:
    """The filing as it stands, whether this request created it, and its attachments in the
    manifest's order when this request wrote them (the answer's manifest is computed from them)."""

    filing: Filing
    created: bool
    attachments: list[Attachment] | None


def settle_fee(filing: Filing, receipt_number: str) -> None:
    """The fee paid through the portal, checked by its receipt (when it is not settled already)."""
    if receipt_number and not queries.fee_settled(filing):
        fee_payments.verify_receipt(filing=filing, receipt_number=receipt_number)


def file_for_portal(*, client: ApiClient, sent: PortalFiling) -> PortalOutcome:
    """Without a signature: the draft is kept and answered with the manifest the citizen signs. With
    a signature over the manifest the portal computed the same way, it is submitted at once.

    A filing already submitted is answered as it stands when the request carries the same signature,
    else 409. An `id` of another client's filing, or of a filing of another kind or filer, is 409."""
    filing = access.portal_draft(client=client, kind=sent.kind, filer_iin=sent.filer_iin, public_id=sent.public_id)
    created = False
    if filing is None:
        started = _start(client, sent)
        if started is not None:
            (filing, problems, attached), created = started, True
        else:  # a twin request created the draft of this id meanwhile: this one changes it, as sent again
            filing = access.portal_draft(
                client=client, kind=sent.kind, filer_iin=sent.filer_iin, public_id=sent.public_id
            )
            assert filing is not None  # noqa: S101 - `_start` found it
    if not created and not filing.is_draft:
        return PortalOutcome(submission.already_submitted(filing, sent.signature), created=False, attachments=None)
    try:
        if not created:
            problems, attached = _fill(filing, sent)
        filing, attached = _check_and_submit(filing, sent, problems, attached)
    except FilingConflictError:
        # A twin request submitted it in between: the same answer for the same request, else 409.
        filing.refresh_from_db()
        if filing.is_draft:
            raise
        filing = submission.already_submitted(filing, sent.signature)
    return PortalOutcome(filing, created=created, attachments=attached if filing.is_draft else None)


def normalised_filename(name: str) -> str:
    """A file name as the multipart routes keep it (Django's parser): no directories (`../../etc/passwd` is
    `passwd`), no control characters (CR, LF), at most 255 characters; `attachment` when nothing is left."""
    cleaned = MultiPartParser.sanitize_file_name(None, name) or ""  # type: ignore[arg-type]  # uses no state
    cleaned = os.path.basename(cleaned).strip()
    if cleaned in {"", ".", ".."}:
        return "attachment"
    stem, extension = os.path.splitext(cleaned)
    return stem[: 255 - len(extension[:255])] + extension[:255] if len(cleaned) > 255 else cleaned


def _attachments(given: Sequence[PortalAttachment]) -> list[attachments.AttachmentInput]:
    return [
        attachments.AttachmentInput(
            content=io.BytesIO(decoded(item.content_base64, f"attachments[{index}].content_base64")),
            filename=normalised_filename(item.filename),
            role=item.role,
            title=item.title,
            page_count=item.page_count,
        )
        for index, item in enumerate(given)
    ]


def _start(
    client: ApiClient, sent: PortalFiling
) -> tuple[Filing, dict[str, list[str]], list[Attachment] | None] | None:
    """A new draft with its form and attachments (the refused fields, and the attachments in the
    manifest's order), or None when a twin request took its `id` meanwhile. Attachments that are not
    base64 are refused after the draft is kept with its form all the same."""
    draft = drafts.new_draft(
        kind=sent.kind,
        filer_iin=sent.filer_iin,
        actor=None,
        channel=client.channel,
        api_client=client,
        public_id=sent.public_id,
    )
    try:
        given: list[attachments.AttachmentInput] | None = _attachments(sent.attachments or [])
        refused = None
    except FilingError as error:
        given, refused = None, error
    try:
        problems, attached, step = attachments.start_draft_with_attachments(draft=draft, attachments=given, **sent.form)
    except IntegrityError:
        if sent.public_id is None or not Filing.objects.filter(public_id=sent.public_id).exists():  # pragma: no cover
            raise  # not the portal's id that was taken
        return None
    if refused is not None:
        raise refused
    queries.hold_trail(draft, [step])
    return draft, problems, attached


def _fill(filing: Filing, sent: PortalFiling) -> tuple[dict[str, list[str]], list[Attachment] | None]:
    """The draft's form (and its attachments, when the request replaces them) changed: the refused
    fields, and the attachments in the manifest's order when this request replaced them."""
    if sent.attachments is None:
        return drafts.update_draft(filing=filing, actor=None, **sent.form), None
    try:
        given = _attachments(sent.attachments)
    except FilingError:
        drafts.update_draft(filing=filing, actor=None, **sent.form)  # the form is kept all the same
        raise
    return attachments.update_draft_and_attachments(filing=filing, actor=None, attachments=given, **sent.form)


def _check_and_submit(
    filing: Filing,
    sent: PortalFiling,
    problems: dict[str, list[str]],
    attached: list[Attachment] | None,
) -> tuple[Filing, list[Attachment] | None]:
    """The refusal of the fields that were not valid, else the draft submitted when signed."""
    if problems:
        raise FilingError(
            FilingErrorCode.INVALID,
            _("Some fields of filing %(id)s are not valid: correct them and send it again with this id."),
            params={"id": str(filing.public_id)},
            fields=problems,
        )
    if sent.signature:
        settle_fee(filing, sent.receipt_number)
        return submission.submit_filing(filing=filing, signature=sent.signature, actor=None), None
    return filing, attached
