"""Pages of the distribution: the public protocol of a case, and the monitoring of a court."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from torelik.cases.access import staff_court_ids
from torelik.cases.models import Case
from torelik.core.charts import bar_chart
from torelik.core.replicas import reads_from_replica
from torelik.courts.models import Court, CourtKind, StaffRole
from torelik.courts.queries import positions_of
from torelik.distribution import queries
from torelik.distribution.verification import verify_draw
from torelik.identity.models import User

MONITORING_ROLES = {StaffRole.CHAIRMAN}


def protocol(request: HttpRequest, number: str) -> HttpResponse:
    """Public: every draw of the case, with its inputs, chances, beacon, seed and result, re-checked."""
    case = Case.objects.filter(number=number).select_related("court", "category").first()
    draws = list(queries.draws_of(case)) if case is not None else []
    if case is None or not draws:
        raise Http404(number)
    names = {row["judge"]: row["name"] for draw in draws for row in draw.snapshot["judges"]}
    rows = [
        {
            "draw": draw,
            "verdict": verify_draw(draw),
            "judges": [{**row, "chance": draw.probabilities.get(row["judge"])} for row in draw.snapshot["judges"]],
            "picks": [names.get(pick, pick) for pick in draw.picks],
            "log": queries.commitment_in_log(draw),
        }
        for draw in draws
    ]
    return render(request, "distribution/protocol.html", {"case": case, "rows": rows})


def _may_monitor(user: User, court: Court) -> bool:
    if user.is_superuser:
        return True
    positions = positions_of(user).filter(role__in=MONITORING_ROLES).select_related("court")
    for position in positions:
        if position.court_id == court.pk or position.court.kind == CourtKind.SUPREME:
            return True
        if position.court.kind == CourtKind.REGIONAL and position.court.region_id == court.region_id:
            return True
    return False


@reads_from_replica
def monitoring(request: HttpRequest, code: str) -> HttpResponse:
    """For the chairman (and the regional and Supreme courts): load, received against expected, streaks."""
    court = get_object_or_404(Court, code=code)
    user = request.user
    if not isinstance(user, User) or not _may_monitor(user, court):
        if isinstance(user, User) and user.is_authenticated and staff_court_ids(user):
            raise PermissionDenied
        raise Http404(code)
    figures = queries.monitoring(court)
    chart = bar_chart([(row.judge.person.short_name, float(row.received), row.expected) for row in figures.judges])
    cv_percent = figures.load_cv * 100 if figures.load_cv is not None else None
    return render(
        request,
        "distribution/monitoring.html",
        {
            "court": court,
            "figures": figures,
            "chart": chart,
            "cv_percent": cv_percent,
            "z_flag": queries.Z_FLAG,
            "backdated": queries.backdated_absences_with_draws(court),
        },
    )
