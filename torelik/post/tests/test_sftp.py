"""Hybrid batches handed over by SFTP to a real OpenSSH server (Debian's sshd, started here on a free
port with its own configuration, host key and the court's key): the ZIP and the signed manifest land in
the operator's inbox, the operator's acknowledgement is read back per item; a server that does not
answer, a host key that is not the operator's and a missing acknowledgement are each a visible state of
the batch, retried by the worker."""

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import skip_or_fail
from torelik.cases.tests.factories import court_office
from torelik.core import clock
from torelik.post import actions, manifests, sshd_harness, tasks
from torelik.post.errors import OperatorError
from torelik.post.models import Batch, BatchStatus, Letter, LetterKind, LetterStatus
from torelik.post.simulator import Simulator, answer_sftp_drop
from torelik.post.sshd_harness import Sshd
from torelik.post.tests.test_post import ADDRESS, NOW


@pytest.fixture
def sftp_server(tmp_path: Path) -> Iterator[Sshd]:
    if not sshd_harness.available():
        skip_or_fail("OpenSSH's sshd not found: apt-get install openssh-server")
    with sshd_harness.running_sshd(tmp_path) as server:
        yield server


def _configure(settings: Any, server: Sshd, *, port: int | None = None, host_key: str | None = None) -> None:
    settings.TORELIK_POST_OPERATOR_TRANSPORT = "sftp"
    settings.TORELIK_POST_SFTP_HOST = "127.0.0.1"
    settings.TORELIK_POST_SFTP_PORT = port or server.port
    settings.TORELIK_POST_SFTP_USER = server.user
    settings.TORELIK_POST_SFTP_KEY_FILE = str(server.client_key)
    settings.TORELIK_POST_SFTP_HOST_KEY = host_key or server.host_key
    settings.TORELIK_POST_SFTP_DIR = "."
    settings.TORELIK_POST_OPERATOR_TIMEOUT = 2


def _batch() -> tuple[Batch, list[Letter]]:
    court = court_office("0215").court
    with clock.frozen_at(NOW):
        letters = [
            actions.prepare_letter(
                court=court, kind=LetterKind.HYBRID, recipient_name=name, address_text=address, enclosures=[]
            )
            for name, address in (("Ахметова Айгерим", ADDRESS), ("Жоқов Жоқ", "001234, Жоқ қаласы, д. 1"))
        ]
        batch = actions.assemble_batch(court=court)
    assert batch is not None
    return batch, letters


@pytest.mark.django_db
def test_a_batch_is_handed_over_by_sftp_and_acknowledged_per_item(settings: Any, sftp_server: Sshd) -> None:
    _configure(settings, sftp_server)
    batch, (good, rejected) = _batch()
    # First try: the package is in the operator's inbox, the acknowledgement is not there yet.
    with clock.frozen_at(NOW), pytest.raises(OperatorError):
        tasks.deliver_batch.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.status, batch.attempts) == (BatchStatus.ASSEMBLED, 1)
    assert "not acknowledged it yet" in batch.last_error
    inbox = sftp_server.root / "inbox"
    assert sorted(p.name for p in inbox.iterdir()) == [f"{batch.number}.manifest.json", f"{batch.number}.zip"]
    head = json.loads((inbox / f"{batch.number}.manifest.json").read_bytes())
    assert manifests.verify(head["manifest"], head["signature"], manifests.public_key_b64())
    assert head["manifest"]["package_sha256"] == batch.package_sha256
    uploaded = (inbox / f"{batch.number}.zip").stat().st_mtime_ns

    # The operator (the simulator, on its side of the server) checks the signature and answers.
    simulator = Simulator(sftp_server.root / "state", public_key=manifests.public_key_b64(), clock=lambda: NOW)
    assert answer_sftp_drop(simulator, sftp_server.root) == 1
    with clock.frozen_at(NOW):
        assert tasks.deliver_batch.call(batch_id=batch.pk) == {"accepted": 1, "rejected": 1, "failed": 0}
    assert (inbox / f"{batch.number}.zip").stat().st_mtime_ns == uploaded  # a retry does not upload again
    batch.refresh_from_db()
    good.refresh_from_db()
    rejected.refresh_from_db()
    assert (batch.status, batch.accepted, batch.rejected, batch.last_error) == (BatchStatus.DELIVERED, 1, 1, "")
    assert good.status == LetterStatus.ACCEPTED
    assert (rejected.status, rejected.reason) == (LetterStatus.REJECTED, "postal_index_unknown")


@pytest.mark.django_db
def test_a_host_key_that_is_not_the_operators_sends_nothing(settings: Any, sftp_server: Sshd, tmp_path: Path) -> None:
    stranger = " ".join(sshd_harness.keygen(tmp_path / "stranger").split()[:2])
    _configure(settings, sftp_server, host_key=stranger)
    batch, _letters = _batch()
    with clock.frozen_at(NOW), pytest.raises(OperatorError):
        tasks.deliver_batch.call(batch_id=batch.pk)
    batch.refresh_from_db()
    assert "host key is not the operator's" in batch.last_error
    assert not list((sftp_server.root / "inbox").iterdir())


@pytest.mark.django_db
def test_a_server_that_does_not_answer_times_out_and_the_last_failure_gives_the_batch_back(
    settings: Any, sftp_server: Sshd
) -> None:
    with socket.socket() as silent:  # accepts the connection (the kernel's backlog), never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        _configure(settings, sftp_server, port=int(silent.getsockname()[1]))
        settings.TORELIK_POST_OPERATOR_TIMEOUT = 1
        batch, (letter, _other) = _batch()
        started = time.monotonic()
        with clock.frozen_at(NOW), pytest.raises(OperatorError):
            tasks.deliver_batch.call(batch_id=batch.pk)
        assert time.monotonic() - started < 8
        batch.refresh_from_db()
        assert "did not answer in time" in batch.last_error
        Batch.objects.filter(pk=batch.pk).update(attempts=tasks.DELIVERY_ATTEMPTS - 1)
        with clock.frozen_at(NOW):
            assert tasks.deliver_batch.call(batch_id=batch.pk)["failed"] == 1
    batch.refresh_from_db()
    letter.refresh_from_db()
    assert batch.status == BatchStatus.FAILED
    assert (letter.status, letter.batch_id) == (LetterStatus.PREPARED, None)
