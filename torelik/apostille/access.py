"""Who may ask for an apostille on which document, and who sees which request.

A citizen sees and asks only about the documents of the cases in which their own person is a party
(an act in force, its writ); anyone else is told the document does not exist. A request is seen by its
applicant and by whoever made it (the PSC operator); the court office (clerks and the chairman of the
court that made the act) decides on its court's requests."""

import uuid

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from torelik.acts.models import Act
from torelik.apostille.errors import ApostilleErrorCode, ApostilleForbiddenError, ApostilleNotFoundError
from torelik.apostille.models import ApostilleRequest
from torelik.cases.models import Party
from torelik.courts.models import StaffRole
from torelik.courts.queries import positions_of
from torelik.identity.models import Person, User

OFFICE_ROLES = frozenset({StaffRole.CLERK, StaffRole.CHAIRMAN})


def person_of(user: User | None) -> Person | None:
    if user is None or not user.is_authenticated or user.person_id is None:
        return None
    return user.person


def office_court_ids(user: User | None) -> list[int]:
    """The courts whose apostille requests `user` decides on (clerk or chairman there today)."""
    return list(positions_of(user).filter(role__in=OFFICE_ROLES).values_list("court_id", flat=True).distinct())


def _document_not_found() -> ApostilleNotFoundError:
    return ApostilleNotFoundError(
        ApostilleErrorCode.DOCUMENT_NOT_FOUND, _("There is no such court document that you may ask about.")
    )


def acts_of_person(person: Person | None) -> QuerySet[Act]:
    """Signed acts of the cases in which `person` is a party (in force or not: the action says why not)."""
    if person is None:
        return Act.objects.none()
    return (
        Act.objects.filter(case_id__in=Party.objects.filter(person=person).values("case_id"), signed_file__isnull=False)
        .select_related("case__court__region", "writ__file", "signed_file")
        .order_by("-in_force_on", "-signed_at")
    )


def access_act_for(person: Person | None, act_id: uuid.UUID | str) -> Act:
    """A signed act of one of `person`'s own cases; ApostilleNotFoundError (404, nothing told) otherwise."""
    try:
        key = uuid.UUID(str(act_id))
    except ValueError:
        raise _document_not_found() from None
    act = acts_of_person(person).filter(public_id=key).first()
    if act is None:
        raise _document_not_found()
    return act


def requests_visible_to(user: User | None) -> QuerySet[ApostilleRequest]:
    if user is None or not user.is_authenticated:
        return ApostilleRequest.objects.none()
    condition = Q(requested_by=user)
    if user.person_id is not None:
        condition |= Q(applicant_id=user.person_id)
    return ApostilleRequest.objects.filter(condition)


def _request_not_found() -> ApostilleNotFoundError:
    return ApostilleNotFoundError(
        ApostilleErrorCode.NOT_FOUND, _("There is no such apostille request that you may see.")
    )


def _by_public_id(queryset: QuerySet[ApostilleRequest], public_id: uuid.UUID | str) -> ApostilleRequest:
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        raise _request_not_found() from None
    found = queryset.select_related("act__case__court__region", "court", "applicant", "pdf").filter(public_id=key)
    request = found.first()
    if request is None:
        raise _request_not_found()
    return request


def access_request_for(user: User | None, public_id: uuid.UUID | str) -> ApostilleRequest:
    return _by_public_id(requests_visible_to(user), public_id)


def access_request_for_office(user: User | None, public_id: uuid.UUID | str) -> ApostilleRequest:
    courts = office_court_ids(user)
    if not courts:
        raise ApostilleForbiddenError(
            ApostilleErrorCode.NOT_THE_OFFICE, _("Only the court office decides on apostille requests.")
        )
    return _by_public_id(ApostilleRequest.objects.filter(court_id__in=courts), public_id)
