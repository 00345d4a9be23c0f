"""Pages of the helpline: the operator's workspace (register a call, identify a party, answer from the
case), a request's page (the court's answer), the queues, the register with CSV, the statistics, and the
public page with its web form and the following of a request."""

import csv
import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torelik.core import clock
from torelik.core.charts import bar_chart
from torelik.core.errors import DomainError
from torelik.helpline import access, actions, queries
from torelik.helpline.forms import (
    AnswerForm,
    CallForm,
    CodeForm,
    FollowForm,
    IdentifyForm,
    LookupForm,
    PeriodForm,
    RegisterFilterForm,
    WebRequestForm,
)
from torelik.helpline.models import Call, CallChannel, CallStatus
from torelik.identity.models import User

IDENTIFIED = "helpline.person"  # session: the party the caller proved to be, and until when
IDENTIFIED_FOR = dt.timedelta(minutes=30)
PENDING = "helpline.pending"  # session: the web form waiting for its code


def _ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def _refused(request: HttpRequest, message: str, status: int = 403) -> HttpResponse:
    return render(request, "helpline/refused.html", {"message": message}, status=status)


def _identified(request: HttpRequest) -> int | None:
    held = request.session.get(IDENTIFIED)
    if not held or dt.datetime.fromisoformat(held["until"]) < clock.now():
        return None
    return int(held["person"])


def _call_input(data: dict[str, object]) -> actions.CallInput:
    values: dict[str, object] = {
        name: str(data.get(name) or "") for name in actions.CallInput.__dataclass_fields__ if name != "journal_consent"
    }
    return actions.CallInput(**values, journal_consent=bool(data.get("journal_consent")))  # type: ignore[arg-type]


@never_cache
@require_http_methods(["GET", "POST"])
def workspace(request: HttpRequest) -> HttpResponse:
    operator = _user(request)
    if operator is None:
        return redirect(f"{reverse('login')}?next={request.path}")
    if not access.is_operator(operator):
        return _refused(request, _("Only a call-centre operator registers calls and looks cases up."))
    action = request.POST.get("action", "")
    error: DomainError | None = None
    identify = IdentifyForm(request.POST if action in {"send_code", "confirm"} else None)
    call_form = CallForm(request.POST if action == "register" else None, initial={"language": request.LANGUAGE_CODE})
    if action == "forget":
        request.session.pop(IDENTIFIED, None)
        messages.info(request, _("The caller is no longer identified: public information only."))
        return redirect("helpline:workspace")
    if action == "send_code" and identify.is_valid():
        try:
            actions.send_identification_code(operator=operator, iin=identify.cleaned_data["caller_iin"])
        except DomainError as refusal:
            error = refusal
        else:
            messages.success(
                request, _("A code was sent to the party's phone on record. Ask the caller to read it out.")
            )
    if action == "confirm" and identify.is_valid():
        try:
            person = actions.confirm_identification(
                operator=operator, iin=identify.cleaned_data["caller_iin"], code=identify.cleaned_data["code"] or ""
            )
        except DomainError as refusal:
            error = refusal
        else:
            request.session[IDENTIFIED] = {
                "person": person.pk,
                "iin": person.iin,
                "until": (clock.now() + IDENTIFIED_FOR).isoformat(),
            }
            messages.success(request, _("The caller is identified as a party: the screen shows their cases."))
            return redirect("helpline:workspace")
    if action == "register" and call_form.is_valid():
        try:
            call = actions.register_call(
                operator=operator, data=_call_input(call_form.cleaned_data), identified_person_id=_identified(request)
            )
        except DomainError as refusal:
            error = refusal
            for name, problems in refusal.fields.items():
                if name in call_form.fields:
                    call_form.add_error(name, problems)
        else:
            request.session.pop(IDENTIFIED, None)  # the next call starts anonymous
            if call.status == CallStatus.ANSWERED_AT_ONCE:
                messages.success(request, _("Call %(number)s registered as answered.") % {"number": call.number})
            else:
                messages.success(
                    request,
                    _("Call %(number)s registered and routed to %(court)s; answer due by %(day)s.")
                    % {
                        "number": call.number,
                        "court": call.routed_to.name if call.routed_to else "",
                        "day": f"{call.due_on:%d.%m.%Y}",
                    },
                )
            return redirect("helpline:call", number=call.number)
    lookup = LookupForm(request.GET or None)
    person_id = _identified(request)
    answers: list[queries.CaseAnswer] = []
    hearings: list[object] = []
    if lookup.is_valid() and lookup.cleaned_data["case"]:
        case = queries.case_by_number(lookup.cleaned_data["case"])
        if case is None:
            error = error or DomainError(
                "case_not_found", _("There is no case %(number)s.") % {"number": lookup.cleaned_data["case"]}
            )
        else:
            actions.record_lookup(operator=operator, case=case, ip_address=_ip(request))
            answers.append(queries.case_answer(case, person_id=person_id))
    elif lookup.is_valid() and lookup.cleaned_data["court"] and lookup.cleaned_data["date"]:
        court = queries.court_by_code(lookup.cleaned_data["court"])
        if court is None:
            error = error or DomainError(
                "court_not_found",
                _("There is no court with the code %(code)s.") % {"code": lookup.cleaned_data["court"]},
            )
        else:
            hearings = list(queries.hearings_of_court_on(court, lookup.cleaned_data["date"])[:50])
    if person_id is not None:
        for case in queries.cases_of_person(person_id, limit=10):
            if any(a.number == case.number for a in answers):
                continue
            actions.record_lookup(operator=operator, case=case, ip_address=_ip(request))
            answers.append(queries.case_answer(case, person_id=person_id))
    held = request.session.get(IDENTIFIED) if person_id is not None else None
    status = error.http_status if error is not None else 200
    return render(
        request,
        "helpline/workspace.html",
        {
            "identify": identify,
            "call_form": call_form,
            "lookup": lookup,
            "answers": answers,
            "hearings": hearings,
            "identified_iin": held["iin"] if held else "",
            "error": error,
            "categories": queries.categories(),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def call_page(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    if user is None:
        return redirect(f"{reverse('login')}?next={request.path}")
    call = access.visible_to(user).filter(number=number).first()
    if call is None:
        raise Http404
    call = queries.call_by_number(number) or call
    form = AnswerForm(request.POST if request.POST.get("action") == "answer" else None)
    error: DomainError | None = None
    if request.method == "POST" and request.POST.get("action") == "answer" and form.is_valid():
        try:
            actions.answer_call(user=user, call=call, answer=form.cleaned_data["answer"])
        except DomainError as refusal:
            error = refusal
        else:
            messages.success(request, _("The answer is recorded; the caller is told of it."))
            return redirect("helpline:call", number=number)
    if request.method == "POST" and request.POST.get("action") == "called_back":
        try:
            actions.close_call_back(operator=user, call=call)
        except DomainError as refusal:
            error = refusal
        else:
            messages.success(request, _("The call back is done; the request is closed."))
            return redirect("helpline:call", number=number)
    return render(
        request,
        "helpline/call.html",
        {
            "call": call,
            "form": form,
            "error": error,
            "may_answer": call.is_open and access.may_answer(user, call),
            "is_operator": access.is_operator(user),
            "overdue": call.is_open and call.due_on is not None and call.due_on < clock.today(),
        },
        status=error.http_status if error is not None else 200,
    )


@never_cache
def queue(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user is None:
        return redirect(f"{reverse('login')}?next={request.path}")
    if not access.works_helpline(user):
        return _refused(request, _("The helpline's queue is for the courts' chairmen and the call-centre."))
    today = clock.today()
    mine = list(queries.open_requests(access.answerable_by(user))[:200])
    national = (
        list(queries.open_requests(queries.overdue(access.visible_to(user), today))[:200])
        if access.is_national(user)
        else []
    )
    call_backs = (
        list(queries.open_requests(Call.objects.filter(status=CallStatus.CALL_BACK), statuses=(CallStatus.CALL_BACK,)))
        if access.is_operator(user)
        else []
    )
    return render(
        request,
        "helpline/queue.html",
        {"mine": mine, "national": national, "call_backs": call_backs, "today": today},
    )


def _register_rows(request: HttpRequest, user: User) -> tuple[RegisterFilterForm, object]:
    form = RegisterFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    calls = queries.search_calls(
        access.visible_to(user),
        q=data.get("q") or "",
        category=data.get("category") or "",
        channel=data.get("channel") or "",
        status=data.get("status") or "",
        start=data.get("start"),
        end=data.get("end"),
    )
    return form, calls


@never_cache
def register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user is None:
        return redirect(f"{reverse('login')}?next={request.path}")
    if not access.works_helpline(user):
        return _refused(request, _("The helpline's register is for the courts' chairmen and the call-centre."))
    form, calls = _register_rows(request, user)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="helpline-register.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [
                _("Number"),
                _("Received"),
                _("Channel"),
                _("Category"),
                _("Court"),
                _("Case"),
                _("Status"),
                _("Answer due"),
                _("Answered"),
            ]
        )
        for call in calls[:50000]:  # type: ignore[index]
            writer.writerow(
                [
                    call.number,
                    f"{call.received_at.astimezone(queries.LOCAL):%d.%m.%Y %H:%M}",
                    call.get_channel_display(),
                    call.category.name,
                    call.court.code if call.court else "",
                    call.case.number if call.case else "",
                    call.get_status_display(),
                    f"{call.due_on:%d.%m.%Y}" if call.due_on else "",
                    f"{call.answered_at.astimezone(queries.LOCAL):%d.%m.%Y %H:%M}" if call.answered_at else "",
                ]
            )
        return response
    rows = list(calls[:100])  # type: ignore[index]
    query = request.GET.copy()
    query["format"] = "csv"
    return render(request, "helpline/register.html", {"form": form, "calls": rows, "csv_query": query.urlencode()})


@never_cache
def statistics(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if user is None:
        return redirect(f"{reverse('login')}?next={request.path}")
    if not access.works_helpline(user):
        return _refused(request, _("The helpline's statistics are for the courts' chairmen and the call-centre."))
    form = PeriodForm(request.GET or None)
    start, end = form.period(clock.today())
    figures = queries.statistics(start=start, end=end)
    days_chart = bar_chart([(f"{d.day:%d.%m}", float(d.calls), None) for d in figures.days[-31:]])
    category_chart = bar_chart([(c.name, float(n), None) for c, n in figures.by_category])
    hours_chart = bar_chart([(f"{h:02d}:00", float(n), None) for h, n in figures.by_hour])
    return render(
        request,
        "helpline/statistics.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "figures": figures,
            "days_chart": days_chart,
            "category_chart": category_chart,
            "hours_chart": hours_chart,
            "share": round(figures.share_in_term * 100, 1) if figures.share_in_term is not None else None,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    """The public page: the numbers and hours, what the helpline helps with, the web form."""
    form = WebRequestForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "channel": CallChannel.WEB_FORM}
        try:
            pending = actions.start_web_request(data=_call_input(data), ip_address=_ip(request))
        except DomainError as refusal:
            error = refusal
            for name, problems in refusal.fields.items():
                if name in form.fields:
                    form.add_error(name, problems)
        else:
            request.session[PENDING] = pending.pk
            messages.success(request, _("A code was sent to your phone. Type it to file the request."))
            return redirect("helpline:confirm")
    status = error.http_status if error is not None else (400 if form.errors else 200)
    return render(
        request,
        "helpline/contact.html",
        {"form": form, "error": error, "categories": queries.categories()},
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending:
        return redirect("helpline:contact")
    form = CodeForm(request.POST or None)
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        try:
            call = actions.confirm_web_request(
                code_id=int(pending), code=form.cleaned_data["code"], ip_address=_ip(request)
            )
        except DomainError as refusal:
            error = refusal
        else:
            request.session.pop(PENDING, None)
            messages.success(
                request,
                _("Your request is filed as %(number)s. Keep the number to follow it.") % {"number": call.number},
            )
            return redirect(f"{reverse('helpline:follow')}?number={call.number}")
    status = error.http_status if error is not None else (400 if form.errors else 200)
    return render(request, "helpline/confirm.html", {"form": form, "error": error}, status=status)


@never_cache
def follow(request: HttpRequest) -> HttpResponse:
    form = FollowForm(
        request.GET if request.GET.get("phone") else None, initial={"number": request.GET.get("number", "")}
    )
    call: Call | None = None
    error: DomainError | None = None
    if form.is_bound and form.is_valid():
        try:
            call = actions.follow_request(
                number=form.cleaned_data["number"], phone=form.cleaned_data["phone"], ip_address=_ip(request)
            )
        except DomainError as refusal:
            error = refusal
    status = error.http_status if error is not None else 200
    return render(request, "helpline/follow.html", {"form": form, "call": call, "error": error}, status=status)
