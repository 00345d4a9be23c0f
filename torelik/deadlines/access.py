"""Who sees which terms, written once. A judge sees their own terms; the staff of a court see its
dashboard (a chairman or analyst also the courts below it, as in the case file); the staff of a
regional court see the courts of its region; the staff of the Supreme Court see the whole country.
A party sees the terms of its own cases (through the case file's access rule)."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.cases.access import CASE_READING_ROLES, access_case_for, staff_court_ids
from torelik.cases.models import AccessKind, Case
from torelik.courts.models import Court, CourtKind, Judge, Region, StaffPosition
from torelik.courts.queries import positions_of
from torelik.deadlines.errors import DashboardForbiddenError, DeadlinesErrorCode, TermNotFoundError
from torelik.deadlines.models import Term
from torelik.identity.models import User


@dataclass(frozen=True)
class Scope:
    """What a user controls: their judge seat, the courts they see, the regions and the country."""

    judge: Judge | None
    court_ids: frozenset[int]
    region_ids: frozenset[int]
    national: bool

    @property
    def any(self) -> bool:
        return self.judge is not None or bool(self.court_ids) or self.national


def _positions(user: User) -> QuerySet[StaffPosition]:
    return positions_of(user).filter(role__in=CASE_READING_ROLES).select_related("court")


def scope_of(user: User | None) -> Scope:
    if user is None or not user.is_authenticated:
        return Scope(judge=None, court_ids=frozenset(), region_ids=frozenset(), national=False)
    positions = list(_positions(user))
    national = any(p.court.kind == CourtKind.SUPREME for p in positions)
    region_ids = frozenset(
        p.court.region_id for p in positions if p.court.kind == CourtKind.REGIONAL and p.court.region_id is not None
    )
    court_ids = set(staff_court_ids(user))
    if region_ids:
        court_ids |= set(Court.objects.filter(region_id__in=region_ids).values_list("pk", flat=True))
    judge = (
        Judge.objects.select_related("court", "person").filter(person_id=user.person_id, is_active=True).first()
        if user.person_id is not None
        else None
    )
    return Scope(judge=judge, court_ids=frozenset(court_ids), region_ids=region_ids, national=national)


def _forbidden() -> DashboardForbiddenError:
    return DashboardForbiddenError(
        DeadlinesErrorCode.NOT_CONTROLLER, _("Your account does not control the terms of this court or region.")
    )


def judge_for(user: User | None) -> Judge:
    judge = scope_of(user).judge
    if judge is None:
        raise DashboardForbiddenError(DeadlinesErrorCode.NOT_JUDGE, _("Only a judge has a list of their own terms."))
    return judge


def court_for(user: User | None, code: str) -> Court:
    """A court whose dashboard the user sees."""
    scope = scope_of(user)
    court = Court.objects.select_related("region").filter(code=code).first()
    if court is None or not (scope.national or court.pk in scope.court_ids):
        raise _forbidden()
    return court


def region_for(user: User | None, code: str) -> Region:
    scope = scope_of(user)
    region = Region.objects.filter(code=code).first()
    if region is None or not (scope.national or region.pk in scope.region_ids):
        raise _forbidden()
    return region


def require_national(user: User | None) -> None:
    if not scope_of(user).national:
        raise _forbidden()


def terms_visible_to(user: User | None) -> QuerySet[Term]:
    """Every term of the courts the user controls (dashboards' drill-down lists)."""
    scope = scope_of(user)
    if scope.national:
        return Term.objects.all()
    condition = Q(court_id__in=scope.court_ids)
    if scope.judge is not None:
        condition |= Q(judge=scope.judge)
    return Term.objects.filter(condition) if scope.any else Term.objects.none()


def case_for(user: User | None, number: str, *, ip_address: str | None = None) -> Case:
    """A case whose terms the user may see: the case file's own rule, no wider (its terms are part of the
    file; a regional or Supreme Court user sees the counts of the dashboards, and a case's terms when the
    case is before their court). The reading is recorded as the file's (ADR 0036)."""
    return access_case_for(user, number, kind=AccessKind.TERMS_READ, ip_address=ip_address)


def term_for(user: User | None, term_id: int) -> Term:
    term = terms_visible_to(user).select_related("case__court", "rule").filter(pk=term_id).first()
    if term is None:
        raise TermNotFoundError(DeadlinesErrorCode.TERM_NOT_FOUND, _("There is no term that you may see."))
    return term
