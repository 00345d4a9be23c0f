"""The partner agencies' simulator: a small separate HTTP server that plays the enforcement committee, the
penal correction system, the committee on legal statistics and the e-government portal for Torelik's
outbound exchange (torelik/exchange, ADR 0094).

    python tools/partners/simulator.py --port 8420 --trust-root var/pki/root.pem \
        [--failure-rate 0.1] [--late-rate 0.05] [--latency 15] [--seed 1]

then point Torelik at it: TORELIK_EXCHANGE_URL=http://127.0.0.1:8420 (each partner at /<code>).

- POST /<partner>: an event. A JWS (Content-Type application/jose, RS256, the court seal's chain in x5c,
  checked up to --trust-root) or JSON with X-Torelik-Timestamp and X-Torelik-Signature (HMAC-SHA256 with
  TORELIK_EXCHANGE_<PARTNER>_SECRET). Answers 200 {"receipt", "duplicate"}: the same event id again is
  acknowledged with the first receipt and not counted twice. 401 for a missing or bad signature, 422 for an
  event type or schema version the partner does not know, 503 when failing on purpose, and when "late" it
  sleeps --latency seconds before answering (the event is kept, as a real partner would keep it).
- GET /_received[?partner=]: what each partner kept (for tests and the demo). GET /_health.
- POST /_control {"failure_rate", "late_rate", "latency", "down", "known_versions": {partner: {type: [v]}},
  "reset"}: change the behaviour while running.

Only the standard library and what Torelik already depends on (PyJWT, cryptography).
"""

import argparse
import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import random
import socket
import threading
import time
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import jwt
from cryptography import x509
from cryptography.exceptions import InvalidSignature

PARTNERS: dict[str, dict[str, list[int]]] = {
    "enforcement": {"writ_in_force": [1]},
    "corrections": {"sentence_in_force": [1], "sentence_changed": [1], "release_date": [1]},
    "legal_statistics": {"statistical_report": [1]},
    "egov": {"case_status": [1], "hearing": [1]},
}
CLOCK_SKEW = 300  # seconds an HMAC timestamp may differ from ours


class Refusal(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class Partners:
    """The partners' state: what each kept, and how the simulator behaves now."""

    def __init__(
        self,
        *,
        trust_roots: list[x509.Certificate],
        failure_rate: float,
        late_rate: float,
        latency: float,
        seed: int | None,
    ) -> None:
        self.lock = threading.Lock()
        self.trust_roots = trust_roots
        self.failure_rate, self.late_rate, self.latency = failure_rate, late_rate, latency
        self.down = False
        self.random = random.Random(seed)  # noqa: S311 - a simulator's dice, not a secret
        self.known = {code: {t: list(v) for t, v in types.items()} for code, types in PARTNERS.items()}
        self.received: dict[str, dict[str, dict[str, Any]]] = {code: {} for code in PARTNERS}
        self.last_sequence: dict[tuple[str, str], int] = {}
        self.out_of_order = 0
        self.trusted_leaves: dict[str, x509.Certificate] = {}

    def secret(self, partner: str) -> bytes:
        default = f"insecure-development-{partner}-secret"
        return os.environ.get(f"TORELIK_EXCHANGE_{partner.upper()}_SECRET", default).encode()

    def control(self, change: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            if change.get("reset"):
                self.received = {code: {} for code in PARTNERS}
                self.last_sequence, self.out_of_order = {}, 0
                self.known = {code: {t: list(v) for t, v in types.items()} for code, types in PARTNERS.items()}
            for name in ("failure_rate", "late_rate", "latency"):
                if name in change:
                    setattr(self, name, float(change[name]))
            if "down" in change:
                self.down = bool(change["down"])
            for code, types in (change.get("known_versions") or {}).items():
                self.known.setdefault(code, {}).update({t: [int(v) for v in vs] for t, vs in types.items()})
            return self.state()

    def state(self) -> dict[str, Any]:
        return {
            "failure_rate": self.failure_rate,
            "late_rate": self.late_rate,
            "latency": self.latency,
            "down": self.down,
            "known_versions": self.known,
            "out_of_order": self.out_of_order,
            "received": {code: len(kept) for code, kept in self.received.items()},
        }

    # --- signatures -------------------------------------------------------------------------------

    def verify_jws(self, token: bytes) -> tuple[bytes, str]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as error:
            raise Refusal(401, "bad_signature", f"not a JWS: {error}") from error
        if header.get("alg") != "RS256" or not header.get("x5c"):
            raise Refusal(401, "bad_signature", "RS256 with an x5c chain expected")
        leaf = self._trusted_leaf(header["x5c"])
        try:
            payload = jwt.api_jws.decode(token, key=leaf.public_key(), algorithms=["RS256"])  # type: ignore[arg-type]
        except jwt.PyJWTError as error:
            raise Refusal(401, "bad_signature", f"the signature does not verify: {error}") from error
        return payload, leaf.subject.rfc4514_string()

    def _trusted_leaf(self, x5c: list[str]) -> x509.Certificate:
        known = self.trusted_leaves.get(x5c[0])
        if known is not None:
            return known
        try:
            chain = [x509.load_der_x509_certificate(base64.b64decode(c)) for c in x5c]
        except ValueError as error:
            raise Refusal(401, "bad_signature", "x5c does not hold certificates") from error
        now = dt.datetime.now(tz=dt.UTC)
        try:
            for cert, issuer in zip(chain, chain[1:], strict=False):
                cert.verify_directly_issued_by(issuer)
        except (ValueError, TypeError, InvalidSignature) as error:
            raise Refusal(401, "untrusted_signer", "the x5c chain is broken") from error
        if not any(self._anchored(chain, root) for root in self.trust_roots):
            raise Refusal(401, "untrusted_signer", "the signer's certificate does not chain to a trusted root")
        if not chain[0].not_valid_before_utc <= now <= chain[0].not_valid_after_utc:
            raise Refusal(401, "untrusted_signer", "the signer's certificate is not valid now")
        self.trusted_leaves[x5c[0]] = chain[0]
        return chain[0]

    @staticmethod
    def _anchored(chain: list[x509.Certificate], root: x509.Certificate) -> bool:
        if root in chain:
            return True
        try:
            chain[-1].verify_directly_issued_by(root)
        except (ValueError, TypeError, InvalidSignature):
            return False
        return True

    def verify_hmac(self, partner: str, body: bytes, headers: Any) -> str:
        timestamp, signature = headers.get("X-Torelik-Timestamp"), headers.get("X-Torelik-Signature")
        if not timestamp or not signature:
            raise Refusal(401, "unsigned", "the event is not signed")
        if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > CLOCK_SKEW:
            raise Refusal(401, "stale_signature", "the signature's timestamp is too far from now")
        expected = (
            "sha256=" + hmac.new(self.secret(partner), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        )
        if not hmac.compare_digest(expected, signature):
            raise Refusal(401, "bad_signature", "the HMAC does not match")
        return "hmac"

    # --- receiving -----------------------------------------------------------------------------------

    def receive(self, partner: str, body: bytes, headers: Any) -> tuple[dict[str, Any], float]:
        """The answer to an event and the seconds to wait before giving it."""
        if partner not in PARTNERS:
            raise Refusal(404, "unknown_partner", f"no partner {partner}")
        if headers.get("Content-Type", "").startswith("application/jose"):
            envelope_bytes, signer = self.verify_jws(body.strip())
        else:
            signer = self.verify_hmac(partner, body, headers)
            envelope_bytes = body
        try:
            envelope = json.loads(envelope_bytes)
            event_id, event_type = str(uuid.UUID(str(envelope["event_id"]))), str(envelope["event_type"])
            version = int(envelope["schema_version"])
        except (ValueError, KeyError, TypeError) as error:
            raise Refusal(400, "malformed", f"not an event envelope: {error}") from error
        with self.lock:
            if self.down or self.random.random() < self.failure_rate:
                raise Refusal(503, "unavailable", "the partner's system is unavailable, try later")
            known = self.known[partner].get(event_type)
            if known is None:
                raise Refusal(422, "unknown_event_type", f"{partner} does not take {event_type} events")
            if version not in known:
                raise Refusal(
                    422,
                    "unknown_schema_version",
                    f"{partner} knows {event_type} in version(s) {', '.join(map(str, known)) or 'none'}, not {version}",
                )
            kept = self.received[partner].get(event_id)
            if kept is not None:
                kept["times"] += 1
                answer = {"receipt": kept["receipt"], "duplicate": True}
            else:
                case = envelope.get("case_number") or ""
                sequence = int(envelope.get("sequence") or 0)
                if case:
                    if self.last_sequence.get((partner, case), 0) > sequence:
                        self.out_of_order += 1
                    self.last_sequence[(partner, case)] = max(sequence, self.last_sequence.get((partner, case), 0))
                receipt = f"{partner[:3].upper()}-{len(self.received[partner]) + 1:08d}"
                self.received[partner][event_id] = {
                    "event_id": event_id,
                    "event_type": event_type,
                    "schema_version": version,
                    "case_number": case,
                    "sequence": sequence,
                    "receipt": receipt,
                    "times": 1,
                    "signer": signer,
                    "received_at": time.time(),
                    "payload": envelope.get("payload"),
                }
                answer = {"receipt": receipt, "duplicate": False}
            late = self.latency if self.random.random() < self.late_rate else 0.0
        return answer, late


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: Torelik sends many events over few connections
    # The answer's head and body leave in one write (flushed after each request), and without Nagle's
    # delay: two small writes on a keep-alive connection otherwise wait ~40 ms for the client's ACK.
    wbufsize = 1 << 16
    server: "Simulator"

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if self.server.verbose:
            super().log_message(format, *args)

    def _answer(self, status: int, document: Any) -> None:
        body = json.dumps(document, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        partners = self.server.partners
        if url.path == "/_health":
            self._answer(200, {"status": "ok"})
        elif url.path == "/_received":
            wanted = parse_qs(url.query).get("partner", [])
            with partners.lock:
                kept = {
                    code: list(events.values())
                    for code, events in partners.received.items()
                    if not wanted or code in wanted
                }
                self._answer(200, {"received": kept, "state": partners.state()})
        else:
            self._answer(404, {"code": "not_found", "message": url.path})

    def do_POST(self) -> None:
        url = urlsplit(self.path)
        body = self._body()
        partners = self.server.partners
        if url.path == "/_control":
            try:
                change = json.loads(body or b"{}")
            except ValueError:
                self._answer(400, {"code": "malformed", "message": "JSON expected"})
                return
            self._answer(200, partners.control(change))
            return
        try:
            answer, late = partners.receive(url.path.strip("/"), body, self.headers)
        except Refusal as refusal:
            self._answer(refusal.status, {"code": refusal.code, "message": refusal.message})
            return
        if late:
            time.sleep(late)
        self._answer(HTTPStatus.OK, answer)


class Simulator(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # many keep-alive connections at once

    def __init__(self, address: tuple[str, int], partners: Partners, *, verbose: bool = False) -> None:
        super().__init__(address, Handler)
        self.partners, self.verbose = partners, verbose


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Partner agencies' simulator for Torelik's exchange")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("TORELIK_PARTNERS_PORT", "8420")))
    parser.add_argument(
        "--trust-root",
        action="append",
        default=[],
        help="PEM of a CA whose certificates may sign JWS events (repeatable)",
    )
    parser.add_argument("--failure-rate", type=float, default=0.0, help="share of events answered 503")
    parser.add_argument("--late-rate", type=float, default=0.0, help="share of events answered late")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds a late answer waits")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    roots = [x509.load_pem_x509_certificate(Path(p).read_bytes()) for p in args.trust_root if Path(p).exists()]
    partners = Partners(
        trust_roots=roots,
        failure_rate=args.failure_rate,
        late_rate=args.late_rate,
        latency=args.latency,
        seed=args.seed,
    )
    server = Simulator((args.host, args.port), partners, verbose=args.verbose)
    print(f"partner simulator on http://{args.host}:{server.server_port} ({len(roots)} trust root(s))", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
