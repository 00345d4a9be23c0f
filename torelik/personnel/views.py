"""Pages of the personnel officers (a court's own; the Supreme Court's personnel department: every
court): the person's card with the career journal, recording an appointment, decision or absence with
its document, the court's staff table, and the reports with their charts and CSV."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from torelik.archive.actions import store_file
from torelik.archive.models import StoredFile
from torelik.core import clock
from torelik.core.charts import bar_chart
from torelik.core.errors import DomainError
from torelik.core.http import csv_attachment
from torelik.courts.models import AbsenceKind, Court
from torelik.identity.actions import known_or_new_person
from torelik.identity.models import Person, User
from torelik.personnel import access, actions, queries
from torelik.personnel.errors import PersonnelError, PersonnelErrorCode
from torelik.personnel.forms import AbsenceForm, AppointmentForm, DecisionForm, FindPersonForm, PostsForm, YearForm
from torelik.personnel.models import CareerEntryKind, Post, PostKind

DOCUMENT_MAX_BYTES = 20 * 1024 * 1024
NOT_OFFICER = gettext_lazy("These pages are for the courts' personnel officers.")


def _refused(request: HttpRequest, message: object, status: int = 403) -> HttpResponse:
    return render(request, "personnel/refused.html", {"message": message}, status=status)


def officer_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (isinstance(request.user, User) and request.user.is_authenticated):
            return redirect(f"{reverse('login')}?next={request.path}")
        if not access.is_officer(request.user):
            return _refused(request, NOT_OFFICER)
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return never_cache(wrapped)


@officer_only
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """The courts the officer keeps, and a person found (or added) by IIN."""
    form = FindPersonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            iin = form.cleaned_data["iin"]
            if Person.objects.filter(iin=iin).exists() or (
                form.cleaned_data["surname"] and form.cleaned_data["given_name"]
            ):
                known_or_new_person(
                    iin=iin, surname=form.cleaned_data["surname"], given_name=form.cleaned_data["given_name"]
                )
                return redirect("personnel:person", iin=iin)
            form.add_error("surname", _("No one with this IIN is known yet: give the surname and given name."))
        status = 422
    courts = access.officer_courts(request.user)
    listed = (Court.objects.all() if courts is None else courts).order_by("code")
    return render(
        request,
        "personnel/index.html",
        {"form": form, "courts": listed, "national": courts is None, "today": clock.today()},
        status=status,
    )


def _court_kept(request: HttpRequest, code: str) -> Court | HttpResponse:
    court = get_object_or_404(Court, code=code)
    if not access.keeps_records_of(request.user, court):
        return _refused(request, _("You keep the personnel records of another court."))
    return court


@officer_only
@require_http_methods(["GET", "POST"])
def staff_table(request: HttpRequest, code: str) -> HttpResponse:
    """The court's staff table: every post, who holds it since when, the judges' terms, the vacancies."""
    court = _court_kept(request, code)
    if isinstance(court, HttpResponse):
        return court
    form = PostsForm(request.POST or None)
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                actions.establish_posts(
                    court=court,
                    kind=PostKind(form.cleaned_data["kind"]),
                    count=form.cleaned_data["count"],
                    actor=request.user,  # type: ignore[arg-type]
                )
                return redirect("personnel:staff_table", code=court.code)
            except DomainError as refused:
                error, status = refused, refused.http_status
        else:
            status = 422
    posts = list(queries.staff_table(court))
    return render(
        request,
        "personnel/staff_table.html",
        {
            "court": court,
            "posts": posts,
            "vacant": sum(1 for post in posts if post.holder_id is None),
            "form": form,
            "error": error,
        },
        status=status,
    )


@officer_only
@require_http_methods(["GET", "POST"])
def abolish_post(request: HttpRequest, code: str, post_id: int) -> HttpResponse:
    """A vacant post taken out of the staff table: asked to confirm (GET), then done (POST)."""
    court = _court_kept(request, code)
    if isinstance(court, HttpResponse):
        return court
    post = get_object_or_404(Post, pk=post_id, court=court)
    named = {"kind": post.get_kind_display(), "number": post.number}
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        try:
            actions.abolish_post(post=post, actor=request.user)  # type: ignore[arg-type]
        except DomainError as refused:
            error, status = refused, refused.http_status
        else:
            messages.success(request, _("The post “%(kind)s No. %(number)s” is abolished.") % named)
            return redirect("personnel:staff_table", code=court.code)
    return render(request, "personnel/abolish.html", {"court": court, "post": post, "error": error}, status=status)


def _person_kept(request: HttpRequest, iin: str) -> Person | HttpResponse:
    person = get_object_or_404(Person, iin=iin)
    if not access.keeps_records_of_person(request.user, person):
        return _refused(request, _("You keep the personnel records of another court."))
    return person


@officer_only
def person(request: HttpRequest, iin: str) -> HttpResponse:
    """A person's card: the post held, the career journal (newest first), the absences."""
    found = _person_kept(request, iin)
    if isinstance(found, HttpResponse):
        return found
    return render(
        request,
        "personnel/person.html",
        {
            "person": found,
            "post": queries.post_of(found),
            "career": queries.career_of(found),
            "absences": queries.absences_of(found),
        },
    )


def _document(request: HttpRequest, form: forms.Form) -> StoredFile | None:
    upload = request.FILES.get("document")
    if upload is None:
        return None
    return store_file(content=upload, filename=upload.name or "document", max_size=DOCUMENT_MAX_BYTES, field="document")


def _record(
    request: HttpRequest,
    iin: str,
    form_class: type[forms.Form],
    template: str,
    write: Callable[[Person, dict[str, Any], StoredFile | None, User], object],
) -> HttpResponse:
    """The common shape of the three recording pages: on a refusal the form comes back with what was
    typed (the draft is not lost) and the error, with a 4xx status."""
    found = _person_kept(request, iin)
    if isinstance(found, HttpResponse):
        return found
    form = form_class(request.POST or None, request.FILES or None)
    error: DomainError | None = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                with transaction.atomic():
                    document = _document(request, form)
                    write(found, form.cleaned_data, document, request.user)  # type: ignore[arg-type]
                return redirect("personnel:person", iin=found.iin)
            except DomainError as refused:
                error, status = refused, refused.http_status
                for name, messages in refused.fields.items():
                    if name in form.fields:
                        for message in messages:
                            form.add_error(name, message)
        else:
            status = 422
    return render(
        request,
        template,
        {"person": found, "form": form, "error": error, "post": queries.post_of(found)},
        status=status,
    )


def _find_post(data: dict[str, Any], user: User) -> Post:
    post = (
        Post.objects.filter(court__code=data["court"], kind=data["post_kind"], number=data["post_number"])
        .select_related("court")
        .first()
    )
    if post is None:
        message = gettext_lazy("There is no such post in the court's staff table.")
        raise PersonnelError(PersonnelErrorCode.POST_NOT_FOUND, message, fields={"post_number": [str(message)]})
    if not access.keeps_records_of(user, post.court):
        message = gettext_lazy("You keep the personnel records of another court.")
        raise PersonnelError(PersonnelErrorCode.POST_NOT_FOUND, message, fields={"court": [str(message)]})
    return post


@officer_only
@require_http_methods(["GET", "POST"])
def appoint(request: HttpRequest, iin: str) -> HttpResponse:
    def write(person: Person, data: dict[str, Any], document: StoredFile | None, user: User) -> object:
        return actions.appoint(
            person=person,
            post=_find_post(data, user),
            kind=CareerEntryKind(data["kind"]),
            effective_on=data["effective_on"],
            decree_number=data["decree_number"],
            decree_date=data["decree_date"],
            term_ends_on=data["term_ends_on"],
            document=document,
            actor=user,
        )

    return _record(request, iin, AppointmentForm, "personnel/appoint.html", write)


@officer_only
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, iin: str) -> HttpResponse:
    def write(person: Person, data: dict[str, Any], document: StoredFile | None, user: User) -> object:
        return actions.record_decision(
            person=person,
            kind=CareerEntryKind(data["kind"]),
            effective_on=data["effective_on"],
            decree_number=data["decree_number"],
            decree_date=data["decree_date"],
            details=data["details"],
            document=document,
            actor=user,
        )

    return _record(request, iin, DecisionForm, "personnel/decision.html", write)


@officer_only
@require_http_methods(["GET", "POST"])
def absence(request: HttpRequest, iin: str) -> HttpResponse:
    def write(person: Person, data: dict[str, Any], document: StoredFile | None, user: User) -> object:
        return actions.record_absence(
            person=person,
            kind=AbsenceKind(data["kind"]),
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            reason=data["reason"],
            document=document,
            actor=user,
        )

    return _record(request, iin, AbsenceForm, "personnel/absence.html", write)


def _vacancy_rows(rows: list[queries.VacancyRow]) -> SafeString:
    """The table's body built in Python: at national scale (377 courts) the template loop was most of the time."""
    prefix = reverse("personnel:staff_table", kwargs={"code": "0000"})[: -len("0000/")]
    return format_html_join(
        "\n",
        '<tr data-court="{0}"><td><a href="{1}{0}/">{0} {2}</a></td><td>{3}</td><td>{4}</td>'
        '<td class="vacant">{5}</td><td>{6}</td><td>{7}</td></tr>',
        (
            (r.court.code, prefix, r.court.name, r.posts, r.filled, r.vacant, r.judicial_posts, r.judicial_vacant)
            for r in rows
        ),
    )


def _absence_rows(report: queries.AbsenceReport) -> SafeString:
    return format_html_join(
        "\n",
        '<tr data-court="{0}"><td>{0} {1}</td>{2}<td>{3}</td></tr>',
        (
            (
                row.court.code,
                row.court.name,
                format_html_join("", "<td>{}</td>", ((days,) for days in row.days)),
                row.total,
            )
            for row in report.rows
        ),
    )


@officer_only
def vacancies(request: HttpRequest) -> HttpResponse:
    rows = queries.vacancies_by_court(access.court_ids_for(request.user))
    if request.GET.get("format") == "csv":
        return csv_attachment(
            "vacancies.csv",
            [
                _("Court code"),
                _("Court"),
                _("Posts"),
                _("Filled"),
                _("Vacant"),
                _("Judges' posts"),
                _("Judges' vacant"),
            ],
            [
                [r.court.code, r.court.name, r.posts, r.filled, r.vacant, r.judicial_posts, r.judicial_vacant]
                for r in rows
            ],
        )
    worst = sorted(rows, key=lambda r: -r.vacant)[:20]
    chart = bar_chart([(r.court.code, float(r.vacant), None) for r in worst if r.vacant])
    return render(
        request,
        "personnel/vacancies.html",
        {
            "body": _vacancy_rows(rows),
            "chart": chart,
            "posts": sum(r.posts for r in rows),
            "vacant": sum(r.vacant for r in rows),
            "judicial_vacant": sum(r.judicial_vacant for r in rows),
        },
    )


@officer_only
def terms(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    posts = list(queries.terms_ending(access.court_ids_for(request.user), today=today))
    if request.GET.get("format") == "csv":
        return csv_attachment(
            "terms-of-office.csv",
            [_("Court code"), _("Court"), _("Judge"), _("IIN"), _("Position"), _("Term of office ends")],
            [
                [
                    p.court.code,
                    p.court.name,
                    p.holder.full_name if p.holder else "",
                    p.holder.iin if p.holder else "",
                    p.get_kind_display(),
                    p.term_ends_on.isoformat() if p.term_ends_on else "",
                ]
                for p in posts
            ],
        )
    by_month: dict[str, int] = {}
    for post in posts:
        if post.term_ends_on is not None:
            label = f"{post.term_ends_on:%m.%Y}"
            by_month[label] = by_month.get(label, 0) + 1
    chart = bar_chart([(label, float(count), None) for label, count in by_month.items()])
    return render(request, "personnel/terms.html", {"posts": posts, "today": today, "chart": chart})


@officer_only
def absences(request: HttpRequest) -> HttpResponse:
    form = YearForm(request.GET or None)
    year = clock.today().year
    if form.is_valid() and form.cleaned_data["year"]:
        year = form.cleaned_data["year"]
    elif request.GET.get("year") and not form.is_valid():
        return render(request, "personnel/absences.html", {"form": form, "report": None}, status=422)
    report = queries.absences_by_month(access.court_ids_for(request.user), year=year)
    months = [dt.date(year, month, 1) for month in range(1, 13)]
    if request.GET.get("format") == "csv":
        return csv_attachment(
            f"absences-{year}.csv",
            [_("Court code"), _("Court"), _("Absences"), *[f"{m:%Y-%m}" for m in months], _("Days")],
            [[r.court.code, r.court.name, r.absences, *r.days, r.total] for r in report.rows],
        )
    chart = bar_chart([(f"{m:%m.%Y}", float(days), None) for m, days in zip(months, report.totals, strict=True)])
    return render(
        request,
        "personnel/absences.html",
        {"form": form, "report": report, "body": _absence_rows(report), "months": months, "chart": chart, "year": year},
    )
