"""`/healthz` (the process answers) and `/readyz` (the database and the file store answer)."""

import logging
import time

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from torelik.archive.queries import check_file_store
from torelik.core.rows import answer_one

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


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    checks = {}
    for name, check in (("database", _check_database), ("file_store", _check_file_store)):
        started = time.perf_counter()
        error = check()
        checks[name] = {
            "status": "ok" if error is None else "error",
            "ms": round((time.perf_counter() - started) * 1000, 1),
            **({"error": error} if error else {}),
        }
    ready = all(c["status"] == "ok" for c in checks.values())
    return JsonResponse({"status": "ok" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)
