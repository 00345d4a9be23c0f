"""The local RFC 3161 timestamp authority of development, tests and the demo: pyHanko's TSA behind
an HTTP server on loopback, signing with a timestamping certificate of the demo CA
(`DemoCA.issue_timestamp_authority`). `torelik tsa` serves it; TORELIK_TSA_URL points at it; the
client is `archive.timestamps`. Production configures a real authority instead.
"""

import multiprocessing
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from asn1crypto import keys, tsp
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from pyhanko.sign.timestamps import DummyTimeStamper

from torelik.core.asyncrun import run_coroutine
from torelik.identity.pki import DemoCA, to_asn1_certificate


class LocalTimestampAuthority:
    """A local RFC 3161 authority over HTTP (loopback), for development, tests and the demo."""

    def __init__(self, ca: DemoCA, host: str = "127.0.0.1", port: int = 0) -> None:
        issued = ca.issue_timestamp_authority()
        key = keys.PrivateKeyInfo.load(
            issued.private_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption())
        )
        self.stamper = DummyTimeStamper(tsa_cert=to_asn1_certificate(issued.certificate), tsa_key=key)
        stamper = self.stamper

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                length = int(self.headers.get("Content-Length") or 0)
                try:
                    request = tsp.TimeStampReq.load(self.rfile.read(length))
                    answer = run_coroutine(stamper.async_request_tsa_response(request)).dump()
                except (ValueError, TypeError):
                    self.send_error(400, "not a timestamp request")
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's name
                return

        self.server = ThreadingHTTPServer((host, port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def serve_forever(self) -> None:
        self.server.serve_forever()

    @contextmanager
    def running(self) -> Iterator[str]:
        """Serve from a child process while the block runs (tests, the demo's seeding); yields the URL.

        The child is forked with the bound socket and the signing key, so it needs no settings of its own;
        the caller's process starts no thread.
        """
        child = multiprocessing.get_context("fork").Process(
            target=self.server.serve_forever, name="torelik-local-tsa", daemon=True
        )
        child.start()
        try:
            yield self.url
        finally:
            child.terminate()
            child.join(timeout=5)
            self.server.server_close()
