"""The partner simulator (tools/partners/simulator.py) as a real process on a free port, for the tests."""

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "tools" / "partners" / "simulator.py"


class Simulator:
    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    def received(self, partner: str) -> list[dict[str, Any]]:
        answer = httpx.get(f"{self.url}/_received", params={"partner": partner}, timeout=5).json()
        return list(answer["received"][partner])

    def state(self) -> dict[str, Any]:
        return dict(httpx.get(f"{self.url}/_received", timeout=5).json()["state"])

    def control(self, **change: Any) -> dict[str, Any]:
        return dict(httpx.post(f"{self.url}/_control", json=change, timeout=5).json())


@contextmanager
def running(port: int, *, trust_root: Path, args: tuple[str, ...] = ()) -> Iterator[Simulator]:
    process = subprocess.Popen(  # noqa: S603 - this interpreter, our own script
        [sys.executable, str(SCRIPT), "--port", str(port), "--trust-root", str(trust_root), "--seed", "7", *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    simulator = Simulator(port)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{simulator.url}/_health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError("the partner simulator did not start")
            time.sleep(0.05)
        yield simulator
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
