"""`/metrics`: Prometheus's text format for a scraper with the token or from an allowed address (ADR 0080)."""

import hmac
import ipaddress
import os

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

from torelik.operations.metrics import DatabaseCollector

_database = CollectorRegistry(auto_describe=False)
_database.register(DatabaseCollector())


def may_scrape(request: HttpRequest) -> bool:
    token = settings.TORELIK_METRICS_TOKEN
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in ipaddress.ip_network(item, strict=False) for item in settings.TORELIK_METRICS_ADDRESSES)


def _process_counters() -> bytes:
    """This process's counters, or every process's summed when they share PROMETHEUS_MULTIPROC_DIR."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    if not may_scrape(request):
        return HttpResponse(
            _("The metrics are open only to the monitoring system."),
            status=403,
            content_type="text/plain; charset=utf-8",
        )
    return HttpResponse(_process_counters() + generate_latest(_database), content_type=CONTENT_TYPE_LATEST)
