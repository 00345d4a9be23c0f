"""Pages of the portal: the staff's home (announcements for my court and role, the latest library items),
the practice library (search with filters; staff see internal items, anybody else the public ones), an
item's page, the Supreme Court editors' item form, announcements (read, confirm, write), their files, and
the case page's panel "Practice on this category" (loaded by the case page, ADR 0047)."""

import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from torelik.archive.errors import ArchiveError
from torelik.archive.queries import open_stored_file
from torelik.cases.access import access_case_for
from torelik.cases.errors import CaseNotFoundError
from torelik.core.errors import DomainError
from torelik.identity.models import User
from torelik.portal import access, actions, queries
from torelik.portal.forms import AnnouncementForm, ItemForm, LibrarySearchForm
from torelik.portal.models import Announcement, PracticeItem, Scope


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def _refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "portal/refused.html", {"message": message}, status=status)


def _login(request: HttpRequest) -> HttpResponse:
    return redirect(f"{reverse('login')}?next={request.path}")


def _uuid(value: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError as error:
        raise Http404 from error


@never_cache
def home(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user is None:
        return _login(request)
    if not access.is_staff_member(user):
        return _refused(request, _("The internal portal is for court staff."))
    courts = access.publishing_courts(user)
    return render(
        request,
        "portal/home.html",
        {
            "announcements": queries.with_read_marks(access.announcements_for(user), user.pk),
            "drafts": queries.drafts_of([c.pk for c in courts]),
            "latest": queries.latest(access.library_for(user)),
            "may_publish": bool(courts),
            "may_edit": access.may_edit_library(user),
        },
    )


def library(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = LibrarySearchForm(request.GET or None)
    filters = queries.LibraryFilters()
    status = 200
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
            filters = queries.LibraryFilters(
                q=data["q"] or "",
                kind=data["kind"] or "",
                category=data["category"] or "",
                status=data["status"] or "",
                page=data["page"] or 1,
            )
        else:
            status = 400
    results = queries.search(access.library_for(user), filters)
    staff = access.is_staff_member(user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "portal/library.html",
        {
            "form": form,
            "results": results,
            "filters": filters,
            "staff": staff,
            "may_edit": access.may_edit_library(user),
            "query": query.urlencode(),
        },
        status=status,
    )


def item(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    found = queries.item_with_categories(access.library_for(user), _uuid(public_id))
    if found is None:
        raise Http404
    return render(
        request,
        "portal/item.html",
        {"item": found, "may_edit": access.may_edit_library(user), "staff": access.is_staff_member(user)},
    )


def _item_input(data: dict[str, object], *, draft: bool) -> actions.ItemInput:
    return actions.ItemInput(
        kind=str(data["kind"]),
        number=str(data["number"]),
        adopted_on=data["adopted_on"],  # type: ignore[arg-type]
        title_kk=str(data["title_kk"]),
        title_ru=str(data["title_ru"]),
        text_kk=str(data.get("text_kk") or ""),
        text_ru=str(data.get("text_ru") or ""),
        status=str(data["status"]),
        lost_force_on=data.get("lost_force_on"),  # type: ignore[arg-type]
        visibility=str(data["visibility"]),
        is_draft=draft,
        source=str(data.get("source") or ""),
        category_codes=list(data.get("categories") or []),  # type: ignore[call-overload]
    )


def _initial_of(found: PracticeItem) -> dict[str, object]:
    return {
        "kind": found.kind,
        "number": found.number,
        "adopted_on": found.adopted_on,
        "title_kk": found.title_kk,
        "title_ru": found.title_ru,
        "text_kk": found.text_kk,
        "text_ru": found.text_ru,
        "status": found.status,
        "lost_force_on": found.lost_force_on,
        "visibility": found.visibility,
        "source": found.source,
        "categories": [c.code for c in found.categories.all()],
    }


@never_cache
@require_http_methods(["GET", "POST"])
def edit_item(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    """Add or change a library item. A refused or invalid form comes back with everything typed."""
    user = _user(request)
    if user is None:
        return _login(request)
    if not access.may_edit_library(user):
        return _refused(request, _("Only the Supreme Court's editors keep the practice library."))
    found = None
    if public_id is not None:
        found = PracticeItem.objects.filter(public_id=_uuid(public_id)).first()
        if found is None:
            raise Http404
    if request.method == "POST":
        form = ItemForm(request.POST)
        if form.is_valid():
            try:
                saved = actions.save_practice_item(
                    actor=user,
                    data=_item_input(form.cleaned_data, draft=request.POST.get("action") == "draft"),
                    item=found,
                )
            except DomainError as error:
                for name, errors in error.fields.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
                messages.error(request, error.message)
            else:
                messages.success(
                    request, _("Kept as a draft.") if saved.is_draft else _("The item is saved in the library.")
                )
                return redirect("portal:item", public_id=saved.public_id)
        else:
            messages.error(request, _("Check the marked fields."))
        return render(request, "portal/edit_item.html", {"form": form, "item": found}, status=400)
    form = ItemForm(initial=_initial_of(found) if found else {"visibility": "internal", "status": "in_force"})
    return render(request, "portal/edit_item.html", {"form": form, "item": found})


@never_cache
@require_http_methods(["GET", "POST"])
def edit_announcement(request: HttpRequest, public_id: str | None = None) -> HttpResponse:
    user = _user(request)
    if user is None:
        return _login(request)
    courts = access.publishing_courts(user)
    if not courts:
        return _refused(request, _("You do not publish announcements for this court."))
    found = None
    if public_id is not None:
        found = Announcement.objects.filter(public_id=_uuid(public_id), court__in=courts).first()
        if found is None:
            raise Http404
    if request.method == "POST":
        form = AnnouncementForm(request.POST, courts=courts)
        if form.is_valid():
            data = form.cleaned_data
            files = [actions.NewFile(f, f.name or "file") for f in request.FILES.getlist("files")]
            try:
                saved = actions.save_announcement(
                    actor=user,
                    data=actions.AnnouncementInput(
                        court_code=data["court"],
                        scope=data["scope"],
                        title=data["title"],
                        body=data["body"],
                        roles=data["roles"],
                        asks_receipt=data["asks_receipt"],
                        publish=request.POST.get("action") != "draft",
                    ),
                    files=files,
                    announcement=found,
                )
            except (DomainError, ArchiveError) as error:
                for name, errors in error.fields.items():
                    for message in errors:
                        form.add_error(name if name in form.fields else None, message)
                messages.error(request, error.message)
            else:
                messages.success(request, _("Published.") if saved.published_at else _("Kept as a draft."))
                return redirect("portal:announcement", public_id=saved.public_id)
        else:
            messages.error(request, _("Check the marked fields."))
        return render(request, "portal/edit_announcement.html", {"form": form, "announcement": found}, status=400)
    initial: dict[str, object] = {"court": courts[0].code, "scope": Scope.COURT}
    if found is not None:
        initial = {
            "court": found.court.code,
            "scope": found.scope,
            "roles": found.role_list,
            "title": found.title,
            "body": found.body,
            "asks_receipt": found.asks_receipt,
        }
    form = AnnouncementForm(initial=initial, courts=courts)
    return render(request, "portal/edit_announcement.html", {"form": form, "announcement": found})


@never_cache
def announcement(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    if user is None:
        return _login(request)
    found = access.announcement_for(user, _uuid(public_id))
    if found is None:
        raise Http404
    mine = access.may_publish_for(user, found.court)
    receipt = found.receipts.filter(user=user).first()
    return render(
        request,
        "portal/announcement.html",
        {
            "announcement": found,
            "attachments": list(found.attachments.all()),
            "receipt": receipt,
            "may_edit": mine,
            "receipts": queries.receipts_of(found) if mine else [],
        },
    )


@require_POST
def confirm_read(request: HttpRequest, public_id: str) -> HttpResponse:
    user = _user(request)
    if user is None:
        return _login(request)
    found = access.announcement_for(user, _uuid(public_id))
    if found is None or found.published_at is None:
        raise Http404
    actions.mark_read(announcement=found, user=user)
    messages.success(request, _("Your reading is recorded."))
    return redirect("portal:announcement", public_id=found.public_id)


def attachment(request: HttpRequest, public_id: str, attachment_id: str) -> HttpResponse | FileResponse:
    user = _user(request)
    if user is None:
        return _login(request)
    found = access.announcement_for(user, _uuid(public_id))
    if found is None:
        raise Http404
    row = found.attachments.select_related("stored").filter(public_id=_uuid(attachment_id)).first()
    if row is None:
        raise Http404
    return FileResponse(
        open_stored_file(row.stored), content_type=row.stored.media_type, filename=row.filename, as_attachment=False
    )


def case_practice(request: HttpRequest, number: str) -> HttpResponse:
    """The case page's panel: the library's items for the case's category (internal ones for staff)."""
    user = _user(request)
    try:
        case = access_case_for(user, number)
    except CaseNotFoundError as error:
        raise Http404 from error
    items = queries.practice_for_category(access.library_for(user), case.category)
    fragment = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "portal/_case_practice.html" if fragment else "portal/case_practice.html",
        {"case": case, "items": items},
    )
