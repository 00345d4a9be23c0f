"""Real `torelik worker` processes for the tests that kill them (PostgreSQL: they share the test
database with the test's process). A worker imports the engine's test jobs besides every `tasks.py`."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = (
    "import django; django.setup(); import torelik.workers.tests.jobs; "
    "from django.core.management import call_command; call_command('worker', *__import__('sys').argv[1:])"
)


def needs_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("worker processes share the test database: PostgreSQL only (run with DATABASE_URL)")


def database_url() -> str:
    db = connection.settings_dict
    return f"postgresql://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(*args: str, env: Mapping[str, str] | None = None, log: Path | None = None) -> subprocess.Popen[bytes]:
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "TORELIK_TASKS_INLINE": "false",
        "TORELIK_WORKER_HEARTBEAT": "0.5",
        **(env or {}),
    }
    output = log.open("ab") if log is not None else subprocess.DEVNULL
    return subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", SCRIPT, "--poll", "0.05", *args],
        cwd=ROOT,
        env=environment,
        stdout=output,
        stderr=subprocess.STDOUT,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_web(port: int, *, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """A web process (gunicorn, 8 threads: at most 8 database connections) on the test database."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "TORELIK_TASKS_INLINE": "false",
        **(env or {}),
    }
    process = subprocess.Popen(  # noqa: S603 - this interpreter's gunicorn, fixed arguments
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "-k",
            "gthread",
            "--workers",
            "1",
            "--threads",
            "8",
            "--bind",
            f"127.0.0.1:{port}",
        ],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if not wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), timeout=60):
        kill(process)
        raise RuntimeError("the web process did not start")
    return process


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def kill(process: subprocess.Popen[bytes]) -> None:
    """`kill -9`: no signal handler, no `finally`, no goodbye."""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


@contextmanager
def workers(count: int = 1, **kwargs: object) -> Iterator[list[subprocess.Popen[bytes]]]:
    started = [start_worker(**kwargs) for _ in range(count)]  # type: ignore[arg-type]
    try:
        yield started
    finally:
        for process in started:
            if process.poll() is None:
                process.terminate()
        for process in started:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                kill(process)


def wait_for(condition: Callable[[], bool], *, timeout: float, every: float = 0.1) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return condition()
