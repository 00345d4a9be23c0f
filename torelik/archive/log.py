"""Writes to the transparency log: entries written with the facts they record, the sequencer that
gives them their indices and subtree hashes, signed checkpoints and witnesses' cosignatures.

A context that owns a fact calls `append_entry` in the transaction that records it (the entry and
the fact commit together, or neither). The entry waits in a queue until `sequence_pending` (run
every half second by `torelik log run`, and right after a batch of draws is committed) appends a
batch of them to the tree: one lock, one read of the right edge of the tree, one insert of the
entries and one of the new subtree hashes. Every function here is idempotent and safe to run from
several processes at once (the sequencer takes a lock; a second one waits and finds nothing to do).
"""

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from torelik.archive import merkle
from torelik.archive.errors import ArchiveError, ArchiveErrorCode
from torelik.archive.models import (
    Checkpoint,
    CheckpointTimestamp,
    Cosignature,
    LogEntry,
    LogEntryKind,
    LogNode,
    PendingEntry,
    Witness,
)
from torelik.archive.notes import COSIGNATURE_V1, CheckpointBody, NoteError, Signer, Verifier, split_note
from torelik.archive.timestamps import request_timestamp
from torelik.core import clock
from torelik.core.canonical import canonical
from torelik.core.rows import advisory_transaction_lock

SEQUENCER_LOCK = 0x746F72656C696B  # "torelik": the advisory lock of the one sequencer (PostgreSQL)
BATCH = 5000
CHECKPOINT_EVERY = dt.timedelta(minutes=1)
GROWN_EVERY = dt.timedelta(seconds=1)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class LogReceipt:
    """What the writer of an entry knows at once: its leaf hash (the index comes with the sequencer;
    `queries.entry_by_leaf` finds it)."""

    leaf_hash: str
    kind: str

    def as_event_data(self) -> dict[str, str]:
        """What a case event that carries the entry says of it."""
        return {"log_leaf": self.leaf_hash}


@dataclass(frozen=True)
class NewEntry:
    kind: LogEntryKind
    fields: Mapping[str, Any]
    subject: str = ""
    case: str = ""


def append_entries(entries: Sequence[NewEntry]) -> list[LogReceipt]:
    """Queue entries for the log in the caller's transaction (one insert). Each entry is the RFC 8785
    JSON object {"kind", "at" (UTC, now), **fields}. An entry identical to one already queued or logged
    is the same leaf and is not added twice."""
    if not entries:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("a log entry is written in the transaction of the fact it records")
    at = _utc(clock.now())
    rows = []
    for entry in entries:
        body = canonical({**entry.fields, "kind": str(entry.kind), "at": at}).decode()
        leaf = merkle.leaf_hash(body.encode()).hex()
        rows.append(
            PendingEntry(
                kind=entry.kind,
                body=body,
                leaf_hash=leaf,
                subject=entry.subject,
                case=entry.case,
                written_at=clock.now(),
            )
        )
    PendingEntry.objects.bulk_create(rows, ignore_conflicts=True)
    return [LogReceipt(leaf_hash=row.leaf_hash, kind=row.kind) for row in rows]


def append_entry(*, kind: LogEntryKind, fields: Mapping[str, Any], subject: str = "", case: str = "") -> LogReceipt:
    """One entry (see `append_entries`)."""
    return append_entries([NewEntry(kind=kind, fields=fields, subject=subject, case=case)])[0]


def log_act(
    *,
    case: str,
    case_number: str,
    act: str,
    version: int,
    sha256: str,
    size: int,
    media_type: str,
    kind: str,
    signed: bool = False,
    signer_certificate_sha256: str = "",
    signed_at: dt.datetime | None = None,
) -> LogReceipt:
    """The entry of a judicial act's version (`signed=False`) or of its signature (`signed=True`), for
    the acts context to call in the transaction that stores the act or its signature."""
    fields: dict[str, Any] = {
        "case": {"id": case, "number": case_number},
        "act": act,
        "version": version,
        "act_kind": kind,
        "sha256": sha256,
        "size": size,
        "media_type": media_type,
    }
    if signed:
        fields |= {
            "signer_certificate_sha256": signer_certificate_sha256,
            "signed_at": _utc(signed_at) if signed_at else None,
        }
    kind_of_entry = LogEntryKind.ACT_SIGNATURE if signed else LogEntryKind.ACT
    return append_entry(kind=kind_of_entry, fields=fields, subject=act, case=case)


# The sequencer -----------------------------------------------------------------------------------


def read_nodes(nodes: Iterable[merkle.Node]) -> dict[merkle.Node, bytes]:
    """The stored hashes of these complete subtrees: leaves from the entries, the rest from the nodes."""
    wanted = list(nodes)
    leaves = [index for level, index in wanted if level == 0]
    inner = [(level, index) for level, index in wanted if level > 0]
    found: dict[merkle.Node, bytes] = {}
    if leaves:
        for index, leaf in LogEntry.objects.filter(index__in=leaves).values_list("index", "leaf_hash"):
            found[(0, index)] = bytes.fromhex(leaf)
    if inner:
        # Levels and indices asked for, as two IN lists over the (level, index) key: a handful of rows
        # beyond those wanted at most, one cheap statement; the exact pairs are kept.
        wanted_inner = set(inner)
        rows = LogNode.objects.filter(
            level__in={level for level, _index in inner}, index__in={index for _level, index in inner}
        ).values_list("level", "index", "hash")
        for level, index, value in rows:
            if (level, index) in wanted_inner:
                found[(level, index)] = bytes(value)
    return found


def tree() -> merkle.Tree:
    return merkle.Tree(read_nodes)


def log_size() -> int:
    last = LogEntry.objects.aggregate(last=Max("index"))["last"]
    return 0 if last is None else int(last) + 1


def _lock_sequencer() -> None:
    advisory_transaction_lock(SEQUENCER_LOCK)


def sequence_pending(*, limit: int = BATCH) -> int:
    """Append up to `limit` queued entries to the log, in the order they were queued; returns how many."""
    with transaction.atomic():
        _lock_sequencer()
        pending = list(PendingEntry.objects.order_by("id")[:limit])
        if not pending:
            return 0
        size = log_size()
        known = set(
            LogEntry.objects.filter(leaf_hash__in=[p.leaf_hash for p in pending]).values_list("leaf_hash", flat=True)
        )
        fresh = [p for p in pending if p.leaf_hash not in known]
        now = clock.now()
        leaves = [bytes.fromhex(p.leaf_hash) for p in fresh]
        made = merkle.new_nodes(size, leaves, read_nodes(merkle.edge_nodes(size)))
        LogEntry.objects.bulk_create(
            [
                LogEntry(
                    index=size + offset,
                    kind=p.kind,
                    body=p.body,
                    leaf_hash=p.leaf_hash,
                    subject=p.subject,
                    case=p.case,
                    written_at=p.written_at,
                    sequenced_at=now,
                )
                for offset, p in enumerate(fresh)
            ],
            batch_size=1000,
        )
        LogNode.objects.bulk_create(
            [LogNode(level=level, index=index, hash=value) for (level, index), value in made.items()], batch_size=1000
        )
        PendingEntry.objects.filter(id__in=[p.pk for p in pending]).delete()
        return len(fresh)


# Checkpoints -------------------------------------------------------------------------------------


@cache
def _signer(key: str) -> Signer:
    return Signer.parse(key)


def configured_signer() -> Signer:
    """The log's signing key (TORELIK_LOG_SIGNING_KEY)."""
    if not settings.TORELIK_LOG_SIGNING_KEY:
        raise ArchiveError(
            ArchiveErrorCode.LOG_NOT_CONFIGURED, _("The transparency log has no signing key configured.")
        )
    return _signer(settings.TORELIK_LOG_SIGNING_KEY)


def sign_checkpoint() -> Checkpoint:
    """Sign a checkpoint of the log as it is now (on demand; `checkpoint_if_due` does it every minute)."""
    signer = configured_signer()
    with transaction.atomic():
        _lock_sequencer()  # the size and root read together, with no sequencer half-way
        size = log_size()
        root = tree().root(size)
        now = clock.now()
        body = CheckpointBody(origin=signer.name, size=size, root=root, time=int(now.timestamp())).text()
        return Checkpoint.objects.create(
            size=size,
            root_hash=root.hex(),
            note=signer.sign(body),
            signed_at=dt.datetime.fromtimestamp(int(now.timestamp()), tz=dt.UTC),
        )


def checkpoint_if_due(
    *, every: dt.timedelta = CHECKPOINT_EVERY, grown: dt.timedelta = GROWN_EVERY
) -> Checkpoint | None:
    """A new checkpoint when the last one is `every` old, or when the log has grown since it and it
    is `grown` old (so that a write is covered within about two seconds)."""
    latest = Checkpoint.objects.order_by("-id").first()
    if latest is None:
        return sign_checkpoint()
    age = clock.now() - latest.signed_at
    if age >= every or (age >= grown and latest.size < log_size()):
        return sign_checkpoint()
    return None


def sequence_and_checkpoint(*, fresh: bool = True) -> Checkpoint:
    """Append what is queued and sign a checkpoint that covers it: what a draw's commitment needs
    before its beacon round (called by the distributor right after it commits a batch). With
    `fresh=False`, the latest checkpoint is kept when nothing is queued and it covers the whole log
    (the demo's thousand commitments in one transaction each asked again at its end, issue 24)."""
    if not fresh and not PendingEntry.objects.exists():
        latest: Checkpoint | None = Checkpoint.objects.order_by("-id").first()
        if latest is not None and latest.size == log_size():
            return latest
    while sequence_pending():
        pass
    return sign_checkpoint()


TIMESTAMP_EVERY = dt.timedelta(hours=1)


def timestamp_checkpoint_if_due(*, every: dt.timedelta = TIMESTAMP_EVERY) -> CheckpointTimestamp | None:
    """Have the latest checkpoint timestamped by the RFC 3161 authority (TORELIK_TSA_URL) when the last
    timestamped one is `every` old: the token is over SHA-256 of the whole signed note. The authority is
    asked outside any transaction; a failure raises TimestampError and is tried again at the next run."""
    if not settings.TORELIK_TSA_URL:
        return None
    latest = Checkpoint.objects.order_by("-id").first()
    last = CheckpointTimestamp.objects.order_by("-checkpoint_id").select_related("checkpoint").first()
    if latest is None or (last is not None and latest.signed_at - last.checkpoint.signed_at < every):
        return None
    return timestamp_checkpoint(latest)


def timestamp_checkpoint(checkpoint: Checkpoint) -> CheckpointTimestamp:
    """An RFC 3161 token over SHA-256 of the checkpoint's signed note, asked now (on demand: an export)."""
    existing: CheckpointTimestamp | None = CheckpointTimestamp.objects.filter(checkpoint=checkpoint).first()
    if existing is not None:
        return existing
    stamped = request_timestamp(
        settings.TORELIK_TSA_URL,
        hashlib.sha256(checkpoint.note.encode()).digest(),
        timeout=settings.TORELIK_TSA_TIMEOUT,
    )
    found: CheckpointTimestamp = CheckpointTimestamp.objects.get_or_create(
        checkpoint=checkpoint,
        defaults={"token": stamped.token, "authority": stamped.authority, "stamped_at": stamped.moment},
    )[0]
    return found


# Witnesses ---------------------------------------------------------------------------------------


def add_witness(*, name: str, verifier_key: str, description: str = "") -> Witness:
    """Register an outside party's cosigning key (a C2SP cosignature/v1 verifier key)."""
    try:
        verifier = Verifier.parse(verifier_key)
    except NoteError as error:
        raise ArchiveError(
            ArchiveErrorCode.BAD_WITNESS_KEY, _("The witness key cannot be read: %(error)s"), params={"error": error}
        ) from error
    if verifier.name != name or verifier.algorithm != COSIGNATURE_V1:
        raise ArchiveError(
            ArchiveErrorCode.BAD_WITNESS_KEY, _("A witness key is a cosignature/v1 key in the witness's name.")
        )
    witness, _created = Witness.objects.get_or_create(
        name=name, defaults={"verifier_key": verifier_key.strip(), "description": description}
    )
    return witness


def record_cosignature(*, body: str, line: str) -> Cosignature:
    """A witness's cosignature of one of our checkpoints: the signature line is checked against the
    registered witness it names and the checkpoint body it signs."""
    name = line.removeprefix("\u2014 ").split(" ", 1)[0]
    witness = Witness.objects.filter(name=name).first()
    if witness is None:
        raise ArchiveError(ArchiveErrorCode.UNKNOWN_WITNESS, _("No witness of this name is registered."))
    checkpoint = next(
        (c for c in Checkpoint.objects.filter(note__startswith=body) if split_note(c.note)[0] == body), None
    )
    if checkpoint is None:
        raise ArchiveError(ArchiveErrorCode.UNKNOWN_CHECKPOINT, _("This log signed no such checkpoint."))
    try:
        moment = Verifier.parse(witness.verifier_key).verify_line(body, line)
    except NoteError as error:
        raise ArchiveError(
            ArchiveErrorCode.BAD_COSIGNATURE,
            _("The cosignature does not verify with the witness's key: %(error)s"),
            params={"error": error},
        ) from error
    if moment is None:
        raise ArchiveError(ArchiveErrorCode.BAD_COSIGNATURE, _("A witness signs with cosignature/v1."))
    existing: Cosignature | None = Cosignature.objects.filter(checkpoint=checkpoint, witness=witness).first()
    if existing is not None:
        return existing
    saved: Cosignature = Cosignature.objects.create(
        checkpoint=checkpoint,
        witness=witness,
        line=line,
        cosigned_at=dt.datetime.fromtimestamp(moment, tz=dt.UTC),
        received_at=clock.now(),
    )
    return saved
