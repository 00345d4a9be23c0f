"""The menu of each page, made for whoever is looking: a visitor, a citizen (the Judicial Office and
their cases), a court's staff (the workspace, the docket, their role's dashboards), a facility's contact."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torelik.access.access import SECURITY, posts_of
from torelik.cases.access import staff_court_ids
from torelik.hearings.models import Facility
from torelik.identity.models import User


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url: str


def menu(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    items = [MenuItem(_("Home"), reverse("home")), MenuItem(_("Courts"), reverse("courts:directory"))]
    if not isinstance(user, User) or not user.is_authenticated:
        items.append(MenuItem(_("Judicial Office"), reverse("filing:office")))
        items.append(MenuItem(_("Practice library"), reverse("portal:library")))
        return {"menu_items": items, "menu_anonymous": True}
    duties = set(posts_of(user).values_list("duty", flat=True))
    if duties:  # the court's entrance officers and security
        items.append(MenuItem(_("Entrance desk"), reverse("access:entrance")))
        if duties & SECURITY:
            items.append(MenuItem(_("Building security"), reverse("access:security")))
    if staff_court_ids(user) or user.positions.exists():
        items += [
            MenuItem(_("Workspace"), reverse("workspace")),
            MenuItem(_("Cases"), reverse("cases:docket")),
            MenuItem(_("Hearings"), reverse("hearings:calendar")),
            MenuItem(_("Internal portal"), reverse("portal:home")),
        ]
    elif not duties:
        items += [
            MenuItem(_("Judicial Office"), reverse("filing:office")),
            MenuItem(_("My cases"), reverse("filing:my_cases")),
            MenuItem(_("My hearings"), reverse("hearings:calendar")),
        ]
    if Facility.objects.filter(contact_account=user).exists():
        items.append(MenuItem(_("Hearings by videoconference"), reverse("hearings:facility")))
    return {"menu_items": items, "menu_anonymous": False}
