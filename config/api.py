"""The JSON API at /api/v1/: every context's router, and one error format for all of them."""

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import ValidationError

from torelik.core.errors import DomainError
from torelik.courts.api import router as courts_router

api = NinjaAPI(
    title="Torelik API",
    version="1",
    description="Open API of the Torelik court information system. Errors: {code, message, fields}.",
    urls_namespace="api-v1",
)
api.add_router("/", courts_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=error.http_status)


def _field_name(location: list[str | int] | tuple[str | int, ...]) -> str:
    # ninja reports ("query", "filters", "kind") or ("path", "code"): the last name is the field.
    names = [str(part) for part in location if part not in {"query", "path", "body", "header", "cookie"}]
    return names[-1] if names else "__all__"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        fields.setdefault(_field_name(item.get("loc", ())), []).append(str(item.get("msg", "")))
    body = {"code": "invalid_input", "message": _("Some of the data sent is not valid."), "fields": fields}
    return api.create_response(request, body, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    body = {"code": "not_found", "message": _("Nothing was found at this address."), "fields": {}}
    return api.create_response(request, body, status=404)
