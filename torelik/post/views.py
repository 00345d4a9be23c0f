"""Pages of the post: the court office's worklist (letters that did not reach their addressee or never
left, batches and polls that failed, reports that matched no letter), envelopes and the day's register,
public tracking by barcode, and the statistics per court and period."""

import datetime as dt
import uuid

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from torelik.cases.access import staff_court_ids
from torelik.core import clock
from torelik.core.charts import bar_chart
from torelik.core.errors import DomainError
from torelik.courts.models import Court
from torelik.identity.models import User
from torelik.post import access, actions, printing, queries, tracking
from torelik.post.forms import AddressForm, PeriodForm, TrackForm
from torelik.post.models import FINAL_STATUSES, LetterStatus

NEXT_STEP = {
    LetterStatus.ADDRESS_INCOMPLETE: gettext_lazy("Add the postal index to the address; the letter then goes out."),
    LetterStatus.REJECTED: gettext_lazy("Correct the address and send the letter again."),
    LetterStatus.RETURNED: gettext_lazy("Check the address; serve again by letter, by SMS or through the bailiff."),
    LetterStatus.UNDELIVERABLE: gettext_lazy(
        "Find the addressee's current address and send again, or serve by another channel."
    ),
}


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _staff_or_403(request: HttpRequest) -> set[int] | HttpResponse:
    courts = staff_court_ids(_user(request))
    if not courts:
        return render(request, "post/not_staff.html", status=403)
    return courts


@login_required
@require_http_methods(["GET"])
def worklist(request: HttpRequest) -> HttpResponse:
    courts = _staff_or_403(request)
    if isinstance(courts, HttpResponse):
        return courts
    letters = list(queries.needing_action(courts))
    rows = [
        {
            "letter": x,
            "next_step": NEXT_STEP.get(LetterStatus(x.status), ""),
            "reason": tracking.reason_text(x.reason),
            "form": AddressForm(initial={"address": x.address_text})
            if x.status in (LetterStatus.ADDRESS_INCOMPLETE, LetterStatus.REJECTED)
            else None,
        }
        for x in letters
    ]
    own = sorted(courts)
    return render(
        request,
        "post/worklist.html",
        {
            "rows": rows,
            "batches": list(queries.troubled_batches(courts)),
            "polls": list(queries.tracking_trouble(courts)),
            "unmatched": list(queries.unmatched_reports()) if _user(request) and _user(request).is_superuser else [],  # type: ignore[union-attr]
            "to_hand_over": [(c, queries.registered_to_hand_over(c).count()) for c in own[:20]],
            "courts": {c.pk: c for c in Court.objects.filter(pk__in=own[:20])},
            "days": queries.register_days(courts),
            "today": clock.today(),
        },
    )


@login_required
@require_POST
def readdress(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    try:
        letter = access.access_letter_for(_user(request), letter_id)
    except DomainError as error:
        raise Http404 from error
    form = AddressForm(request.POST)
    if not form.is_valid():
        flash.error(request, _("Give the full address with its postal index."))
        return redirect("post:worklist")
    try:
        actions.complete_address(letter=letter, address_text=form.cleaned_data["address"], actor=_user(request))
    except DomainError as error:
        flash.error(request, error.message)
    else:
        flash.success(request, _("The address is complete: the letter goes out with the next batch."))
    return redirect("post:worklist")


@login_required
@require_POST
def hand_over(request: HttpRequest, court_id: int) -> HttpResponse:
    courts = _staff_or_403(request)
    if isinstance(courts, HttpResponse):
        return courts
    court = Court.objects.filter(pk=court_id, pk__in=courts).first()
    if court is None:
        raise Http404
    letters = actions.hand_over(court=court, day=clock.today(), actor=_user(request))
    flash.success(request, _("Letters in today's register: %(count)s.") % {"count": len(letters)})
    return redirect("post:worklist")


@login_required
@require_http_methods(["GET"])
def envelope(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    try:
        letter = access.access_letter_for(_user(request), letter_id)
    except DomainError as error:
        raise Http404 from error
    if not letter.barcode:
        raise Http404
    pdf = printing.envelope(actions.printed(letter), actions.sender_of(letter.court))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{letter.barcode}.pdf"'
    return response


@login_required
@require_http_methods(["GET"])
def register(request: HttpRequest, court_id: int, day: str, fmt: str) -> HttpResponse:
    courts = _staff_or_403(request)
    if isinstance(courts, HttpResponse):
        return courts
    court = Court.objects.filter(pk=court_id, pk__in=courts).first()
    try:
        date = dt.date.fromisoformat(day)
    except ValueError as error:
        raise Http404 from error
    if court is None:
        raise Http404
    rows = actions.register_rows(list(queries.register_of(court.pk, date)))
    name = f"register-{court.code}-{date.isoformat()}"
    if fmt == "csv":
        response = HttpResponse(printing.register_csv(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    pdf = printing.register_pdf(rows, court=actions.sender_of(court).name, day=date.strftime("%d.%m.%Y"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@never_cache
@require_http_methods(["GET"])
def track(request: HttpRequest) -> HttpResponse:
    """Anyone follows a court letter by its barcode: its status and dates, nothing about its content."""
    form = TrackForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    status = 200
    if form.is_bound and form.is_valid():
        try:
            letter = access.letter_to_track(form.cleaned_data["barcode"])
        except DomainError as error:
            form.add_error("barcode", error.message)
            status = error.http_status if error.http_status == 404 else 400
        else:
            context.update(
                letter=letter,
                events=queries.history(letter),
                final=letter.status in FINAL_STATUSES,
            )
    elif form.is_bound:
        status = 400
    return render(request, "post/track.html", context, status=status)


@login_required
@require_http_methods(["GET"])
def statistics(request: HttpRequest) -> HttpResponse:
    courts = _staff_or_403(request)
    if isinstance(courts, HttpResponse):
        return courts
    form = PeriodForm(request.GET or None)
    today = clock.today()
    start, end = today - dt.timedelta(days=29), today
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["start"] or start
        end = form.cleaned_data["end"] or end
    stats = queries.statistics(court_ids=courts, start=start, end=end)
    shares = [
        (str(LetterStatus(s).label), stats.by_status.get(s, 0), None)
        for s in (LetterStatus.DELIVERED, LetterStatus.REFUSED, LetterStatus.RETURNED, LetterStatus.UNDELIVERABLE)
    ]
    names = {c.pk: c.name for c in Court.objects.filter(pk__in=[c for c, _s, _f in stats.by_court])}
    per_court = bar_chart([(names.get(c, ""), float(sent), float(final)) for c, sent, final in stats.by_court])
    percents = {
        s: round(100 * (stats.share(s) or 0), 1)
        for s in (LetterStatus.DELIVERED, LetterStatus.REFUSED, LetterStatus.RETURNED, LetterStatus.UNDELIVERABLE)
    }
    return render(
        request,
        "post/statistics.html",
        {
            "form": form,
            "stats": stats,
            "start": start,
            "end": end,
            "final_percent": round(100 * (stats.final_share or 0), 1),
            "percents": [(str(LetterStatus(s).label), p) for s, p in percents.items()],
            "chart": bar_chart(shares),
            "court_chart": per_court,
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
