"""`/healthz` (the process answers) and `/readyz` (the database and the file store answer; the workers
were seen within a minute)."""

import logging
import time

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from torelik.archive.queries import check_file_store
from torelik.core.rows import answer_one
from torelik.workers.queries import workers_seen

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def _check_database() -> str | None:
    try:
        answer_one()
    except DatabaseError as error:
        logger.warning("readyz: database unreachable: %s", error)
        return str(error)
    return None


def _check_file_store() -> str | None:
    try:
        check_file_store()
    except Exception as error:  # noqa: BLE001 - any failure of the store means "not ready"
        logger.warning("readyz: file store unreachable: %s", error)
        return str(error)
    return None


def _check_workers() -> dict[str, object]:
    """Reported, not required: a web process serves without workers, but nothing in the background
    happens (draws, SMS, the schedule). A worker that died without stopping is named for an hour."""
    try:
        seen = workers_seen()
    except DatabaseError as error:
        return {"status": "error", "error": str(error)}
    check: dict[str, object] = {"status": "ok" if seen.healthy else "error", "alive": len(seen.alive)}
    if seen.silent:
        check["not_seen"] = [
            {"worker": w.pk, "seen_at": w.seen_at.isoformat(), "host": w.hostname, "pid": w.pid} for w in seen.silent
        ]
    if not seen.alive:
        check["error"] = "no worker has been seen within a minute"
    return check


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, object]] = {}
    for name, check in (("database", _check_database), ("file_store", _check_file_store)):
        started = time.perf_counter()
        error = check()
        checks[name] = {
            "status": "ok" if error is None else "error",
            "ms": round((time.perf_counter() - started) * 1000, 1),
            **({"error": error} if error else {}),
        }
    ready = all(c["status"] == "ok" for c in checks.values())
    if ready:
        checks["workers"] = _check_workers()
    status = "unavailable" if not ready else "ok" if checks["workers"]["status"] == "ok" else "degraded"
    return JsonResponse({"status": status, "checks": checks}, status=200 if ready else 503)
