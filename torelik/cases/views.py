"""Pages of the case file: registering a paper filing and printing its coupon, the docket (also a
party's "my cases"), a case's page with its documents, the public check of a coupon, and the
access log for the court chairman. Who sees what is torelik.cases.access; every write is an action."""

import datetime as dt
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
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torelik.archive.queries import open_stored_file
from torelik.cases import access, actions, coupon, queries
from torelik.cases.bags import export_bag_zip
from torelik.cases.errors import CaseError, CaseForbiddenError, CaseNotFoundError
from torelik.cases.forms import (
    AccessLogFilterForm,
    CaseDocumentForm,
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
from torelik.cases.statuses import SYSTEM_REASONS, moves_by
from torelik.courts.models import Court, Judge, StaffRole
from torelik.courts.zones import court_zone
from torelik.identity.models import User

DOCKET_PAGE_SIZE = 50
ACCESS_LOG_PAGE_SIZE = 100
# The case page shows the latest events of the journal; `?journal=all` shows all of it.
JOURNAL_ON_PAGE = 50
# Who moves a case on by hand (a reading chairman of a higher court or an analyst does not).
STATUS_CHANGING_ROLES = frozenset(
    {StaffRole.JUDGE, StaffRole.CHAIRMAN, StaffRole.CLERK, StaffRole.SECRETARY, StaffRole.ASSISTANT}
)
REGISTRARS = frozenset({StaffRole.CLERK, StaffRole.CHAIRMAN})
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
    secret = actions.coupon_secret(case, actor=user)
    verify_url = request.build_absolute_uri(reverse("cases:verify", args=[case.public_id, secret]))
    pdf = coupon.render_coupon(queries.registration(case), verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"coupon-{case.number.replace('/', '-')}.pdf"
    response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename) or ""
    return response


def verify_coupon(request: HttpRequest, public_id: uuid.UUID, secret: str) -> HttpResponse:
    record = queries.public_registration(public_id, secret)
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


def _term_names(data: dict[str, Any], language: str) -> str:
    names = []
    for item in data.get("terms", []):
        given = item.get("names", {}) if isinstance(item, dict) else {}
        name = given.get(language) or given.get("ru") or ""
        due = item.get("due", "") if isinstance(item, dict) else ""
        if name:
            names.append(_("%(term)s, last day %(day)s") % {"term": name, "day": _day(due)} if due else name)
    return "; ".join(names)


def _day(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso[:10]).strftime("%d.%m.%Y")
    except ValueError:
        return iso


def _moment(iso: str, zone: ZoneInfo) -> str:
    try:
        return dt.datetime.fromisoformat(iso).astimezone(zone).strftime(PAGE_TIME)
    except ValueError:
        return iso


def _object_of(event: CaseEvent, data: dict[str, Any], judges: dict[str, str], zone: ZoneInfo) -> str:
    """What a journal line is about, in words: the term opened, the judge assigned, the hearing set."""
    kind = event.kind
    if kind == CaseEventKind.ASSIGNED:
        return judges.get(str(data.get("judge")), "")
    if kind in (CaseEventKind.TERM_OPENED, CaseEventKind.TERM_CLOSED, CaseEventKind.TERM_EXTENDED,
                CaseEventKind.TERM_PAUSED, CaseEventKind.TERM_RESUMED):  # fmt: skip
        return _term_names(data, translation.get_language() or "kk")
    if kind == CaseEventKind.HEARING_SCHEDULED and data.get("starts_at"):
        return _("%(moment)s, courtroom %(room)s") % {
            "moment": _moment(str(data["starts_at"]), zone),
            "room": data.get("courtroom", ""),
        }
    if kind in (CaseEventKind.HEARING_POSTPONED, CaseEventKind.HEARING_CANCELLED):
        return str(data.get("reason", ""))
    if kind == CaseEventKind.SUBPOENA_ISSUED:
        return _("No. %(number)s") % {"number": data.get("subpoena", "")}
    if kind in (CaseEventKind.HELPLINE_COMPLAINT, CaseEventKind.HELPLINE_ANSWERED):
        return _("No. %(number)s") % {"number": data.get("request", "")}
    if kind in (CaseEventKind.EXECUTION_STARTED, CaseEventKind.EXECUTION_COMPLETED, CaseEventKind.EXECUTION_RETURNED):
        details = _("%(partner)s, proceedings No. %(number)s of %(day)s") % {
            "partner": data.get("partner", ""),
            "number": data.get("proceedings", ""),
            "day": _day(str(data.get("on", ""))),
        }
        return f"{details}: {data['reason']}" if data.get("reason") else details
    if kind in (CaseEventKind.CUSTODY_ARRIVED, CaseEventKind.CUSTODY_RELEASED):
        return _("%(institution)s, %(day)s") % {
            "institution": data.get("institution", ""),
            "day": _day(str(data.get("on", ""))),
        }
    if kind in (CaseEventKind.CORRESPONDENCE_SENT, CaseEventKind.CORRESPONDENCE_RECEIVED):
        return _("No. %(number)s, %(counterpart)s") % {
            "number": data.get("number", ""),
            "counterpart": data.get("counterpart", ""),
        }
    return ""


def _timeline(events: list[CaseEvent], document_titles: dict[str, str], zone: ZoneInfo) -> list[TimelineEntry]:
    # Labels looked up once per page, not per event (an enum's `.values` is a new list each time).
    kinds = {kind.value: str(kind.label) for kind in CaseEventKind}
    statuses = {status.value: status.label for status in CaseStatus}
    channels = {channel.value: channel.label for channel in Channel}
    link_kinds = {kind.value: kind.label for kind in CaseLinkKind}
    judge_ids = {
        str(e.data.get("judge")) for e in events if e.kind == CaseEventKind.ASSIGNED and isinstance(e.data, dict)
    }
    judges = {
        str(judge.public_id): judge.person.full_name
        for judge in Judge.objects.filter(public_id__in=[j for j in judge_ids if _is_uuid(j)]).select_related("person")
    }
    entries = []
    for event in events:
        data: dict[str, Any] = event.data if isinstance(event.data, dict) else {}
        details = ""
        if event.kind == CaseEventKind.STATUS_CHANGED and data.get("to") in statuses:
            details = _("now %(status)s") % {"status": statuses[data["to"]]}
            if data.get("reason"):
                reason = str(data["reason"])
                details = f"{details}: {SYSTEM_REASONS.get(reason, reason)}"
        elif event.kind in (CaseEventKind.DOCUMENT_ADDED, CaseEventKind.DOCUMENT_CORRECTED):
            details = document_titles.get(str(data.get("id")), "")
            if data.get("reason"):
                details = f"{details}: {data['reason']}"
        elif event.kind == CaseEventKind.REGISTERED and data.get("channel") in channels:
            details = str(channels[data["channel"]])
        elif event.kind == CaseEventKind.LINKED and data.get("kind") in link_kinds:
            details = f"{link_kinds[data['kind']]} {data.get('to', '')}"
        else:
            details = _object_of(event, data, judges, zone)
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


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


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


def _status_targets(case: Case, roles: frozenset[str]) -> list[str]:
    """The moves this person makes from where the case stands (statuses.MOVES; the system's are not offered)."""
    return [status for status in moves_by(case.status, roles) if status not in NOT_BY_HAND]


@never_cache
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    try:
        case = access.access_case_for(user, number, ip_address=_client_ip(request))
    except CaseNotFoundError as error:
        return _not_found(request, error.message)
    is_court_staff = case.court_id in access.staff_court_ids(user)
    roles = access.roles_in(user, case.court_id) & STATUS_CHANGING_ROLES
    may_change = bool(roles)
    targets = _status_targets(case, roles) if may_change else []
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
            except (CaseError, CaseForbiddenError) as error:
                show_refusals({"status": [error.message]}, form=status_form, formsets={})
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
    zone = court_zone(case.court)
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
            # The coupon is handed over at the office for a paper filing, by those who register them.
            "adds_documents": bool(access.roles_in(user, case.court_id) & DOCUMENT_ADDING_ROLES),
            "hands_coupon": case.channel == Channel.PAPER and bool(access.roles_in(user, case.court_id) & REGISTRARS),
            "status_form": status_form,
            "whole_journal": whole_journal,
        },
    )


# Who adds a document to a case already registered (the office, the judge and the judge's staff).
DOCUMENT_ADDING_ROLES = frozenset(
    {StaffRole.CLERK, StaffRole.CHAIRMAN, StaffRole.JUDGE, StaffRole.SECRETARY, StaffRole.ASSISTANT}
)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def add_case_document(request: HttpRequest, number: str) -> HttpResponse:
    """The court adds a document to an existing case (type from the classifier, optionally a new
    version of one of its documents); the action journals it."""
    user = _user(request)
    try:
        case = access.access_case_for(user, number, ip_address=_client_ip(request))
    except CaseNotFoundError as error:
        return _not_found(request, error.message)
    if not access.roles_in(user, case.court_id) & DOCUMENT_ADDING_ROLES:
        return _forbidden(request, _("Only the staff of the court add documents to its cases."))
    parties = list(Party.objects.filter(case=case).select_related("person", "organisation").order_by("id"))
    documents = list(Document.objects.filter(case=case, next_version__isnull=True).order_by("received_at", "id"))
    form = CaseDocumentForm(
        request.POST or None,
        request.FILES or None,
        type_choices=document_type_choices(list(queries.document_types())),
        author_choices=[("", "—"), *((str(p.pk), f"{p.name} ({p.get_role_display()})") for p in parties)],
        version_choices=[("", "—"), *((str(d.pk), f"{d.title} (v{d.version})") for d in documents)],
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        given = actions.DocumentInput(
            document_type=data["document_type"],
            title=data["title"].strip(),
            filename=data["file"].name,
            content=data["file"],
            page_count=data["page_count"],
        )
        author = next((p for p in parties if str(p.pk) == data["author"]), None)
        previous = next((d for d in documents if str(d.pk) == data["corrects"]), None)
        try:
            if previous is not None:
                actions.correct_document(document=previous, correction=given, actor=user, reason=data["reason"].strip())
            else:
                actions.add_document(case=case, document=given, actor=user, author=author)
        except CaseError as error:
            show_refusals({"file": [error.message], **_flat(error.fields)}, form=form, formsets={})
        else:
            messages.success(request, _("The document is added to case %(number)s.") % {"number": case.number})
            return redirect(_case_url(case))
    return render(request, "cases/add_document.html", {"case": case, "form": form}, status=422 if form.errors else 200)


def _flat(fields: dict[str, list[str]]) -> dict[str, list[str]]:
    """Refusals of the first document of an action (`documents[0].file`) as this form's fields."""
    return {name.rsplit(".", 1)[-1]: errors for name, errors in fields.items()}


@never_cache
def case_judge(request: HttpRequest, number: str) -> HttpResponse:
    """The judge line of a case page, asked for again until the draw has given the case its judge."""
    # Not a reading of the file (nothing of it is shown): no line in the staff access log per poll.
    case = access.cases_visible_to(_user(request)).select_related("judge__person").filter(number=number).first()
    if case is None:
        return _not_found(request, _("There is no case %(number)s that you may see.") % {"number": number})
    return render(request, "cases/_judge.html", {"case": case})


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


@never_cache
def case_bag(request: HttpRequest, number: str) -> HttpResponseBase:
    """The staff of the case's court download the case file as a BagIt bag that anyone verifies offline."""
    user = _user(request)
    try:
        case = access.access_case_for(user, number, ip_address=_client_ip(request))
    except CaseNotFoundError as error:
        return _not_found(request, error.message)
    if case.court_id not in access.staff_court_ids(user):
        return _forbidden(request, _("Only the staff of the court export its case files."))
    bundle = export_bag_zip(case)
    return FileResponse(
        bundle, as_attachment=True, filename=f"{case.number.replace('/', '_')}.zip", content_type="application/zip"
    )


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
