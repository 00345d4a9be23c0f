"""The public home page and the staff workspace entry."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.views import csrf

from torelik.courts.models import Court, CourtKind, StaffPosition
from torelik.deadlines import queries as deadline_queries
from torelik.identity.models import User
from torelik.operations.access import NATIONAL_PERMISSION


def favicon(request: HttpRequest) -> HttpResponse:
    """`/favicon.ico`, which browsers ask for on every site whatever the page says: the court's mark."""
    return redirect(static("torelik/favicon.svg"), permanent=True)


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "home.html",
        {
            "court_count": Court.objects.filter(is_active=True).count(),
            "regional_count": Court.objects.filter(is_active=True, kind=CourtKind.REGIONAL).count(),
        },
    )


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    user = request.user
    positions = (
        StaffPosition.objects.filter(user=user).select_related("court").order_by("court__code")
        if isinstance(user, User)
        else StaffPosition.objects.none()
    )
    if not positions and not user.has_perm(NATIONAL_PERMISSION):
        # A citizen, a company or a lawyer works in the Judicial Office, not in a court's workspace.
        return redirect("filing:office")
    warnings = deadline_queries.warnings_for(user).count() if isinstance(user, User) else 0
    return render(request, "workspace.html", {"positions": positions, "term_warnings": warnings})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A refused CSRF check: the API's JSON error under /api/, Django's page elsewhere."""
    if request.path.startswith("/api/"):
        message = _("The request has no valid CSRF token: reload the page and try again.")
        return JsonResponse({"code": "csrf_failed", "message": message, "fields": {}}, status=403)
    return csrf.csrf_failure(request, reason=reason)
