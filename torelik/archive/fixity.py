"""The fixity audit: every day a rolling 1/180 of the stored objects (each is re-read at least every
180 days) and a random sample are re-hashed; an object whose bytes do not hash to its address is
repaired from the second copy (TORELIK_FILE_STORE_COPY) when that copy is intact, and the mismatch is
raised as an entry of the transparency log and as an event the case file journals for its cases.
The store is content-addressed, so an object's address is the SHA-256 the log recorded for it.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models.functions import Mod

from torelik.archive.events import StoredObjectDamaged
from torelik.archive.file_store import CHUNK, FileStore, file_store, second_copy
from torelik.archive.log import append_entry
from torelik.archive.models import FixityCheck, LogEntryKind, StoredFile
from torelik.core import clock, events

CYCLE_DAYS = 180


@dataclass
class FixityReport:
    checked: int = 0
    damaged: int = 0
    repaired: int = 0

    def line(self) -> str:
        return f"checked {self.checked}, damaged {self.damaged}, repaired {self.repaired}"


def _digest(store: FileStore, sha256: str) -> str:
    """The SHA-256 of what the store holds under `sha256` (empty when it holds nothing)."""
    digest = hashlib.sha256()
    try:
        with store.open(sha256) as content:
            while chunk := content.read(CHUNK):
                digest.update(chunk)
    except (FileNotFoundError, KeyError):
        return ""
    except Exception as error:  # an S3 store answers a missing key with its own error
        if "NoSuchKey" in type(error).__name__ or "NoSuchKey" in str(error) or "404" in str(error):
            return ""
        raise
    return digest.hexdigest()


def check_object(sha256: str, *, reason: str) -> FixityCheck:
    """Re-hash one stored object, repair it from the second copy if it is damaged there is a good copy."""
    store = file_store()
    found = _digest(store, sha256)
    repaired = False
    if found != sha256:
        copy = second_copy()
        if copy is not None and _digest(copy, sha256) == sha256:
            with copy.open(sha256) as good:
                store.restore(sha256, good)
            repaired = _digest(store, sha256) == sha256
    with transaction.atomic():
        check = FixityCheck.objects.create(
            sha256=sha256, checked_at=clock.now(), found=found, ok=found == sha256, repaired=repaired, reason=reason
        )
        if found != sha256:
            receipt = append_entry(
                kind=LogEntryKind.FIXITY_MISMATCH,
                fields={"sha256": sha256, "found": found or None, "repaired": repaired},
                subject=sha256,
            )
            events.publish(
                StoredObjectDamaged(sha256=sha256, found=found, repaired=repaired, log_leaf=receipt.leaf_hash)
            )
    return check


def audit_fixity(*, day: dt.date | None = None, sample: int | None = None, everything: bool = False) -> FixityReport:
    """The day's audit: the objects whose id falls in the day's 1/180 share, and `sample` others at random
    (TORELIK_FIXITY_SAMPLE); `everything`: every object."""
    day = day or clock.today()
    objects = StoredFile.objects.order_by("id")
    if everything:
        chosen = list(objects.values_list("sha256", flat=True))
        reasons = dict.fromkeys(chosen, "manual")
    else:
        share = day.toordinal() % CYCLE_DAYS
        rolling = list(
            objects.annotate(share=Mod("id", CYCLE_DAYS)).filter(share=share).values_list("sha256", flat=True)
        )
        count = settings.TORELIK_FIXITY_SAMPLE if sample is None else sample
        extra = list(objects.exclude(sha256__in=rolling).order_by("?").values_list("sha256", flat=True)[:count])
        reasons = dict.fromkeys(rolling, "rolling") | dict.fromkeys(extra, "sample")
    report = FixityReport()
    for sha256, reason in reasons.items():
        check = check_object(sha256, reason=reason)
        report.checked += 1
        report.damaged += not check.ok
        report.repaired += check.repaired
    return report
