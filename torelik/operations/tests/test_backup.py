"""The backup-destroy-restore rehearsal (issue 31): an installation seeded with cases, their journal and
documents, a transparency log with a signed checkpoint, draws done and draws waiting for their beacon,
and SMS queued and sent; `torelik backup`; a new, empty installation (another database, another file
store) rebuilt by `torelik restore` in its own process; every case, journal line, log entry, document
(by hash), message and open task back; then the work that was in flight resumes there once, without
duplicates. Runs on the suite's database: PostgreSQL (pg_dump with its snapshot) or SQLite."""

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from torelik.archive.log import sequence_and_checkpoint
from torelik.cases.actions import register_case
from torelik.cases.models import Case
from torelik.cases.tests.factories import claim_document, claimant_and_defendant, court_office
from torelik.core import clock
from torelik.courts.models import JudgeSpecialisation, Specialisation
from torelik.courts.tests.factories import JudgeFactory
from torelik.distribution.actions import complete_pending_draws
from torelik.notifications.gateways import ConsoleSmsBackend
from torelik.notifications.sender import send_due_messages
from torelik.notifications.tests.factories import summons
from torelik.operations import backup
from torelik.operations.queries import inventory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FILED = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
DRAWN_CASES = 6
WAITING_CASES = 4
QUEUED_SMS = 5
SENT_SMS = 2


def seed(tmp_path: Path) -> None:
    office = court_office("0215")
    for _ in range(3):
        judge = JudgeFactory.create(court=office.court, participation_rate=Decimal("1.00"))
        JudgeSpecialisation.objects.create(judge=judge, specialisation=Specialisation.CIVIL)

    def register(n: int) -> Case:
        return register_case(
            court=office.court,
            proceeding_type="civil",
            category_code=office.category.code,
            parties=claimant_and_defendant(),
            documents=[claim_document(f"claim {n}")],
            actor=office.clerk,
            subject=f"О взыскании долга {n}",
        )

    with clock.frozen_at(FILED):
        for n in range(DRAWN_CASES):
            register(n)
    with clock.frozen_at(FILED + dt.timedelta(minutes=1)):
        complete_pending_draws()
    # Registered and committed; their beacon round comes after the backup: work in flight.
    with clock.frozen_at(FILED + dt.timedelta(minutes=5)):
        for n in range(DRAWN_CASES, DRAWN_CASES + WAITING_CASES):
            register(n)
        sequence_and_checkpoint()
    # SMS: some sent before the backup, the rest queued (the outbox's work in flight). Queued now, so that
    # they have not expired when the restored installation sends them.
    with clock.frozen_at(timezone.now().replace(microsecond=0)):
        for n in range(SENT_SMS):
            summons(f"subpoena:sent-{n}")
        send_due_messages(backend=ConsoleSmsBackend(str(tmp_path / "sms-before.log")))
        for n in range(QUEUED_SMS):
            summons(f"subpoena:queued-{n}")


class Installation:
    """Another installation of Torelik on this machine: its own database and file store, run as `torelik`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            self.name = f"{connection.settings_dict['NAME']}_restored"[:63]
            self.admin(f'DROP DATABASE IF EXISTS "{self.name}"')
            self.admin(f'CREATE DATABASE "{self.name}"')
            data = connection.settings_dict
            self.url = f"postgresql://{data['USER']}@{data['HOST'] or '127.0.0.1'}:{data['PORT'] or 5432}/{self.name}"
        else:
            self.url = f"sqlite:///{root / 'restored.sqlite3'}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": self.url,
            "TORELIK_DEBUG": "false",
            "TORELIK_VAR_DIR": str(root / "var"),
            "TORELIK_FILES_DIR": str(root / "files"),
            "TORELIK_PKI_DIR": str(settings.TORELIK_PKI_DIR),
            "TORELIK_LOG_SIGNING_KEY": settings.TORELIK_LOG_SIGNING_KEY,
            "TORELIK_BEACON": "local",
            "TORELIK_BEACON_SECRET": settings.TORELIK_BEACON_SECRET,
            "TORELIK_SMS_BACKEND": "console",
            "TORELIK_SMS_LOG": str(root / "sms.log"),
            "TORELIK_SEND_MESSAGES": "off",
        }

    def admin(self, statement: str) -> None:
        data = connection.settings_dict
        with psycopg.connect(
            host=data["HOST"] or "127.0.0.1",
            port=data["PORT"] or 5432,
            user=data["USER"],
            dbname="postgres",
            autocommit=True,
        ) as admin:
            admin.execute(statement)

    def torelik(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "torelik", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if check:
            assert done.returncode == 0, done.stderr[-3000:]
        return done

    def rows(self, query: str) -> list[tuple[Any, ...]]:
        if self.vendor == "postgresql":
            with psycopg.connect(self.url) as db:
                return list(db.execute(query).fetchall())
        import sqlite3

        with sqlite3.connect(self.root / "restored.sqlite3") as db:
            return list(db.execute(query).fetchall())

    def drop(self) -> None:
        if self.vendor == "postgresql":
            self.admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def restored(tmp_path: Path) -> Iterator[Installation]:
    installation = Installation(tmp_path / "restored")
    yield installation
    installation.drop()


def test_backup_destroy_restore_rehearsal(tmp_path: Path, restored: Installation) -> None:
    seed(tmp_path)
    before = inventory()
    where = tmp_path / "backup"
    call_command("backup", str(where))
    manifest = json.loads((where / "manifest.json").read_text())
    assert manifest["inventory"] == before
    if connection.vendor == "postgresql":
        assert manifest["postgresql"]["wal_lsn"]
        assert manifest["postgresql"]["snapshot"]

    # Destroy: the source is not used again; the restore builds an empty installation from the backup alone.
    done = restored.torelik("restore", str(where))
    assert "verified" in done.stdout
    after = json.loads(restored.torelik("inventory").stdout)
    assert after == before
    counts = {name: value["count"] for name, value in after.items()}
    assert counts["cases"] == DRAWN_CASES + WAITING_CASES
    assert counts["documents"] == DRAWN_CASES + WAITING_CASES
    assert counts["draws_waiting"] == WAITING_CASES
    assert counts["messages_queued"] == QUEUED_SMS
    assert counts["log_entries"] > 0
    assert counts["case_events"] > counts["cases"]
    objects = sorted(p.name for p in (restored.root / "files" / "sha256").rglob("*") if p.is_file())
    assert objects == sorted(sha for sha, _size in manifest_objects(where))
    print("rehearsal counts:", json.dumps(counts, sort_keys=True))  # noqa: T201 - the issue's closing note

    # Work in flight resumes once: the waiting draws are drawn, the queued SMS sent; run twice, nothing doubles.
    for _ in range(2):
        restored.torelik("worker", "--burst")
        restored.torelik("complete-draws")
        restored.torelik("send-messages")
    draws = restored.rows("SELECT case_id, status FROM distribution_draw")
    assert len(draws) == DRAWN_CASES + WAITING_CASES  # one draw per case, none repeated
    assert {status for _case, status in draws} == {"drawn"}
    messages = dict(restored.rows("SELECT cause, status FROM notifications_message"))
    assert len(messages) == QUEUED_SMS + SENT_SMS
    assert set(messages.values()) == {"sent"}
    sent_after = (restored.root / "sms.log").read_text().splitlines()
    assert len(sent_after) == QUEUED_SMS  # the queued ones once each; the ones sent before, not again


def manifest_objects(where: Path) -> list[tuple[str, int]]:
    return [(p.name, p.stat().st_size) for p in (where / "objects").iterdir()]


def test_a_damaged_backup_or_a_non_empty_database_is_refused(tmp_path: Path) -> None:
    seed(tmp_path)
    where = tmp_path / "backup"
    call_command("backup", str(where))
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(where))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(where))  # this installation's database holds data

    damaged = tmp_path / "damaged"
    shutil.copytree(where, damaged)
    victim = next((damaged / "objects").iterdir())
    victim.write_bytes(victim.read_bytes() + b"!")
    with pytest.raises(backup.BackupError, match="damaged"):
        backup.read_verified_manifest(damaged)
