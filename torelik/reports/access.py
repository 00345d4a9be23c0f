"""Who sees which statistics, written once. Everyone sees the open figures of the country, a region
and a court (no judge). Staff see the dashboards of the places they control, by the rule of the
deadline dashboards (`deadlines.access.scope_of`): the Supreme Court's staff the country, a regional
court's the region, a court's staff (a chairman or analyst also the courts below) their courts, down
to each judge of those courts; a judge their own figures."""

from django.utils.translation import gettext_lazy as _

from torelik.courts.models import Court, Judge, Region
from torelik.deadlines.access import Scope, scope_of
from torelik.identity.models import User
from torelik.reports.errors import PlaceNotFoundError, ReportsErrorCode


def _not_found() -> PlaceNotFoundError:
    return PlaceNotFoundError(
        ReportsErrorCode.NOT_FOUND, _("There are no statistics of this place that your account may see.")
    )


def public_region(code: str) -> Region:
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise _not_found()
    return region


def public_court(code: str) -> Court:
    court = Court.objects.select_related("region").filter(code=code).first()
    if court is None:
        raise _not_found()
    return court


def forbidden() -> PlaceNotFoundError:
    return PlaceNotFoundError(ReportsErrorCode.FORBIDDEN, _("The staff statistics are for the staff of a court."))


def staff_scope(user: User | None) -> Scope:
    scope = scope_of(user)
    if not scope.any:
        raise forbidden()
    return scope


def may_see_country(user: User | None) -> bool:
    return scope_of(user).national


def staff_region(user: User | None, code: str) -> Region:
    scope = staff_scope(user)
    region = public_region(code)
    if not (scope.national or region.pk in scope.region_ids):
        raise _not_found()
    return region


def staff_court(user: User | None, code: str) -> Court:
    scope = staff_scope(user)
    court = public_court(code)
    if not (
        scope.national or court.pk in scope.court_ids or (scope.judge is not None and scope.judge.court_id == court.pk)
    ):
        raise _not_found()
    return court


def staff_judge(user: User | None, court: Court, judge_id: int) -> Judge:
    scope = staff_scope(user)
    judge = Judge.objects.select_related("person", "court").filter(pk=judge_id, court=court).first()
    if judge is None:
        raise _not_found()
    own = scope.judge is not None and scope.judge.pk == judge.pk
    if not (own or scope.national or court.pk in scope.court_ids):
        raise _not_found()
    return judge
