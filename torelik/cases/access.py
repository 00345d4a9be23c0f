"""Who may see which case, written once, and asked by every door of a case (its file, documents, journal,
terms, in the API and on pages). Staff see the cases of their court (a chairman or an analyst, the
oversight roles, also those of the courts below); the staff of a higher court see a case that is before
them on appeal or cassation (a case of theirs is its APPEAL_OF); a party sees the cases it takes part in;
nobody else sees anything, and is told the case does not exist. Every opening of a file by staff is
recorded (ADR 0036)."""

import uuid

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.cases.actions import REGISTRAR_ROLES, record_case_access
from torelik.cases.errors import CaseErrorCode, CaseNotFoundError
from torelik.cases.models import AccessKind, Case, CaseAccess, CaseLink, CaseLinkKind, Document, Party
from torelik.courts.models import Court, StaffRole
from torelik.courts.queries import positions_of
from torelik.identity.models import User

CASE_READING_ROLES = frozenset(
    {StaffRole.JUDGE, StaffRole.CHAIRMAN, StaffRole.CLERK, StaffRole.SECRETARY, StaffRole.ANALYST}
)
SUPERVISING_ROLES = frozenset({StaffRole.CHAIRMAN, StaffRole.ANALYST})


def staff_court_ids(user: User | None) -> set[int]:
    """Courts whose case files this user reads through a staff position."""
    if user is None or not user.is_authenticated:
        return set()
    positions = list(positions_of(user).filter(role__in=CASE_READING_ROLES).values_list("court_id", "role"))
    courts = {court_id for court_id, _role in positions}
    supervised = {court_id for court_id, role in positions if role in SUPERVISING_ROLES}
    if supervised:
        # The court hierarchy is three levels deep (Supreme, regional, district/specialised).
        below = Court.objects.filter(Q(parent_id__in=supervised) | Q(parent__parent_id__in=supervised))
        courts |= set(below.values_list("pk", flat=True))
    return courts


def cases_visible_to(user: User | None) -> QuerySet[Case]:
    if user is None or not user.is_authenticated:
        return Case.objects.none()
    as_party = (
        Exists(Party.objects.filter(case=OuterRef("pk"), person_id=user.person_id))
        if user.person_id is not None
        else Q(pk__in=[])
    )
    courts = staff_court_ids(user)
    on_appeal = Exists(
        CaseLink.objects.filter(to_case=OuterRef("pk"), kind=CaseLinkKind.APPEAL_OF, from_case__court_id__in=courts)
    )
    return Case.objects.filter(Q(court_id__in=courts) | on_appeal | as_party)


def reads_as_staff(user: User, case: Case) -> bool:
    """Whether `user` reads `case` through a staff position: its court's (or a supervised court's) staff,
    or the staff of a higher court before which the case is on appeal or cassation."""
    courts = staff_court_ids(user)
    if case.court_id in courts:
        return True
    return (
        bool(courts)
        and CaseLink.objects.filter(to_case=case, kind=CaseLinkKind.APPEAL_OF, from_case__court_id__in=courts).exists()
    )


def _not_found(number: str) -> CaseNotFoundError:
    return CaseNotFoundError(
        CaseErrorCode.CASE_NOT_FOUND, _("There is no case %(number)s that you may see."), params={"number": number}
    )


def access_case_for(
    user: User | None, number: str, *, kind: AccessKind = AccessKind.CASE_OPENED, ip_address: str | None = None
) -> Case:
    """The case if `user` may see it (recording a staff reading), CaseNotFoundError otherwise."""
    case = Case.objects.select_related("court", "category", "judge__person").filter(number=number).first()
    if case is None or user is None or not user.is_authenticated:
        raise _not_found(number)
    if reads_as_staff(user, case):
        record_case_access(case=case, user=user, kind=kind, ip_address=ip_address)
        return case
    if user.person_id is not None and Party.objects.filter(case=case, person_id=user.person_id).exists():
        return case
    raise _not_found(number)


def access_document_for(user: User | None, number: str, document_id: str, *, ip_address: str | None = None) -> Document:
    """A document of a case the user may see; staff readings are recorded with the document."""
    case = Case.objects.filter(number=number).first()
    if case is None or user is None or not user.is_authenticated:
        raise _not_found(number)
    document = (
        Document.objects.select_related("file", "document_type").filter(case=case, public_id=document_id).first()
        if _is_uuid(document_id)
        else None
    )
    is_staff_reader = reads_as_staff(user, case)
    is_party = user.person_id is not None and Party.objects.filter(case=case, person_id=user.person_id).exists()
    if not (is_staff_reader or is_party):
        raise _not_found(number)
    if document is None:
        raise CaseNotFoundError(CaseErrorCode.DOCUMENT_NOT_FOUND, _("This case has no such document."))
    if is_staff_reader:
        record_case_access(
            case=case, user=user, kind=AccessKind.DOCUMENT_READ, document=document, ip_address=ip_address
        )
    return document


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def roles_in(user: User | None, court_id: int) -> frozenset[str]:
    """The roles `user` holds today in the court."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return frozenset(positions_of(user).filter(court_id=court_id).values_list("role", flat=True))


def registering_courts(user: User | None) -> QuerySet[Court]:
    """Courts whose office this user registers paper filings for."""
    if user is None or not user.is_authenticated:
        return Court.objects.none()
    return Court.objects.filter(pk__in=positions_of(user).filter(role__in=REGISTRAR_ROLES).values("court_id")).order_by(
        "code"
    )


def reads_access_log(user: User | None) -> bool:
    """Whether the user supervises a court (chairman, analyst) and so reads its access log."""
    if user is None or not user.is_authenticated:
        return False
    return positions_of(user).filter(role__in=SUPERVISING_ROLES).exists()


def access_log_visible_to(user: User | None) -> QuerySet[CaseAccess]:
    """The access log of the courts a chairman (or analyst) supervises."""
    if user is None or not user.is_authenticated:
        return CaseAccess.objects.none()
    supervised = set(positions_of(user).filter(role__in=SUPERVISING_ROLES).values_list("court_id", flat=True))
    if not supervised:
        return CaseAccess.objects.none()
    courts = Court.objects.filter(
        Q(pk__in=supervised) | Q(parent_id__in=supervised) | Q(parent__parent_id__in=supervised)
    )
    return CaseAccess.objects.filter(case__court__in=courts).select_related("case", "user", "document")
