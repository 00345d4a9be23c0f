"""A draft's attachments: uploaded, content sniffed (never trusted from the name), stored, replaced
all-or-none for a partner system, and removed."""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.archive.actions import store_file
from torelik.archive.errors import ArchiveError
from torelik.archive.models import StoredFile
from torelik.filing.actions import drafts
from torelik.filing.actions.drafts import locked_draft, max_attachment_size
from torelik.filing.actions.trail import record_trail
from torelik.filing.errors import (
    FilingError,
    FilingErrorCode,
    refusal,
)
from torelik.filing.models import (
    Attachment,
    AttachmentRole,
    Filing,
    FilingEvent,
    FilingStatus,
)
from torelik.identity.models import User

logger = logging.getLogger("torelik.filing")

ATTACHMENT_MEDIA_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


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


def update_draft_and_attachments(
    *, filing: Filing, actor: User | None, attachments: Sequence[AttachmentInput], **form: Any
) -> tuple[dict[str, list[str]], list[Attachment] | None]:
    """`drafts.update_draft(**form)`, then the attachments replaced (all of them or none), under one
    lock of the draft: the
    refused fields of both (the form's first), and the draft's attachments in the manifest's order
    when they were replaced (None when one was refused and the draft kept those it had)."""
    stored, problems = _store_all(filing, attachments)
    with transaction.atomic():
        locked = locked_draft(filing)
        fields = drafts.fill_locked_draft(locked, **form)
        rows = None if problems else _replace_rows(locked, attachments, stored)
    drafts.take_state(filing, locked)
    fields.update(problems)
    return fields, rows


def start_draft_with_attachments(
    *, draft: Filing, attachments: Sequence[AttachmentInput] | None, **form: Any
) -> tuple[dict[str, list[str]], list[Attachment] | None, FilingEvent]:
    """A new draft (`drafts.new_draft`, not saved yet) written with its form (`fill_locked_draft`)
    and its attachments (all of them or none) in one transaction: what `drafts.start_draft` and then
    `update_draft_and_attachments` write, as one insert of the draft (no lock, update or delete of a
    row no one else sees yet). The refused fields (the form's first), the attachments in the
    manifest's order (None when one was refused, or none were given) and the trail's first step.
    IntegrityError when the draft's `public_id` was taken meanwhile (then nothing is written)."""
    stored, problems = _store_all(draft, attachments) if attachments is not None else ([], {})
    with transaction.atomic():
        fields = drafts.fill_locked_draft(draft, **form)  # inserts the draft
        step = record_trail(draft, FilingStatus.DRAFT)
        rows = None if problems or attachments is None else _insert_rows(draft, attachments, stored)
    drafts.take_state(draft, draft)  # its columns as the database gives them back (amounts to the cent)
    fields.update(problems)
    return fields, rows, step


def _store_all(filing: Filing, attachments: Sequence[AttachmentInput]) -> tuple[list[StoredFile], dict[str, list[str]]]:
    """The files of `attachments` in the store, or the refused ones (`attachments[i]`)."""
    if len(attachments) > settings.TORELIK_FILING_MAX_ATTACHMENTS:
        error = _too_many_attachments("attachments")
        return [], dict(error.fields)
    problems: dict[str, list[str]] = {}
    stored: list[StoredFile] = []
    for index, item in enumerate(attachments):
        try:
            _check_role(item.role)
            stored.append(_store_attachment(filing, item.content, item.filename))
        except FilingError as error:
            problems.setdefault(f"attachments[{index}]", []).extend(sum(error.fields.values(), []) or [error.message])
    return stored, problems


def _replace_rows(
    locked: Filing, attachments: Sequence[AttachmentInput], stored: Sequence[StoredFile]
) -> list[Attachment]:
    """The locked draft's attachments replaced by these, in the manifest's order (their order)."""
    locked.attachments.all().delete()
    return _insert_rows(locked, attachments, stored)


def _insert_rows(
    filing: Filing, attachments: Sequence[AttachmentInput], stored: Sequence[StoredFile]
) -> list[Attachment]:
    return Attachment.objects.bulk_create(
        [
            Attachment(
                filing=filing,
                role=item.role,
                title=item.title.strip()[:300],
                filename=item.filename[:255],
                file=file,
                page_count=max(item.page_count, 1),
            )
            for item, file in zip(attachments, stored, strict=True)
        ]
    )


@transaction.atomic
def remove_attachment(*, attachment: Attachment, actor: User | None) -> None:
    locked_draft(attachment.filing)
    attachment.delete()
