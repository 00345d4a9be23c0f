"""Running `torelik` commands and a `torelik runserver` process on a free loopback port, and stopping it."""

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import httpx

# Only this machine is ever a target: servers listen here and every request goes here.
LOOPBACK = "127.0.0.1"
PROJECT_DIR = Path(__file__).resolve().parent.parent
HEALTH_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 10.0
COMMAND_TIMEOUT_S = 600.0


ServerKind = Literal["runserver", "gunicorn"]


class BenchError(RuntimeError):
    """A command or the server did not do what the measurement needs."""


def torelik_command() -> list[str]:
    """The `torelik` console script of this interpreter's environment, as the Makefile runs it."""
    script = Path(sys.executable).parent / "torelik"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "torelik"]


def gunicorn_installed() -> bool:
    """Whether a production WSGI server (gunicorn) is importable here; the project does not depend on one yet."""
    return importlib.util.find_spec("gunicorn") is not None


PRODUCT_APP = "config.wsgi:application"


def _server_args(kind: ServerKind, port: int, *, autoreload: bool, app: str = PRODUCT_APP) -> list[str]:
    if kind == "gunicorn":
        # One process per CPU, a few threads each: what a small deployment would run.
        workers = str(os.cpu_count() or 1)
        server = [sys.executable, "-m", "gunicorn", app, "--bind", f"{LOOPBACK}:{port}"]
        return [*server, "--workers", workers, "--worker-class", "gthread", "--threads", "4"]
    args = [*torelik_command(), "runserver", f"{LOOPBACK}:{port}"]
    return args if autoreload else [*args, "--noreload"]


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        port: int = probe.getsockname()[1]
        return port


def bench_environment(overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """This process's environment plus `overrides`; the child's output is UTF-8 whatever the locale."""
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    env.update(overrides or {})
    return env


def _tail(path: Path, lines: int = 30) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def run_torelik(args: Sequence[str], *, env: Mapping[str, str]) -> float:
    """Run `torelik ARGS` to completion; the seconds it took. BenchError with its output if it failed."""
    started = time.perf_counter()
    result = subprocess.run(
        [*torelik_command(), *args],
        cwd=PROJECT_DIR,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=COMMAND_TIMEOUT_S,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        output = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise BenchError(f"`torelik {' '.join(args)}` exited with {result.returncode}:\n{output}")
    return elapsed


def wait_until_healthy(url: str, *, deadline: float, process: "subprocess.Popen[bytes] | None" = None) -> None:
    """Poll `url` (a /healthz address) until it answers 200, the process dies or `deadline` passes."""
    with httpx.Client(timeout=2.0, trust_env=False) as client:
        while time.perf_counter() < deadline:
            if process is not None and process.poll() is not None:
                raise BenchError(f"the server exited with {process.returncode} before {url} answered")
            try:
                if client.get(url).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.02)
    raise BenchError(f"{url} did not answer 200 in time")


@dataclass(frozen=True)
class RunningServer:
    base_url: str
    pid: int
    seconds_to_healthy: float
    log_path: Path


def _stop(process: "subprocess.Popen[bytes]") -> None:
    """Stop the server and whatever it spawned (the autoreloader's child) through its own process group.

    The group is signalled only while its leader has not been reaped, so its id cannot be someone else's.
    """
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT_S)
    except ProcessLookupError:
        process.wait(timeout=STOP_TIMEOUT_S)


@contextmanager
def running_server(
    *,
    env: Mapping[str, str],
    autoreload: bool = False,
    kind: ServerKind = "runserver",
    app: str = PRODUCT_APP,
    cwd: Path = PROJECT_DIR,
) -> Iterator[RunningServer]:
    """A server on a free loopback port, up until /healthz answers; stopped on exit.

    `runserver` with `autoreload` is exactly what `make run` starts (a watching parent and a serving
    child); without it, the single serving process (`--noreload`). `gunicorn` serves `config.wsgi`
    with the settings module of `env` (the local settings unless it names another), or `app`.
    """
    port = free_port()
    base_url = f"http://{LOOPBACK}:{port}"
    args = _server_args(kind, port, autoreload=autoreload, app=app)
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.local", **env} if kind == "gunicorn" else env
    with tempfile.TemporaryDirectory(prefix="torelik-bench-log-") as log_dir:
        log_path = Path(log_dir) / "server.log"
        with log_path.open("wb") as log:
            started = time.perf_counter()
            process = subprocess.Popen(
                args,
                cwd=cwd,
                env=dict(env),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so that stopping it reaches its children
            )
            try:
                try:
                    wait_until_healthy(f"{base_url}/healthz", deadline=started + HEALTH_TIMEOUT_S, process=process)
                except BenchError as error:
                    raise BenchError(f"{error}\n--- server log ---\n{_tail(log_path)}") from error
                yield RunningServer(
                    base_url=base_url,
                    pid=process.pid,
                    seconds_to_healthy=time.perf_counter() - started,
                    log_path=log_path,
                )
            finally:
                _stop(process)


@contextmanager
def running_worker(*, env: Mapping[str, str]) -> Iterator["subprocess.Popen[bytes]"]:
    """One `torelik worker` (ADR 0042) on the database of `env`, beside a server: it draws the judges of
    the registrations the server takes. Stopped (SIGTERM: its task under way finishes) on exit."""
    env = {"DJANGO_SETTINGS_MODULE": "config.settings.local", **env}
    process = subprocess.Popen(
        [*torelik_command(), "worker"],
        cwd=PROJECT_DIR,
        env=dict(env),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        yield process
    finally:
        _stop(process)
