"""Who keeps which court's personnel records, written once: a court's personnel officer keeps their
own court's; the Supreme Court's personnel department (a personnel officer of the Supreme Court) and
the superuser keep every court's. Views and the API ask here."""

from django.db.models import QuerySet

from torelik.courts.models import Court, CourtKind, StaffRole
from torelik.courts.queries import positions_of
from torelik.identity.models import Person, User
from torelik.personnel.actions import current_court
from torelik.personnel.errors import PersonnelError

OFFICER_ROLES = frozenset({StaffRole.PERSONNEL_OFFICER})


def _user(user: object) -> User | None:
    return user if isinstance(user, User) and user.is_authenticated else None


def officer_courts(user: object) -> QuerySet[Court] | None:
    """The courts whose records `user` keeps: None means every court, an empty queryset none."""
    found = _user(user)
    if found is None:
        return Court.objects.none()
    if found.is_superuser:
        return None
    positions = positions_of(found).filter(role__in=OFFICER_ROLES)
    if positions.filter(court__kind=CourtKind.SUPREME).exists():
        return None
    return Court.objects.filter(pk__in=positions.values("court_id"))


def is_officer(user: object) -> bool:
    courts = officer_courts(user)
    return courts is None or courts.exists()


def keeps_records_of(user: object, court: Court) -> bool:
    courts = officer_courts(user)
    return courts is None or courts.filter(pk=court.pk).exists()


def keeps_records_of_person(user: object, person: Person) -> bool:
    """Whether `user` keeps the records of the court `person` works in; anybody's who works in none yet
    (any officer may appoint them)."""
    try:
        court = current_court(person)
    except PersonnelError:
        return is_officer(user)
    return keeps_records_of(user, court)


def court_ids_for(user: object) -> list[int] | None:
    """The ids of `officer_courts` (None: every court), for filtering reports."""
    courts = officer_courts(user)
    return None if courts is None else list(courts.values_list("pk", flat=True))
