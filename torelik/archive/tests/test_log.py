"""The transparency log: RFC 9162 hashing and proofs against published test vectors and an
independent implementation (pymerkle), the sequencer, signed checkpoints, cosignatures and the
append-only tables."""

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.db import DatabaseError, connection, transaction
from django.test import Client
from pymerkle import InmemoryTree
from pymerkle.proof import InclusionProof, verify_consistency, verify_inclusion

from torelik.archive import merkle, queries
from torelik.archive.errors import ArchiveError
from torelik.archive.log import (
    add_witness,
    append_entry,
    configured_signer,
    record_cosignature,
    sequence_and_checkpoint,
    sequence_pending,
    sign_checkpoint,
    tree,
)
from torelik.archive.models import Checkpoint, ImmutableLogError, LogEntry, LogEntryKind, LogNode, PendingEntry
from torelik.archive.notes import CheckpointBody, Verifier, cosign, cosigner_text, split_note

VECTORS: dict[str, Any] = json.loads((Path(__file__).parent / "data" / "rfc9162_vectors.json").read_text())
LEAVES = [bytes.fromhex(leaf) for leaf in VECTORS["leaves"]]


def _stored_tree(batches: list[list[bytes]]) -> merkle.Tree:
    """The vectors' leaves appended in batches, the nodes kept as the sequencer keeps them."""
    nodes: dict[merkle.Node, bytes] = {}
    size = 0
    for batch in batches:
        hashes = [merkle.leaf_hash(leaf) for leaf in batch]
        nodes |= merkle.new_nodes(size, hashes, {n: nodes[n] for n in merkle.edge_nodes(size)})
        nodes |= {(0, size + i): h for i, h in enumerate(hashes)}
        size += len(batch)
    return merkle.Tree(lambda wanted: {n: nodes[n] for n in wanted if n in nodes})


@pytest.mark.parametrize("batches", [[LEAVES], [LEAVES[:1], LEAVES[1:3], LEAVES[3:]], [[leaf] for leaf in LEAVES]])
def test_roots_and_proofs_are_the_published_rfc_9162_vectors(batches: list[list[bytes]]) -> None:
    tree = _stored_tree(batches)
    assert [tree.root(n).hex() for n in range(1, 9)] == VECTORS["roots"]
    for case in VECTORS["inclusion"]:
        assert [h.hex() for h in tree.inclusion(case["leaf"] - 1, case["size"])] == case["proof"]
    for case in VECTORS["consistency"]:
        assert [h.hex() for h in tree.consistency(case["first"], case["second"])] == case["proof"]


def test_the_verifiers_accept_the_vectors_and_refuse_a_flipped_bit() -> None:
    roots = [bytes.fromhex(r) for r in VECTORS["roots"]]
    for case in VECTORS["inclusion"]:
        proof = [bytes.fromhex(h) for h in case["proof"]]
        leaf = merkle.leaf_hash(LEAVES[case["leaf"] - 1])
        assert merkle.root_from_inclusion(case["leaf"] - 1, case["size"], leaf, proof) == roots[case["size"] - 1]
        if proof:
            bad = [bytes([proof[0][0] ^ 8]) + proof[0][1:], *proof[1:]]
            assert merkle.root_from_inclusion(case["leaf"] - 1, case["size"], leaf, bad) != roots[case["size"] - 1]
    for case in VECTORS["consistency"]:
        first, second = roots[case["first"] - 1], roots[case["second"] - 1]
        proof = [bytes.fromhex(h) for h in case["proof"]]
        assert merkle.verify_consistency(case["first"], case["second"], first, second, proof)
        if proof:
            assert not merkle.verify_consistency(case["first"], case["second"], second, first, proof)
            assert not merkle.verify_consistency(case["first"], case["second"], first, second, proof[:-1])


def test_proofs_are_ceil_log2_n_hashes_at_most() -> None:
    for size in (1, 2, 3, 5, 8, 13, 100, 1000):
        for index in (0, size // 2, size - 1):
            assert len(merkle.ranges_of_inclusion(index, size)) <= (size - 1).bit_length()


def _log(count: int) -> list[LogEntry]:
    with transaction.atomic():
        for number in range(count):
            append_entry(kind=LogEntryKind.CONFIGURATION, fields={"setting": "n", "value": number}, subject=str(number))
    sequence_pending(limit=7)  # in batches, as the sequencer does under load
    while sequence_pending(limit=7):
        pass
    return list(LogEntry.objects.order_by("index"))


@pytest.mark.django_db
def test_an_independent_implementation_agrees_on_every_root_and_inclusion_proof() -> None:
    entries = _log(23)
    assert [e.index for e in entries] == list(range(23))
    theirs = InmemoryTree(algorithm="sha256")
    for entry in entries:
        theirs.append_entry(entry.body.encode())
    for size in range(1, 24):
        ours = tree().root(size)
        assert ours == theirs.get_root(size)
        for index in range(size):
            audit_path = queries.inclusion_proof(index, size)
            structure = theirs.prove_inclusion(index + 1, size)
            proof = InclusionProof(
                "sha256", True, size, index + 1, structure.rule, [theirs.get_leaf(index + 1), *audit_path]
            )
            verify_inclusion(bytes.fromhex(entries[index].leaf_hash), ours, proof)  # raises if wrong
        if size > 1:
            verify_consistency(theirs.get_root(size - 1), ours, theirs.prove_consistency(size - 1, size))


@pytest.mark.django_db
def test_consistency_between_any_two_checkpoints_is_provable() -> None:
    _log(5)
    first = sign_checkpoint()
    _log(9)
    second = sign_checkpoint()
    assert (first.size, second.size) == (5, 14)
    proof = queries.consistency_proof(first.size, second.size)
    assert merkle.verify_consistency(5, 14, bytes.fromhex(first.root_hash), bytes.fromhex(second.root_hash), proof)
    assert not merkle.verify_consistency(5, 14, bytes.fromhex(second.root_hash), bytes.fromhex(first.root_hash), proof)


@pytest.mark.django_db
def test_a_checkpoint_is_a_signed_note_in_the_c2sp_format() -> None:
    _log(3)
    checkpoint = sign_checkpoint()
    body, signatures = split_note(checkpoint.note)
    parsed = CheckpointBody.parse(body)
    assert (parsed.origin, parsed.size, parsed.root.hex()) == ("torelik.test/log", 3, checkpoint.root_hash)
    assert body.splitlines()[:3] == ["torelik.test/log", "3", base64.b64encode(parsed.root).decode()]
    assert signatures[0].startswith("\u2014 torelik.test/log ")
    verifier = Verifier.parse(configured_signer().verifier_text())
    assert verifier.verify_line(body, signatures[0]) is None
    forged = body.replace("\n3\n", "\n4\n")
    with pytest.raises(ValueError, match="does not verify"):
        verifier.verify_line(forged, signatures[0])


@pytest.mark.django_db
def test_an_entry_is_covered_by_a_checkpoint_at_once_when_asked() -> None:
    with transaction.atomic():
        receipt = append_entry(kind=LogEntryKind.CONFIGURATION, fields={"setting": "x"})
    assert queries.entry_by_leaf(receipt.leaf_hash) is None  # queued: no index before the sequencer
    checkpoint = sequence_and_checkpoint()
    proven = queries.proof_of(receipt.leaf_hash)
    assert proven is not None
    assert proven.checkpoint == checkpoint
    leaf = bytes.fromhex(receipt.leaf_hash)
    assert (
        merkle.root_from_inclusion(proven.entry.index, checkpoint.size, leaf, proven.proof).hex()
        == checkpoint.root_hash
    )
    assert not PendingEntry.objects.exists()


@pytest.mark.django_db
def test_a_checkpoint_that_covers_the_whole_log_is_kept_when_a_fresh_one_is_not_needed() -> None:
    with transaction.atomic():
        first = append_entry(kind=LogEntryKind.CONFIGURATION, fields={"setting": "a"})
    covering = sequence_and_checkpoint(fresh=False)  # queued: sequenced and signed
    assert queries.proof_of(first.leaf_hash) is not None
    assert sequence_and_checkpoint(fresh=False) == covering  # nothing new: the same checkpoint
    assert Checkpoint.objects.count() == 1
    with transaction.atomic():
        second = append_entry(kind=LogEntryKind.CONFIGURATION, fields={"setting": "b"})
    grown = sequence_and_checkpoint(fresh=False)
    assert grown != covering
    assert grown.size == covering.size + 1
    proven = queries.proof_of(second.leaf_hash)
    assert proven is not None
    assert proven.checkpoint == grown
    assert sequence_and_checkpoint() != grown  # asked for a fresh one, it signs one


@pytest.mark.django_db
def test_the_log_refuses_changes_and_deletions() -> None:
    entry = _log(2)[0]
    sign_checkpoint()
    with pytest.raises(ImmutableLogError):
        LogEntry.objects.filter(index=0).update(kind="other")
    with pytest.raises(ImmutableLogError):
        entry.delete()
    with pytest.raises(ImmutableLogError):
        Checkpoint.objects.all().delete()
    entry.body = "{}"
    with pytest.raises(ImmutableLogError):
        entry.save()


@pytest.mark.django_db
def test_postgresql_refuses_an_update_of_the_log_whoever_asks() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the database trigger is PostgreSQL's; SQLite relies on the models' guard")
    _log(2)
    sign_checkpoint()
    for table, column in (("archive_logentry", "index"), ("archive_lognode", "index"), ("archive_checkpoint", "id")):
        for statement in (f"DELETE FROM {table}", f"UPDATE {table} SET {column} = {column}"):  # noqa: S608 - fixed names
            with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
    assert LogEntry.objects.count() == 2
    assert LogNode.objects.count() == 1


@pytest.mark.django_db
def test_a_witness_cosigns_a_checkpoint_and_the_note_carries_it() -> None:
    key = Ed25519PrivateKey.generate()
    add_witness(name="witness.example/bar", verifier_key=cosigner_text("witness.example/bar", key.public_key()))
    _log(4)
    checkpoint = sign_checkpoint()
    body = split_note(checkpoint.note)[0]
    line = cosign("witness.example/bar", key, body, 1_800_000_000)
    client = Client()
    answer = client.post(
        "/api/v1/log/cosignatures", {"checkpoint": body, "cosignature": line}, content_type="application/json"
    )
    assert answer.status_code == 201, answer.content
    assert answer.json()["witness"] == "witness.example/bar"
    note = client.get("/api/v1/log/checkpoint").content.decode()
    assert note.endswith(line + "\n")
    impostor = cosign("witness.example/bar", Ed25519PrivateKey.generate(), body, 1_800_000_000)
    refused = client.post(
        "/api/v1/log/cosignatures", {"checkpoint": body, "cosignature": impostor}, content_type="application/json"
    )
    assert refused.status_code == 422
    assert refused.json()["code"] == "bad_cosignature"
    with pytest.raises(ArchiveError):
        record_cosignature(body=body.replace("\n4\n", "\n5\n"), line=line)


@pytest.mark.django_db
def test_the_open_api_answers_in_the_standard_shapes() -> None:
    entries = _log(6)
    checkpoint = sign_checkpoint()
    client = Client()
    page = client.get("/api/v1/log/entries", {"start": 2, "end": 3}).json()["entries"]
    assert [e["index"] for e in page] == [2, 3]
    assert base64.b64decode(page[0]["leaf_input"]).decode() == entries[2].body
    proof = client.get("/api/v1/log/proof/inclusion", {"hash": entries[4].leaf_hash}).json()
    assert (proof["leaf_index"], proof["tree_size"]) == (4, checkpoint.size)
    path = [base64.b64decode(h) for h in proof["audit_path"]]
    leaf = bytes.fromhex(entries[4].leaf_hash)
    assert merkle.root_from_inclusion(4, 6, leaf, path).hex() == checkpoint.root_hash
    by_index = client.get("/api/v1/log/proof/inclusion", {"index": 4, "size": 6}).json()
    assert by_index["audit_path"] == proof["audit_path"]
    consistency = client.get("/api/v1/log/proof/consistency", {"first": 2, "second": 6}).json()
    assert len(consistency["consistency"]) > 0
    for bad in ({"index": 9}, {"index": 1, "size": 99}, {"hash": "zz"}, {}):
        answer = client.get("/api/v1/log/proof/inclusion", bad)
        assert answer.status_code in (404, 422), (bad, answer.status_code)
        assert "code" in answer.json()
    assert client.get("/api/v1/log/entries", {"start": 5, "end": 1}).status_code == 422
