"""A state body's reception played by the partners' sender program (`tools/partners/sender.py
serve-body`), a real HTTP server in its own process checking the court's CMS against the test CA."""

import importlib.util
import os
import random
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from torelik.exchange.tests.simulator import Simulator, running
from torelik.identity.pki import DemoCA
from torelik.workers.tests.processes import free_port

SENDER = Path(__file__).resolve().parents[3] / "tools" / "partners" / "sender.py"


def load_sender() -> ModuleType:
    """The partners' sender program as a module (it is a script in `tools/`, not a package)."""
    spec = importlib.util.spec_from_file_location("partners_sender", SENDER)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("partners_sender", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def state_body(tmp_path: Path) -> Iterator[str]:
    ca = DemoCA.load_or_create()
    journal = tmp_path / "body-journal.json"
    process = subprocess.Popen(  # noqa: S603 - our own program
        [
            sys.executable,
            str(SENDER),
            "serve-body",
            "--port",
            "0",
            "--ca",
            str(ca.root_path),
            "--prefix",
            "05-14",
            "--journal",
            str(journal),
        ],  # fmt: skip
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    try:
        yield line.strip().split()[-1]
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="session")
def trust_root() -> Path:
    return DemoCA.load_or_create().root_path


def simulator_port() -> int:
    """A free port below the kernel's ephemeral range, in a band of its own per xdist worker: a port the
    kernel hands out (`free_port`) may be handed to another test's server in a parallel worker before the
    simulator binds it, and a test then talks to that other simulator, whose health check answers too."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    band = 21_000 + 400 * (int(worker) if worker.isdigit() else 0)
    for port in random.sample(range(band, band + 400), 400):  # noqa: S311 - a port, not a secret
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    return free_port()


@pytest.fixture
def partners_port(settings: Any) -> int:
    """A port for the simulator; every partner connected to it (nothing need listen there yet)."""
    port = simulator_port()
    settings.TORELIK_EXCHANGE_URL = f"http://127.0.0.1:{port}"
    settings.TORELIK_EXCHANGE_PARTNERS = {
        code: {"timeout": 2.0, "secret": f"insecure-development-{code}-secret"}
        for code in ("enforcement", "corrections", "legal_statistics", "egov")
    }
    return port


@pytest.fixture
def simulator(partners_port: int, trust_root: Path) -> Iterator[Simulator]:
    with running(partners_port, trust_root=trust_root) as started:
        yield started
