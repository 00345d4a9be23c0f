"""The open API of the transparency log (no login), in the shapes transparency-log tooling reads:
the checkpoint as a C2SP signed note (text), entries and proofs as Certificate Transparency's
get-entries, get-proof-by-hash and get-sth-consistency (hashes in base64)."""

import base64
import binascii
import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router, Schema
from pydantic import Field

from torelik.archive import queries
from torelik.archive.errors import ArchiveError, ArchiveErrorCode, LogEntryNotFoundError
from torelik.archive.log import record_cosignature
from torelik.archive.notes import NoteError, split_note

router = Router(tags=["transparency log"])


class EntryOut(Schema):
    index: int
    leaf_input: str = Field(description="base64 of the entry (RFC 8785 JSON): SHA-256(0x00 || it) is the leaf hash")
    leaf_hash: str = Field(description="hex")
    entry: dict[str, Any]


class EntriesOut(Schema):
    entries: list[EntryOut]


class InclusionOut(Schema):
    leaf_index: int
    tree_size: int
    leaf_hash: str = Field(description="base64")
    audit_path: list[str] = Field(description="base64 hashes, leaf to root (RFC 9162 section 2.1.3)")


class ConsistencyOut(Schema):
    first: int
    second: int
    consistency: list[str] = Field(description="base64 hashes (RFC 9162 section 2.1.4)")


class EntriesQuery(Schema):
    start: int = Field(ge=0)
    end: int = Field(ge=0)


class InclusionQuery(Schema):
    index: int | None = Field(default=None, ge=0)
    hash: str | None = Field(default=None, description="the leaf hash, hex or base64")
    size: int | None = Field(default=None, ge=1, description="tree size; default: the latest checkpoint's")


class ConsistencyQuery(Schema):
    first: int = Field(ge=1)
    second: int = Field(ge=1)


class CosignatureIn(Schema):
    checkpoint: str = Field(description="the checkpoint body the witness signed (origin, size, root, time lines)")
    cosignature: str = Field(description="the witness's cosignature/v1 signature line")


class CosignatureOut(Schema):
    witness: str
    size: int
    cosigned_at: str


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def _range_error(message: Any, field: str) -> ArchiveError:
    return ArchiveError(ArchiveErrorCode.BAD_RANGE, message, fields={field: [str(message)]})


def _signed_size() -> int:
    latest = queries.latest_checkpoint()
    return latest.size if latest is not None else 0


@router.get("/log/checkpoint", summary="The latest checkpoint (C2SP signed note, with witnesses' cosignatures)")
def checkpoint(request: HttpRequest) -> HttpResponse:
    latest = queries.latest_checkpoint()
    if latest is None:
        raise LogEntryNotFoundError(ArchiveErrorCode.NOT_IN_LOG, _("The log has signed no checkpoint yet."))
    return HttpResponse(queries.checkpoint_note(latest), content_type="text/plain; charset=utf-8")


@router.get("/log/key", summary="The log's public key (C2SP verifier key)")
def key(request: HttpRequest) -> HttpResponse:
    return HttpResponse(queries.verifier_key() + "\n", content_type="text/plain; charset=utf-8")


@router.get("/log/entries", response=EntriesOut, summary="Entries start..end (inclusive, at most 1000)")
def entries(request: HttpRequest, query: Query[EntriesQuery]) -> dict[str, Any]:
    if query.end < query.start:
        raise _range_error(_("The range ends before it starts."), "end")
    found = queries.entries_between(query.start, query.end)
    return {
        "entries": [
            {
                "index": e.index,
                "leaf_input": _b64(e.body.encode()),
                "leaf_hash": e.leaf_hash,
                "entry": json.loads(e.body),
            }
            for e in found
        ]
    }


def _leaf_hash(text: str) -> str:
    text = text.strip()
    try:
        raw = bytes.fromhex(text) if len(text) == 64 else base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        raw = b""
    if len(raw) != 32:
        raise _range_error(_("A leaf hash is 32 bytes in hex or base64."), "hash")
    return raw.hex()


@router.get(
    "/log/proof/inclusion", response=InclusionOut, summary="Inclusion proof of an entry (by index or leaf hash)"
)
def inclusion(request: HttpRequest, query: Query[InclusionQuery]) -> dict[str, Any]:
    size = query.size or _signed_size()
    if query.hash is not None:
        entry = queries.entry_by_leaf(_leaf_hash(query.hash))
        if entry is None:
            raise LogEntryNotFoundError(ArchiveErrorCode.NOT_IN_LOG, _("No entry of the log has this leaf hash."))
        index, leaf = entry.index, entry.leaf_hash
    elif query.index is not None:
        found = queries.entries_between(query.index, query.index)
        if not found:
            raise LogEntryNotFoundError(ArchiveErrorCode.NOT_IN_LOG, _("The log has no entry of this index."))
        index, leaf = query.index, found[0].leaf_hash
    else:
        raise _range_error(_("Give the index or the leaf hash of the entry."), "index")
    if not index < size <= queries.log_size():
        raise _range_error(_("The tree size must be above the entry's index and at most the log's size."), "size")
    return {
        "leaf_index": index,
        "tree_size": size,
        "leaf_hash": _b64(bytes.fromhex(leaf)),
        "audit_path": [_b64(h) for h in queries.inclusion_proof(index, size)],
    }


@router.get("/log/proof/consistency", response=ConsistencyOut, summary="Consistency proof between two tree sizes")
def consistency(request: HttpRequest, query: Query[ConsistencyQuery]) -> dict[str, Any]:
    if not query.first <= query.second <= queries.log_size():
        raise _range_error(_("The sizes must be in order and at most the log's size."), "second")
    proof = queries.consistency_proof(query.first, query.second)
    return {"first": query.first, "second": query.second, "consistency": [_b64(h) for h in proof]}


@router.post(
    "/log/cosignatures",
    response={201: CosignatureOut},
    summary="A witness posts its cosignature of a checkpoint it checked (cosignature/v1)",
)
def cosignature(request: HttpRequest, payload: CosignatureIn) -> tuple[int, dict[str, Any]]:
    body = payload.checkpoint if payload.checkpoint.endswith("\n") else payload.checkpoint + "\n"
    if "\n\n" in body:
        try:
            body = split_note(body)[0]
        except NoteError as error:
            raise _range_error(str(error), "checkpoint") from error
    saved = record_cosignature(body=body, line=payload.cosignature.strip())
    return 201, {
        "witness": saved.witness.name,
        "size": saved.checkpoint.size,
        "cosigned_at": saved.cosigned_at.isoformat(),
    }
