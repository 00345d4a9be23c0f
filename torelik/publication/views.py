"""Pages of the publication: the public search of acts `/{lang}/acts/`, a published act's page with its
printable view and a correction form, and the court staff's review queue with each act's masked spans
highlighted over the signed text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from torelik.acts.kinds import kind_of
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.courts.queries import positions_of
from torelik.identity.models import User
from torelik.publication import actions, printed, queries
from torelik.publication.depersonalise import SpanKind, spans_from
from torelik.publication.forms import AnswerForm, CorrectionForm, MaskForm, SearchForm
from torelik.publication.models import CorrectionOutcome, CorrectionRequest, PublicationStatus, PublishedAct

KIND_LABELS = {
    SpanKind.NAME: gettext_lazy("name of a person"),
    SpanKind.IIN: gettext_lazy("IIN"),
    SpanKind.PHONE: gettext_lazy("phone number"),
    SpanKind.EMAIL: gettext_lazy("e-mail"),
    SpanKind.ADDRESS: gettext_lazy("address"),
    SpanKind.BIRTH_DATE: gettext_lazy("date of birth"),
    SpanKind.DOCUMENT: gettext_lazy("document number"),
    SpanKind.PLATE: gettext_lazy("car plate"),
    SpanKind.ACCOUNT: gettext_lazy("bank account"),
    SpanKind.CARD: gettext_lazy("bank card"),
}


def _kind_name(code: str, language: str) -> str:
    kind = kind_of(code)
    if kind is None:
        return code
    return kind.name_kk if language == "kk" else kind.name_en if language == "en" else kind.name_ru


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    language = request.LANGUAGE_CODE
    results = None
    status = 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.filters() if form.is_bound else queries.Filters()
        results = queries.search(filters, language=language)
    facet_titles = {
        "court": _("Court"),
        "region": _("Region"),
        "instance": _("Instance"),
        "proceeding_type": _("Proceeding"),
        "category": _("Category"),
        "kind": _("Kind of act"),
        "outcome": _("Outcome"),
        "year": _("Year"),
    }
    query = request.GET.copy()
    query.pop("page", None)
    after = query.pop("after", None)
    return render(
        request,
        "publication/search.html",
        {
            "form": form,
            "results": results,
            "facet_titles": facet_titles,
            "kind_names": {h.act.kind: _kind_name(h.act.kind, language) for h in (results.hits if results else [])},
            "query_string": query.urlencode(),
            "after": after,
            "rank_cap": queries.RANK_CAP,
            "counters": queries.counters(clock.today()),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def act_page(request: HttpRequest, public_id: str) -> HttpResponse:
    act = queries.public_act(public_id)
    if act is None:
        raise Http404
    form = CorrectionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                request_ = actions.request_correction(
                    published=act, message=form.cleaned_data["message"], contact=form.cleaned_data["contact"]
                )
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(
                    request,
                    _(
                        "Your request was sent to the court. It will be answered by %(date)s. "
                        "Keep the address of this page: the answer will be here."
                    )
                    % {"date": request_.answer_by.strftime("%d.%m.%Y")},
                )
                return redirect("publication:correction", token=request_.token)
        else:
            messages.error(request, _("Say what should be corrected."))
    return render(
        request,
        "publication/act.html",
        {
            "act": act,
            "kind_name": _kind_name(act.kind, request.LANGUAGE_CODE),
            "form": form,
            "print": request.GET.get("print") == "1",
        },
        status=400 if request.method == "POST" else 200,
    )


def correction(request: HttpRequest, token: str) -> HttpResponse:
    """The requester's page of their correction request: its term, then the court's answer."""
    found = queries.correction_by_token(token)
    if found is None:
        raise Http404
    still_public = queries.public_act(found.published_act.public_id) is not None
    return render(request, "publication/correction.html", {"correction": found, "still_public": still_public})


def act_pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    """The depersonalised act as a PDF, from the same public door as its page."""
    act = queries.public_act(public_id)
    if act is None:
        raise Http404
    page_url = request.build_absolute_uri(reverse("publication:act", args=[act.public_id]))
    response = HttpResponse(printed.public_pdf(act, page_url=page_url), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{act.case_number.replace("/", "-")}.pdf"'
    return response


def _reviewer_courts(user: User) -> list[object]:
    return [p.court for p in positions_of(user).filter(role__in=actions.REVIEWERS).select_related("court")]


@login_required
def review_queue(request: HttpRequest) -> HttpResponse:
    courts = _reviewer_courts(request.user)  # type: ignore[arg-type]
    if not courts:
        return render(request, "403.html", status=403)
    return render(
        request,
        "publication/review_queue.html",
        {
            "candidates": queries.review_queue(courts),  # type: ignore[arg-type]
            "corrections": queries.open_corrections(courts),  # type: ignore[arg-type]
        },
    )


def highlighted(published: PublishedAct) -> SafeString:
    """The signed text with each masked span marked and its label shown (for the reviewer only)."""
    text = published.source_text
    out: list[str] = []
    position = 0
    for span in sorted(spans_from(published.spans), key=lambda s: s.start):
        out.append(str(escape(text[position : span.start])))
        out.append(
            f'<mark class="mask mask-{escape(span.kind)}" data-start="{span.start}" title="{escape(span.label)}">'
            f"{escape(text[span.start : span.end])}</mark>"
        )
        position = span.end
    out.append(str(escape(text[position:])))
    return mark_safe("".join(out))  # noqa: S308 - every piece escaped above


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, public_id: str) -> HttpResponse:
    published = get_object_or_404(PublishedAct.objects.select_related("court", "category"), public_id=public_id)
    user: User = request.user  # type: ignore[assignment]
    if not actions.may_review(user, published):
        return render(request, "403.html", status=403)
    if request.method == "POST":
        try:
            step = request.POST.get("step", "")
            if step == "answer":
                form_answer = AnswerForm(request.POST)
                if not form_answer.is_valid():
                    messages.error(request, _("Choose how the request is answered."))
                else:
                    target = get_object_or_404(
                        CorrectionRequest, pk=form_answer.cleaned_data["correction"], published_act=published
                    )
                    actions.answer_correction(
                        correction=target,
                        actor=user,
                        outcome=form_answer.cleaned_data["outcome"],
                        answer=form_answer.cleaned_data["answer"],
                    )
                    messages.success(request, _("The answer is sent: the requester sees it on the request's page."))
            elif step == "publish":
                actions.publish(published=published, actor=user)
                messages.success(request, _("The act is published."))
            elif step == "withdraw":
                actions.withdraw(published=published, actor=user, reason=request.POST.get("reason", ""))
                messages.success(request, _("The act is withdrawn from the public site."))
            else:
                form = MaskForm(request.POST)
                if not form.is_valid():
                    messages.error(request, _("Choose a passage of the act's text to mask."))
                elif form.cleaned_data["action"] == "remove":
                    actions.remove_mask(published=published, start=form.cleaned_data["start"], actor=user)
                    messages.success(request, _("The mask is removed."))
                else:
                    actions.add_mask(
                        published=published,
                        start=form.cleaned_data["start"],
                        end=form.cleaned_data["end"] or 0,
                        kind=form.cleaned_data["kind"] or SpanKind.NAME,
                        actor=user,
                    )
                    messages.success(request, _("The passage is masked."))
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect(request.path)
    return render(
        request,
        "publication/review.html",
        {
            "published": published,
            "highlighted": highlighted(published) if published.status != PublicationStatus.CLOSED else "",
            "spans": spans_from(published.spans),
            "kinds": [(k.value, KIND_LABELS[k]) for k in SpanKind],
            "events": published.events.select_related("actor").order_by("occurred_at", "id"),
            "corrections": queries.corrections_of(published),
            "outcomes": CorrectionOutcome.choices,
        },
    )
