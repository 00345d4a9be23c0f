"""Recording upload in resumable pieces with a checksum, and Range playback for the case's people."""

import datetime as dt
import hashlib
import io
import threading
import time
import wave
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.hearings import recordings
from torelik.hearings.access import recorder_for_token
from torelik.hearings.actions import register_recorder, schedule_hearing
from torelik.hearings.errors import HearingError
from torelik.hearings.models import Hearing, Recording, RecordingUpload
from torelik.hearings.tests.factories import NOW, Court_, at, case_in, court_with_staff

pytestmark = pytest.mark.django_db


def wav_bytes(seconds: int = 1) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(bytes(range(256)) * (8000 * 2 * seconds // 256))
    return buffer.getvalue()


@pytest.fixture
def court() -> Court_:
    return court_with_staff()


@pytest.fixture
def hearing(court: Court_) -> Hearing:
    with clock.frozen_at(NOW):
        return schedule_hearing(
            case=case_in(court), courtroom=court.room, starts_at=at(10), ends_at=at(11), actor=court.secretary
        )


@pytest.fixture
def token(court: Court_) -> str:
    return register_recorder(court=court.court, name="Зал 101", valid_until=NOW + dt.timedelta(days=30))[1]


def _put(client: Client, url: str, token: str, data: bytes, start: int, size: int) -> object:
    return client.put(
        url,
        data=data,
        content_type="application/octet-stream",
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_CONTENT_RANGE=f"bytes {start}-{start + len(data) - 1}/{size}",
    )


def _upload(client: Client, hearing: Hearing, token: str, data: bytes) -> str:
    with clock.frozen_at(NOW):
        started = client.post(
            f"/api/v1/hearings/{hearing.public_id}/recordings",
            {"filename": "session.wav", "size": len(data)},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    assert started.status_code == 201, started.content
    return f"/api/v1/hearings/{hearing.public_id}/recordings/{started.json()['id']}"


def test_an_interrupted_upload_resumes_and_a_wrong_checksum_stores_nothing(
    client: Client, court: Court_, hearing: Hearing, token: str
) -> None:
    data = wav_bytes()
    url = _upload(client, hearing, token, data)
    with clock.frozen_at(NOW):
        first = _put(client, url, token, data[:6000], 0, len(data))
        assert first.json()["received"] == 6000  # type: ignore[attr-defined]
        # The connection broke; the recorder resends from a wrong place and is told where to resume.
        skipped = _put(client, url, token, data[9000:], 9000, len(data))
        assert skipped.status_code == 409  # type: ignore[attr-defined]
        state = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert state.json()["received"] == 6000
        _put(client, url, token, data[6000:], 6000, len(data))
        wrong = client.post(
            f"{url}/finish", {"sha256": "0" * 64}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
        assert wrong.status_code == 422
        assert wrong.json()["code"] == "recording_checksum_mismatch"
        assert not Recording.objects.exists()
        sha256 = hashlib.sha256(data).hexdigest()
        done = client.post(
            f"{url}/finish", {"sha256": sha256}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    assert done.status_code == 201, done.content
    assert done.json()["sha256"] == sha256
    assert done.json()["media_type"] == "audio/x-wav"
    assert done.json()["size"] == len(data)
    assert CaseEvent.objects.filter(case=hearing.case, kind=CaseEventKind.RECORDING_ADDED).count() == 1


def test_pieces_sent_in_order_are_hashed_as_they_arrive_and_the_file_is_moved_not_copied(
    client: Client,
    hearing: Hearing,
    token: str,
    monkeypatch: pytest.MonkeyPatch,
    settings: object,
    django_capture_on_commit_callbacks: Any,
) -> None:
    data = wav_bytes(2)
    url = _upload(client, hearing, token, data)

    def no_second_read(path: Path) -> str:
        raise AssertionError(f"{path} was read again to hash it")

    monkeypatch.setattr(recordings, "_digest", no_second_read)
    with clock.frozen_at(NOW):
        for start in range(0, len(data), 10_000):
            with django_capture_on_commit_callbacks(execute=True):  # each piece's request commits
                answer = _put(client, url, token, data[start : start + 10_000], start, len(data))
            assert answer.status_code == 200  # type: ignore[attr-defined]
        partial_files = list((Path(settings.MEDIA_ROOT) / "uploads").glob("*.part"))  # type: ignore[attr-defined]
        assert len(partial_files) == 1
        inode = partial_files[0].stat().st_ino
        sha256 = hashlib.sha256(data).hexdigest()
        done = client.post(
            f"{url}/finish", {"sha256": sha256}, content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    assert done.status_code == 201, done.content
    kept = Path(settings.MEDIA_ROOT) / "sha256" / sha256[:2] / sha256[2:4] / sha256  # type: ignore[attr-defined]
    assert kept.read_bytes() == data
    assert kept.stat().st_ino == inode  # the same file, renamed into the store
    assert not partial_files[0].exists()


def test_range_playback_for_the_judge_and_nothing_for_a_stranger(
    client: Client, court: Court_, hearing: Hearing, token: str
) -> None:
    data = wav_bytes()
    url = _upload(client, hearing, token, data)
    with clock.frozen_at(NOW):
        _put(client, url, token, data, 0, len(data))
        done = client.post(
            f"{url}/finish",
            {"sha256": hashlib.sha256(data).hexdigest()},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    media = f"/api/v1/hearings/{hearing.public_id}/recordings/{done.json()['id']}/media"
    client.force_login(court.judge_user)
    part = client.get(media, HTTP_RANGE="bytes=100-199")
    assert part.status_code == 206
    assert part["Content-Range"] == f"bytes 100-199/{len(data)}"
    assert b"".join(part.streaming_content) == data[100:200]  # type: ignore[attr-defined]
    tail = client.get(media, HTTP_RANGE="bytes=-10")
    assert b"".join(tail.streaming_content) == data[-10:]  # type: ignore[attr-defined]
    assert client.get(media, HTTP_RANGE=f"bytes={len(data)}-").status_code == 416
    whole = client.get(media)
    assert whole.status_code == 200
    assert whole["Accept-Ranges"] == "bytes"
    stranger = court_with_staff("0216")
    client.force_login(stranger.clerk)
    assert client.get(media, HTTP_RANGE="bytes=0-9").status_code == 404


def test_the_hearing_page_plays_the_recording_for_the_judge_only(
    client: Client, court: Court_, hearing: Hearing, token: str
) -> None:
    data = wav_bytes()
    url = _upload(client, hearing, token, data)
    with clock.frozen_at(NOW):
        _put(client, url, token, data, 0, len(data))
        done = client.post(
            f"{url}/finish",
            {"sha256": hashlib.sha256(data).hexdigest()},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
        )
    page_url = f"/en/hearings/{hearing.public_id}/"
    client.force_login(court.judge_user)
    page = client.get(page_url)
    assert page.status_code == 200
    media = f"/api/v1/hearings/{hearing.public_id}/recordings/{done.json()['id']}/media"
    assert f'<audio id="recording-1" controls preload="metadata" src="{media}">' in page.content.decode()
    client.force_login(court_with_staff("0216").clerk)
    assert client.get(page_url).status_code == 404
    assert client.get("/en/hearings/not-a-hearing/").status_code == 404


def test_the_duration_is_read_from_the_container_when_ffprobe_is_absent(tmp_path: Path) -> None:
    from torelik.hearings import recordings

    path = tmp_path / "session.wav"
    path.write_bytes(wav_bytes(seconds=3))
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr("torelik.hearings.recordings.shutil.which", lambda name: None)
        duration = recordings.probe_duration(path)
        # wav_bytes writes whole 256-byte blocks: 23,936 frames at 8 kHz = 2.992 s
        assert duration == dt.timedelta(seconds=2.992)
    path.write_bytes(b"not a recording at all")
    with pytest.MonkeyPatch.context() as patched:
        patched.setattr("torelik.hearings.recordings.shutil.which", lambda name: None)
        assert recordings.probe_duration(path) is None


class _BrokenBody:
    """A request body whose connection breaks after `good` bytes."""

    def __init__(self, data: bytes, good: int) -> None:
        self.stream = io.BytesIO(data[:good])

    def read(self, size: int, /) -> bytes:
        chunk = self.stream.read(size)
        if not chunk:
            raise OSError("connection reset")
        return chunk


def test_a_restart_that_breaks_off_never_lets_a_damaged_file_into_the_store(
    hearing: Hearing, token: str, django_capture_on_commit_callbacks: Any
) -> None:
    data = wav_bytes(2)
    half = len(data) // 2
    with clock.frozen_at(NOW):
        device = recorder_for_token(token)  # valid until NOW + 30 days: asked under the frozen clock
        upload = recordings.start_upload(hearing=hearing, device=device, filename="session.wav", size=len(data))
        with django_capture_on_commit_callbacks(execute=True):
            upload = recordings.write_piece(upload=upload, start=0, body=io.BytesIO(data[:half]), length=half)
        # The recorder starts again from 0 and the connection breaks after 1,000 bytes: the position
        # stays at the half, but the file was cut.
        with pytest.raises(OSError, match="connection reset"), django_capture_on_commit_callbacks(execute=True):
            recordings.write_piece(upload=upload, start=0, body=_BrokenBody(data, 1000), length=len(data))
        with django_capture_on_commit_callbacks(execute=True):
            upload = recordings.write_piece(
                upload=upload, start=half, body=io.BytesIO(data[half:]), length=len(data) - half
            )
        with pytest.raises(HearingError) as refused:
            recordings.finish_upload(upload=upload, sha256=hashlib.sha256(data).hexdigest())
    assert refused.value.code == "recording_checksum_mismatch"
    assert not Recording.objects.exists()


def test_a_finish_that_failed_after_moving_the_file_can_be_sent_again(
    hearing: Hearing, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = wav_bytes(1)
    sha256 = hashlib.sha256(data).hexdigest()
    with clock.frozen_at(NOW):
        device = recorder_for_token(token)  # valid until NOW + 30 days: asked under the frozen clock
        upload = recordings.start_upload(hearing=hearing, device=device, filename="session.wav", size=len(data))
        upload = recordings.write_piece(upload=upload, start=0, body=io.BytesIO(data), length=len(data))

        def journal_down(**_kwargs: object) -> None:
            raise RuntimeError("database went away")

        monkeypatch.setattr(recordings, "record_case_event", journal_down)
        with pytest.raises(RuntimeError):
            recordings.finish_upload(upload=upload, sha256=sha256)
        monkeypatch.undo()
        assert not Recording.objects.exists()
        recording = recordings.finish_upload(upload=upload, sha256=sha256)
    assert recording.file.sha256 == sha256
    assert recording.file.size == len(data)


class _Trickle:
    """A request body that hands out fewer bytes than asked, as a socket does; counts its reads."""

    def __init__(self, data: bytes, most: int) -> None:
        self.stream = io.BytesIO(data)
        self.most = most
        self.reads = 0

    def read(self, size: int, /) -> bytes:
        self.reads += 1
        return self.stream.read(min(size, self.most))


def test_a_piece_of_many_chunks_arrives_whole_and_hashed_in_order(
    hearing: Hearing, token: str, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(recordings, "CHUNK", 1000)  # the piece crosses the writer thread in many chunks
    monkeypatch.setattr(recordings, "WRITE_AHEAD", 2)
    data = wav_bytes(2)
    with clock.frozen_at(NOW):
        device = recorder_for_token(token)  # valid until NOW + 30 days: asked under the frozen clock
        upload = recordings.start_upload(hearing=hearing, device=device, filename="session.wav", size=len(data))
        with django_capture_on_commit_callbacks(execute=True):
            upload = recordings.write_piece(upload=upload, start=0, body=_Trickle(data, 777), length=len(data))
        assert upload.received == len(data)
        assert recordings._partial(upload).read_bytes() == data
        recording = recordings.finish_upload(upload=upload, sha256=hashlib.sha256(data).hexdigest())
    assert recording.file.sha256 == hashlib.sha256(data).hexdigest()


class _FullDisk:
    """A partial file on a disk that fills up after `room` bytes."""

    def __init__(self, target: io.BufferedRandom, room: int) -> None:
        self.target = target
        self.room = room

    def __enter__(self) -> "_FullDisk":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.target.close()

    def seek(self, offset: int) -> int:
        return self.target.seek(offset)

    def truncate(self, size: int) -> int:
        return self.target.truncate(size)

    def write(self, chunk: bytes) -> int:
        if self.room < len(chunk):
            raise OSError(28, "No space left on device")
        self.room -= len(chunk)
        return self.target.write(chunk)


def test_a_disk_that_fills_up_fails_the_piece_and_the_upload_resumes_where_it_stood(
    hearing: Hearing, token: str, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    monkeypatch.setattr(recordings, "CHUNK", 1000)
    monkeypatch.setattr(recordings, "WRITE_AHEAD", 2)
    data = wav_bytes(2)
    half = len(data) // 2
    with clock.frozen_at(NOW):
        device = recorder_for_token(token)  # valid until NOW + 30 days: asked under the frozen clock
        upload = recordings.start_upload(hearing=hearing, device=device, filename="session.wav", size=len(data))
        with django_capture_on_commit_callbacks(execute=True):
            upload = recordings.write_piece(upload=upload, start=0, body=io.BytesIO(data[:half]), length=half)
        real_partial = recordings._partial
        full = real_partial(upload)

        class FullDiskPath(type(full)):  # type: ignore[misc]
            def open(self, *_args: object, **_kwargs: object) -> _FullDisk:
                return _FullDisk(full.open("r+b"), room=5000)

        monkeypatch.setattr(recordings, "_partial", lambda _upload: FullDiskPath(full))
        body = _Trickle(data[half:], 1000)
        with pytest.raises(OSError, match="No space left"), django_capture_on_commit_callbacks(execute=True):
            recordings.write_piece(upload=upload, start=half, body=body, length=len(data) - half)
        assert body.reads < (len(data) - half) // 1000  # the network is no longer read once the disk failed
        monkeypatch.setattr(recordings, "_partial", real_partial)
        upload.refresh_from_db()
        assert upload.received == half
        with django_capture_on_commit_callbacks(execute=True):
            upload = recordings.write_piece(
                upload=upload, start=half, body=io.BytesIO(data[half:]), length=len(data) - half
            )
        recording = recordings.finish_upload(upload=upload, sha256=hashlib.sha256(data).hexdigest())
    assert recording.file.size == len(data)


def test_the_network_is_read_no_further_ahead_of_the_disk_than_a_few_chunks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recordings, "CHUNK", 1000)
    monkeypatch.setattr(recordings, "WRITE_AHEAD", 3)
    data = bytes(range(256)) * 200  # 51 chunks
    disk_free = threading.Event()

    class SlowDisk(io.BytesIO):
        def write(self, chunk: Any, /) -> int:
            disk_free.wait(timeout=10)
            return super().write(chunk)

    body = _Trickle(data, 1000)
    target = SlowDisk()
    digest = hashlib.sha256()
    copied: list[int] = []
    copying = threading.Thread(
        target=lambda: copied.append(recordings._copy(body=body, target=target, length=len(data), digest=digest))
    )
    copying.start()
    deadline = time.monotonic() + 5
    while body.reads < 5 and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.2)
    # One chunk at the disk, three waiting, one being handed over: the rest stays in the network.
    assert body.reads == 5
    disk_free.set()
    copying.join(timeout=10)
    assert copied == [len(data)]
    assert target.getvalue() == data
    assert digest.hexdigest() == hashlib.sha256(data).hexdigest()


def test_an_upload_that_is_no_recording_is_refused_at_its_first_piece_and_leaves_no_file(
    client: Client, hearing: Hearing, token: str
) -> None:
    page = b"<!doctype html><html><body>" + b"x" * 20_000 + b"</body></html>"
    url = _upload(client, hearing, token, page)  # named session.wav
    with clock.frozen_at(NOW):
        refused = _put(client, url, token, page[:10_000], 0, len(page))
    assert refused.status_code == 422  # type: ignore[attr-defined]
    upload = RecordingUpload.objects.get()
    assert upload.received == 0
    assert not recordings._partial(upload).exists()


def test_an_upload_nobody_finishes_is_swept_with_its_partial_file(
    client: Client, hearing: Hearing, token: str, settings: Any
) -> None:
    data = wav_bytes()
    url = _upload(client, hearing, token, data)
    with clock.frozen_at(NOW):
        _put(client, url, token, data[:9000], 0, len(data))
    upload = RecordingUpload.objects.get()
    partial_file = recordings._partial(upload)
    assert partial_file.stat().st_size == 9000
    RecordingUpload.objects.filter(pk=upload.pk).update(updated_at=NOW - dt.timedelta(hours=49))
    assert recordings.abandoned_uploads(now=NOW) == 1
    assert not RecordingUpload.objects.exists()
    assert not partial_file.exists()
