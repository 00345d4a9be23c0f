"""Uploading a session's audio-video recording in resumable pieces, streamed to disk, checked
against the SHA-256 the recorder announces, and then kept in the file store."""

import datetime as dt
import hashlib
import json
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Protocol

import mutagen
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from torelik.archive.actions import store_received_file
from torelik.cases.actions import record_case_event
from torelik.cases.models import CaseEventKind
from torelik.core.errors import ConflictError
from torelik.hearings.errors import HearingError, HearingForbiddenError
from torelik.hearings.models import Hearing, RecorderDevice, Recording, RecordingUpload

CHUNK = 1024 * 1024
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
    an upload does not read the whole recording again. Kept in this process: a piece served by
    another process (or after a restart) drops it, and finishing then reads the file once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._digests: dict[int, tuple[int, hashlib._Hash]] = {}

    def resume(self, upload_id: int, start: int) -> "hashlib._Hash | None":
        """A copy of the digest of the first `start` bytes, or None when this process has not seen them."""
        if start == 0:
            return hashlib.sha256()
        with self._lock:
            known = self._digests.get(upload_id)
        return known[1].copy() if known is not None and known[0] == start else None

    def keep(self, upload_id: int, received: int, digest: "hashlib._Hash | None") -> None:
        with self._lock:
            if digest is None:
                self._digests.pop(upload_id, None)
            else:
                self._digests[upload_id] = (received, digest)

    def take(self, upload_id: int, size: int) -> str | None:
        with self._lock:
            known = self._digests.pop(upload_id, None)
        return known[1].hexdigest() if known is not None and known[0] == size else None


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


def write_piece(*, upload: RecordingUpload, start: int, body: Readable, length: int) -> RecordingUpload:
    """Append `length` bytes read from `body` at `start`, which must be where the upload stands
    (or 0 to start again); streamed in 1 MB chunks, never held whole in memory."""
    with transaction.atomic():
        upload = RecordingUpload.objects.select_for_update().get(pk=upload.pk)
        if upload.completed or start not in {0, upload.received} or start + length > upload.size:
            raise UploadOffsetError(
                "upload_offset_mismatch",
                _("The upload stands at byte %(received)s of %(size)s: send the piece that starts there."),
                params={"received": upload.received, "size": upload.size},
            )
        path = _partial(upload)
        digest = _running.resume(upload.pk, start)
        written = 0
        with path.open("r+b" if path.exists() else "wb") as target:
            target.seek(start)
            target.truncate(start)
            while written < length and (chunk := body.read(min(CHUNK, length - written))):
                target.write(chunk)
                if digest is not None:
                    digest.update(chunk)
                written += len(chunk)
        upload.received = start + written
        upload.save(update_fields=["received", "updated_at"])
    # Only once the new position is saved: a piece that failed halfway leaves the kept digest where
    # it was (the new bytes went into a copy), and a position that does not match it drops it.
    _running.keep(upload.pk, upload.received, digest)
    return upload


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
    recorder may send the pieces again."""
    upload = RecordingUpload.objects.select_related("hearing__case").get(pk=upload.pk)
    path = _partial(upload)
    if upload.completed or upload.received != upload.size:
        raise UploadOffsetError(
            "upload_incomplete",
            _("The upload stands at byte %(received)s of %(size)s: send the piece that starts there."),
            params={"received": upload.received, "size": upload.size},
        )
    received_digest = _running.take(upload.pk, upload.size) or _digest(path)
    if received_digest != sha256.lower():
        raise HearingError(
            "recording_checksum_mismatch",
            _("The recording received does not match its SHA-256: send it again."),
            fields={"sha256": [str(_("The checksum does not match."))]},
        )
    duration = probe_duration(path)
    stored = store_received_file(
        path=path, sha256=received_digest, filename=upload.filename, allowed_media_types=RECORDING_MEDIA_TYPES
    )
    with transaction.atomic():
        recording = Recording.objects.create(
            hearing=upload.hearing, file=stored, media_type=stored.media_type, duration=duration
        )
        upload.completed = True
        upload.save(update_fields=["completed", "updated_at"])
        record_case_event(
            case=upload.hearing.case,
            kind=CaseEventKind.RECORDING_ADDED,
            actor=None,
            data={"hearing": str(upload.hearing.public_id), "sha256": stored.sha256, "media_type": stored.media_type},
        )
    return recording
