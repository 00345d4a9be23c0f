"""Pages of the summons context: the public subpoena page (phone + code, no account), the check of
a subpoena by its number, the study of a case's documents by SMS login, and the statistics."""

import datetime as dt
import uuid

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from torelik.acts.access import may_record_delivery
from torelik.archive.queries import open_stored_file
from torelik.cases.access import access_case_for, staff_court_ids
from torelik.cases.coupon import court_local_time
from torelik.cases.errors import CaseNotFoundError
from torelik.cases.models import Case
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.courts.models import Court
from torelik.hearings.models import Hearing
from torelik.identity.models import User
from torelik.notifications.queries import delivery_states
from torelik.post.queries import letters_by_cause
from torelik.summons import actions, queries, sealing
from torelik.summons.chart import day_chart
from torelik.summons.forms import DocumentsLoginForm, PeriodForm, SubpoenaCodeForm, VerifyForm
from torelik.summons.models import DocumentAccess, NoticeChannel, Subpoena, SubpoenaStatus
from torelik.summons.subpoena_text import local_moment, subpoena_text

OPENED = "summons.opened"  # session: public ids of the subpoenas this browser opened with a code
ACCESS = "summons.documents"  # session: public id of the SMS login in use


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _language(request: HttpRequest) -> str:
    return getattr(request, "LANGUAGE_CODE", "kk") or "kk"


@never_cache
@require_http_methods(["GET", "POST"])
def open_page(request: HttpRequest) -> HttpResponse:
    form = SubpoenaCodeForm(request.POST or None)
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            subpoena = actions.open_subpoena(
                phone=form.cleaned_data["phone"], code=form.cleaned_data["code"], ip_address=_ip(request)
            )
        except DomainError as refusal:
            error = refusal
        else:
            opened = [i for i in request.session.get(OPENED, []) if i != str(subpoena.public_id)]
            request.session[OPENED] = [*opened[-9:], str(subpoena.public_id)]
            request.session.cycle_key()
            return redirect("summons:subpoena", subpoena_id=subpoena.public_id)
    status = error.http_status if error is not None else (400 if form.errors else 200)
    return render(request, "summons/open.html", {"form": form, "error": error}, status=status)


def _opened(request: HttpRequest, subpoena_id: uuid.UUID) -> Subpoena:
    if str(subpoena_id) not in request.session.get(OPENED, []):
        raise Http404
    subpoena = queries.subpoena_by_public_id(str(subpoena_id))
    if subpoena is None:
        raise Http404
    return subpoena


@never_cache
def subpoena_page(request: HttpRequest, subpoena_id: uuid.UUID) -> HttpResponse:
    subpoena = _opened(request, subpoena_id)
    return render(
        request,
        "summons/subpoena.html",
        {"subpoena": subpoena, "text": subpoena_text(subpoena, _language(request)), "revoked": _revoked(subpoena)},
    )


def _revoked(subpoena: Subpoena) -> bool:
    return bool(subpoena.status == SubpoenaStatus.REVOKED)


@never_cache
def subpoena_pdf(request: HttpRequest, subpoena_id: uuid.UUID) -> HttpResponse:
    subpoena = _opened(request, subpoena_id)
    if _revoked(subpoena):
        # The sealed PDF of a revoked subpoena would still look valid on paper: not given out any more.
        return HttpResponse(
            _("This subpoena has been revoked: it no longer calls you to court."), status=410, content_type="text/plain"
        )
    response = HttpResponse(actions.sealed_pdf(subpoena=subpoena), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="subpoena-{subpoena.number}.pdf"'
    return response


def verify(request: HttpRequest, number: str = "", code: str = "") -> HttpResponse:
    """Whether a subpoena of this number and check code (its QR) was issued, and its public facts: no
    name, no phone, no case; of a hearing in closed session nothing beyond "genuine" (ADR 0036)."""
    form = VerifyForm(request.GET or None)
    if not number and form.is_valid():
        cleaned = "".join(ch for ch in form.cleaned_data["code"] if ch.isalnum()).lower()
        return redirect("summons:verify", number=form.cleaned_data["number"].strip(), code=cleaned or "-")
    subpoena = queries.subpoena_to_verify(number, code) if number else None
    closed = subpoena is not None and subpoena.hearing.is_closed
    seals: list[sealing.SealCheck] = []
    if subpoena is not None and subpoena.pdf is not None and not closed:
        seals = sealing.check_stored(subpoena.pdf)
    facts = subpoena.facts if subpoena is not None and not closed else {}
    return render(
        request,
        "summons/verify.html",
        {
            "form": form,
            "number": number,
            "subpoena": subpoena,
            "closed": closed,
            "court": subpoena_text(subpoena, _language(request)).court if subpoena is not None else "",
            "when": facts.get("local_time", ""),
            "courtroom": facts.get("courtroom", ""),
            "issued": local_moment(subpoena, subpoena.issued_at) if subpoena is not None else "",
            "seals": seals,
        },
        status=200 if subpoena is not None or not number else 404,
    )


# --- Documents by SMS login ---------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest) -> HttpResponse:
    access = _current_access(request)
    if access is not None and request.method == "GET":
        actions.record_document_opening(access=access, document=None, ip_address=_ip(request))
        return render(
            request,
            "summons/documents.html",
            {
                "access": access,
                "documents": queries.documents_for(access),
                "until": local_moment_access(access),
            },
        )
    form = DocumentsLoginForm(request.POST or None)
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            access = actions.log_in_to_documents(
                login=form.cleaned_data["login"], password=form.cleaned_data["password"], ip_address=_ip(request)
            )
        except DomainError as refusal:
            error = refusal
        else:
            request.session.cycle_key()
            request.session[ACCESS] = str(access.public_id)
            return redirect("summons:documents")
    status = error.http_status if error is not None else (400 if form.errors else 200)
    return render(request, "summons/documents_login.html", {"form": form, "error": error}, status=status)


def local_moment_access(access: DocumentAccess) -> str:
    return court_local_time(access.court, access.expires_at)


def _current_access(request: HttpRequest) -> DocumentAccess | None:
    public_id = request.session.get(ACCESS)
    if not public_id:
        return None
    access = queries.access_by_public_id(public_id)
    if access is None or access.expires_at <= clock.now():
        request.session.pop(ACCESS, None)
        return None
    return access


@require_http_methods(["POST"])
def documents_logout(request: HttpRequest) -> HttpResponse:
    request.session.pop(ACCESS, None)
    return redirect("summons:documents")


@never_cache
def document(request: HttpRequest, document_id: uuid.UUID) -> HttpResponseBase:
    access = _current_access(request)
    if access is None:
        return redirect("summons:documents")
    found = queries.document_for(access, str(document_id))
    if found is None:
        raise Http404
    actions.record_document_opening(access=access, document=found, ip_address=_ip(request))
    response = FileResponse(
        open_stored_file(found.file), content_type=found.file.media_type, as_attachment=False, filename=found.filename
    )
    response["Content-Length"] = str(found.file.size)
    return response


# --- Statistics --------------------------------------------------------------------------------


def statistics(request: HttpRequest) -> HttpResponse:
    """Staff see the courts they work in (and those below a court they supervise), court by court;
    everyone else the country's totals."""
    user = request.user if isinstance(request.user, User) else None
    own = staff_court_ids(user)
    form = PeriodForm(request.GET or None)
    today = clock.today()
    start, end, code = today - dt.timedelta(days=29), today, ""
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
        code = (form.cleaned_data["court"] or "").strip()
    court_ids: set[int] | None = set(own) if own else None
    chosen: Court | None = None
    if code and own:
        chosen = Court.objects.filter(code=code, pk__in=own).first()
        if chosen is not None:
            court_ids = {chosen.pk}
    if form.is_bound and not form.is_valid():
        start, end = today - dt.timedelta(days=29), today
    figures = queries.statistics(court_ids=court_ids, start=start, end=end)
    return render(
        request,
        "summons/statistics.html",
        {
            "form": form,
            "stats": figures,
            "chart": day_chart(figures.days),
            "staff": bool(own),
            "chosen": chosen,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@never_cache
def hearing_subpoenas(request: HttpRequest, hearing_id: uuid.UUID) -> HttpResponse:
    """The subpoenas of a hearing with their delivery (the outbox's state and the addressee's first
    reading): all of them for the court's staff, a participant's own for a participant. Loaded into the
    hearing's page, and a page of its own."""
    user = request.user if isinstance(request.user, User) else None
    hearing = Hearing.objects.select_related("case").filter(public_id=hearing_id).first()
    if hearing is None:
        raise Http404
    try:
        access_case_for(user, hearing.case.number)
    except CaseNotFoundError as error:
        raise Http404 from error
    subpoenas = Subpoena.objects.filter(hearing=hearing).select_related("person").order_by("number")
    is_staff = hearing.case.court_id in staff_court_ids(user)
    if not is_staff:
        own = user.person_id if user is not None else None
        subpoenas = subpoenas.filter(person_id=own) if own is not None else subpoenas.none()
    rows = list(subpoenas)
    states = delivery_states(s.message_id for s in rows)
    letters = letters_by_cause(f"subpoena:{s.number}" for s in rows)
    return render(
        request,
        "summons/_hearing_subpoenas.html"
        if request.headers.get("HX-Request") == "true"
        else "summons/hearing_subpoenas.html",
        {
            "hearing": hearing,
            "rows": [(s, states.get(s.message_id), letters.get(f"subpoena:{s.number}")) for s in rows],
            "is_staff": is_staff,
        },
    )


def _staff_case(request: HttpRequest, number: str) -> tuple[User | None, Case]:
    user = request.user if isinstance(request.user, User) else None
    try:
        case = access_case_for(user, number)
    except CaseNotFoundError as error:
        raise Http404 from error
    if case.court_id not in staff_court_ids(user):
        raise Http404  # the notices of others are the court's business (the parties see their own)
    return user, case


@never_cache
def case_notices(request: HttpRequest, number: str) -> HttpResponse:
    """Each party's notices across channels (SMS, e-mail, subpoenas, letters) with their state, and the
    channel the court chose for its next ones: for the court's staff, loaded into the case page."""
    user, case = _staff_case(request, number)
    fragment = request.headers.get("HX-Request") == "true"
    return render(
        request,
        "summons/_case_notices.html" if fragment else "summons/case_notices.html",
        {
            "case": case,
            "rows": queries.party_notices(case),
            "channels": NoticeChannel.choices,
            "may_choose": may_record_delivery(user, case),
        },
    )


@require_POST
def choose_channel(request: HttpRequest, number: str) -> HttpResponse:
    user, case = _staff_case(request, number)
    if user is None:
        raise Http404
    party_id = request.POST.get("party", "")
    party = case.parties.filter(public_id=party_id).first() if _is_uuid(party_id) else None
    if party is None:
        messages.error(request, _("Choose a party of this case."))
        return redirect("cases:detail", number=case.number)
    try:
        actions.choose_channel(case=case, party=party, channel=request.POST.get("channel", ""), actor=user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Notices to %(name)s now go by: %(channel)s.")
            % {"name": party.name, "channel": NoticeChannel(request.POST["channel"]).label},
        )
    return redirect(f"{reverse('cases:detail', args=[case.number])}#notices")


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
