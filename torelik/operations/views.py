"""`/metrics`: Prometheus's text format for a scraper with the token or from an allowed address (ADR 0080)."""

import csv
import datetime as dt
import hmac
import io
import ipaddress
import os

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector

from torelik.identity.models import User
from torelik.operations.access import AuditScope, audit_scope
from torelik.operations.actions import record_audit_export
from torelik.operations.forms import AuditFilterForm
from torelik.operations.metrics import DatabaseCollector
from torelik.operations.queries import AUDIT_EXPORT_LIMIT, AUDIT_PAGE, audit_rows

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


# The audit review (ADR 0083)


def _reviewer(request: HttpRequest) -> tuple[User | None, AuditScope | None]:
    user = request.user if isinstance(request.user, User) else None
    return user, audit_scope(user)


@login_required
@require_GET
def audit(request: HttpRequest) -> HttpResponse:
    user, scope = _reviewer(request)
    if scope is None:
        message = _("Only a court chairman or the Supreme Court's security officer reviews the audit.")
        return render(request, "cases/forbidden.html", {"message": message}, status=403)
    form = AuditFilterForm(request.GET)
    if not form.is_valid():
        return render(request, "operations/audit.html", {"form": form, "rows": [], "scope": scope}, status=400)
    rows = audit_rows(scope, form.audit_filter(), limit=AUDIT_PAGE + 1)
    following = ""
    if len(rows) > AUDIT_PAGE:
        rows = rows[:AUDIT_PAGE]
        query = request.GET.copy()
        query["after"] = rows[-1].cursor
        following = query.urlencode()
    export = request.GET.copy()
    export.pop("after", None)
    context = {"form": form, "rows": rows, "scope": scope, "following": following, "export": export.urlencode()}
    return render(request, "operations/audit.html", context)


def _cell(value: str) -> str:
    """A cell a spreadsheet will not run as a formula (a document's title is written by a party)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


@login_required
@require_GET
def audit_export(request: HttpRequest) -> HttpResponse:
    user, scope = _reviewer(request)
    if user is None or scope is None:
        message = _("Only a court chairman or the Supreme Court's security officer reviews the audit.")
        return render(request, "cases/forbidden.html", {"message": message}, status=403)
    query = request.GET.copy()
    query.pop("after", None)
    form = AuditFilterForm(query)
    if not form.is_valid():
        return render(request, "operations/audit.html", {"form": form, "rows": [], "scope": scope}, status=400)
    rows = audit_rows(scope, form.audit_filter(), limit=AUDIT_EXPORT_LIMIT)
    record_audit_export(user=user, filters=form.as_record(), rows=len(rows))
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        [_("Moment (UTC)"), _("Source"), _("Login"), _("Person"), _("Court"), _("Case number"), _("What"),
         _("Details"), _("IP address")]
    )  # fmt: skip
    sources = {
        "access": _("access to a case file"),
        "action": _("action in a case"),
        "resend": _("message resent"),
        "administration": _("administration"),
    }
    for row in rows:
        writer.writerow(
            _cell(value)
            for value in [row.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"), sources[row.source], row.username,
                          row.person, row.court_code, row.case_number, row.what, row.detail, row.ip_address]
        )  # fmt: skip
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit.csv"'
    return response
