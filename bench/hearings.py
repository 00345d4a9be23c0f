"""Hearings: the public timetable of a big court for one day (`GET /api/v1/hearings?court=&date=`),
as JSON and as iCalendar, served in-process by Django's test client: p50/p95 per format; and a
recording uploaded through the API in pieces: MB/s against the disk, and the growth of peak memory.

The data is synthetic, in a database of its own dropped afterwards (a temporary SQLite file, or a
new database on the PostgreSQL server of DATABASE_URL): the court registry, then for the court
with the most courtrooms a day of hearings in every courtroom (eight one-hour slots, one in seven
closed) and the same for `--hearing-days` other days. Run alone: `python -m bench.hearings`.
"""

import argparse
import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from bench import database
from bench.latency import percentile

if TYPE_CHECKING:
    import httpx

DAY = dt.date(2027, 3, 3)
SLOTS = (9, 10, 11, 12, 14, 15, 16, 17)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("hearings")
    group.add_argument("--hearing-days", type=int, default=20, help="other days of hearings in the big court")
    group.add_argument("--timetable-runs", type=int, default=200, help="timetable requests measured per format")
    group.add_argument("--upload-mb", type=int, default=256, help="size of the recording uploaded, MB")
    group.add_argument("--piece-mb", type=int, default=32, help="size of each uploaded piece, MB")
    group.add_argument(
        "--upload-client",
        choices=["auto", "curl", "httpx"],
        default="auto",
        help="the recorder's HTTP client: curl when it is on PATH, else httpx in this process (auto)",
    )


def _fill(days: int) -> tuple[str, int]:
    from torelik.cases.models import Case
    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file
    from torelik.courts.models import CaseCategory, Court, Courtroom, Judge
    from torelik.hearings.models import Hearing
    from torelik.identity.models import Person

    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    category = CaseCategory.objects.filter(proceeding_type="civil").order_by("code").first()
    assert category is not None  # noqa: S101 - the registry holds civil categories
    court = max(Court.objects.select_related("region"), key=lambda c: c.courtrooms.count())
    rooms = list(Courtroom.objects.filter(court=court))
    zone = ZoneInfo(court.region.time_zone if court.region else "Asia/Almaty")
    people = Person.objects.bulk_create(
        [Person(iin=f"{800101300000 + n:012d}", surname="Судья", given_name=str(n)) for n in range(len(rooms))]
    )
    judges = Judge.objects.bulk_create([Judge(person=p, court=court) for p in people])
    all_days = [DAY] + [DAY + dt.timedelta(days=n + 1) for n in range(days)]
    slots = [(day, hour, index) for day in all_days for hour in SLOTS for index in range(len(rooms))]
    now = dt.datetime.now(tz=dt.UTC)
    cases = Case.objects.bulk_create(
        [
            Case(
                number=f"B-{n}",
                court=court,
                year=2027,
                type_code="2",
                sequence=n,
                proceeding_type="civil",
                category=category,
                judge=judges[slot[2]],
                status="scheduled",
                registered_at=now,
            )
            for n, slot in enumerate(slots, start=1)
        ],
        batch_size=1000,
    )
    Hearing.objects.bulk_create(
        [
            Hearing(
                case=case,
                courtroom=rooms[index],
                judge=judges[index],
                starts_at=dt.datetime(day.year, day.month, day.day, hour, tzinfo=zone),
                ends_at=dt.datetime(day.year, day.month, day.day, hour, 50, tzinfo=zone),
                is_closed=n % 7 == 3,
            )
            for n, (case, (day, hour, index)) in enumerate(zip(cases, slots, strict=True))
        ],
        batch_size=1000,
    )
    return court.code, len(rooms) * len(SLOTS)


def _memory_mb(pid: int) -> tuple[float, float]:
    """A process's resident memory now (VmRSS) and at its peak so far (VmHWM), in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _sep, value = line.partition(":")
        if name in {"VmRSS", "VmHWM"}:
            fields[name] = int(value.split()[0]) / 1024
    return fields.get("VmRSS", float("nan")), fields.get("VmHWM", float("nan"))


def _cpu_seconds(pid: int) -> float:
    """The CPU time (user and system) a process has used so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _serving(pid: int) -> list[int]:
    """The server process and its children (gunicorn's workers), which serve the requests."""
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            children.append(int(stat.parent.name))
    return [pid, *children]


def _wav_header(data_size: int) -> bytes:
    import struct

    rate, channels, bits = 16000, 1, 16
    return (
        b"RIFF" + struct.pack("<I", 36 + data_size) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, channels, rate,
        rate * channels * bits // 8, channels * bits // 8, bits) + b"data" + struct.pack("<I", data_size)
    )  # fmt: skip


class _Recorder(Protocol):
    def send(self, path: str, pieces: list[tuple[int, Path]], size: int) -> None:
        """PUT each piece in turn at its offset; SystemExit with the answer if one is refused."""


def _headers(token: str, offset: int, length: int, size: int) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/octet-stream",
        "Content-Range": f"bytes {offset}-{offset + length - 1}/{size}",
    }


class _CurlRecorder:
    """A recorder that sends its pieces, a file each, with one curl process over one kept-alive
    connection: a separate program, as a recorder is a separate device, so that the client's own
    cost does not weigh on the server's CPU the way a Python client in this process does."""

    def __init__(self, base_url: str, token: str, answers: Path) -> None:
        self.base_url = base_url
        self.token = token
        self.answers = answers

    def send(self, path: str, pieces: list[tuple[int, Path]], size: int) -> None:
        command = ["curl", "--silent", "--show-error"]
        for number, (offset, piece) in enumerate(pieces):
            if number:
                command.append("--next")
            headers = _headers(self.token, offset, piece.stat().st_size, size)
            headers["Expect"] = ""  # no 100-continue round trip before each piece
            for name, value in headers.items():
                command += ["--header", f"{name}: {value}" if value else f"{name}:"]
            command += ["--upload-file", str(piece), "--output", str(self.answers / f"answer-{offset}")]
            command += ["--write-out", f"{offset} %{{http_code}}\\n", self.base_url + path]
        result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=3600)  # noqa: S603
        statuses = dict(line.split() for line in result.stdout.splitlines() if line.strip())
        for offset, _piece in pieces:
            if statuses.get(str(offset)) != "200":
                answer = self.answers / f"answer-{offset}"
                text = answer.read_text(errors="replace") if answer.exists() else result.stderr
                raise SystemExit(f"bench: piece at {offset} answered {statuses.get(str(offset))}: {text[:300]!r}")


class _HttpxRecorder:
    """A recorder in this process (httpx): the fallback where curl is not installed."""

    def __init__(self, client: "httpx.Client", token: str) -> None:
        self.client = client
        self.token = token

    def send(self, path: str, pieces: list[tuple[int, Path]], size: int) -> None:
        for offset, piece in pieces:
            content = piece.read_bytes()
            answer = self.client.put(path, content=content, headers=_headers(self.token, offset, len(content), size))
            if answer.status_code != 200:
                raise SystemExit(f"bench: piece at {offset} answered {answer.status_code}: {answer.content[:300]!r}")


def _upload(code: str, url: str, args: argparse.Namespace) -> None:
    """A recorder uploads a WAV recording in pieces through the API of a real server process
    (gunicorn when installed, else `runserver --noreload`, on this database); throughput against the
    disk's own write rate, and how much the server's peak memory grew (a recording held whole in
    memory would grow it by its size). The recording lies on disk as one file per piece before the
    clock starts, as on a recorder; curl sends them when it is installed (`--upload-client`)."""
    import hashlib

    import httpx

    from bench.server import ServerKind, bench_environment, gunicorn_installed, running_server
    from torelik.core import clock
    from torelik.courts.models import Court
    from torelik.hearings.actions import register_recorder
    from torelik.hearings.models import Hearing

    court = Court.objects.get(code=code)
    hearing = Hearing.objects.filter(courtroom__court=court, is_closed=False).order_by("starts_at").first()
    assert hearing is not None  # noqa: S101 - _fill made hearings
    _device, token = register_recorder(court=court, name="bench", valid_until=clock.now() + dt.timedelta(days=3650))
    piece = args.piece_mb * 1024 * 1024
    size = args.upload_mb * 1024 * 1024
    header = _wav_header(size - 44)
    blank = bytes(piece)
    client_kind = args.upload_client
    if client_kind == "auto":
        client_kind = "curl" if shutil.which("curl") else "httpx"
    auth = {"authorization": f"Bearer {token}"}
    with (
        tempfile.TemporaryDirectory(prefix="torelik-bench-files-") as files,
        tempfile.TemporaryDirectory(prefix="torelik-bench-recorder-") as recorder_dir,
    ):
        # The recorder's own files and the SHA-256 it knows before it sends them: not measured.
        digest = hashlib.sha256()
        pieces: list[tuple[int, Path]] = []
        for offset in range(0, size, piece):
            chunk = blank[: min(piece, size - offset)]
            chunk = header + chunk[len(header) :] if offset == 0 else chunk
            digest.update(chunk)
            pieces.append((offset, Path(recorder_dir) / f"piece-{offset:012d}"))
            pieces[-1][1].write_bytes(chunk)
        env = bench_environment(
            {"DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.local", "TORELIK_FILES_DIR": files}
        )
        kind: ServerKind = "gunicorn" if gunicorn_installed() else "runserver"
        with (
            running_server(env=env, kind=kind) as server,
            httpx.Client(base_url=server.base_url, timeout=120) as client,
        ):
            recorder: _Recorder = (
                _CurlRecorder(server.base_url, token, Path(recorder_dir))
                if client_kind == "curl"
                else _HttpxRecorder(client, token)
            )
            client.get("/api/v1/courts")  # the server's usual working set before the upload
            before = {pid: _memory_mb(pid) for pid in _serving(server.pid)}
            cpu_before = sum(_cpu_seconds(pid) for pid in before)
            started = time.perf_counter()
            created = client.post(
                f"/api/v1/hearings/{hearing.public_id}/recordings",
                json={"filename": "session.wav", "size": size},
                headers=auth,
            )
            if created.status_code != 201:
                raise SystemExit(f"bench: start answered {created.status_code}: {created.content[:300]!r}")
            path = f"/api/v1/hearings/{hearing.public_id}/recordings/{created.json()['id']}"
            recorder.send(path, pieces, size)
            finishing = time.perf_counter()
            done = client.post(f"{path}/finish", json={"sha256": digest.hexdigest()}, headers=auth)
            if done.status_code != 201:
                raise SystemExit(f"bench: finish answered {done.status_code}: {done.content[:300]!r}")
            seconds = time.perf_counter() - started
            finish_seconds = time.perf_counter() - finishing
            after = {pid: _memory_mb(pid) for pid in _serving(server.pid)}
            cpu = sum(_cpu_seconds(pid) for pid in after if pid in before) - cpu_before
            grown = max((after[pid][1] - before[pid][1] for pid in after if pid in before), default=0.0)
        with tempfile.NamedTemporaryFile(prefix="torelik-bench-disk-", dir=files) as handle:
            disk_started = time.perf_counter()
            for _offset in range(0, size, piece):
                handle.write(blank)
            handle.flush()
            os.fsync(handle.fileno())
            disk = size / (time.perf_counter() - disk_started) / 1024 / 1024
    rate = size / seconds / 1024 / 1024
    print(
        f"  recording upload {args.upload_mb} MB in {args.piece_mb} MB pieces from {client_kind} to {kind} (SHA-256 "
        f"check, stored): {rate:.0f} MB/s (the disk alone: {disk:.0f} MB/s, {rate / disk:.0%}; the finish took "
        f"{finish_seconds:.1f} s, the server's CPU {cpu * 1000 / args.upload_mb:.1f} ms/MB); the serving "
        f"process used {max(now for now, _peak in before.values()):.0f} MB before, its peak grew by {grown:.0f} MB "
        f"(target < 100 MB)"
    )


def run(args: argparse.Namespace) -> None:
    from django.conf import settings

    if settings.configured:
        # An earlier benchmark set Django up on its own database: measure in a fresh process.
        command = [sys.executable, "-m", "bench.hearings", "--hearing-days", str(args.hearing_days)]
        command += ["--timetable-runs", str(args.timetable_runs), "--upload-mb", str(args.upload_mb)]
        command += ["--piece-mb", str(args.piece_mb), "--upload-client", args.upload_client]
        subprocess.run(command, check=True)  # noqa: S603
        return
    print("Hearings: public timetable of a big court for one day")
    with database.throwaway_database("hearings") as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django
        from django.core.management import call_command
        from django.test import Client

        django.setup()
        call_command("migrate", verbosity=0)
        code, per_day = _fill(args.hearing_days)
        from django.core.cache import cache

        client = Client(SERVER_NAME="localhost")
        path = f"/api/v1/hearings?court={code}&date={DAY.isoformat()}"
        for label, suffix in (("JSON", ""), ("iCalendar", "&format=ics")):
            # "kept": the board as the public reads it, its body kept under the day's version (the
            # version is still read from the database every time); "built": the cache emptied before
            # every request, so each one reads the hearings and renders them.
            for kept in (True, False):
                samples = []
                for _run in range(args.timetable_runs + 5):
                    if not kept:
                        cache.clear()
                    started = time.perf_counter()
                    response = client.get(path + suffix)
                    samples.append(time.perf_counter() - started)
                    if response.status_code != 200:
                        raise SystemExit(
                            f"bench: {path + suffix} answered {response.status_code}: {response.content[:300]!r}"
                        )
                ordered = sorted(samples[5:])
                print(
                    f"  court {code}, {per_day} hearings that day ({label}, {'kept' if kept else 'built'}): "
                    f"p50 {percentile(ordered, 50) * 1000:.1f} ms, p95 {percentile(ordered, 95) * 1000:.1f} ms"
                )
        _upload(code, url, args)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hearings", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
