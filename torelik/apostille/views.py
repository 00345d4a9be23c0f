"""Pages of apostilles: the applicant's requests and documents (Judicial Office), the PSC operator's
request for a citizen, the court office's queue and decision, and the public register's check."""

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from torelik.apostille import actions, queries
from torelik.apostille import psc as psc_actions
from torelik.apostille.access import (
    access_act_for,
    access_request_for,
    access_request_for_office,
    acts_of_person,
    office_court_ids,
    person_of,
    requests_visible_to,
)
from torelik.apostille.countries import country_name
from torelik.apostille.errors import ApostilleErrorCode
from torelik.apostille.forms import CitizenForm, CodeForm, ReasonForm, RequestForm, VerifyForm
from torelik.apostille.models import ApostilleRequest, ApostilleStatus, DocumentKind, PscConsent
from torelik.archive.queries import open_stored_file
from torelik.cases.actions import record_case_access
from torelik.cases.models import AccessKind, Channel
from torelik.core.errors import DomainError
from torelik.filing.access import is_psc_operator
from torelik.identity.models import Person, User
from torelik.identity.pades import check_pdf_seals

SEAL_VERDICT_SECONDS = 60 * 60


def _user(request: HttpRequest) -> User | None:
    user = request.user
    return user if isinstance(user, User) else None


def _error_page(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "apostille/error.html", {"message": error.message}, status=error.http_status)


def documents_for(person: Person | None) -> list[dict[str, object]]:
    """The documents a person may ask an apostille for: each act of their cases, and its writ."""
    rows: list[dict[str, object]] = []
    for act in acts_of_person(person)[:100]:
        rows.append(
            {"act": act, "kind": DocumentKind.ACT, "label": DocumentKind.ACT.label, "value": f"{act.public_id}:act"}
        )
        if act.writ_id is not None:
            rows.append(
                {
                    "act": act,
                    "kind": DocumentKind.WRIT,
                    "label": DocumentKind.WRIT.label,
                    "value": f"{act.public_id}:writ",
                }
            )
    return rows


# --- The applicant ------------------------------------------------------------------------------


@login_required
@never_cache
def mine(request: HttpRequest, form: RequestForm | None = None, status: int = 200) -> HttpResponse:
    user = _user(request)
    person = person_of(user)
    return render(
        request,
        "apostille/mine.html",
        {
            "requests": queries.requests_of(requests_visible_to(user)),
            "documents": documents_for(person),
            "form": form or RequestForm(),
            "has_person": person is not None,
            "is_psc_operator": is_psc_operator(user),
            "is_office": bool(office_court_ids(user)),
        },
        status=status,
    )


@login_required
@require_POST
def new_request(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = RequestForm(request.POST)
    if not form.is_valid():
        return mine(request, form=form, status=422)
    act_id, kind = form.document_parts()
    try:
        person = person_of(user)
        act = access_act_for(person, act_id)
        assert person is not None  # noqa: S101 - access_act_for found a document of this person
        created = actions.request_apostille(
            act=act,
            document_kind=kind,
            applicant=person,
            country=form.cleaned_data["country"],
            channel=Channel.JUDICIAL_OFFICE,
            actor=user,
        )
    except DomainError as error:
        if error.http_status == 404:
            return _error_page(request, error)
        form.add_error(None, error.message)
        return mine(request, form=form, status=error.http_status)
    return redirect("apostille:request", request_id=created.public_id)


def _own(request: HttpRequest, request_id: uuid.UUID) -> ApostilleRequest:
    try:
        return access_request_for(_user(request), request_id)
    except DomainError as error:
        raise Http404(error.message) from error


@login_required
@never_cache
def request_page(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    found = _own(request, request_id)
    return render(request, "apostille/request.html", {"item": found, "country": country_name(found.country)})


@login_required
@require_POST
def pay(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    found = _own(request, request_id)
    callback = request.build_absolute_uri("/api/v1/apostilles/payments/sandbox/callback")
    back = request.build_absolute_uri(reverse("apostille:request", args=[found.public_id]))
    try:
        url = actions.start_payment(request=found, callback_url=callback, return_url=back)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("apostille:request", request_id=found.public_id)
    return redirect(reverse("filing:office") + url)


@login_required
def download(request: HttpRequest, request_id: uuid.UUID) -> HttpResponseBase:
    found = _own(request, request_id)
    if found.status != ApostilleStatus.ISSUED or found.pdf is None:
        raise Http404
    return FileResponse(
        open_stored_file(found.pdf),
        as_attachment=True,
        filename=f"apostille-{found.number}.pdf",
        content_type="application/pdf",
    )


# --- The PSC operator ---------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def psc(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not is_psc_operator(user):
        return render(
            request,
            "apostille/error.html",
            {"message": _("Only a Public Service Centre operator asks for an apostille on behalf of a citizen.")},
            status=403,
        )
    assert user is not None  # noqa: S101 - an operator is logged in
    context: dict[str, object] = {"citizen_form": CitizenForm(request.POST or None), "form": RequestForm()}
    step = request.POST.get("step", "")
    status = 200
    try:
        if step in ("find", "send"):
            citizen_form = CitizenForm(request.POST)
            if citizen_form.is_valid():
                citizen = psc_actions.citizen(operator=user, iin=citizen_form.cleaned_data["iin"])
                context.update(citizen=citizen, documents=documents_for(citizen))
                if step == "send":
                    form = RequestForm(request.POST)
                    context["form"] = form
                    if form.is_valid():
                        act_id, kind = form.document_parts()
                        consent = psc_actions.send_consent_code(
                            operator=user,
                            applicant=citizen,
                            act_id=act_id,
                            document_kind=kind,
                            country=form.cleaned_data["country"],
                        )
                        context.update(consent=consent, code_form=CodeForm())
        elif step == "confirm":
            found_consent = PscConsent.objects.filter(pk=request.POST.get("consent", "0") or 0, operator=user).first()
            code_form = CodeForm(request.POST)
            context.update(consent=found_consent, code_form=code_form)
            if found_consent is not None and code_form.is_valid():
                created = psc_actions.confirm_consent(
                    operator=user, consent_id=found_consent.pk, code=code_form.cleaned_data["code"]
                )
                return redirect("apostille:request", request_id=created.public_id)
    except DomainError as error:
        context["problem"] = error.message
        status = error.http_status
    return render(request, "apostille/psc.html", context, status=status)


# --- The court office ---------------------------------------------------------------------------


@login_required
@never_cache
def office(request: HttpRequest) -> HttpResponse:
    courts = office_court_ids(_user(request))
    if not courts:
        return render(
            request,
            "apostille/error.html",
            {"message": _("Only the court office decides on apostille requests.")},
            status=403,
        )
    return render(
        request,
        "apostille/office.html",
        {"queue": queries.office_queue(courts), "decided": queries.decided_by_office(courts)},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def office_request(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        found = access_request_for_office(user, request_id)
    except DomainError as error:
        return _error_page(request, error)
    assert user is not None  # noqa: S101 - office_court_ids needs a login
    if request.method == "GET":  # the office reads the case's act and party: a staff reading, logged
        record_case_access(
            case=found.act.case,
            user=user,
            kind=AccessKind.DOCUMENT_READ if found.act.document_id else AccessKind.CASE_OPENED,
            document=found.act.document,
            ip_address=request.META.get("REMOTE_ADDR"),
        )
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "issue":
                found = actions.issue_apostille(request=found, actor=user)
                messages.success(request, _("The apostille is issued."))
            elif action in ("refuse", "revoke"):
                reason = request.POST.get("reason", "")
                if action == "refuse":
                    found = actions.refuse_apostille(request=found, actor=user, reason=reason)
                    messages.success(request, _("The request is refused."))
                else:
                    found = actions.revoke_apostille(request=found, actor=user, reason=reason)
                    messages.success(request, _("The apostille is revoked."))
            else:
                raise Http404
        except DomainError as error:
            form.add_error(None, error.message)
            status = error.http_status
        else:
            return redirect("apostille:office_request", request_id=found.public_id)
    return render(
        request,
        "apostille/office_request.html",
        {"item": found, "country": country_name(found.country), "form": form},
        status=status,
    )


# --- The public register ------------------------------------------------------------------------


def seal_verdict(found: ApostilleRequest) -> bool | None:
    """Whether the stored PDF's court seal checks (cached by the file's SHA-256: the store is
    content-addressed); None for a register entry without a PDF (a refusal)."""
    if found.pdf is None:
        return None
    key = f"torelik.apostille.seal:v1:{found.pdf.sha256}"
    cached = cache.get(key)
    if isinstance(cached, bool):
        return cached
    with open_stored_file(found.pdf) as handle:
        seals = check_pdf_seals(handle.read())
    verdict = bool(seals) and all(seal.ok for seal in seals)
    cache.set(key, verdict, SEAL_VERDICT_SECONDS if verdict else 60)
    return verdict


def registered_entry(number: str, on: dt.date) -> ApostilleRequest | None:
    return queries.registered(number.strip().upper(), on)


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    status = 200
    if request.GET:
        if form.is_valid():
            found = registered_entry(form.cleaned_data["number"], form.cleaned_data["date"])
            if found is None:
                context["not_found"] = True
                status = 404
            else:
                context.update(entry=found, seal_ok=seal_verdict(found))
        else:
            status = 400
    context["error_code"] = ApostilleErrorCode.NOT_REGISTERED if status == 404 else ""
    return render(request, "apostille/verify.html", context, status=status)
