"""The standalone witness program against a running server: it cosigns a checkpoint consistent with
the last one it saw, and refuses a log that rewrote its history."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import transaction
from pytest_django.live_server_helper import LiveServer

from torelik.archive.log import add_witness, append_entry, sequence_and_checkpoint
from torelik.archive.models import Cosignature, LogEntryKind
from torelik.archive.queries import verifier_key

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
TOOL = Path(__file__).resolve().parents[3] / "tools" / "log_witness.py"


def _grow(count: int) -> None:
    with transaction.atomic():
        for number in range(count):
            append_entry(kind=LogEntryKind.CONFIGURATION, fields={"setting": "witness-test", "n": number})
    sequence_and_checkpoint()


def _witness(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [sys.executable, str(TOOL), *args], capture_output=True, text=True, check=False, timeout=60
    )


def test_a_witness_checks_consistency_and_cosigns(live_server: LiveServer, tmp_path: Path) -> None:
    key_file, state = tmp_path / "witness.key", tmp_path / "state.json"
    made = _witness("generate-key", "--name", "bar.example/witness", "--key-file", str(key_file))
    add_witness(name="bar.example/witness", verifier_key=made.stdout.strip(), description="the bar")
    _grow(3)
    run = [
        "run",
        "--log",
        live_server.url,
        "--log-key",
        verifier_key(),
        "--key-file",
        str(key_file),
        "--state",
        str(state),
    ]
    first = _witness(*run)
    assert first.returncode == 0, first.stderr
    assert json.loads(state.read_text())["size"] == 3
    _grow(5)
    second = _witness(*run)
    assert second.returncode == 0, second.stderr  # 3 → 8 entries, consistent
    assert Cosignature.objects.count() == 2
    assert json.loads(state.read_text())["size"] == 8
    # The witness remembers another history (a root this log never had for 8 entries): it refuses.
    state.write_text(json.dumps({"size": 8, "root": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}))
    refused = _witness(*run)
    assert refused.returncode == 1
    assert "forked" in refused.stderr
    state.write_text(json.dumps({"size": 99, "root": "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="}))
    assert "shrank" in _witness(*run).stderr
    assert Cosignature.objects.count() == 2
