"""Public pages of the court directory: the courts by region, search, a court's page."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from torelik.core.replicas import reads_from_replica
from torelik.courts import queries
from torelik.courts.errors import CourtNotFoundError
from torelik.courts.forms import CourtSearchForm


@reads_from_replica
def court_directory(request: HttpRequest) -> HttpResponse:
    form = CourtSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    courts = queries.search_courts(
        region=filters.get("region") or None, kind=filters.get("kind") or None, q=filters.get("q") or None
    )
    page = Paginator(courts, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "courts/directory.html",
        {
            "form": form,
            "page": page,
            "query_string": query.urlencode(),
            "regions": queries.regions_with_court_counts(),
            "selected_region": filters.get("region") or "",
            "equipment": queries.courtroom_equipment(region=filters.get("region") or None),
        },
    )


def court_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        court = queries.get_court(code)
    except CourtNotFoundError as error:
        raise Http404(error.message) from error
    return render(
        request,
        "courts/detail.html",
        {
            "court": court,
            "courtrooms": queries.courtrooms_of(court),
            "judges": queries.judges_of(court),
            "lower_courts": queries.search_courts().filter(parent=court),
        },
    )
