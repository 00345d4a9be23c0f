#!/usr/bin/env python3
"""The partners' side of Torelik's inbound exchange, as a small separate program (standard library and
the `openssl` command only): it plays the enforcement committee, the correctional system, the post and a
state body of the document exchange.

    sender.py send --url http://127.0.0.1:8000 --token T --secret S --topic enforcement/executions \
        --data '{"case_number": "...", ...}' [--message-id ID]
        one signed inbound message (HMAC); prints the HTTP status and the answer
    sender.py letter --url ... --token T --secret S --key body.key.pem --cert body.pem --court 1916 \
        --number 12-3/45 --subject ... --text ... [--in-reply-to 1916-26/3] [--case-number ...]
        a letter of the state body, signed with its key as detached CMS (openssl cms), sent to the court
    sender.py serve-body --port 8731 --ca root.pem [--prefix 05-14] [--journal FILE]
        a state body's reception: takes the court's letters (POST /), checks their CMS signature
        against the CA, registers each under its own number and answers the acknowledgement

Signature of a message: header X-Torelik-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "t." + body>."""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

TIMEOUT = 10.0
OPENSSL = shutil.which("openssl") or "/usr/bin/openssl"


def canonical(value: Any) -> bytes:
    """RFC 8785 for the letters' plain JSON (strings, integers, objects): sorted keys, no spaces."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def signature_header(secret: str, body: bytes, at: float | None = None) -> str:
    stamp = int(time.time() if at is None else at)
    mac = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={mac}"


def message(data: dict[str, Any], *, message_id: str = "", version: str = "1") -> bytes:
    envelope = {"message_id": message_id or str(uuid.uuid4()), "schema_version": version, "data": data}
    return json.dumps(envelope, ensure_ascii=False).encode()


def post(url: str, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"not an HTTP address: {url}")
    request = urllib.request.Request(  # noqa: S310 - checked above
        url, data=body, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - checked above
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def send(
    url: str, token: str, secret: str, topic: str, body: bytes, *, at: float | None = None
) -> tuple[int, dict[str, Any]]:
    headers = {"Authorization": f"Bearer {token}", "X-Torelik-Signature": signature_header(secret, body, at)}
    return post(f"{url.rstrip('/')}/api/v1/exchange/inbound/{topic}", body, headers)


def cms_sign(content: bytes, key: Path, cert: Path) -> bytes:
    """A detached CMS signature (DER) by openssl, independent of Torelik's own signer."""
    with tempfile.TemporaryDirectory() as work:
        data = Path(work) / "content.json"
        data.write_bytes(content)
        out = Path(work) / "content.p7s"
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                OPENSSL,
                "cms",
                "-sign",
                "-binary",
                "-in",
                str(data),
                "-signer",
                str(cert),
                "-inkey",
                str(key),
                "-md",
                "sha256",
                "-outform",
                "DER",
                "-out",
                str(out),
            ],  # fmt: skip
            check=True,
            capture_output=True,
        )
        return out.read_bytes()


def cms_verified(content: bytes, signature: bytes, ca: Path) -> bool:
    with tempfile.TemporaryDirectory() as work:
        (Path(work) / "c").write_bytes(content)
        (Path(work) / "s").write_bytes(signature)
        done = subprocess.run(  # noqa: S603 - fixed arguments
            [
                OPENSSL,
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                f"{work}/s",
                "-content",
                f"{work}/c",
                "-CAfile",
                str(ca),
                "-purpose",
                "any",
                "-out",
                "/dev/null",
            ],  # fmt: skip
            capture_output=True,
            check=False,
        )
        return done.returncode == 0


def letter_message(letter: dict[str, Any], key: Path, cert: Path, *, message_id: str = "") -> bytes:
    """The inbound message of a state body's letter: the letter and its CMS over the letter's canonical JSON."""
    signature = cms_sign(canonical(letter), key, cert)
    return message({"letter": letter, "signature_base64": base64.b64encode(signature).decode()}, message_id=message_id)


class Reception:
    """A state body's journal of the court's letters it received (in memory, and in a file if given)."""

    def __init__(self, ca: Path, prefix: str, journal: Path | None) -> None:
        self.ca, self.prefix, self.journal = ca, prefix, journal
        self.lock = threading.Lock()
        self.letters: dict[str, dict[str, Any]] = {}

    def take(self, body: bytes) -> tuple[int, dict[str, Any]]:
        try:
            envelope = json.loads(body)
            letter = envelope["data"]["letter"]
            signature = base64.b64decode(envelope["data"]["signature_base64"])
            message_id = str(envelope["message_id"])
        except (ValueError, KeyError, TypeError):
            return 400, {"code": "malformed", "message": "not a letter message", "fields": {}}
        with self.lock:
            if message_id in self.letters:  # the court sent it again: the same acknowledgement
                return 200, self.letters[message_id]["ack"]
            if not cms_verified(canonical(letter), signature, self.ca):
                return 422, {
                    "code": "signature_invalid",
                    "message": "the letter's signature is not valid",
                    "fields": {},
                }
            number = f"{self.prefix}/{len(self.letters) + 1}"
            ack = {"registration_number": number, "registered_on": dt.date.today().isoformat()}  # noqa: DTZ011
            self.letters[message_id] = {"letter": letter, "ack": ack}
            if self.journal:
                self.journal.write_text(json.dumps(self.letters, ensure_ascii=False, indent=1))
        return 200, ack


def serve_body(port: int, ca: Path, prefix: str, journal: Path | None) -> ThreadingHTTPServer:
    reception = Reception(ca, prefix, journal)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the standard library's name
            length = int(self.headers.get("Content-Length") or 0)
            status, answer = reception.take(self.rfile.read(length))
            data = json.dumps(answer, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
            return

    return ThreadingHTTPServer(("127.0.0.1", port), Handler)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("send", "letter"):
        sub = commands.add_parser(name)
        sub.add_argument("--url", required=True)
        sub.add_argument("--token", required=True)
        sub.add_argument("--secret", required=True)
        sub.add_argument("--message-id", default="")
    send_cmd = commands.choices["send"]
    send_cmd.add_argument("--topic", required=True)
    send_cmd.add_argument("--data", required=True, help="the message's data as JSON")
    letter_cmd = commands.choices["letter"]
    for option in ("--key", "--cert", "--court", "--number", "--subject", "--text"):
        letter_cmd.add_argument(option, required=True)
    letter_cmd.add_argument("--kind", default="answer")
    letter_cmd.add_argument("--date", default=dt.date.today().isoformat())  # noqa: DTZ011
    letter_cmd.add_argument("--case-number", default="")
    letter_cmd.add_argument("--in-reply-to", default="")
    body_cmd = commands.add_parser("serve-body")
    body_cmd.add_argument("--port", type=int, required=True)
    body_cmd.add_argument("--ca", required=True)
    body_cmd.add_argument("--prefix", default="05-14")
    body_cmd.add_argument("--journal", default="")
    args = parser.parse_args(argv)
    if args.command == "serve-body":
        server = serve_body(args.port, Path(args.ca), args.prefix, Path(args.journal) if args.journal else None)
        print(f"state body listening on http://127.0.0.1:{server.server_address[1]}/", flush=True)  # noqa: T201
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
        return 0
    if args.command == "send":
        body = message(json.loads(args.data), message_id=args.message_id)
        topic = args.topic
    else:
        letter = {
            "court": args.court, "number": args.number, "date": args.date, "kind": args.kind,
            "subject": args.subject, "text": args.text, "case_number": args.case_number, "in_reply_to": args.in_reply_to,
        }  # fmt: skip
        body = letter_message(letter, Path(args.key), Path(args.cert), message_id=args.message_id)
        topic = "esedo/letters"
    status, answer = send(args.url, args.token, args.secret, topic, body)
    print(status, json.dumps(answer, ensure_ascii=False))  # noqa: T201
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
