"""Who reviews the audit (ADR 0083): a court chairman their own court's, the Supreme Court's security
officer (the permission `operations.review_audit_nationally`) every court's and the administration's."""

from dataclasses import dataclass

from torelik.courts.models import StaffRole
from torelik.courts.queries import positions_of
from torelik.identity.models import User

NATIONAL_PERMISSION = "operations.review_audit_nationally"


@dataclass(frozen=True)
class AuditScope:
    court_ids: frozenset[int] | None  # None: every court
    administration: bool  # the administration's journal (reference data changed in the admin)


def audit_scope(user: User | None) -> AuditScope | None:
    """What `user` may review, or None when nothing."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.has_perm(NATIONAL_PERMISSION):
        return AuditScope(court_ids=None, administration=True)
    courts = frozenset(positions_of(user).filter(role=StaffRole.CHAIRMAN).values_list("court_id", flat=True))
    if courts:
        return AuditScope(court_ids=courts, administration=False)
    return None
