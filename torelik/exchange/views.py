"""Pages of the exchange: the court office's journal of correspondence (incoming and outgoing letters),
writing and signing an outgoing letter, registering an incoming one, a letter's page; the administrator's
page of partners' clients (a new client's token shown once), revocation and each client's journal.

Pages of the exchange for court staff and the exchange's operators: the partners' figures, the dead
letters with their errors, and each event's page where a dead letter is sent again or annulled with a
reason (ADR 0092)."""

import uuid

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from torelik.core.errors import DomainError, NotFoundError
from torelik.courts.models import Court
from torelik.exchange import access, clients, deadletters, letters, partners, queries
from torelik.exchange.errors import REFUSAL_NAMES
from torelik.exchange.forms import ClientForm, DecisionForm, IncomingLetterForm, OutgoingLetterForm, RevokeForm
from torelik.exchange.inbound import TOPICS
from torelik.exchange.models import (
    DeliveryStatus,
    Letter,
    LetterDirection,
    OutboundEvent,
    PartnerClient,
    PartnerKind,
    SigningScheme,
)
from torelik.identity.models import User


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _refused(request: HttpRequest, error: DomainError) -> HttpResponse:
    return render(request, "exchange/refused.html", {"message": error.message}, status=error.http_status)


def _court_or_403(request: HttpRequest) -> Court | HttpResponse:
    try:
        return access.office_court(_user(request), request.GET.get("court", ""))
    except DomainError as error:
        return _refused(request, error)


def _put_error(form: object, error: DomainError) -> None:
    target = getattr(form, "fields", {})
    for name, problems in error.fields.items():
        for problem in problems:
            form.add_error(name if name in target else None, problem)  # type: ignore[attr-defined]
    if not error.fields:
        form.add_error(None, error.message)  # type: ignore[attr-defined]


@login_required
@require_http_methods(["GET"])
def register(request: HttpRequest) -> HttpResponse:
    court = _court_or_403(request)
    if isinstance(court, HttpResponse):
        return court
    direction = request.GET.get("direction", "")
    return render(
        request,
        "exchange/register.html",
        {
            "court": court,
            "courts": access.office_courts(_user(request)),
            "letters": list(queries.letters_of(court, direction)[:300]),
            "direction": direction if direction in LetterDirection.values else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def write(request: HttpRequest) -> HttpResponse:
    court = _court_or_403(request)
    if isinstance(court, HttpResponse):
        return court
    form = OutgoingLetterForm(request.POST or None)
    form.fields["counterpart"].queryset = queries.state_bodies(reachable=True)  # type: ignore[attr-defined]
    form.fields["in_reply_to"].queryset = queries.incoming_of(court)  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                letter = letters.write_letter(
                    court=court,
                    counterpart=form.cleaned_data["counterpart"],
                    kind=form.cleaned_data["kind"],
                    subject=form.cleaned_data["subject"],
                    text=form.cleaned_data["text"],
                    case_number=form.cleaned_data["case_number"],
                    in_reply_to=form.cleaned_data["in_reply_to"],
                    actor=_user(request),
                )
            except DomainError as error:
                _put_error(form, error)
                status = error.http_status
            else:
                flash.success(
                    request, _("Letter %(number)s is registered, signed and being sent.") % {"number": letter.number}
                )
                return redirect("exchange:letter", letter.public_id)
        else:
            status = 400
    return render(request, "exchange/write.html", {"court": court, "form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def register_incoming(request: HttpRequest) -> HttpResponse:
    court = _court_or_403(request)
    if isinstance(court, HttpResponse):
        return court
    form = IncomingLetterForm(request.POST or None)
    form.fields["counterpart"].queryset = queries.state_bodies()  # type: ignore[attr-defined]
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                letter = letters.register_paper_letter(
                    court=court,
                    counterpart=form.cleaned_data["counterpart"],
                    kind=form.cleaned_data["kind"],
                    number=form.cleaned_data["counterpart_number"],
                    on=form.cleaned_data["counterpart_date"],
                    subject=form.cleaned_data["subject"],
                    text=form.cleaned_data["text"],
                    case_number=form.cleaned_data["case_number"],
                    actor=_user(request),
                )
            except DomainError as error:
                _put_error(form, error)
                status = error.http_status
            else:
                flash.success(
                    request, _("Incoming letter registered under number %(number)s.") % {"number": letter.number}
                )
                return redirect("exchange:letter", letter.public_id)
        else:
            status = 400
    return render(request, "exchange/incoming.html", {"court": court, "form": form}, status=status)


def _letter_or_404(request: HttpRequest, letter_id: uuid.UUID) -> Letter:
    try:
        return access.access_letter_for(_user(request), letter_id)
    except NotFoundError as error:
        raise Http404(error.message) from error


@login_required
@require_http_methods(["GET"])
def letter(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    found = _letter_or_404(request, letter_id)
    return render(request, "exchange/letter.html", {"letter": found, "signed": bool(found.signature)})


@login_required
@require_POST
def send_again(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    found = _letter_or_404(request, letter_id)
    try:
        letters.send_again(letter=found, actor=_user(request))
    except DomainError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("The letter is being sent again."))
    return redirect("exchange:letter", found.public_id)


# --- Partners' clients --------------------------------------------------------------------------------


def _admin_or_403(request: HttpRequest) -> HttpResponse | None:
    try:
        access.check_manages_clients(_user(request))
    except DomainError as error:
        return _refused(request, error)
    return None


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def partner_clients(request: HttpRequest) -> HttpResponse:
    refused = _admin_or_403(request)
    if refused:
        return refused
    form = ClientForm(request.POST or None, initial={"kind": PartnerKind.ENFORCEMENT, "signing": SigningScheme.HMAC})
    made = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = clients.create_client(
                    name=data["name"],
                    kind=data["kind"],
                    scopes=data["scopes"] or None,
                    signing=data["signing"],
                    public_key_pem=data["public_key_pem"],
                    bin=data["bin"],
                    endpoint_url=data["endpoint_url"],
                    actor=_user(request),
                )
            except DomainError as error:
                _put_error(form, error)
                status = error.http_status
            else:
                form = ClientForm(initial={"kind": PartnerKind.ENFORCEMENT, "signing": SigningScheme.HMAC})
        else:
            status = 400
    return render(
        request,
        "exchange/clients.html",
        {"clients": list(queries.clients_with_figures()), "form": form, "made": made},
        status=status,
    )


def _client_or_404(request: HttpRequest, client_id: uuid.UUID) -> object:
    try:
        return access.access_client_for(_user(request), client_id)
    except NotFoundError as error:
        raise Http404(error.message) from error
    except DomainError as error:
        return _refused(request, error)


def _call_rows(client: PartnerClient) -> list[dict[str, object]]:
    return [
        {
            "call": call,
            "topic": TOPICS[call.topic].scope.label if call.topic in TOPICS else call.topic,
            "reason": REFUSAL_NAMES.get(call.code, call.code),  # type: ignore[call-overload]
        }
        for call in queries.calls_of(client)
    ]


@login_required
@require_http_methods(["GET"])
def partner_client(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    found = _client_or_404(request, client_id)
    if isinstance(found, HttpResponse):
        return found
    return render(
        request,
        "exchange/client.html",
        {"client": found, "calls": _call_rows(found), "form": RevokeForm()},  # type: ignore[arg-type]
    )


@login_required
@require_POST
def revoke(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    found = _client_or_404(request, client_id)
    if isinstance(found, HttpResponse):
        return found
    form = RevokeForm(request.POST)
    if not form.is_valid():
        context = {"client": found, "calls": _call_rows(found), "form": form}  # type: ignore[arg-type]
        return render(request, "exchange/client.html", context, status=400)
    clients.revoke_client(client=found, actor=_user(request), reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
    flash.success(request, _("The client's credential is revoked."))
    return redirect("exchange:client", found.public_id)  # type: ignore[attr-defined]


SHOWN = 50


def _labelled(events: list[OutboundEvent]) -> list[OutboundEvent]:
    for event in events:
        event.partner_name = partners.name_of(event.partner)  # type: ignore[attr-defined]
        event.type_label = partners.event_type_label(event.event_type)  # type: ignore[attr-defined]
    return events


@login_required
@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    try:
        events = access.events_visible_to(_user(request))
    except DomainError as error:
        return _refused(request, error)
    return render(
        request,
        "exchange/overview.html",
        {
            "figures": queries.figures(events),
            "dead": _labelled(list(queries.dead_letters(events)[:SHOWN])),
            "recent": _labelled(list(queries.recent(events)[:SHOWN])),
            "decisions": list(queries.decisions(events)[:SHOWN]),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_page(request: HttpRequest, event_id: uuid.UUID) -> HttpResponse:
    user = _user(request)
    try:
        event = access.access_event_for(user, event_id)
    except DomainError as error:
        return _refused(request, error)
    form = DecisionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        assert user is not None  # noqa: S101 - access refuses anonymous users
        if form.is_valid():
            act = (
                deadletters.retry_dead_letter
                if form.cleaned_data["decision"] == "retry"
                else deadletters.annul_dead_letter
            )
            try:
                act(event=event, actor=user, reason=form.cleaned_data["reason"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                done = form.cleaned_data["decision"] == "retry"
                flash.success(request, _("The event is sent again.") if done else _("The event is annulled."))
                return redirect("exchange:event", event_id=event.public_id)
        status = 422
    _labelled([event])
    return render(
        request,
        "exchange/event.html",
        {
            "event": event,
            "form": form,
            "is_dead": event.status == DeliveryStatus.DEAD,
            "decisions": list(event.decisions.select_related("actor")),
            "payload_size": len(str(event.payload)),
        },
        status=status,
    )
