"""Public reads against the framework's floor: a bare Django view and Torelik's public reads (the
court directory and a court in JSON, a court's timetable, their HTML pages, and a repeated list read
with `If-None-Match`) served by one gunicorn (the product's gunicorn configuration, keep-alive clients)
in the same run. Prints each address's requests per second, p50 and p95 at 1 and 8 clients, its ratio
to the bare view's requests per second, the size of its answer, and the targets of issue 29.

The bare view (bench/public_wsgi.py) answers 50 small JSON records through the same settings and
middleware, so the ratio is what Torelik adds on top of Django. The machine's load average is printed
before and after: other processes share the CPUs with the server and the clients.

`--public-project DIR` serves another checkout of Torelik (say, main's) with this bench, to set a
before and an after side by side in the same minutes.

Then bench.public_profile splits each address's time in one process (middleware, view, rendering or
serialisation, statements) and names the cookies its answer sets.
"""

import argparse
import itertools
import os
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench import database
from bench.latency import LatencySummary, format_table
from bench.server import PROJECT_DIR, BenchError, bench_environment, run_torelik, running_server

JSON_SHARE = 0.30
HTML_SHARE = 0.15
JSON_P95_MS = 20.0
REQUEST_TIMEOUT_S = 10.0
BARRIER_TIMEOUT_S = 30.0
PROFILE_TIMEOUT_S = 300.0
HEADER = ("address", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms", "of bare", "bytes", "target")


@dataclass(frozen=True)
class Read:
    label: str
    path: str
    kind: str  # "floor", "json" or "html"
    headers: Mapping[str, str] | None = None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("public reads against the bare view")
    group.add_argument("--public-requests", type=int, default=3000, help="requests per address and client count")
    group.add_argument("--public-seconds", type=float, default=4.0, help="time cap per address and client count (4)")
    group.add_argument("--public-clients", default="1,8", help="numbers of concurrent clients (1,8)")
    group.add_argument("--public-court", default="1916", help="the court whose reads are measured (1916)")
    group.add_argument(
        "--public-project", type=Path, default=PROJECT_DIR, help="the Torelik checkout to serve (this one)"
    )


def _client(base_url: str, headers: Mapping[str, str] | None = None) -> httpx.Client:
    return httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_S, trust_env=False, headers=dict(headers or {}))


def measure(base_url: str, read: Read, *, requests: int, clients: int, seconds: float) -> LatencySummary:
    """Up to `requests` GETs of `read` from `clients` keep-alive threads (at most `seconds`)."""
    counter = itertools.count()
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    samples: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    deadline = [time.perf_counter() + seconds + BARRIER_TIMEOUT_S]

    def work(worker: int) -> None:
        with _client(base_url, read.headers) as client:
            client.get("/healthz")  # the connection is opened outside the timed part
            ready.wait(timeout=BARRIER_TIMEOUT_S)
            while True:
                with lock:
                    index = next(counter)
                if index >= requests or time.perf_counter() > deadline[0]:
                    return
                started = time.perf_counter()
                try:
                    ok = client.get(read.path).status_code in {200, 304}
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                if ok:
                    samples[worker].append(elapsed)
                else:
                    errors[worker] += 1

    threads = [threading.Thread(target=work, args=(worker,), daemon=True) for worker in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait(timeout=BARRIER_TIMEOUT_S)
    started = time.perf_counter()
    deadline[0] = started + seconds
    for thread in threads:
        thread.join()
    return LatencySummary.of(
        [s for worker in samples for s in worker], errors=sum(errors), wall_seconds=time.perf_counter() - started
    )


def reads(client: httpx.Client, court: str) -> list[Read]:
    """The addresses measured; the list read again with the ETag it answered, when it answers one."""
    listed = [
        Read("bare Django view (50 records)", "/bench/bare", "floor"),
        Read("GET /api/v1/courts", "/api/v1/courts", "json"),
        Read("GET /api/v1/courts?lang=ru", "/api/v1/courts?lang=ru", "json"),
        Read("GET /api/v1/courts?shape=brief", "/api/v1/courts?shape=brief", "json"),
        Read(f"GET /api/v1/courts/{court}", f"/api/v1/courts/{court}", "json"),
        Read(f"GET /api/v1/hearings?court={court}", f"/api/v1/hearings?court={court}", "json"),
    ]
    etag = client.get("/api/v1/courts").headers.get("ETag")
    if etag:
        listed.append(Read("GET /api/v1/courts, If-None-Match", "/api/v1/courts", "json", {"If-None-Match": etag}))
    listed += [
        Read("GET /ru/courts/", "/ru/courts/", "html"),
        Read(f"GET /ru/courts/{court}/", f"/ru/courts/{court}/", "html"),
        Read(f"GET /ru/hearings/courts/{court}/", f"/ru/hearings/courts/{court}/", "html"),
    ]
    etag = client.get(f"/ru/courts/{court}/").headers.get("ETag")
    if etag:
        listed.append(
            Read(f"GET /ru/courts/{court}/, If-None-Match", f"/ru/courts/{court}/", "html", {"If-None-Match": etag})
        )
    return listed


def _size(client: httpx.Client, read: Read) -> str:
    response = client.get(read.path, headers=dict(read.headers or {}))
    if response.status_code not in {200, 304}:
        raise BenchError(f"{read.path} answered {response.status_code}")
    return (
        f"{len(response.content)} ({response.status_code})"
        if response.status_code == 304
        else str(len(response.content))
    )


def _target(read: Read, share: float, clients: int, p95_ms: float) -> str:
    if read.kind == "floor":
        return ""
    needed = JSON_SHARE if read.kind == "json" else HTML_SHARE
    verdict = f"≥{needed:.0%}: {'met' if share >= needed else 'not met'}"
    if read.kind == "json" and clients >= 8:
        verdict += f"; p95<{JSON_P95_MS:g}: {'met' if p95_ms < JSON_P95_MS else 'not met'}"
    return verdict


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs"


def run(args: argparse.Namespace) -> None:
    client_counts = [int(n) for n in str(args.public_clients).split(",") if n.strip()]
    project = Path(args.public_project).resolve()
    print("== Public reads against the bare view")
    # The bench's own package (bench.public_wsgi) comes from this checkout; Torelik from `project` (the cwd).
    env = bench_environment({"TORELIK_DEBUG": "false", "PYTHONPATH": str(PROJECT_DIR)})
    print(f"database: {database.describe(env)}; project: {project}")
    run_torelik(["migrate", "--no-input", "-v", "0"], env=bench_environment())
    with running_server(env=env, kind="gunicorn", app="bench.public_wsgi:application", cwd=project) as server:
        print("server: gunicorn bench.public_wsgi (the product plus /bench/bare), one process per CPU, 4 threads")
        print(f"load average before: {_load()}")
        with _client(server.base_url) as client:
            measured = reads(client, args.public_court)
            sizes = {read.label: _size(client, read) for read in measured}
            for read in measured:  # warm every worker and cache
                for _ in range(20):
                    client.get(read.path, headers=dict(read.headers or {}))
        rows: list[list[str]] = []
        floor: dict[int, float] = {}
        for clients in client_counts:
            for read in measured:
                result = measure(
                    server.base_url, read, requests=args.public_requests, clients=clients, seconds=args.public_seconds
                )
                rps = result.requests_per_second
                if read.kind == "floor":
                    floor[clients] = rps
                share = rps / floor[clients] if floor.get(clients) else float("nan")
                rows.append(
                    [
                        read.label,
                        str(clients),
                        str(result.requests),
                        str(result.errors),
                        f"{rps:.0f}",
                        f"{result.p50_ms:.1f}",
                        f"{result.p95_ms:.1f}",
                        f"{share:.1%}",
                        sizes[read.label],
                        _target(read, share, clients, result.p95_ms),
                    ]
                )
        print(format_table(HEADER, rows))
        print(f"load average after: {_load()}")
        print(
            f"(up to {args.public_requests} requests or {args.public_seconds:g} s per row, keep-alive connections; "
            "`of bare` is the share of the bare view's req/s at the same client count; bytes of the body, "
            "(304) when the answer is Not Modified)"
        )
    print()
    print("-- Where a request's time goes (bench.public_profile: in one process, no network)")
    paths = sorted({read.path for read in measured if not read.headers}, key=[r.path for r in measured].index)
    print(_profile(paths, env=env, project=project))


def _profile(paths: Sequence[str], *, env: Mapping[str, str], project: Path) -> str:
    """bench.public_profile's table for `paths`, run in a child process with the server's settings."""
    # Run by its file: Torelik (and its bench.public_wsgi) from `project`, this checkout's profiler.
    script = Path(__file__).with_name("public_profile.py")
    result = subprocess.run(
        [sys.executable, str(script), *paths],
        cwd=project,
        env={
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            **env,
            "PYTHONPATH": f"{project}{os.pathsep}{PROJECT_DIR}",
        },
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=PROFILE_TIMEOUT_S,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(f"bench.public_profile exited with {result.returncode}:\n{result.stderr[-3000:]}")
    return result.stdout.rstrip()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.public_reads", description=__doc__)
    add_arguments(parser)
    try:
        run(parser.parse_args(argv))
    except BenchError as error:
        raise SystemExit(f"bench: {error}") from error


if __name__ == "__main__":
    main()
