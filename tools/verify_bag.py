#!/usr/bin/env python3
"""Verify a Torelik case bag offline, with nothing but Python's standard library.

    python3 verify_bag.py BAG_DIR_OR_ZIP [--log-key KEY]

Checks the BagIt structure (bagit.txt, every payload file in manifest-sha256.txt with its SHA-256 and
nothing else, the tag manifest); that each document's bytes hash to the SHA-256 its entry of the
transparency log records; each log entry's leaf hash (SHA-256 of 0x00 and the entry); each inclusion
proof against the bag's checkpoint; the checkpoint's Ed25519 signature by the log's key (KEY: the
verifier key from `GET /api/v1/log/key`, better obtained from somewhere other than the bag itself);
and that the RFC 3161 timestamp token, if present, is over SHA-256 of the checkpoint (its authority's
signature is left to `openssl ts -verify`).

Exit status: 0 valid and checked with the key given; 1 invalid; 2 unreadable; 3 valid as far as it
goes, the log's key taken from the bag itself (pass --log-key).
"""

import argparse
import base64
import hashlib
import json
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tlog  # noqa: E402 - the standard-library log checks beside this script


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as content:
        for chunk in iter(lambda: content.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(path: Path) -> dict[str, str]:
    listed = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split(None, 1)
            listed[name.strip()] = digest.lower()
    return listed


def check_bag(root: Path) -> list[str]:
    problems = []
    if not (root / "bagit.txt").is_file() or not (root / "manifest-sha256.txt").is_file():
        return ["not a BagIt bag with a SHA-256 manifest"]
    listed = _manifest(root / "manifest-sha256.txt")
    present = {str(p.relative_to(root)).replace("\\", "/") for p in (root / "data").rglob("*") if p.is_file()}
    for name in sorted(present - set(listed)):
        problems.append(f"{name}: in the bag but not in the manifest")
    for name, digest in sorted(listed.items()):
        if name not in present:
            problems.append(f"{name}: in the manifest but missing")
        elif _sha256(root / name) != digest:
            problems.append(f"{name}: its SHA-256 is not the manifest's")
    if (root / "tagmanifest-sha256.txt").is_file():
        for name, digest in _manifest(root / "tagmanifest-sha256.txt").items():
            if not (root / name).is_file() or _sha256(root / name) != digest:
                problems.append(f"{name}: its SHA-256 is not the tag manifest's")
    return problems


def check_log(root: Path, key: str) -> list[str]:
    data = root / "data"
    problems = []
    checkpoint = tlog.parse_checkpoint((data / "log" / "checkpoint.txt").read_text(encoding="utf-8"))
    if not tlog.signed_by(checkpoint, key):
        problems.append("log/checkpoint.txt: not signed by the log's key")
    proofs = json.loads((data / "log" / "proofs.json").read_text(encoding="utf-8"))
    if proofs["tree_size"] != checkpoint.size:
        problems.append("log/proofs.json: made for another tree size than the checkpoint's")
    logged: dict[int, dict[str, object]] = {}
    for line in (data / "log" / "entries.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        leaf = tlog.leaf_hash(item["entry"].encode())
        if leaf.hex() != item["leaf_hash"]:
            problems.append(f"log entry {item['index']}: leaf hash is not SHA-256(0x00 || entry)")
        path = [base64.b64decode(h) for h in proofs["proofs"].get(str(item["index"]), [])]
        if tlog.root_from_inclusion(item["index"], checkpoint.size, leaf, path) != checkpoint.root:
            problems.append(f"log entry {item['index']}: its inclusion proof does not lead to the checkpoint")
        logged[item["index"]] = json.loads(item["entry"])
    case = json.loads((data / "case.json").read_text(encoding="utf-8"))
    for document in case["documents"]:
        entry = logged.get(document["log_index"]) if document["log_index"] is not None else None
        if entry is None or entry.get("kind") != "document_version" or entry.get("document") != document["document"]:
            problems.append(f"{document['file']}: no entry of the log records this document")
            continue
        if _sha256(data / document["file"]) != entry.get("sha256") or entry.get("version") != document["version"]:
            problems.append(f"{document['file']}: its bytes are not the version the log records")
    token = data / "log" / "checkpoint.tsr"
    if token.is_file():
        note = (data / "log" / "checkpoint.txt").read_text(encoding="utf-8")
        signed_note = (
            note.split("\n\n", 1)[0]
            + "\n\n"
            + "".join(
                line + "\n"
                for line in note.split("\n\n", 1)[1].splitlines()
                if line.split(" ")[1:2] == [checkpoint.origin]
            )
        )
        if hashlib.sha256(signed_note.encode()).digest() not in token.read_bytes():
            problems.append("log/checkpoint.tsr: not a timestamp of this checkpoint")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bag")
    parser.add_argument("--log-key", help="the log's verifier key (text, or a file holding it)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as work:
        root = Path(args.bag)
        try:
            if root.is_file():
                with zipfile.ZipFile(root) as bundle:
                    bundle.extractall(work)
                root = next(p.parent for p in Path(work).rglob("bagit.txt"))
            key = args.log_key or (root / "data" / "log" / "log-key.txt").read_text(encoding="utf-8").strip()
            if args.log_key and Path(args.log_key).is_file():
                key = Path(args.log_key).read_text(encoding="utf-8").strip()
            tlog.parse_key(key)
            problems = check_bag(root)
            problems += check_log(root, key)
            stamped = " and timestamped" if (root / "data" / "log" / "checkpoint.tsr").is_file() else ""
        except (OSError, ValueError, KeyError, StopIteration, zipfile.BadZipFile) as error:
            print(f"cannot read the bag: {error}", file=sys.stderr)
            return 2
    if problems:
        print("INVALID")
        for problem in problems:
            print(f"  {problem}")
        return 1
    if not args.log_key:
        print(
            f"VALID as far as it goes: every document proven in the signed{stamped} checkpoint; the log's key was taken from the bag itself (pass --log-key)"
        )
        return 3
    print(f"VALID: every document proven in the signed{stamped} checkpoint")
    return 0


if __name__ == "__main__":
    sys.exit(main())
