"""Who may read and write what in the portal, written once.

- Court staff (anyone holding a staff position today) read the whole library — internal items too — and
  the announcements addressed to one of their courts and roles; anybody else reads the library's public
  items only (ADR 0107).
- The library is kept by the Supreme Court's editors: the permission `portal.edit_library` AND a staff
  position in the Supreme Court today. Drafts are theirs alone.
- A court's announcements are written by its chairman or by a holder of `portal.publish_announcements`
  with a position in that court; "every court" is the Supreme Court's scope only, "this court and the
  courts below it" that of a court that has courts below it."""

from django.db.models import Q, QuerySet

from torelik.courts.models import Court, CourtKind, StaffRole
from torelik.courts.queries import positions_of
from torelik.identity.models import User
from torelik.portal.models import Announcement, PracticeItem, Scope, Visibility


def is_staff_member(user: User | None) -> bool:
    return positions_of(user).exists()


def may_edit_library(user: User | None) -> bool:
    if user is None or not user.is_authenticated or not user.has_perm("portal.edit_library"):
        return False
    return positions_of(user).filter(court__kind=CourtKind.SUPREME).exists()


def library_for(user: User | None) -> QuerySet[PracticeItem]:
    """The library items `user` may read: editors everything, staff every published item, anybody else
    the published public ones. One query of the reader's positions answers both questions."""
    items = PracticeItem.objects.all()
    kinds = set(positions_of(user).values_list("court__kind", flat=True))
    if CourtKind.SUPREME in kinds and user is not None and user.has_perm("portal.edit_library"):
        return items
    items = items.filter(is_draft=False)
    if kinds:
        return items
    return items.filter(visibility=Visibility.PUBLIC)


def publishing_courts(user: User | None) -> list[Court]:
    """The courts whose announcements `user` writes."""
    if user is None or not user.is_authenticated:
        return []
    positions = positions_of(user)
    if not user.has_perm("portal.publish_announcements"):
        positions = positions.filter(role=StaffRole.CHAIRMAN)
    ids = set(positions.values_list("court_id", flat=True))
    return list(Court.objects.filter(pk__in=ids).order_by("code"))


def may_publish_for(user: User | None, court: Court) -> bool:
    return any(c.pk == court.pk for c in publishing_courts(user))


def scopes_of(court: Court) -> list[str]:
    """The audiences a court may address: its own staff; with courts below it, them too; the Supreme
    Court every court."""
    scopes = [Scope.COURT.value]
    if court.kind == CourtKind.SUPREME:
        scopes += [Scope.LOWER.value, Scope.ALL.value]
    elif Court.objects.filter(parent=court).exists():
        scopes.append(Scope.LOWER.value)
    return scopes


def announcements_for(user: User | None) -> QuerySet[Announcement]:
    """The published announcements addressed to `user`'s courts and roles."""
    positions = list(positions_of(user).select_related("court__parent"))
    if not positions:
        return Announcement.objects.none()
    audience = Q(pk__in=[])
    for position in positions:
        court = position.court
        ancestors = [pk for pk in (court.parent_id, court.parent.parent_id if court.parent else None) if pk]
        by_court = Q(court_id=court.pk) | Q(scope=Scope.LOWER, court_id__in=ancestors) | Q(scope=Scope.ALL)
        by_role = Q(roles="") | Q(roles__contains=f",{position.role},")
        audience |= by_court & by_role
    return Announcement.objects.filter(audience).exclude(published_at=None)


def announcement_for(user: User | None, public_id: str) -> Announcement | None:
    """An announcement `user` may read: addressed to them, or one of their publishing courts' (drafts too)."""
    courts = publishing_courts(user)
    found = Announcement.objects.filter(public_id=public_id)
    mine = found.filter(court__in=courts).first() if courts else None
    return mine or announcements_for(user).filter(public_id=public_id).first()
