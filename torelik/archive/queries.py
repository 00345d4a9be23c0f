"""Reads from the archive."""

import base64
from dataclasses import dataclass
from typing import IO, Any

from torelik.archive import log
from torelik.archive.file_store import file_store
from torelik.archive.models import Checkpoint, CheckpointTimestamp, LogEntry, PendingEntry, StoredFile


def open_stored_file(stored: StoredFile) -> IO[bytes]:
    return file_store().open(stored.sha256)


def check_file_store() -> None:
    """Raise when the file store cannot be written (for /readyz)."""
    file_store().check()


# The transparency log -------------------------------------------------------------------------


MAX_ENTRIES = 1000  # entries per page of `GET /api/v1/log/entries`


def latest_checkpoint() -> Checkpoint | None:
    return Checkpoint.objects.order_by("-id").first()


def checkpoint_note(checkpoint: Checkpoint) -> str:
    """The signed note with the witnesses' cosignature lines after the log's own signature."""
    lines = [c.line for c in checkpoint.cosignatures.order_by("witness__name")]
    return checkpoint.note + "".join(f"{line}\n" for line in lines)


def first_checkpoint_covering(index: int) -> Checkpoint | None:
    """The first checkpoint signed whose tree includes the entry of `index`."""
    return Checkpoint.objects.filter(size__gt=index).order_by("signed_at", "id").first()


def entry_by_leaf(leaf_hash: str) -> LogEntry | None:
    return LogEntry.objects.filter(leaf_hash=leaf_hash).first()


def pending_by_leaf(leaf_hash: str) -> bool:
    return PendingEntry.objects.filter(leaf_hash=leaf_hash).exists()


def entries_between(start: int, end: int) -> list[LogEntry]:
    """Entries [start, end] (end inclusive, as Certificate Transparency's get-entries), at most MAX_ENTRIES."""
    return list(
        LogEntry.objects.filter(index__gte=start, index__lte=min(end, start + MAX_ENTRIES - 1)).order_by("index")
    )


def entries_of(*, case: str = "", subject: str = "") -> list[LogEntry]:
    found = LogEntry.objects.order_by("index")
    if case:
        found = found.filter(case=case)
    if subject:
        found = found.filter(subject=subject)
    return list(found)


def inclusion_proof(index: int, size: int) -> list[bytes]:
    return log.tree().inclusion(index, size)


def inclusion_proofs(indices: list[int], size: int) -> dict[int, list[bytes]]:
    return log.tree().inclusions(indices, size)


def timestamp_of(checkpoint: Checkpoint) -> CheckpointTimestamp | None:
    return CheckpointTimestamp.objects.filter(checkpoint=checkpoint).first()


def consistency_proof(first: int, second: int) -> list[bytes]:
    return log.tree().consistency(first, second)


def log_size() -> int:
    return log.log_size()


@dataclass(frozen=True)
class EntryProof:
    """An entry, the first checkpoint that covers it, and its inclusion proof in that checkpoint's tree."""

    entry: LogEntry
    checkpoint: Checkpoint | None
    proof: list[bytes]

    def as_dict(self) -> dict[str, Any]:
        found: dict[str, Any] = {
            "index": self.entry.index,
            "leaf_hash": self.entry.leaf_hash,
            "entry": self.entry.body,
        }
        if self.checkpoint is not None:
            found |= {
                "checkpoint": checkpoint_note(self.checkpoint),
                "tree_size": self.checkpoint.size,
                "inclusion_proof": [base64.b64encode(h).decode() for h in self.proof],
            }
        return found


def proof_of(leaf_hash: str, *, checkpoint: Checkpoint | None = None) -> EntryProof | None:
    """The entry with this leaf hash proven in `checkpoint` (default: the first that covers it)."""
    entry = entry_by_leaf(leaf_hash)
    if entry is None:
        return None
    checkpoint = checkpoint or first_checkpoint_covering(entry.index)
    if checkpoint is None or checkpoint.size <= entry.index:
        return EntryProof(entry=entry, checkpoint=None, proof=[])
    return EntryProof(entry=entry, checkpoint=checkpoint, proof=inclusion_proof(entry.index, checkpoint.size))


def verifier_key() -> str:
    """The log's public key, as a C2SP verifier key."""
    return log.configured_signer().verifier_text()


def proof_of_subject(subject: str, kind: str) -> dict[str, Any]:
    """The log's record of `subject` (e.g. a draw's commitment): its entry proven in the first
    checkpoint that covers it, with the log's key; or that it waits for the sequencer."""
    entry = LogEntry.objects.filter(subject=subject, kind=kind).order_by("index").first()
    if entry is None:
        queued = PendingEntry.objects.filter(subject=subject, kind=kind).exists()
        return {"status": "queued" if queued else "absent"}
    proven = proof_of(entry.leaf_hash)
    found = proven.as_dict() if proven is not None else {}
    found["status"] = "checkpointed" if "checkpoint" in found else "sequenced"
    found["log_key"] = verifier_key()
    return found


def recent_entries(count: int) -> list[LogEntry]:
    return list(LogEntry.objects.order_by("-index")[:count])


def latest_timestamp() -> CheckpointTimestamp | None:
    return CheckpointTimestamp.objects.select_related("checkpoint").order_by("-checkpoint_id").first()
