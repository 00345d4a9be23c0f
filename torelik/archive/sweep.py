"""Content nobody references is removed (ADR 0037): what a refused request stored before its refusal
(`discard_unreferenced`, at once), and what is left over after a grace period (`sweep_unreferenced`, a
periodic task) — a row of `StoredFile` that no model's foreign key points to and that no entry of the
transparency log names (a logged content stays: the log is the court's proof). An object the store keeps
under object lock is left until its lock ends."""

import datetime as dt
import logging
from collections.abc import Iterable

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, QuerySet

from torelik.archive.file_store import file_store
from torelik.archive.models import LogEntry, PendingEntry, StoredFile
from torelik.core import clock

logger = logging.getLogger(__name__)


def _references() -> list[tuple[type[models.Model], str]]:
    """Every (model, field) whose foreign key points to StoredFile, across all installed contexts."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is StoredFile
    ]


def unreferenced(rows: QuerySet[StoredFile]) -> QuerySet[StoredFile]:
    """The rows of `rows` that no foreign key points to."""
    for model, name in _references():
        rows = rows.exclude(Exists(model._default_manager.filter(**{name: OuterRef("pk")})))
    return rows


def _logged(sha256: str) -> bool:
    return (
        LogEntry.objects.filter(body__contains=sha256).exists()
        or PendingEntry.objects.filter(body__contains=sha256).exists()
    )


def _remove(candidates: Iterable[int]) -> int:
    """Delete each candidate that is still unreferenced and unlogged (checked under its row lock), the
    object first from the store, then the row. Returns how many went."""
    store = file_store()
    removed = 0
    for pk in candidates:
        with transaction.atomic():
            row = unreferenced(StoredFile.objects.select_for_update().filter(pk=pk)).first()
            if row is None or _logged(row.sha256):
                continue
            if not store.delete(row.sha256, stored_at=row.stored_at):
                continue  # under object lock: the next sweep
            row.delete()
            removed += 1
    return removed


def discard_unreferenced(files: Iterable[StoredFile]) -> int:
    """Remove now what a refused request stored before the refusal, unless something else uses it (the
    same bytes may be another document's content: the store is content-addressed)."""
    pks = [stored.pk for stored in files if stored.pk is not None]
    removed = _remove(pks)
    if removed:
        logger.info("removed %d stored file(s) of a refused request", removed)
    return removed


def sweep_unreferenced(*, limit: int = 1000) -> int:
    """Remove the contents no document references that were stored more than
    TORELIK_FILE_SWEEP_GRACE_HOURS ago (an upload in progress is younger)."""
    cutoff = clock.now() - dt.timedelta(hours=settings.TORELIK_FILE_SWEEP_GRACE_HOURS)
    candidates = unreferenced(StoredFile.objects.filter(stored_at__lt=cutoff)).order_by("pk")
    removed = _remove(list(candidates.values_list("pk", flat=True)[:limit]))
    if removed:
        logger.info("swept %d stored file(s) that nothing references", removed)
    return removed


__all__ = ["discard_unreferenced", "sweep_unreferenced", "unreferenced"]
