"""What the processes say about themselves: the request id of the work under way (a request, or the task
it enqueued), JSON log lines that carry it, and the counters every context increments (Prometheus,
`prometheus_client`; ADR 0080). The gauges read from the database at each scrape are in
`torelik.operations.metrics`."""

import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Histogram

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("torelik_request_id", default="")
_ACCEPTED_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def new_request_id(offered: str = "") -> str:
    """The id of a request: the one the proxy offered (`X-Request-ID`, nginx's `$request_id`) when it is a
    plain token, or a new one."""
    return offered if _ACCEPTED_ID.match(offered or "") else uuid.uuid4().hex


def current_request_id() -> str:
    return _request_id.get()


@contextmanager
def request_id_set(value: str) -> Iterator[None]:
    """Work within the block carries `value` as its request id (in its log lines and the tasks it enqueues)."""
    token = _request_id.set(value)
    try:
        yield
    finally:
        _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Puts the current request id on every record as `request_id` (empty outside a request or task)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _request_id.get()
        return True


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, request id, the exception's
    traceback, and any `extra=` fields of the call."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or _request_id.get(),
            "process": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                line[key] = value if isinstance(value, str | int | float | bool | None) else repr(value)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


# --- counters (per process; summed over processes in multiprocess mode: PROMETHEUS_MULTIPROC_DIR) ----------

REQUESTS = Counter(
    "torelik_http_requests",
    "HTTP requests answered, by route (the URL pattern, never the address itself), method and status.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "torelik_http_request_duration_seconds",
    "Time to answer an HTTP request, by route.",
    ["route"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
SIGNATURES_REFUSED = Counter(
    "torelik_signature_verifications_refused",
    "Digital signatures refused by identity.eds, by reason (SignatureRefusal) and purpose.",
    ["reason", "purpose"],
)
MESSAGES_HANDED = Counter(
    "torelik_messages_handed_over",
    "Hand-overs of outbox messages to a gateway, by channel and outcome (sent, retry, failed).",
    ["channel", "outcome"],
)
TASKS_RUN = Counter(
    "torelik_tasks_run",
    "Background tasks run by this process, by task and outcome (succeeded, retry, failed).",
    ["task", "outcome"],
)
