"""Uploading a session's audio-video recording in resumable pieces, streamed to disk, checked
against the SHA-256 the recorder announces, and then kept in the file store."""

import datetime as dt
import hashlib
import json
import queue
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict
from functools import partial
from pathlib import Path
from typing import BinaryIO, Protocol

import mutagen
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.archive.actions import (
    SNIFF_BYTES,
    LogEntryKind,
    LogReceipt,
    append_entry,
    checked_media_type,
    store_file,
    store_received_file,
)
from torelik.archive.errors import ArchiveError
from torelik.archive.file_store import copy_to, file_store
from torelik.archive.models import StoredFile
from torelik.cases.actions import record_case_event
from torelik.cases.models import CaseEventKind
from torelik.core.errors import ConflictError
from torelik.hearings.errors import HearingError, HearingForbiddenError
from torelik.hearings.models import Hearing, RecorderDevice, Recording, RecordingUpload

CHUNK = 1024 * 1024
WRITE_AHEAD = 4  # chunks read and waiting for the disk (4 MB), besides the one being written and the one read
MAX_RECORDING_SIZE = 20 * 1024 * 1024 * 1024  # a full day of video
RECORDING_MEDIA_TYPES = frozenset(
    {
        "video/mp4",
        "video/webm",
        "video/x-matroska",
        "video/quicktime",
        "audio/mpeg",
        "audio/ogg",
        "audio/x-wav",
        "audio/x-flac",
        "audio/mp4",
        "audio/webm",
    }
)


class Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


class UploadOffsetError(ConflictError):
    """A piece that does not continue where the upload stands; `received` says where to resume."""


class _RunningDigests:
    """The SHA-256 of each upload, carried on piece by piece as the bytes arrive, so that finishing
    an upload does not read the whole recording again. Kept in this process, and trusted only for
    the upload exactly as this process last saved it (the same `received` and the same `updated_at`
    of the locked row): a piece written by another process, a restart from 0 or a piece that failed
    leaves no usable entry, and finishing then reads the file once."""

    LIMIT = 256  # uploads remembered; the oldest is forgotten (an abandoned upload costs nothing)

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._digests: OrderedDict[int, tuple[int, dt.datetime, hashlib._Hash]] = OrderedDict()

    def resume(self, upload: RecordingUpload, start: int) -> "hashlib._Hash | None":
        """A copy of the digest of the first `start` bytes of `upload` as it stands (locked), or None;
        whatever was kept for it is forgotten, since its file is about to change."""
        with self._lock:
            known = self._digests.pop(upload.pk, None)
        if start == 0:
            return hashlib.sha256()
        if known is None or known[0] != start or known[1] != upload.updated_at:
            return None
        return known[2].copy()

    def keep(self, upload: RecordingUpload, digest: "hashlib._Hash | None") -> None:
        """Remember the digest of `upload` as just saved (called once its transaction commits)."""
        if digest is None:
            return
        with self._lock:
            self._digests[upload.pk] = (upload.received, upload.updated_at, digest)
            self._digests.move_to_end(upload.pk)
            while len(self._digests) > self.LIMIT:
                self._digests.popitem(last=False)

    def take(self, upload: RecordingUpload) -> str | None:
        """The SHA-256 of the whole of `upload` (locked, complete), if this process followed all of it."""
        with self._lock:
            known = self._digests.pop(upload.pk, None)
        if known is None or known[0] != upload.size or known[1] != upload.updated_at:
            return None
        return known[2].hexdigest()


_running = _RunningDigests()


def _partial(upload: RecordingUpload) -> Path:
    directory = Path(settings.MEDIA_ROOT) / "uploads"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{upload.public_id}.part"


def start_upload(*, hearing: Hearing, device: RecorderDevice, filename: str, size: int) -> RecordingUpload:
    if device.court_id != hearing.courtroom.court_id:
        raise HearingForbiddenError("not_staff_of_court", _("This recorder belongs to another court."))
    if not 0 < size <= MAX_RECORDING_SIZE:
        raise HearingError(
            "invalid_recording_size",
            _("A recording has between 1 byte and %(limit)s GB."),
            params={"limit": MAX_RECORDING_SIZE // 1024**3},
            fields={"size": [str(_("The size is not acceptable."))]},
        )
    upload = RecordingUpload.objects.create(hearing=hearing, device=device, filename=filename, size=size)
    _partial(upload).touch()
    return upload


def _copy(*, body: Readable, target: BinaryIO, length: int, digest: "hashlib._Hash | None") -> int:
    """Copy up to `length` bytes from `body` to `target` in 1 MB chunks, carrying `digest` on; the bytes
    copied (fewer if the body ends early). The disk is written by a thread of its own while this one
    reads the next chunk from the network and hashes it (both release the GIL), so that the upload
    runs at the pace of the slower of the two rather than of their sum; at most WRITE_AHEAD chunks
    wait between them. An error on either side stops both and is raised here, once nothing more is
    being written."""
    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=WRITE_AHEAD)
    failed: list[BaseException] = []
    written = 0

    def write() -> None:
        nonlocal written
        while (chunk := pending.get()) is not None:
            if failed:
                continue  # drain what the reader had already queued
            try:
                target.write(chunk)
            except BaseException as error:  # noqa: BLE001 - raised again in the reading thread
                failed.append(error)
            else:
                written += len(chunk)

    writer = threading.Thread(target=write, name="recording-writer", daemon=True)
    writer.start()
    read = 0
    try:
        while read < length and not failed and (chunk := body.read(min(CHUNK, length - read))):
            if digest is not None:
                digest.update(chunk)
            read += len(chunk)
            pending.put(chunk)
    finally:
        pending.put(None)
        writer.join()
    if failed:
        raise failed[0]
    return written


def write_piece(*, upload: RecordingUpload, start: int, body: Readable, length: int) -> RecordingUpload:
    """Append `length` bytes read from `body` at `start`, which must be where the upload stands
    (or 0 to start again); streamed in 1 MB chunks, never held whole in memory, the disk written
    while the network is read (see `_copy`)."""
    with transaction.atomic():
        upload = RecordingUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.completed or start not in {0, upload.received} or start + length > upload.size:
            raise UploadOffsetError(
                "upload_offset_mismatch",
                _("The upload stands at byte %(received)s of %(size)s: send the piece that starts there."),
                params={"received": upload.received, "size": upload.size},
            )
        path = _partial(upload)
        digest = _running.resume(upload, start)
        with path.open("r+b" if path.exists() else "wb") as target:
            target.seek(start)
            target.truncate(start)
            written = _copy(body=body, target=target, length=length, digest=digest)
        threshold = min(SNIFF_BYTES, upload.size)
        if start < threshold <= start + written:
            _check_type(upload, path)  # from the first piece that holds the head, not at the finish
        upload.received = start + written
        upload.save(update_fields=["received", "updated_at"])
        # Only once the new position is committed; a piece that fails leaves nothing kept.
        transaction.on_commit(partial(_running.keep, upload, digest))
    return upload


def _check_type(upload: RecordingUpload, path: Path) -> None:
    """Refuse an upload whose first bytes are no recording (or not what its name says): its partial file
    is removed at once, and the recorder may start again from byte 0 (ADR 0037)."""
    with path.open("rb") as received:
        head = received.read(SNIFF_BYTES)
    try:
        checked_media_type(head, upload.filename, RECORDING_MEDIA_TYPES)
    except ArchiveError as error:
        path.unlink(missing_ok=True)
        raise HearingError(error.code, error.message_template, params=error.params, fields=error.fields) from error


def abandoned_uploads(*, now: dt.datetime) -> int:
    """Remove the uploads nobody finished within TORELIK_UPLOAD_ABANDON_HOURS of their last piece: the
    partial file and the row. Returns how many."""
    cutoff = now - dt.timedelta(hours=settings.TORELIK_UPLOAD_ABANDON_HOURS)
    removed = 0
    for upload in RecordingUpload.objects.filter(completed=False, updated_at__lt=cutoff).order_by("pk")[:1000]:
        with transaction.atomic():
            locked = RecordingUpload.objects.select_for_update().filter(pk=upload.pk, completed=False).first()
            if locked is None:
                continue
            _partial(locked).unlink(missing_ok=True)
            _running.take(locked)  # forgets its running digest
            locked.delete()
            removed += 1
    return removed


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def probe_duration(path: Path) -> dt.timedelta | None:
    """The duration from ffprobe where it is installed, otherwise from the container's headers
    (mutagen reads WAV, MP4/M4A, Ogg, MP3, FLAC...); None when neither can tell."""
    ffprobe = shutil.which("ffprobe")
    if ffprobe is None:
        return _header_duration(path)
    result = subprocess.run(  # noqa: S603 - a fixed program on our own file
        [ffprobe, "-v", "quiet", "-print_format", "json", "-show_format", str(path)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    try:
        return dt.timedelta(seconds=float(json.loads(result.stdout)["format"]["duration"]))
    except (ValueError, KeyError, TypeError):
        return None


def _header_duration(path: Path) -> dt.timedelta | None:
    try:
        media = mutagen.File(str(path))
    except (mutagen.MutagenError, OSError, ValueError):
        return None
    length = getattr(getattr(media, "info", None), "length", None)
    return dt.timedelta(seconds=float(length)) if length else None


def finish_upload(*, upload: RecordingUpload, sha256: str) -> Recording:
    """Check the whole upload against `sha256` and keep it; a mismatch stores nothing and the
    recorder may send the pieces again. The upload stays locked from the check to the record, so
    no piece can change the file meanwhile; a finish that failed after the file was moved into the
    store can be sent again."""
    sha256 = sha256.lower()
    with transaction.atomic():
        upload = RecordingUpload.objects.select_for_update().select_related("hearing__case").get(pk=upload.pk)
        if upload.completed or upload.received != upload.size:
            raise UploadOffsetError(
                "upload_incomplete",
                _("The upload stands at byte %(received)s of %(size)s: send the piece that starts there."),
                params={"received": upload.received, "size": upload.size},
            )
        path = _partial(upload)
        if path.exists():
            received_digest = _running.take(upload) or _digest(path)
            if received_digest != sha256:
                raise HearingError(
                    "recording_checksum_mismatch",
                    _("The recording received does not match its SHA-256: send it again."),
                    fields={"sha256": [str(_("The checksum does not match."))]},
                )
            duration = probe_duration(path)
            stored = store_received_file(
                path=path, sha256=sha256, filename=upload.filename, allowed_media_types=RECORDING_MEDIA_TYPES
            )
        else:
            stored, duration = _moved_earlier(upload, sha256)
        recording = Recording.objects.create(
            hearing=upload.hearing, file=stored, media_type=stored.media_type, duration=duration
        )
        upload.completed = True
        upload.save(update_fields=["completed", "updated_at"])
        record_case_event(
            case=upload.hearing.case,
            kind=CaseEventKind.RECORDING_ADDED,
            actor=None,
            data={
                "hearing": str(upload.hearing.public_id),
                "sha256": stored.sha256,
                "media_type": stored.media_type,
                "log_leaf": _log_recording(recording, stored).leaf_hash,
            },
        )
    return recording


def _log_recording(recording: Recording, stored: StoredFile) -> LogReceipt:
    """The recording as an entry of the transparency log, in the transaction that keeps it."""
    case = recording.hearing.case
    return append_entry(
        kind=LogEntryKind.RECORDING,
        fields={
            "case": {"id": str(case.public_id), "number": case.number},
            "hearing": str(recording.hearing.public_id),
            "recording": str(recording.public_id),
            "sha256": stored.sha256,
            "size": stored.size,
            "media_type": stored.media_type,
            "duration_seconds": int(recording.duration.total_seconds()) if recording.duration else None,
        },
        subject=str(recording.public_id),
        case=str(case.public_id),
    )


def _moved_earlier(upload: RecordingUpload, sha256: str) -> tuple[StoredFile, dt.timedelta | None]:
    """The upload's file is no longer where it was received: an earlier finish moved it into the
    store and then failed. Its content is taken again from the store (read and checked once more);
    if it is not there, the recorder must send it again from the start."""
    if not file_store().exists(sha256):
        RecordingUpload.objects.filter(pk=upload.pk).update(received=0)
        raise UploadOffsetError(
            "upload_incomplete",
            _("The upload stands at byte %(received)s of %(size)s: send the piece that starts there."),
            params={"received": 0, "size": upload.size},
        )
    with tempfile.TemporaryFile(dir=Path(settings.MEDIA_ROOT)) as content:  # a seekable copy (S3 streams are not)
        copy_to(file_store(), sha256, content)
        content.seek(0)
        stored = store_file(
            content=content,
            filename=upload.filename,
            max_size=MAX_RECORDING_SIZE,
            allowed_media_types=RECORDING_MEDIA_TYPES,
        )
    if stored.sha256 != sha256:
        raise HearingError(
            "recording_checksum_mismatch",
            _("The recording received does not match its SHA-256: send it again."),
            fields={"sha256": [str(_("The checksum does not match."))]},
        )
    return stored, None
