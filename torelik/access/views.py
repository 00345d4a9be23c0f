"""Pages of building access: the entrance officer's desk (find the visitor by IIN or foreign document, see
their hearing and courtroom today or ask the purpose, issue and print the pass, let in and out), and the
court's security (who is in the building now, visitors held for a ban, the day's log with CSV, the ban
list, the turnstiles). Every reading of the visitor log is recorded (ADR 0104)."""

import functools
import uuid
from collections.abc import Callable
from typing import Any

import segno
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torelik.access import access, actions, queries
from torelik.access.errors import AccessErrorCode, AccessNotFoundError
from torelik.access.forms import BanForm, DeviceForm, LogFilterForm, LookupForm, RegisterForm
from torelik.access.models import Ban, Device, Visit, VisitStatus
from torelik.core.errors import DomainError
from torelik.core.http import csv_attachment
from torelik.courts.models import Court
from torelik.hearings.working_hours import court_zone
from torelik.identity.models import User

PASSES = "access.passes"  # session: the codes of the passes this desk issued, to print them again


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "access/refused.html", {"message": error.message}, status=error.http_status)


def on_duty(duties: frozenset[str]) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """The view runs for an officer keeping, with one of `duties`, the court the request names (or their
    only or first one), and is given both; nobody logged in is sent to log in, anybody else refused."""

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = _user(request)
            if user is None:
                return redirect(f"{reverse('login')}?next={request.get_full_path()}")
            try:
                court = access.court_kept_by(user, request.GET.get("court") or request.POST.get("court"), duties)
            except DomainError as error:
                return _refused(request, error)
            return view(request, user, court, *args, **kwargs)

        return wrapped

    return decorate


def _public_id(value: str) -> uuid.UUID | None:
    """A row's public id as a form sent it; None for anything that is not a UUID (answered 404, never 500)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _visit(court: Court, public_id: str) -> Visit:
    found = _public_id(public_id)
    visit = (
        Visit.objects.filter(court=court, public_id=found).select_related("entrance", "hearing").first()
        if found is not None
        else None
    )
    if visit is None:
        raise AccessNotFoundError(AccessErrorCode.VISIT_NOT_FOUND, _("There is no such visit."))
    return visit


def _lookup(court: Court, form: LookupForm) -> dict[str, Any]:
    """What the desk shows once a visitor is found: name, today's hearings here, a ban, a visit already open."""
    data = form.cleaned_data
    iin = actions.parse_iin(data["iin"]) if data["iin"].strip() else ""
    document, country = data["document_number"].strip(), data["document_country"].strip().upper()
    if not iin and not document:
        return {}
    day = queries.local_day(court)
    person = queries.person_with_iin(iin) if iin else None
    return {
        "iin": iin,
        "document_number": document,
        "document_country": country,
        "person": person,
        "summoned": queries.hearings_today(court=court, iin=iin, day=day) if iin else [],
        "ban": queries.ban_on(court=court, day=day, iin=iin, document_number=document, country=country),
        "open_visit": queries.open_visit(court=court, day=day, iin=iin, document_number=document, country=country),
    }


@never_cache
@require_http_methods(["GET", "POST"])
@on_duty(access.DESK)
def entrance(request: HttpRequest, officer: User, court: Court) -> HttpResponse:
    try:
        desk = access.entrance_of(court, request.GET.get("entrance") or request.POST.get("entrance"), officer)
    except DomainError as error:
        return _refused(request, error)
    status, error_message = 200, ""
    found: dict[str, Any] = {}
    lookup = LookupForm(request.GET if "iin" in request.GET or "document_number" in request.GET else None)
    register = RegisterForm(request.POST if request.POST.get("action") == "register" else None)
    action = request.POST.get("action", "")
    try:
        if action == "register" and register.is_valid():
            data = register.cleaned_data
            registration = actions.register_visitor(
                entrance=desk,
                officer=officer,
                iin=data["iin"],
                document_number=data["document_number"],
                document_country=data["document_country"],
                full_name=data["full_name"],
                purpose=data["purpose"],
                purpose_text=data["purpose_text"],
                hearing_id=data["hearing"],
            )
            visit = registration.visit
            if registration.pass_code:
                passes = dict(request.session.get(PASSES, {}))
                passes[str(visit.public_id)] = registration.pass_code
                request.session[PASSES] = dict(list(passes.items())[-50:])
                messages.success(request, _("Registered: %(name)s. Hand over the pass.") % {"name": visit.full_name})
            else:
                messages.warning(
                    request,
                    _("%(name)s is on the court's ban list: do not let them in; the court's security decides.")
                    % {"name": visit.full_name},
                )
            return redirect(reverse("access:pass", args=[visit.public_id]) + f"?court={court.code}")
        if action in {"in", "out"}:
            visit = _visit(court, request.POST.get("visit", ""))
            actions.record_passage(entrance=desk, direction=action, officer=officer, visit=visit)
            text = _("%(name)s came in.") if action == "in" else _("%(name)s went out.")
            messages.success(request, text % {"name": visit.full_name})
            return redirect(reverse("access:entrance") + f"?court={court.code}&entrance={desk.code}")
        if action == "register":
            status = 400
            lookup = LookupForm(request.POST)
        if lookup.is_bound and lookup.is_valid():
            found = _lookup(court, lookup)
    except DomainError as error:
        status, error_message = error.http_status, error.message
        for field, errors in error.fields.items():
            target = register if register.is_bound else lookup
            if field in target.fields and errors:
                target.add_error(field, errors[0])
        if action == "register":
            lookup = LookupForm(request.POST)
            if lookup.is_valid():
                try:
                    found = _lookup(court, lookup)
                except DomainError:
                    found = {}
    day = queries.local_day(court)
    if found:
        actions.record_reading(user=officer, court=court, what="lookup", query=found["iin"] or found["document_number"])
    context = {
        "court": court,
        "desk": desk,
        "entrances": queries.entrances_of(court),
        "courts": access.courts_kept_by(officer),
        "lookup": lookup,
        "register": register,
        "found": found,
        "error_message": error_message,
        "today": queries.desk_today(entrance=desk, day=day)[:30],
        "is_security": access.posts_of(officer, access.SECURITY).filter(court=court).exists(),
    }
    return render(request, "access/entrance.html", context, status=status)


@never_cache
@on_duty(access.DESK)
def visit_pass(request: HttpRequest, _officer: User, court: Court, visit_id: str) -> HttpResponse:
    try:
        visit = _visit(court, visit_id)
    except DomainError as error:
        return _refused(request, error)
    code = request.session.get(PASSES, {}).get(str(visit.public_id), "")
    qr = segno.make(f"TORELIK-PASS:{code}", error="m").svg_inline(scale=4) if code else ""
    context = {"court": court, "visit": visit, "code": code, "qr": qr, "held": visit.status == VisitStatus.HELD}
    return render(request, "access/pass.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@on_duty(access.SECURITY)
def security(request: HttpRequest, officer: User, court: Court) -> HttpResponse:
    try:
        if request.method == "POST":
            visit = _visit(court, request.POST.get("visit", ""))
            admit = request.POST.get("action") == "admit"
            registration = actions.decide_held(visit=visit, officer=officer, admit=admit)
            if admit:
                passes = dict(request.session.get(PASSES, {}))
                passes[str(visit.public_id)] = registration.pass_code
                request.session[PASSES] = passes
                messages.success(request, _("Admitted by security: %(name)s.") % {"name": visit.full_name})
                return redirect(reverse("access:pass", args=[visit.public_id]) + f"?court={court.code}")
            messages.success(request, _("Entry refused: %(name)s.") % {"name": visit.full_name})
            return redirect(reverse("access:security") + f"?court={court.code}")
    except DomainError as error:
        return _refused(request, error)
    actions.record_reading(user=officer, court=court, what="inside")
    inside = list(queries.inside(court))
    context = {
        "court": court,
        "courts": access.courts_kept_by(officer, access.SECURITY),
        "visitors": [v for v in inside if v.kind == "visitor"],
        "staff": [v for v in inside if v.kind == "staff"],
        "held": queries.held(court),
        "day": queries.local_day(court),
    }
    return render(request, "access/security.html", context)


CSV_COLUMNS = (
    "registered_at",
    "kind",
    "full_name",
    "iin",
    "document",
    "purpose",
    "courtroom",
    "entrance",
    "time_in",
    "time_out",
    "status",
)


@never_cache
@on_duty(access.SECURITY)
def day_log(request: HttpRequest, officer: User, court: Court) -> HttpResponse:
    form = LogFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        context = {"court": court, "form": form, "visits": [], "day": queries.local_day(court)}
        return render(request, "access/log.html", context, status=400)
    data = form.cleaned_data if form.is_bound else {}
    day = data.get("day") or queries.local_day(court)
    visits = queries.day_log(
        court=court,
        day=day,
        kind=data.get("kind", ""),
        status=data.get("status", ""),
        purpose=data.get("purpose", ""),
        text=data.get("text", ""),
    )
    as_csv = request.GET.get("format") == "csv"
    actions.record_reading(user=officer, court=court, what="csv" if as_csv else "log", query=request.GET.urlencode())
    if as_csv:
        return _csv(court, visits, day.isoformat())
    return render(request, "access/log.html", {"court": court, "form": form, "visits": visits, "day": day})


def _csv(court: Court, visits: Any, day: str) -> HttpResponse:
    zone = court_zone(court)

    def at(moment: Any, shape: str) -> str:
        return moment.astimezone(zone).strftime(shape) if moment else ""

    rows = (
        [
            at(v.registered_at, "%Y-%m-%d %H:%M"),
            v.kind,
            v.full_name,
            v.iin,
            f"{v.document_country} {v.document_number}".strip(),
            v.purpose,
            v.courtroom,
            v.entrance.code,
            at(v.entered_at, "%H:%M"),
            at(v.left_at, "%H:%M"),
            v.status,
        ]
        for v in visits
    )
    return csv_attachment(f"visitors-{court.code}-{day}.csv", CSV_COLUMNS, rows)


@never_cache
@require_http_methods(["GET", "POST"])
@on_duty(access.SECURITY)
def bans(request: HttpRequest, officer: User, court: Court) -> HttpResponse:
    form = BanForm(request.POST if request.POST.get("action") == "add" else None)
    status, error_message = 200, ""
    try:
        if request.POST.get("action") == "lift":
            ban_id = _public_id(request.POST.get("ban", ""))
            ban = Ban.objects.filter(court=court, public_id=ban_id).first() if ban_id else None
            if ban is None:
                raise AccessNotFoundError(AccessErrorCode.BAN_NOT_FOUND, _("There is no such ban."))
            actions.lift_ban(ban=ban, officer=officer)
            messages.success(request, _("The ban on %(name)s is lifted.") % {"name": ban.full_name})
            return redirect(reverse("access:bans") + f"?court={court.code}")
        if form.is_bound:
            if form.is_valid():
                data = form.cleaned_data
                ban = actions.add_ban(court=court, officer=officer, **data)
                messages.success(request, _("%(name)s is on the ban list.") % {"name": ban.full_name})
                return redirect(reverse("access:bans") + f"?court={court.code}")
            status = 400
    except DomainError as error:
        status = error.http_status
        if form.is_bound:
            for field, errors in error.fields.items():
                form.add_error(field if field in form.fields else None, errors[0] if errors else error.message)
        error_message = error.message
    actions.record_reading(user=officer, court=court, what="bans")
    listed = Ban.objects.filter(court=court).select_related("created_by").order_by("lifted_at", "-starts_on")[:200]
    context = {"court": court, "form": form, "bans": listed, "error_message": error_message}
    return render(request, "access/bans.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@on_duty(access.SECURITY)
def devices(request: HttpRequest, _officer: User, court: Court) -> HttpResponse:
    entrances = queries.entrances_of(court)
    form = DeviceForm(request.POST if request.POST.get("action") == "add" else None)
    form.fields["entrance"].choices = [(e.code, e.name) for e in entrances]  # type: ignore[attr-defined]
    status, token, error_message = 200, "", ""
    try:
        if request.POST.get("action") == "revoke":
            device_id = _public_id(request.POST.get("device", ""))
            device = Device.objects.filter(entrance__court=court, public_id=device_id).first() if device_id else None
            if device is None:
                raise AccessNotFoundError(AccessErrorCode.DEVICE_NOT_FOUND, _("There is no such device."))
            actions.revoke_device(device=device)
            messages.success(
                request, _("%(name)s is revoked: its token no longer opens anything.") % {"name": device.name}
            )
            return redirect(reverse("access:devices") + f"?court={court.code}")
        if form.is_bound:
            if form.is_valid():
                where = access.entrance_of(court, form.cleaned_data["entrance"])
                device, token = actions.register_device(entrance=where, name=form.cleaned_data["name"])
                messages.success(
                    request, _("%(name)s is registered. Its token is shown once, below.") % {"name": device.name}
                )
            else:
                status = 400
    except DomainError as error:
        status, error_message = error.http_status, error.message
    listed = Device.objects.filter(entrance__court=court).select_related("entrance").order_by("entrance__code", "name")
    context = {"court": court, "form": form, "devices": listed, "token": token, "error_message": error_message}
    return render(request, "access/devices.html", context, status=status)
