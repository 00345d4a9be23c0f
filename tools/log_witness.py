#!/usr/bin/env python3
"""A witness of Torelik's transparency log: Python's standard library and the `cryptography` package.

    python3 log_witness.py generate-key --name bar.example.kz/witness --key-file witness.key
    python3 log_witness.py run --log https://torelik.sud.kz --log-key KEY --key-file witness.key \\
        --state witness.json [--every 60]

`run` fetches the log's latest checkpoint, checks the log's Ed25519 signature, and checks that the tree
only grew since the last checkpoint this witness saw (an RFC 9162 consistency proof from the log; a
smaller tree, or another root for the same size, is refused and reported: the log forked or rewrote
history). Only then does it cosign the checkpoint (C2SP tlog-cosignature, cosignature/v1, with the
time) and post the cosignature to the log, and remember the checkpoint. Give the verifier key printed
by `generate-key` to the court's administrators (`torelik log add-witness NAME KEY`).

Exit status of a single run (no --every): 0 cosigned, 1 the log is inconsistent or its signature is
wrong, 2 the log could not be reached or answered something unreadable.
"""

import argparse
import base64
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tlog  # noqa: E402 - the standard-library log checks beside this script

TIMEOUT = 10


class Inconsistent(Exception):
    """The log contradicts what this witness saw before: never cosign."""


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:  # noqa: S310 - the log's address, given by the operator
        return bytes(answer.read())


def generate(name: str, key_file: Path) -> str:
    key = Ed25519PrivateKey.generate()
    seed = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    key_file.write_text(json.dumps({"name": name, "seed": base64.b64encode(seed).decode()}), encoding="utf-8")
    key_file.chmod(0o600)
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key_id = tlog._key_id(name, 4, public).hex()  # noqa: SLF001 - the module beside this one
    return f"{name}+{key_id}+{base64.b64encode(bytes([4]) + public).decode()}"


def cosign_line(name: str, key: Ed25519PrivateKey, body: str, moment: int) -> str:
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    head = tlog._key_id(name, 4, public) + moment.to_bytes(8, "big")  # noqa: SLF001
    signature = key.sign(f"cosignature/v1\ntime {moment}\n{body}".encode())
    return f"\u2014 {name} {base64.b64encode(head + signature).decode()}"


def witness_once(log: str, log_key: str, key_file: Path, state_file: Path) -> str:
    """Check and cosign the latest checkpoint; returns what was done."""
    identity = json.loads(key_file.read_text(encoding="utf-8"))
    key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(identity["seed"]))
    base = log.rstrip("/")
    checkpoint = tlog.parse_checkpoint(_get(f"{base}/api/v1/log/checkpoint").decode())
    if not tlog.signed_by(checkpoint, log_key):
        raise Inconsistent("the checkpoint is not signed by the log's key")
    seen = json.loads(state_file.read_text(encoding="utf-8")) if state_file.exists() else None
    if seen is not None:
        old_size, old_root = int(seen["size"]), base64.b64decode(seen["root"])
        if checkpoint.size < old_size:
            raise Inconsistent(f"the log shrank from {old_size} to {checkpoint.size} entries")
        if checkpoint.size == old_size and checkpoint.root != old_root:
            raise Inconsistent(f"two different roots for the size {old_size}: the log forked")
        if checkpoint.size > old_size > 0:
            query = urllib.parse.urlencode({"first": old_size, "second": checkpoint.size})
            proof = json.loads(_get(f"{base}/api/v1/log/proof/consistency?{query}"))["consistency"]
            hashes = [base64.b64decode(h) for h in proof]
            if not tlog.consistent(old_size, checkpoint.size, old_root, checkpoint.root, hashes):
                raise Inconsistent(f"the tree of {checkpoint.size} entries does not extend the one of {old_size}")
    line = cosign_line(identity["name"], key, checkpoint.body, int(time.time()))
    request = urllib.request.Request(  # noqa: S310
        f"{base}/api/v1/log/cosignatures",
        data=json.dumps({"checkpoint": checkpoint.body, "cosignature": line}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as answer:  # noqa: S310
        answer.read()
    state_file.write_text(
        json.dumps({"size": checkpoint.size, "root": base64.b64encode(checkpoint.root).decode()}), encoding="utf-8"
    )
    return f"cosigned the checkpoint of {checkpoint.size} entries"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    steps = parser.add_subparsers(dest="step", required=True)
    new = steps.add_parser("generate-key")
    new.add_argument("--name", required=True)
    new.add_argument("--key-file", type=Path, required=True)
    run = steps.add_parser("run")
    run.add_argument("--log", required=True, help="the log's address, e.g. https://torelik.sud.kz")
    run.add_argument("--log-key", required=True, help="the log's verifier key, from a source you trust")
    run.add_argument("--key-file", type=Path, required=True)
    run.add_argument("--state", type=Path, required=True, help="where the last checkpoint seen is kept")
    run.add_argument("--every", type=float, default=0, help="seconds between runs (0: once)")
    args = parser.parse_args(argv)
    if args.step == "generate-key":
        print(generate(args.name, args.key_file))
        return 0
    while True:
        try:
            print(witness_once(args.log, args.log_key, args.key_file, args.state))
            status = 0
        except Inconsistent as error:
            print(f"REFUSED: {error}", file=sys.stderr)
            status = 1
        except (OSError, ValueError, KeyError, urllib.error.URLError) as error:
            print(f"the log could not be checked: {error}", file=sys.stderr)
            status = 2
        if not args.every:
            return status
        time.sleep(args.every)


if __name__ == "__main__":
    sys.exit(main())
