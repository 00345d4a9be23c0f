"""Writes of the portal: the library's items (by the Supreme Court's editors), announcements (by a court's
chairman or publishers) with their attachments stored in the archive's file store, and read receipts."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.archive.actions import DOCUMENT_MEDIA_TYPES, store_file
from torelik.core import clock
from torelik.courts.models import CaseCategory, Court, StaffRole
from torelik.identity.models import User
from torelik.portal import access
from torelik.portal.errors import PortalError, PortalErrorCode
from torelik.portal.models import (
    Announcement,
    Attachment,
    ItemKind,
    ItemStatus,
    PracticeItem,
    ReadReceipt,
    Visibility,
)

MAX_ATTACHMENT = 20 * 1024 * 1024
ATTACHMENT_TYPES = DOCUMENT_MEDIA_TYPES


@dataclass(frozen=True)
class ItemInput:
    kind: str
    number: str
    adopted_on: dt.date
    title_kk: str
    title_ru: str
    text_kk: str = ""
    text_ru: str = ""
    status: str = ItemStatus.IN_FORCE
    lost_force_on: dt.date | None = None
    visibility: str = Visibility.INTERNAL
    is_draft: bool = False
    source: str = ""
    category_codes: Sequence[str] = field(default_factory=tuple)


def search_text_of(item: PracticeItem) -> str:
    return " ".join([item.number, item.title_kk, item.title_ru, item.text_kk, item.text_ru]).lower()


def _invalid(name: str, message: object) -> PortalError:
    return PortalError(PortalErrorCode.INVALID_ITEM, _("Check the marked fields."), fields={name: [str(message)]})


def _checked(data: ItemInput) -> list[CaseCategory]:
    if data.kind not in ItemKind.values:
        raise _invalid("kind", _("Choose a kind of item."))
    if data.status not in ItemStatus.values:
        raise _invalid("status", _("Choose a status."))
    if data.visibility not in Visibility.values:
        raise _invalid("visibility", _("Choose who may read the item."))
    for name in ("number", "title_kk", "title_ru"):
        if not getattr(data, name).strip():
            raise _invalid(name, _("This field is required."))
    if not (data.text_kk.strip() or data.text_ru.strip()):
        raise _invalid("text_ru", _("Give the text in Kazakh or in Russian."))
    if data.status == ItemStatus.LOST_FORCE and data.lost_force_on is None:
        raise _invalid("lost_force_on", _("Give the date on which the item lost force."))
    if data.status == ItemStatus.LOST_FORCE and data.lost_force_on and data.lost_force_on < data.adopted_on:
        raise _invalid("lost_force_on", _("An item cannot lose force before its date."))
    codes = sorted(set(data.category_codes))
    categories = list(CaseCategory.objects.filter(code__in=codes))
    if len(categories) != len(codes):
        raise _invalid("categories", _("One of the case categories does not exist."))
    return categories


@transaction.atomic
def save_practice_item(*, actor: User | None, data: ItemInput, item: PracticeItem | None = None) -> PracticeItem:
    """Add an item to the library or change one: only the Supreme Court's editors (`access`)."""
    if not access.may_edit_library(actor):
        raise PortalError(PortalErrorCode.NOT_EDITOR, _("Only the Supreme Court's editors keep the practice library."))
    categories = _checked(data)
    item = item or PracticeItem()
    item.kind = data.kind
    item.number = data.number.strip()
    item.adopted_on = data.adopted_on
    item.title_kk = data.title_kk.strip()
    item.title_ru = data.title_ru.strip()
    item.text_kk = data.text_kk.strip()
    item.text_ru = data.text_ru.strip()
    item.status = data.status
    item.lost_force_on = data.lost_force_on if data.status == ItemStatus.LOST_FORCE else None
    item.visibility = data.visibility
    item.is_draft = data.is_draft
    item.source = data.source.strip()
    item.edited_by = actor
    item.search_text = search_text_of(item)
    item.save()
    item.categories.set(categories)
    return item


@dataclass(frozen=True)
class AnnouncementInput:
    court_code: str
    scope: str
    title: str
    body: str
    roles: Sequence[str] = field(default_factory=tuple)
    asks_receipt: bool = False
    publish: bool = True


@dataclass(frozen=True)
class NewFile:
    content: IO[bytes]
    filename: str


@transaction.atomic
def save_announcement(
    *,
    actor: User | None,
    data: AnnouncementInput,
    files: Sequence[NewFile] = (),
    announcement: Announcement | None = None,
    now: dt.datetime | None = None,
) -> Announcement:
    """Write (or change) an announcement of a court the actor publishes for, and publish it unless it is
    kept as a draft; the files are stored in the archive's file store (PDF or scans)."""
    court = Court.objects.filter(code=data.court_code).first()
    if court is None or not access.may_publish_for(actor, court):
        raise PortalError(
            PortalErrorCode.NOT_PUBLISHER,
            _("You do not publish announcements for this court."),
            fields={"court": [str(_("You do not publish announcements for this court."))]},
        )
    if (
        announcement is not None
        and announcement.court_id != court.pk
        and not access.may_publish_for(actor, announcement.court)
    ):
        raise PortalError(PortalErrorCode.NOT_PUBLISHER, _("You do not publish announcements for this court."))
    if data.scope not in access.scopes_of(court):
        raise PortalError(
            PortalErrorCode.SCOPE_NOT_ALLOWED,
            _("This court cannot address that audience."),
            fields={"scope": [str(_("This court cannot address that audience."))]},
        )
    unknown = [role for role in data.roles if role not in StaffRole.values]
    if unknown:
        raise PortalError(
            PortalErrorCode.UNKNOWN_ROLE,
            _("Choose roles from the list."),
            fields={"roles": [str(_("Choose roles from the list."))]},
        )
    for name in ("title", "body"):
        if not getattr(data, name).strip():
            message = str(_("This field is required."))
            raise PortalError(PortalErrorCode.INVALID_ITEM, _("Check the marked fields."), fields={name: [message]})
    stored = [
        (
            store_file(
                content=f.content,
                filename=f.filename,
                max_size=MAX_ATTACHMENT,
                allowed_media_types=ATTACHMENT_TYPES,
                field="files",
            ),
            f.filename,
        )
        for f in files
    ]
    announcement = announcement or Announcement(author=actor)
    announcement.court = court
    announcement.scope = data.scope
    announcement.roles = f",{','.join(sorted(set(data.roles)))}," if data.roles else ""
    announcement.title = data.title.strip()
    announcement.body = data.body.strip()
    announcement.asks_receipt = data.asks_receipt
    if data.publish and announcement.published_at is None:
        announcement.published_at = now or clock.now()
    elif not data.publish:
        announcement.published_at = None
    announcement.save()
    for row, filename in stored:
        Attachment.objects.create(announcement=announcement, stored=row, filename=filename[:255])
    return announcement


def mark_read(*, announcement: Announcement, user: User, now: dt.datetime | None = None) -> ReadReceipt:
    """The reader's receipt, written once (a second reading keeps the first moment)."""
    receipt, _created = ReadReceipt.objects.get_or_create(
        announcement=announcement, user=user, defaults={"read_at": now or clock.now()}
    )
    return receipt
