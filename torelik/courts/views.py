"""Public pages of the court directory: the courts by region, search, a court's page.

Both are kept per registry version and language (`courts.registry.page`, ADR 0078): the content once,
the whole page for anonymous visitors, with its ETag."""

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from torelik.core.replicas import reads_from_replica
from torelik.courts import queries, registry
from torelik.courts.errors import CourtNotFoundError
from torelik.courts.forms import CourtSearchForm


def _query_key(request: HttpRequest) -> tuple[tuple[str, tuple[str, ...]], ...]:
    return tuple(sorted((name, tuple(values)) for name, values in request.GET.lists()))


@reads_from_replica
def court_directory(request: HttpRequest) -> HttpResponse:
    def build() -> dict[str, Any]:
        form = CourtSearchForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        courts = queries.search_courts(
            region=filters.get("region") or None, kind=filters.get("kind") or None, q=filters.get("q") or None
        )
        page = Paginator(courts, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        content = render_to_string(
            "courts/_directory.html",
            {
                "form": form,
                "page": page,
                "query_string": query.urlencode(),
                "regions": queries.regions_with_court_counts(),
                "selected_region": filters.get("region") or "",
                "equipment": queries.courtroom_equipment(region=filters.get("region") or None),
            },
        )
        return {"content": content}

    return registry.page(request, ("directory", _query_key(request)), "courts/directory.html", build)


def court_detail(request: HttpRequest, code: str) -> HttpResponse:
    def build() -> dict[str, Any] | None:
        try:
            court = queries.get_court(code)
        except CourtNotFoundError:
            return None
        content = render_to_string(
            "courts/_detail.html",
            {
                "court": court,
                "courtrooms": queries.courtrooms_of(court),
                "judges": queries.judges_of(court),
                "lower_courts": queries.search_courts().filter(parent=court),
            },
        )
        return {"title": court.name, "content": content}

    return registry.page(request, ("detail", code), "courts/detail.html", build)
