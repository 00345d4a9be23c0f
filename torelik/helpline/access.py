"""Who works the helpline, written once: the call-centre operators register calls and look cases up;
a court's chairman answers what is routed to the court; the Supreme Court's chairman and analysts see
every overdue request and answer what goes to the Supreme Court's departments; reports of corruption
are read and answered only by the designated officers (the permission `handle_corruption_reports`),
never by the court complained about."""

from django.db.models import Q, QuerySet

from torelik.courts.models import CourtKind, StaffRole
from torelik.courts.queries import positions_of
from torelik.helpline.models import Call, Routing
from torelik.identity.models import User

ANSWERING_ROLES = frozenset({StaffRole.CHAIRMAN})
NATIONAL_ROLES = frozenset({StaffRole.CHAIRMAN, StaffRole.ANALYST})
CORRUPTION_PERMISSION = "helpline.handle_corruption_reports"


def _user(user: object) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def is_operator(user: object) -> bool:
    found = _user(user)
    return found is not None and positions_of(found).filter(role=StaffRole.CALL_CENTRE_OPERATOR).exists()


def is_national(user: object) -> bool:
    """A chairman or an analyst of the Supreme Court: the national view of the helpline."""
    found = _user(user)
    return (
        found is not None
        and positions_of(found).filter(role__in=NATIONAL_ROLES, court__kind=CourtKind.SUPREME).exists()
    )


def handles_corruption(user: object) -> bool:
    found = _user(user)
    return found is not None and found.has_perm(CORRUPTION_PERMISSION)


def answering_court_ids(user: object) -> set[int]:
    found = _user(user)
    if found is None:
        return set()
    return set(positions_of(found).filter(role__in=ANSWERING_ROLES).values_list("court_id", flat=True))


def answerable_by(user: object) -> QuerySet[Call]:
    """The routed requests `user` answers: its courts' (not corruption reports), the Supreme Court's
    departments' for the national roles, and corruption reports for the designated officers."""
    found = _user(user)
    if found is None:
        return Call.objects.none()
    rule = Q(routing=Routing.COURT, routed_to_id__in=answering_court_ids(found))
    if is_national(found):
        rule |= Q(routing=Routing.SUPREME)
    if handles_corruption(found):
        rule |= Q(routing=Routing.CORRUPTION)
    return Call.objects.filter(rule)


def visible_to(user: object) -> QuerySet[Call]:
    """The register as `user` may read it: operators and the national roles everything but corruption
    reports, a chairman the requests about their court, the designated officers corruption reports."""
    found = _user(user)
    if found is None:
        return Call.objects.none()
    rule = Q(pk__in=answerable_by(found).values("pk"))
    if is_operator(found) or is_national(found):
        rule |= ~Q(routing=Routing.CORRUPTION)
    courts = answering_court_ids(found)
    if courts:
        rule |= Q(court_id__in=courts) & ~Q(routing=Routing.CORRUPTION)
    return Call.objects.filter(rule)


def may_answer(user: object, call: Call) -> bool:
    return answerable_by(user).filter(pk=call.pk).exists()


def works_helpline(user: object) -> bool:
    return is_operator(user) or is_national(user) or bool(answering_court_ids(user)) or handles_corruption(user)
