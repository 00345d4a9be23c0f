"""Pages of the case file: registering a paper filing and printing its coupon, the docket (also a
party's "my cases"), a case's page with its documents, the public check of a coupon, and the
access log for the court chairman. Who sees what is torelik.cases.access; every write is an action."""

import uuid
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torelik.archive.queries import open_stored_file
from torelik.cases import access, actions, coupon, queries
from torelik.cases.errors import CaseError, CaseForbiddenError, CaseNotFoundError
from torelik.cases.forms import (
    AccessLogFilterForm,
    DocketFilterForm,
    DocumentFormSet,
    PartyFormSet,
    RegistrationForm,
    StatusChangeForm,
    document_inputs,
    document_type_choices,
    party_inputs,
    show_refusals,
)
from torelik.cases.models import (
    Case,
    CaseEvent,
    CaseEventKind,
    CaseLinkKind,
    CaseStatus,
    Channel,
    Document,
    DocumentDirection,
    Party,
)
from torelik.cases.statuses import TRANSITIONS
from torelik.courts.models import Court, Judge, StaffRole
from torelik.courts.queries import holds_role_in
from torelik.identity.models import User

DOCKET_PAGE_SIZE = 50
ACCESS_LOG_PAGE_SIZE = 100
# The case page shows the latest events of the journal; `?journal=all` shows all of it.
JOURNAL_ON_PAGE = 50
# Who moves a case on by hand (a reading chairman of a higher court or an analyst does not).
STATUS_CHANGING_ROLES = frozenset({StaffRole.JUDGE, StaffRole.CHAIRMAN, StaffRole.CLERK, StaffRole.SECRETARY})
# A judge is given a case by the distribution's draw (actions.record_assignment), never by hand.
NOT_BY_HAND = frozenset({CaseStatus.ASSIGNED})


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "cases/forbidden.html", {"message": message}, status=403)


def _not_found(request: HttpRequest, message: str) -> HttpResponse:
    """The same page whether the thing does not exist or the user may not see it."""
    return render(request, "cases/not_found.html", {"message": message}, status=404)


def _case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.number])


# Registering a paper filing


@login_required
@require_http_methods(["GET", "POST"])
def register_filing(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    courts = list(access.registering_courts(user))
    if not courts:
        return _forbidden(request, _("Your account does not register filings in any court office."))
    type_choices = document_type_choices(list(queries.document_types(direction=DocumentDirection.INCOMING)))
    refusal = ""
    if request.method == "POST":
        form = RegistrationForm(request.POST, courts=courts)
        parties = PartyFormSet(request.POST, prefix="parties")
        documents = DocumentFormSet(
            request.POST, request.FILES, prefix="documents", form_kwargs={"type_choices": type_choices}
        )
        if all([form.is_valid(), parties.is_valid(), documents.is_valid()]):
            party_list, party_rows = party_inputs(parties)
            document_list, document_rows = document_inputs(documents)
            data = form.cleaned_data
            try:
                case = actions.register_case(
                    court=data["court"],
                    proceeding_type=data["proceeding_type"],
                    category_code=data["category"],
                    parties=party_list,
                    documents=document_list,
                    actor=user,
                    subject=data["subject"].strip(),
                    claim_amount=data["claim_amount"],
                    consent_sms=data["consent_sms"],
                    consent_email=data["consent_email"],
                )
            except CaseForbiddenError as error:
                return _forbidden(request, error.message)
            except CaseError as error:
                refusal = error.message
                show_refusals(
                    error.fields,
                    form=form,
                    formsets={"parties": (parties, party_rows), "documents": (documents, document_rows)},
                )
            else:
                messages.success(
                    request,
                    _("Case %(number)s is registered. Print the coupon and hand it to whoever brought the filing.")
                    % {"number": case.number},
                )
                return redirect(_case_url(case))
        else:
            refusal = _("The filing cannot be registered: correct the marked fields.")
        # Browsers never refill a file input: say which files to choose again.
        chosen_files = {
            index: upload.name
            for index, form_ in enumerate(documents.forms)
            if (upload := request.FILES.get(f"{form_.prefix}-file")) is not None
        }
    else:
        # `?court=CODE` (from the workspace) chooses the court when the clerk serves several.
        wanted = request.GET.get("court")
        chosen = next((c.code for c in courts if c.code == wanted), courts[0].code)
        form = RegistrationForm(initial={"court": chosen}, courts=courts)
        parties = PartyFormSet(prefix="parties")
        documents = DocumentFormSet(prefix="documents", form_kwargs={"type_choices": type_choices})
        chosen_files = {}
    return render(
        request,
        "cases/register.html",
        {
            "form": form,
            "courts": courts,
            "parties": parties,
            "documents": documents,
            "refusal": refusal,
            "document_rows": [(f, chosen_files.get(i)) for i, f in enumerate(documents.forms)],
        },
    )


# The coupon and its public check


@never_cache
def coupon_pdf(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    try:
        case = access.access_case_for(user, number, ip_address=_client_ip(request))
    except CaseNotFoundError as error:
        return _not_found(request, error.message)
    if case.court_id not in access.staff_court_ids(user):
        return _forbidden(request, _("Only the staff of the court print its registration coupons."))
    verify_url = request.build_absolute_uri(reverse("cases:verify", args=[case.public_id]))
    pdf = coupon.render_coupon(queries.registration(case), verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"coupon-{case.number.replace('/', '-')}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename) or ""
    return response


def verify_coupon(request: HttpRequest, public_id: uuid.UUID) -> HttpResponse:
    record = queries.public_registration(public_id)
    if record is None:
        return _not_found(request, _("No registration matches this code: check the address on the coupon."))
    return render(
        request,
        "cases/verify.html",
        {
            "record": record,
            "registered_at": coupon.court_local_time(record.court, record.registered_at),
            "total_pages": sum(d.page_count for d in record.documents),
        },
    )


# The docket


@login_required
def docket(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    court_ids = access.staff_court_ids(user)
    courts = list(Court.objects.filter(pk__in=court_ids).order_by("code")) if court_ids else []
    judge = (
        Judge.objects.filter(person_id=user.person_id, court_id__in=court_ids).first()
        if user is not None and user.person_id is not None and court_ids
        else None
    )
    form = DocketFilterForm(request.GET or None, courts=courts, is_judge=judge is not None)
    filters = form.cleaned_data if form.is_valid() else {}
    court_code = filters.get("court")
    cases = queries.docket(
        access.cases_visible_to(user),
        status=filters.get("status") or None,
        category=filters.get("category") or None,
        judge_id=judge.pk if judge is not None and filters.get("mine") else None,
        court_id=next((c.pk for c in courts if c.code == court_code), None) if court_code else None,
        q=filters.get("q") or None,
    )
    page = Paginator(cases, DOCKET_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/docket.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "is_staff_docket": bool(court_ids),
            "registers": access.registering_courts(user).exists(),
        },
    )


# A case's page


@dataclass(frozen=True)
class TimelineEntry:
    event: CaseEvent
    label: str
    details: str
    when: str = ""  # the moment in the court's zone, as the page shows it
    iso: str = ""


@dataclass(frozen=True)
class DocumentRow:
    """A document of the case page with what the page shows of it made once, in Python: a large case
    lists a hundred documents, and a template tag per cell cost more than the rest of the page."""

    document: Document
    url: str
    received: str
    size: str
    older: list["DocumentRow"]


PAGE_TIME = "%d.%m.%Y %H:%M"
_SENTINEL = uuid.UUID(int=0)


def _document_rows(case: Case, chains: list[list[Document]], zone: ZoneInfo) -> list[DocumentRow]:
    # One reverse() for the page: the address of every document differs only in its id.
    pattern = reverse("cases:document", args=[case.number, _SENTINEL])

    def row(document: Document, older: list[DocumentRow]) -> DocumentRow:
        return DocumentRow(
            document=document,
            url=pattern.replace(str(_SENTINEL), str(document.public_id)),
            received=timezone.localtime(document.received_at, zone).strftime(PAGE_TIME),
            size=str(filesizeformat(document.file.size)),
            older=older,
        )

    return [row(chain[0], [row(older, []) for older in chain[1:]]) for chain in chains]


def _timeline(events: list[CaseEvent], document_titles: dict[str, str], zone: ZoneInfo) -> list[TimelineEntry]:
    # Labels looked up once per page, not per event (an enum's `.values` is a new list each time).
    kinds = {kind.value: str(kind.label) for kind in CaseEventKind}
    statuses = {status.value: status.label for status in CaseStatus}
    channels = {channel.value: channel.label for channel in Channel}
    link_kinds = {kind.value: kind.label for kind in CaseLinkKind}
    entries = []
    for event in events:
        data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
        details = ""
        if event.kind == CaseEventKind.STATUS_CHANGED and data.get("to") in statuses:
            details = _("now %(status)s") % {"status": statuses[data["to"]]}
            if data.get("reason"):
                details = f"{details}: {data['reason']}"
        elif event.kind in (CaseEventKind.DOCUMENT_ADDED, CaseEventKind.DOCUMENT_CORRECTED):
            details = document_titles.get(str(data.get("id")), "")
            if data.get("reason"):
                details = f"{details}: {data['reason']}"
        elif event.kind == CaseEventKind.REGISTERED and data.get("channel") in channels:
            details = str(channels[data["channel"]])
        elif event.kind == CaseEventKind.LINKED and data.get("kind") in link_kinds:
            details = f"{link_kinds[data['kind']]} {data.get('to', '')}"
        moment = timezone.localtime(event.occurred_at, zone)
        entries.append(
            TimelineEntry(
                event=event,
                label=kinds.get(event.kind, event.kind),
                details=details,
                when=moment.strftime(PAGE_TIME),
                iso=moment.isoformat(),
            )
        )
    return entries


@dataclass(frozen=True)
class PartyRow:
    party: Party
    power_of_attorney: Document | None
    representatives: list["PartyRow"]


def _party_rows(parties: list[Party], documents: list[Document]) -> list[PartyRow]:
    """The parties, each with its lawyers and representatives (and their powers of attorney) under it."""
    by_pk = {d.pk: d for d in documents}
    by_principal: dict[int, list[PartyRow]] = {}
    for party in parties:
        if party.represents_id is not None:
            attorney = by_pk.get(party.power_of_attorney_id) if party.power_of_attorney_id is not None else None
            by_principal.setdefault(party.represents_id, []).append(
                PartyRow(party=party, power_of_attorney=attorney, representatives=[])
            )
    return [
        PartyRow(party=party, power_of_attorney=None, representatives=by_principal.get(party.pk, []))
        for party in parties
        if party.represents_id is None
    ]


def _status_targets(case: Case) -> list[str]:
    return [s for s in CaseStatus.values if s in TRANSITIONS.get(case.status, frozenset()) and s not in NOT_BY_HAND]


@never_cache
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    try:
        case = access.access_case_for(user, number, ip_address=_client_ip(request))
    except CaseNotFoundError as error:
        return _not_found(request, error.message)
    is_court_staff = case.court_id in access.staff_court_ids(user)
    may_change = user is not None and holds_role_in(user, case.court, STATUS_CHANGING_ROLES)
    targets = _status_targets(case) if may_change else []
    status_form = StatusChangeForm(targets=targets) if targets else None
    if request.method == "POST":
        if not may_change:
            return _forbidden(request, _("Only the staff of the court change the status of its cases."))
        status_form = StatusChangeForm(request.POST, targets=targets)
        if status_form.is_valid():
            try:
                actions.change_status(
                    case=case,
                    to=status_form.cleaned_data["status"],
                    actor=user,
                    reason=status_form.cleaned_data["reason"].strip(),
                )
            except CaseError as error:
                show_refusals(error.fields or {"status": [error.message]}, form=status_form, formsets={})
            else:
                messages.success(
                    request,
                    _("Case %(number)s is now %(status)s.")
                    % {"number": case.number, "status": case.get_status_display()},
                )
                return redirect(_case_url(case))
    whole_journal = request.GET.get("journal") == "all"
    record = queries.case_file(case, journal_limit=None if whole_journal else JOURNAL_ON_PAGE)
    versions = {d.previous_version_id: d for d in record.documents if d.previous_version_id is not None}
    chains = []
    for document in record.documents:
        if document.previous_version_id is None:
            chain = [document]
            while chain[-1].pk in versions:
                chain.append(versions[chain[-1].pk])
            chains.append(list(reversed(chain)))
    zone = coupon.court_time_zone(case.court)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "court_tz": zone,
            "registered_at": coupon.court_local_time(case.court, case.registered_at),
            "file": record,
            "party_rows": _party_rows(record.parties, record.documents),
            "document_rows": _document_rows(case, chains, zone),
            "timeline": _timeline(record.events, {str(d.public_id): d.title for d in record.documents}, zone),
            "is_court_staff": is_court_staff,
            "status_form": status_form,
            "whole_journal": whole_journal,
        },
    )


@never_cache
def document_download(request: HttpRequest, number: str, document_id: uuid.UUID) -> HttpResponseBase:
    try:
        document = access.access_document_for(_user(request), number, str(document_id), ip_address=_client_ip(request))
    except CaseNotFoundError as error:
        return _not_found(request, error.message)
    response = FileResponse(
        open_stored_file(document.file),
        content_type=document.file.media_type,
        as_attachment=False,
        filename=document.filename,
    )
    response["Content-Length"] = str(document.file.size)
    response["X-Content-SHA256"] = document.file.sha256
    return response


# The access log


@login_required
def access_log(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.reads_access_log(user):
        return _forbidden(request, _("Only a court chairman or an analyst reads the access log."))
    form = AccessLogFilterForm(request.GET or None)
    number = form.cleaned_data.get("number", "") if form.is_valid() else ""
    entries = queries.access_log(access.access_log_visible_to(user), number=number)
    page = Paginator(entries, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/access_log.html", {"form": form, "page": page, "query_string": query.urlencode()})
