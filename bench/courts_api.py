"""Throughput and latency of the court directory API (`/api/v1/courts`, `/api/v1/courts/{code}`).

Runs `make setup`'s commands (no-ops once done), starts a server with DEBUG off on a free loopback
port against the configured database (the seeded SQLite file under var/, or DATABASE_URL), warms it
up, then sends a bounded number of requests from 1 and from 8 concurrent clients and prints req/s
and p50/p95/p99 per endpoint. The server is `torelik runserver --noreload`, or gunicorn when it is
installed (`--server`): the project has no production WSGI server among its dependencies yet.

Each request opens its own connection by default. Django's development server writes a response's
headers and body in two send() calls on a socket without TCP_NODELAY, so on a kept-alive connection
any response shorter than one loopback segment (about 64 KB) waits for the client's delayed ACK,
about 40 ms: a property of that server, not of Torelik, which `--keep-alive` shows.
"""

import argparse
import contextlib
import itertools
import os
import platform
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.metadata import version
from typing import Any

import httpx

from bench import database
from bench.latency import LatencySummary, format_table
from bench.server import BenchError, ServerKind, bench_environment, gunicorn_installed, run_torelik, running_server

LIST_TARGET = "p95 < 50 ms"
SERVER_NOTES: dict[ServerKind, str] = {
    "runserver": (
        "`torelik runserver --noreload`, Django's development server (one process, a thread per connection), "
        "because no production WSGI server is a dependency of the project; slower than a deployment would be"
    ),
    "gunicorn": "gunicorn `config.wsgi` with the local settings, one process per CPU, 4 threads each (gthread)",
}
_STALL = "the development server stalls a response under ~64 KB ~40 ms on the client's delayed ACK"
CONNECTION_NOTES: dict[tuple[ServerKind, bool], str] = {
    ("runserver", False): f"a new one per request (connect time included), because on a kept-alive one {_STALL}",
    ("runserver", True): f"kept alive, so {_STALL} (headers and body in two writes, no TCP_NODELAY)",
    ("gunicorn", False): "a new one per request (connect time included); `--keep-alive` reuses them",
    ("gunicorn", True): "kept alive, one per client",
}
HEADER = ("endpoint", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "target")
REQUEST_TIMEOUT_S = 10.0
BARRIER_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Endpoint:
    label: str
    paths: tuple[str, ...]  # cycled through, one per request
    target: str = ""


@dataclass(frozen=True)
class Directory:
    """What the seeded database holds, as the API reports it."""

    codes: tuple[str, ...]
    names_ru: tuple[str, ...]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("court directory API")
    group.add_argument("--requests", type=int, default=2000, help="requests per endpoint and client count (2000)")
    group.add_argument("--clients", default="1,8", help="numbers of concurrent clients, comma-separated (1,8)")
    group.add_argument("--seconds", type=float, default=20.0, help="time cap per endpoint and client count (20)")
    group.add_argument("--warmup", type=int, default=300, help="untimed requests before measuring (300)")
    group.add_argument("--q", default="", help="the free-text query to search for (default: from the data)")
    group.add_argument(
        "--server",
        choices=["auto", "runserver", "gunicorn"],
        default="auto",
        help="the HTTP server: gunicorn when it is installed, else `torelik runserver` (auto)",
    )
    group.add_argument(
        "--keep-alive", action="store_true", help="reuse each client's connection (see the module's docstring)"
    )
    group.add_argument("--no-setup", action="store_true", help="skip `torelik migrate` + `torelik seed_demo`")


def _get_json(client: httpx.Client, path: str) -> Any:
    response = client.get(path)
    response.raise_for_status()
    return response.json()


def discover(client: httpx.Client) -> Directory:
    """Every court code (through the API's own pagination) and the Russian names to search for."""
    codes: list[str] = []
    names: list[str] = []
    offset = 0
    while True:
        page = _get_json(client, f"/api/v1/courts?limit=200&offset={offset}")
        items = page["items"]
        codes.extend(item["code"] for item in items)
        names.extend(item["name_ru"] for item in items)
        offset += len(items)
        if not items or offset >= page["count"]:
            return Directory(codes=tuple(codes), names_ru=tuple(names))


def default_query(directory: Directory) -> str:
    """What a person looking for a court types: the start of a place name, in lower-case Cyrillic.

    Taken from the court in the middle of the list, so that it matches at least that court.
    """
    name = directory.names_ru[len(directory.names_ru) // 2]
    words = [word for word in name.split() if len(word) >= 5 and word.isalpha()]
    return (words[0] if words else name)[:5].casefold()


def endpoints(directory: Directory, query: str) -> list[Endpoint]:
    return [
        Endpoint("GET /api/v1/courts", ("/api/v1/courts",), LIST_TARGET),
        Endpoint("GET /api/v1/courts?region=02", ("/api/v1/courts?region=02",), LIST_TARGET),
        Endpoint("GET /api/v1/courts?kind=district", ("/api/v1/courts?kind=district",), LIST_TARGET),
        Endpoint(f"GET /api/v1/courts?q={query}", (f"/api/v1/courts?q={query}",), LIST_TARGET),
        Endpoint("GET /api/v1/courts/{code}", tuple(f"/api/v1/courts/{code}" for code in directory.codes)),
    ]


def _client(base_url: str, *, keep_alive: bool = True) -> httpx.Client:
    # trust_env=False: never through a proxy named in the environment, only straight to loopback.
    headers = {} if keep_alive else {"Connection": "close"}
    return httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_S, trust_env=False, headers=headers)


def measure(
    base_url: str, endpoint: Endpoint, *, requests: int, clients: int, seconds: float, keep_alive: bool
) -> LatencySummary:
    """Send up to `requests` requests from `clients` threads (stopping after `seconds`); their latencies."""
    counter = itertools.count()
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    samples: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    deadline = [0.0]

    def work(worker: int) -> None:
        with _client(base_url, keep_alive=keep_alive) as client:
            if keep_alive:
                with contextlib.suppress(httpx.HTTPError):
                    client.get("/healthz")  # open the connection outside the timed part
            ready.wait(timeout=BARRIER_TIMEOUT_S)
            while True:
                with lock:
                    index = next(counter)
                if index >= requests or time.perf_counter() > deadline[0]:
                    return
                path = endpoint.paths[index % len(endpoint.paths)]
                started = time.perf_counter()
                try:
                    response = client.get(path)
                    ok = response.status_code == 200
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
    deadline[0] = time.perf_counter() + seconds  # provisional: a worker may look before the reset below
    ready.wait(timeout=BARRIER_TIMEOUT_S)
    started = time.perf_counter()
    deadline[0] = started + seconds
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return LatencySummary.of([s for worker in samples for s in worker], errors=sum(errors), wall_seconds=wall)


def warm_up(base_url: str, paths: Sequence[str], *, requests: int, keep_alive: bool) -> None:
    with _client(base_url, keep_alive=keep_alive) as client:
        for index in range(requests):
            client.get(paths[index % len(paths)])


def _count(client: httpx.Client, path: str) -> int:
    count: int = _get_json(client, path)["count"]
    return count


def run(args: argparse.Namespace) -> None:
    client_counts = [int(n) for n in str(args.clients).split(",") if n.strip()]
    # `make setup` runs with the local settings as they come (seed_demo wants DEBUG on for its demo
    # accounts); the measured server runs with DEBUG off, as a deployment would.
    setup_env = bench_environment()
    env = bench_environment({"TORELIK_DEBUG": "false"})
    print("== Court directory API")
    print(f"database: {database.describe(env)}")
    if not args.no_setup:
        setup_s = run_torelik(["migrate", "--no-input", "-v", "0"], env=setup_env)
        setup_s += run_torelik(["seed_demo"], env=setup_env)
        print(f"setup: `torelik migrate` + `torelik seed_demo` (as `make setup`) took {setup_s:.1f} s")
    kind: ServerKind = (
        "gunicorn" if args.server == "gunicorn" or (args.server == "auto" and gunicorn_installed()) else "runserver"
    )
    with running_server(env=env, kind=kind) as server:
        print(f"server: {SERVER_NOTES[kind]}, TORELIK_DEBUG=false, on {server.base_url}")
        with _client(server.base_url) as client:
            directory = discover(client)
            query = args.q or default_query(directory)
            measured = endpoints(directory, query)
            counts = {e.label: _count(client, e.paths[0]) for e in measured[:-1]}
        print(
            f"data: {len(directory.codes)} active courts; "
            + ", ".join(f"{label.removeprefix('GET ')} → {n}" for label, n in counts.items() if "?" in label)
            + " (a page holds at most 50)"
        )
        print(
            f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, Django {version('django')}; "
            "the load-generating clients share these CPUs with the server"
        )
        warm_up_paths = [path for e in measured for path in e.paths[:50]]
        warm_up(server.base_url, warm_up_paths, requests=args.warmup, keep_alive=args.keep_alive)
        rows: list[list[str]] = []
        for endpoint in measured:
            for clients in client_counts:
                result = measure(
                    server.base_url,
                    endpoint,
                    requests=args.requests,
                    clients=clients,
                    seconds=args.seconds,
                    keep_alive=args.keep_alive,
                )
                rows.append(
                    [
                        endpoint.label,
                        str(clients),
                        str(result.requests),
                        str(result.errors),
                        f"{result.requests_per_second:.0f}",
                        f"{result.p50_ms:.1f}",
                        f"{result.p95_ms:.1f}",
                        f"{result.p99_ms:.1f}",
                        f"{result.max_ms:.1f}",
                        endpoint.target,
                    ]
                )
        print(format_table(HEADER, rows))
        print(
            f"(up to {args.requests} requests or {args.seconds:g} s per row, after {args.warmup} warm-up requests; "
            "a request's latency is from sending it to having read the whole body)"
        )
        print(f"connections: {CONNECTION_NOTES[(kind, bool(args.keep_alive))]}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.courts_api", description=__doc__)
    add_arguments(parser)
    try:
        run(parser.parse_args(argv))
    except BenchError as error:
        raise SystemExit(f"bench: {error}") from error


if __name__ == "__main__":
    main()
