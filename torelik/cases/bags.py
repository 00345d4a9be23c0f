"""A case file exported as a BagIt bag (RFC 8493, the `bagit` package) that anyone verifies offline
with `tools/verify_bag.py` (standard library only): every document version, SHA-256 manifests, the
case's entries of the transparency log, their inclusion proofs against one named checkpoint, that
checkpoint (signed note, with witnesses' cosignatures), its RFC 3161 timestamp when an authority is
configured, and the log's public key.

    data/case.json               the case and its documents: file, document, version, SHA-256, log index
    data/documents/NNN-vV-name   each document version as stored
    data/log/entries.jsonl       {"index", "leaf_hash", "entry"} per line (entry: the RFC 8785 text)
    data/log/proofs.json         {"tree_size", "proofs": {index: [base64 hashes]}}
    data/log/checkpoint.txt      the checkpoint the proofs lead to
    data/log/checkpoint.tsr      its RFC 3161 timestamp token (DER), if any
    data/log/log-key.txt         the log's verifier key (check it against one obtained elsewhere)
"""

import base64
import json
import logging
import re
import tempfile
import zipfile
from pathlib import Path
from typing import IO

import bagit
from django.conf import settings

from torelik.archive import queries as archive
from torelik.archive.actions import sequence_and_checkpoint, timestamp_checkpoint
from torelik.archive.file_store import copy_to, file_store
from torelik.archive.timestamps import TimestampError
from torelik.cases.models import Case, Document
from torelik.core import clock

logger = logging.getLogger(__name__)


def _safe(name: str) -> str:
    return re.sub(r"[^\w.\-]+", "_", name, flags=re.UNICODE)[:120] or "document"


def export_bag(case: Case, target: Path) -> Path:
    """Write the case's bag into the directory `target` (created; must not exist) and return it."""
    checkpoint = sequence_and_checkpoint()  # every entry of the case appended and covered
    stamp = None
    if settings.TORELIK_TSA_URL:
        try:
            stamp = timestamp_checkpoint(checkpoint)
        except TimestampError:
            logger.warning("the bag of %s goes without a timestamp: the authority did not answer", case.number)
    target.mkdir(parents=True)
    documents_dir = target / "documents"
    log_dir = target / "log"
    documents_dir.mkdir()
    log_dir.mkdir()
    entries = [e for e in archive.entries_of(case=str(case.public_id)) if e.index < checkpoint.size]
    index_of = {e.subject: e.index for e in entries if e.kind == "document_version"}
    listed = []
    store = file_store()
    documents = Document.objects.filter(case=case).select_related("file", "document_type").order_by("received_at", "pk")
    for number, document in enumerate(documents, start=1):
        name = f"{number:03d}-v{document.version}-{_safe(document.filename)}"
        with (documents_dir / name).open("wb") as out:
            copy_to(store, document.file.sha256, out)
        listed.append(
            {
                "file": f"documents/{name}",
                "document": str(document.public_id),
                "type": document.document_type.code,
                "title": document.title,
                "version": document.version,
                "sha256": document.file.sha256,
                "log_index": index_of.get(str(document.public_id)),
            }
        )
    (target / "case.json").write_text(
        json.dumps(
            {"case": case.number, "id": str(case.public_id), "court": case.court.code, "documents": listed},
            ensure_ascii=False,
            indent=1,
        ),
        encoding="utf-8",
    )
    with (log_dir / "entries.jsonl").open("w", encoding="utf-8") as out:
        for entry in entries:
            out.write(json.dumps({"index": entry.index, "leaf_hash": entry.leaf_hash, "entry": entry.body}) + "\n")
    proofs = archive.inclusion_proofs([e.index for e in entries], checkpoint.size)
    (log_dir / "proofs.json").write_text(
        json.dumps(
            {
                "tree_size": checkpoint.size,
                "proofs": {str(i): [base64.b64encode(h).decode() for h in path] for i, path in proofs.items()},
            }
        ),
        encoding="utf-8",
    )
    (log_dir / "checkpoint.txt").write_text(archive.checkpoint_note(checkpoint), encoding="utf-8")
    if stamp is not None:
        (log_dir / "checkpoint.tsr").write_bytes(bytes(stamp.token))
    (log_dir / "log-key.txt").write_text(archive.verifier_key() + "\n", encoding="utf-8")
    bagit.make_bag(
        str(target),
        {
            "Source-Organization": case.court.name,
            "External-Identifier": case.number,
            "External-Description": "Torelik case file with its transparency-log proofs",
            "Bagging-Date": clock.today().isoformat(),
        },
        checksums=["sha256"],
    )
    return target


def export_bag_zip(case: Case) -> IO[bytes]:
    """The case's bag as a ZIP (an open temporary file, removed when closed)."""
    with tempfile.TemporaryDirectory(prefix="torelik-bag-") as work:
        root = export_bag(case, Path(work) / _safe(case.number))
        archive_file = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
        with zipfile.ZipFile(archive_file, "w", zipfile.ZIP_DEFLATED) as bundle:
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    bundle.write(path, str(path.relative_to(root.parent)))
        archive_file.seek(0)
        return archive_file
