"""A simulator of the national postal operator's hybrid-mail and tracking API, for tests and the demo
(`make run` starts nothing external: with no TORELIK_POST_OPERATOR_URL the operator is this WSGI app,
called in-process; `torelik post-simulator` serves it on a port like the real one and pushes its
signed webhooks).

It speaks what the real service speaks: `POST /api/v2/batches` (the manifest, its signature and the
ZIP of PDFs; per-item acknowledgement), `GET /api/v2/{barcode}` and `/api/v2/{barcode}/events`.
Realistic timing: accepted within hours, on its way the next day, at the addressee's post office in
two to four days, then delivered, refused, kept and returned, or found undeliverable — each item's
fate drawn from its barcode (the same every time). Postal indices of the form `99xxxx`, `98xxxx` and
`97xxxx` force undeliverable, refused and returned (for tests and demonstrations). Realistic failures:
a share of calls answered 503, late, or with a body that is not JSON (`failure_rate`).
Its state (the items accepted and the webhooks pushed) is one JSON file in its directory."""

import datetime as dt
import fcntl
import hashlib
import hmac
import io
import json
import random
import re
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from torelik.post import manifests

Environ = dict[str, Any]
StartResponse = Callable[..., Any]

# What the operator's codes mean; the court's side maps them in `tracking.py`.
OUTCOMES = (
    ("DELIVERED", "", 85),
    ("REFUSED", "refused_by_addressee", 4),
    ("RETURNED", "storage_expired", 5),
    ("UNDELIVERABLE", "addressee_unknown", 6),
)
FORCED = {
    "99": ("UNDELIVERABLE", "no_such_address"),
    "98": ("REFUSED", "refused_by_addressee"),
    "97": ("RETURNED", "storage_expired"),
}
PLACES = ("Астана СЦ", "Алматы СЦ", "Шымкент СЦ", "Қарағанды СЦ")


class Simulator:
    def __init__(
        self,
        directory: str | Path,
        *,
        public_key: str,
        failure_rate: float = 0.0,
        slow_seconds: float = 0.0,
        clock: Callable[[], dt.datetime] | None = None,
        seed: int | None = None,
    ) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.public_key = public_key
        self.failure_rate = failure_rate
        self.slow_seconds = slow_seconds
        self.clock = clock or (lambda: dt.datetime.now(tz=dt.UTC))
        self.random = random.Random(seed)  # noqa: S311 - failures of a simulator, not secrets

    # --- state ----------------------------------------------------------------------------------

    @contextmanager
    def state(self) -> Iterator[dict[str, Any]]:
        path = self.directory / "state.json"
        with open(self.directory / "state.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            data: dict[str, Any] = json.loads(path.read_text()) if path.exists() else {"items": {}, "pushed": {}}
            yield data
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data))
            tmp.replace(path)

    # --- the items' fate ------------------------------------------------------------------------

    @staticmethod
    def timeline(barcode: str, accepted_at: dt.datetime, postal_index: str) -> list[dict[str, Any]]:
        """Every event of the item, past and future, drawn from its barcode."""
        h = int.from_bytes(hashlib.sha256(barcode.encode()).digest()[:8], "big")
        roll = h % 100
        status, reason = "DELIVERED", ""
        for code, why, share in OUTCOMES:
            if roll < share:
                status, reason = code, why
                break
            roll -= share
        status, reason = FORCED.get(postal_index[:2], (status, reason))
        place = PLACES[h % len(PLACES)]
        office = f"{postal_index} ОПС" if postal_index else place
        day = dt.timedelta(days=1)
        transit = 2 + (h >> 8) % 3
        steps: list[tuple[str, str, str, dt.timedelta]] = [
            ("ACCEPTED", "", place, dt.timedelta(hours=1 + (h >> 16) % 3)),
            ("PRINTED", "", place, dt.timedelta(hours=5)),
            ("IN_TRANSIT", "", place, day + dt.timedelta(hours=(h >> 20) % 6)),
            ("ARRIVED", "", office, transit * day),
        ]
        final_after = transit * day + dt.timedelta(hours=4 + (h >> 24) % 5)
        if status == "RETURNED":
            steps.append(("DELIVERY_ATTEMPT", "addressee_absent", office, final_after))
            final_after += 10 * day
        elif status == "UNDELIVERABLE":
            final_after = transit * day + dt.timedelta(hours=2)
        steps.append((status, reason, office, final_after))
        return [
            {
                "id": f"{barcode}-{n}",
                "code": code,
                "reason": why,
                "place": where,
                "at": (accepted_at + after).isoformat(),
            }
            for n, (code, why, where, after) in enumerate(steps, start=1)
        ]

    def visible_events(self, item: dict[str, Any], barcode: str, now: dt.datetime) -> list[dict[str, Any]]:
        accepted = dt.datetime.fromisoformat(item["accepted_at"])
        return [
            e
            for e in self.timeline(barcode, accepted, item["postal_index"])
            if dt.datetime.fromisoformat(e["at"]) <= now
        ]

    # --- batches --------------------------------------------------------------------------------

    def accept_batch(self, body: dict[str, Any], package: bytes) -> tuple[int, dict[str, Any]]:
        manifest, signature = body.get("manifest"), body.get("signature", "")
        if not isinstance(manifest, dict) or not manifests.verify(manifest, str(signature), self.public_key):
            return 400, {"error": "bad_signature"}
        if hashlib.sha256(package).hexdigest() != manifest.get("package_sha256"):
            return 400, {"error": "package_digest_mismatch"}
        files = zipfile.ZipFile(io.BytesIO(package))
        names = set(files.namelist())
        now = self.clock()
        acks = []
        with self.state() as state:
            for item in manifest.get("items", []):
                barcode, index = str(item.get("barcode", "")), str(item.get("postal_index", ""))
                if item.get("file") not in names:
                    acks.append({"barcode": barcode, "status": "rejected", "reason": "file_missing"})
                elif not re.fullmatch(r"\d{6}", index) or index.startswith("00"):
                    acks.append({"barcode": barcode, "status": "rejected", "reason": "postal_index_unknown"})
                elif barcode in state["items"]:
                    acks.append({"barcode": barcode, "status": "accepted", "reason": ""})  # a retry
                else:
                    state["items"][barcode] = {"accepted_at": now.isoformat(), "postal_index": index}
                    acks.append({"barcode": barcode, "status": "accepted", "reason": ""})
        return 200, {"batch": manifest.get("batch"), "items": acks}

    def register(self, barcode: str, postal_index: str, at: dt.datetime) -> None:
        """A registered letter handed over the counter (the post office scans its barcode)."""
        with self.state() as state:
            state["items"].setdefault(barcode, {"accepted_at": at.isoformat(), "postal_index": postal_index})

    # --- webhooks -------------------------------------------------------------------------------

    def due_webhook(self, now: dt.datetime | None = None) -> list[dict[str, Any]]:
        """The events that became visible since the last push, marked pushed."""
        now = now or self.clock()
        out: list[dict[str, Any]] = []
        with self.state() as state:
            for barcode, item in state["items"].items():
                seen = state["pushed"].get(barcode, 0)
                events = self.visible_events(item, barcode, now)
                out.extend({"barcode": barcode, **event} for event in events[seen:])
                state["pushed"][barcode] = len(events)
        return out

    @staticmethod
    def signed(body: bytes, secret: str, timestamp: int) -> str:
        mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
        return f"t={timestamp},v1={mac}"

    # --- HTTP -----------------------------------------------------------------------------------

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        status, body = self.answer(environ)
        if isinstance(body, bytes):
            start_response(f"{status} X", [("Content-Type", "application/json")])
            return [body]
        data = json.dumps(body).encode()
        start_response(f"{status} X", [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
        return [data]

    def answer(self, environ: Environ) -> tuple[int, dict[str, Any] | bytes]:
        if self.failure_rate and self.random.random() < self.failure_rate:
            failure = self.random.choice(("unavailable", "malformed", "slow"))
            if failure == "unavailable":
                return 503, {"error": "maintenance"}
            if failure == "malformed":
                return 200, b"<html>Gateway</html>"
            time.sleep(self.slow_seconds)
        method, path = environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")
        if method == "POST" and path == "/api/v2/batches":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            raw = environ["wsgi.input"].read(length)
            try:
                head_len = int.from_bytes(raw[:8], "big")
                body = json.loads(raw[8 : 8 + head_len])
                return self.accept_batch(body, raw[8 + head_len :])
            except (ValueError, zipfile.BadZipFile):
                return 400, {"error": "malformed"}
        found = re.fullmatch(r"/api/v2/([A-Z]{2}\d{9}[A-Z]{2})(/events)?", path)
        if method == "GET" and found:
            barcode = found.group(1)
            with self.state() as state:
                item = state["items"].get(barcode)
            if item is None:
                return 404, {"error": "not_found"}
            events = self.visible_events(item, barcode, self.clock())
            if found.group(2):
                return 200, {"barcode": barcode, "events": events}
            last = events[-1] if events else None
            return 200, {"barcode": barcode, "status": last["code"] if last else "REGISTERED"}
        return 404, {"error": "no_route"}


def answer_sftp_drop(simulator: Simulator, root: Path) -> int:
    """The operator's side of the SFTP hand-over: every complete batch in `root/inbox` (its manifest is
    written last) without an answer gets its per-item acknowledgement in `root/outbox`. Returns how many
    batches were answered."""
    inbox, outbox = root / "inbox", root / "outbox"
    outbox.mkdir(parents=True, exist_ok=True)
    answered = 0
    for head in sorted(inbox.glob("*.manifest.json")):
        number = head.name.removesuffix(".manifest.json")
        ack = outbox / f"{number}.ack.json"
        package = inbox / f"{number}.zip"
        if ack.exists() or not package.exists():
            continue
        status, body = simulator.accept_batch(json.loads(head.read_bytes()), package.read_bytes())
        if status != 200:
            body = {"batch": number, "error": body.get("error", "refused"), "items": []}
        partial = ack.with_suffix(".part")
        partial.write_text(json.dumps(body), encoding="utf-8")
        partial.rename(ack)
        answered += 1
    return answered
