"""`torelik backup DIR` and `torelik restore DIR` (ADR 0081): the database and the file store's objects
as of one moment, with a manifest of SHA-256 sums; a restore into an empty installation that checks the
sums, the transparency log (every leaf hash, every checkpoint's root, the newest checkpoint's signature)
and that the installation holds exactly what the backup's inventory says.

A backup directory:

    manifest.json          format, time, engine, WAL position and snapshot (PostgreSQL), migrations,
                           the inventory (`queries.inventory`), and the SHA-256 of every file below
    database.dump          `pg_dump --format=custom --snapshot=…` (PostgreSQL), or
    database.sqlite3       SQLite's online backup (the embedded default)
    objects/<sha256>       each object of the file store the database knows, named by its hash
    SHA256SUMS             `sha256sum -c SHA256SUMS` checks the directory without Torelik
"""

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, transaction
from django.db.migrations.recorder import MigrationRecorder

from torelik.archive import merkle
from torelik.archive.file_store import file_store
from torelik.archive.notes import CheckpointBody, NoteError, Verifier, split_note
from torelik.archive.queries import verifier_key
from torelik.operations import queries

FORMAT = "torelik-backup/1"
MANIFEST = "manifest.json"
SUMS = "SHA256SUMS"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


@dataclass
class RestoreReport:
    inventory: dict[str, dict[str, object]]
    objects: int = 0
    log_entries: int = 0
    checkpoints: int = 0
    problems: list[str] = field(default_factory=list)


def _sha256_of(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            hasher.update(chunk)
    return hasher.hexdigest()


def _timeout() -> float:
    return float(getattr(settings, "TORELIK_BACKUP_TIMEOUT", 6 * 3600))


def _libpq_environment() -> tuple[dict[str, str], str]:
    database = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    return env, str(database["NAME"])


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=_timeout(), check=False)  # noqa: S603
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(f"{command[0]} did not run: {error}") from error
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed ({done.returncode}): {done.stderr.strip()[-2000:]}")


def _migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, str]:
    rows = MigrationRecorder.Migration.objects.using(using).values_list("app", "name").order_by("app", "name")
    return dict(rows)  # the last name of each app wins


def _copy_objects(target: Path, using: str = DEFAULT_DB_ALIAS) -> int:
    """Copy every object the database knows from the store into target/objects, checking each one's hash."""
    store = file_store()
    folder = target / "objects"
    folder.mkdir()
    count = 0
    for sha256, size in queries.stored_objects(using):
        path = folder / sha256
        hasher = hashlib.sha256()
        with store.open(sha256) as source, path.open("wb") as copy:
            while chunk := source.read(CHUNK):
                hasher.update(chunk)
                copy.write(chunk)
        if hasher.hexdigest() != sha256 or path.stat().st_size != size:
            raise BackupError(f"the stored object {sha256} is damaged: run `torelik log fixity --all` and repair it")
        count += 1
    return count


def take_backup(target: Path) -> dict[str, Any]:
    """Write a consistent backup into `target` (a new or empty directory); the manifest written."""
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty: give a new directory for each backup")
    target.mkdir(parents=True, exist_ok=True)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": dt.datetime.now(tz=dt.UTC).isoformat(),
        "engine": connection.vendor,
    }
    if connection.vendor == "postgresql":
        env, name = _libpq_environment()
        # The dump and every read below share one snapshot: the objects copied are those the dumped rows
        # name. Objects are immutable and content-addressed; the sweep removes only what no row has named
        # for a day (ADR 0037), so none of them goes while the backup runs.
        with queries.postgresql_snapshot() as (snapshot, lsn):
            _run(
                [
                    "pg_dump",
                    "--format=custom",
                    "--no-owner",
                    f"--snapshot={snapshot}",
                    "--file",
                    str(target / "database.dump"),
                    name,
                ],
                env,
            )
            manifest["postgresql"] = {
                "snapshot": snapshot,
                "wal_lsn": lsn,
                "server_version": getattr(connection, "pg_version", None),
            }
            manifest["migrations"] = _migrations()
            manifest["inventory"] = queries.inventory()
            manifest["objects"] = _copy_objects(target)
    elif connection.vendor == "sqlite":
        # The embedded default: the write lock taken (an IMMEDIATE transaction of this connection) for the
        # whole backup, so that nothing is written between SQLite's online copy of the file (made from a
        # connection of its own, a reader beside the lock in WAL mode) and the reads of the inventory and
        # objects. An in-memory database (the test suite's) has no other connection: it is copied from this one.
        name = str(connection.settings_dict["NAME"])
        in_memory = name == ":memory:" or "mode=memory" in name
        with transaction.atomic() if not in_memory else nullcontext():
            if not in_memory:
                queries.hold_write_lock()
            connection.ensure_connection()
            source = connection.connection if in_memory else sqlite3.connect(name, uri=True)
            copy = sqlite3.connect(target / "database.sqlite3")
            try:
                source.backup(copy)
            finally:
                copy.close()
                if not in_memory:
                    source.close()
            manifest["migrations"] = _migrations()
            manifest["inventory"] = queries.inventory()
            manifest["objects"] = _copy_objects(target)
    else:
        raise BackupError(f"no backup for the {connection.vendor} database engine")
    files = sorted(p for p in target.rglob("*") if p.is_file())
    manifest["files"] = {str(p.relative_to(target)): _sha256_of(p) for p in files}
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n")
    sums = {**manifest["files"], MANIFEST: _sha256_of(target / MANIFEST)}
    (target / SUMS).write_text("".join(f"{digest}  {path}\n" for path, digest in sorted(sums.items())))
    return manifest


def read_verified_manifest(source: Path) -> dict[str, Any]:
    """The manifest, once every file it lists (and the manifest itself) hashes to its recorded sum."""
    if not (source / MANIFEST).is_file() or not (source / SUMS).is_file():
        raise BackupError(f"{source} holds no Torelik backup ({MANIFEST} and {SUMS} missing)")
    sums = {}
    for line in (source / SUMS).read_text().splitlines():
        digest, _sep, path = line.partition("  ")
        sums[path] = digest
    if sums.get(MANIFEST) != _sha256_of(source / MANIFEST):
        raise BackupError(f"{MANIFEST} does not match its sum in {SUMS}: the backup was changed")
    manifest: dict[str, Any] = json.loads((source / MANIFEST).read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    for path, digest in manifest["files"].items():
        file = source / path
        if not file.is_file():
            raise BackupError(f"{path} is missing from the backup")
        if sums.get(path) != digest or _sha256_of(file) != digest:
            raise BackupError(f"{path} does not match its SHA-256 in the manifest: the backup is damaged")
    return manifest


def _restore_database(source: Path, manifest: dict[str, Any]) -> None:
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"the backup is of {manifest['engine']}, this installation uses {connection.vendor}")
    if connection.vendor == "sqlite":
        Path(str(connection.settings_dict["NAME"])).parent.mkdir(parents=True, exist_ok=True)
    if not queries.database_is_empty():
        raise BackupError("the database is not empty: restore only into a new, empty database")
    if connection.vendor == "postgresql":
        env, name = _libpq_environment()
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                "--dbname",
                name,
                str(source / "database.dump"),
            ],
            env,
        )
    else:
        connection.close()
        path = Path(str(connection.settings_dict["NAME"]))
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source / "database.sqlite3", path)
    connection.close()


def _restore_objects(source: Path) -> int:
    store = file_store()
    count = 0
    for path in sorted((source / "objects").iterdir()):
        if not store.exists(path.name):
            with path.open("rb") as content:
                store.restore(path.name, content)
        count += 1
    return count


def mth(leaves: list[bytes]) -> bytes:
    """RFC 9162's Merkle tree hash of the leaves (their leaf hashes)."""
    if len(leaves) == 1:
        return leaves[0]
    k = merkle.split(len(leaves))
    return merkle.node_hash(mth(leaves[:k]), mth(leaves[k:]))


def check_log(report: RestoreReport) -> None:
    """Every entry's leaf hash from its body, each checkpoint's root from the leaves, and the newest
    checkpoint's signature with the configured log key."""
    leaves: list[bytes] = []
    for index, body, leaf_hash in queries.log_leaves():
        if index != len(leaves):
            report.problems.append(f"log: entry {len(leaves)} is missing")
            return
        computed = merkle.leaf_hash(body.encode())
        if computed.hex() != leaf_hash:
            report.problems.append(f"log: entry {index} does not hash to its leaf hash")
        leaves.append(computed)
    report.log_entries = len(leaves)
    newest = None
    for size, root_hash, note in queries.checkpoints():
        report.checkpoints += 1
        if size > len(leaves) or (size and mth(leaves[:size]).hex() != root_hash):
            report.problems.append(f"log: the checkpoint of size {size} does not match the entries")
        newest = note
    if newest is not None:
        try:
            body, lines = split_note(newest)
            CheckpointBody.parse(body)
            verifier = Verifier.parse(verifier_key())
            if not any(_verifies(verifier, body, line) for line in lines):
                report.problems.append("log: the newest checkpoint is not signed by this log's key")
        except NoteError as error:
            report.problems.append(f"log: the newest checkpoint cannot be read: {error}")


def _verifies(verifier: Verifier, body: str, line: str) -> bool:
    try:
        verifier.verify_line(body, line)
    except NoteError:
        return False
    return True


def verify_installation(manifest: dict[str, Any]) -> RestoreReport:
    """What a restored installation must hold: the backup's inventory, every object, an intact log."""
    report = RestoreReport(inventory=queries.inventory())
    for name, expected in manifest["inventory"].items():
        if report.inventory.get(name) != expected:
            report.problems.append(f"{name}: {report.inventory.get(name)} restored, {expected} backed up")
    store = file_store()
    missing = [sha for sha, _size in queries.stored_objects() if not store.exists(sha)]
    if missing:
        report.problems.append(f"{len(missing)} stored objects are missing from the file store")
    check_log(report)
    return report


def restore_backup(source: Path) -> RestoreReport:
    manifest = read_verified_manifest(source)
    _restore_database(source, manifest)
    objects = _restore_objects(source)
    report = verify_installation(manifest)
    report.objects = objects
    return report
