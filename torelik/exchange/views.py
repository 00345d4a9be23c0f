"""Pages of the exchange for court staff and the exchange's operators: the partners' figures, the dead
letters with their errors, and each event's page where a dead letter is sent again or annulled with a
reason (ADR 0092)."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from torelik.core.errors import DomainError
from torelik.exchange import access, deadletters, partners, queries
from torelik.exchange.forms import DecisionForm
from torelik.exchange.models import DeliveryStatus, OutboundEvent
from torelik.identity.models import User

SHOWN = 50


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def _labelled(events: list[OutboundEvent]) -> list[OutboundEvent]:
    for event in events:
        event.partner_name = partners.name_of(event.partner)  # type: ignore[attr-defined]
        event.type_label = partners.event_type_label(event.event_type)  # type: ignore[attr-defined]
    return events


@login_required
@require_http_methods(["GET"])
def overview(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not access.may_operate(user):
        return render(request, "exchange/refused.html", status=403)
    events = access.events_visible_to(user)
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
        return render(request, "exchange/refused.html", {"message": error.message}, status=error.http_status)
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
                messages.success(request, _("The event is sent again.") if done else _("The event is annulled."))
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
