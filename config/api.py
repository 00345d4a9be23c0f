"""The JSON API at /api/v1/: every context's router, and one error format for all of them."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError

from torelik.acts.api import router as acts_router
from torelik.archive.api import router as log_router
from torelik.cases.api import router as cases_router
from torelik.core.api import ErrorOut
from torelik.core.errors import DomainError
from torelik.courts.api import router as courts_router
from torelik.deadlines.api import router as deadlines_router
from torelik.distribution.api import router as distribution_router
from torelik.exchange.api import router as exchange_router
from torelik.filing.api import router as filing_router
from torelik.hearings.api import router as hearings_router
from torelik.identity.api import router as identity_router
from torelik.notifications.api import router as notifications_router
from torelik.post.api import router as post_router
from torelik.publication.api import router as publication_router
from torelik.reports.api import router as reports_router
from torelik.summons.api import router as summons_router

_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}
_ERROR_DESCRIPTIONS = {
    "400": "The request could not be read, or a rule of the domain refused it",
    "401": "Not logged in",
    "403": "Forbidden, or no valid CSRF token",
    "404": "Not found (or not yours to see)",
    "413": "Request body too big",
    "422": "Invalid input: the fields at fault",
}


class TorelikAPI(NinjaAPI):
    """The API whose OpenAPI names every status an operation can answer (ADR 0035): besides what each
    operation declares, 400 and 422 wherever there is input, 404 everywhere (what the path names or the
    operation reads may not be there), 401 and 403 wherever a login is needed, 413 wherever there is a
    body; each in the error format."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema())
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                statuses = {"404"}  # what the path names, or what the operation reads, may not be there
                parameters = operation.get("parameters", [])
                if parameters or "requestBody" in operation:
                    statuses |= {"400", "422"}
                if operation.get("security"):
                    statuses |= {"401", "403"}
                if "requestBody" in operation:
                    statuses.add("413")
                for status in sorted(statuses):
                    if status in operation["responses"]:
                        continue
                    operation["responses"].setdefault(
                        int(status),
                        {
                            "description": _ERROR_DESCRIPTIONS[status],
                            "content": {"application/json": {"schema": _ERROR_REF}},
                        },
                    )
        return schema


api = TorelikAPI(
    title="Torelik API",
    version="1",
    description="Open API of the Torelik court information system. Errors: {code, message, fields}.",
    urls_namespace="api-v1",
)
api.add_router("/", courts_router)
# Before the case file: `/cases/{number}/distribution` would otherwise be read as a case number.
api.add_router("/", distribution_router)
api.add_router("/", hearings_router)
# Before the acts router: its /acts/{act_id} would take the public /acts/export.
api.add_router("/", publication_router)
# Before the cases router: its /cases/{path:number} would take /cases/{number}/acts.
api.add_router("/", acts_router)
api.add_router("/", cases_router)
api.add_router("/", deadlines_router)
api.add_router("/", identity_router)
api.add_router("/", filing_router)
api.add_router("/", notifications_router)
api.add_router("/", summons_router)
api.add_router("/", log_router)
api.add_router("/", post_router)
api.add_router("/", reports_router)
api.add_router("/", exchange_router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return api.create_response(request, error.as_dict(), status=error.http_status)


def _field_name(location: list[str | int] | tuple[str | int, ...]) -> str:
    # ninja reports ("query", "filters", "kind") or ("path", "code"): the last name is the field.
    names = [str(part) for part in location if part not in {"query", "path", "body", "header", "cookie"}]
    return names[-1] if names else "__all__"


# Pydantic explains errors in English; these are the ones a client of this API meets, in the
# user's language. Anything else keeps pydantic's own text.
_INPUT_ERRORS = {
    "missing": gettext_lazy("This field is required."),
    "string_pattern_mismatch": gettext_lazy("The value does not have the expected format."),
    "string_too_short": gettext_lazy("Enter at least %(min_length)s characters."),
    "string_too_long": gettext_lazy("Enter at most %(max_length)s characters."),
    "enum": gettext_lazy("Choose one of: %(expected)s."),
    "int_parsing": gettext_lazy("Enter a whole number."),
    "int_type": gettext_lazy("Enter a whole number."),
    "greater_than_equal": gettext_lazy("Enter a number greater than or equal to %(ge)s."),
    "less_than_equal": gettext_lazy("Enter a number less than or equal to %(le)s."),
    "date_from_datetime_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
    "date_parsing": gettext_lazy("Enter a date as YYYY-MM-DD."),
}


def _input_error_message(item: Mapping[str, Any]) -> str:
    context = item.get("ctx") or {}
    if item.get("type") == "value_error" and "error" in context:
        return str(context["error"])  # our validators raise already-translated messages
    template = _INPUT_ERRORS.get(str(item.get("type")))
    if template is None:
        return str(item.get("msg", ""))
    try:
        return str(template) % {key: str(value) for key, value in context.items()}
    except (KeyError, TypeError, ValueError):
        return str(item.get("msg", ""))


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for item in error.errors:
        fields.setdefault(_field_name(item.get("loc", ())), []).append(_input_error_message(item))
    body = {"code": "invalid_input", "message": _("Some of the data sent is not valid."), "fields": fields}
    return api.create_response(request, body, status=422)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return api.create_response(request, not_found_body(), status=404)


def not_found_body() -> dict[str, object]:
    return {"code": "not_found", "message": _("Nothing was found at this address."), "fields": {}}


@csrf_exempt  # a write to an unknown address is answered 404 in JSON, not with the CSRF page
def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any address under /api/ that no route serves: the API's 404, not the HTML page."""
    return api.create_response(request, not_found_body(), status=404)


@api.exception_handler(RequestDataTooBig)
def request_too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    message = _("The request is too big.")
    return api.create_response(request, {"code": "too_big", "message": message, "fields": {}}, status=413)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    # ninja raises these for authentication, authorisation and throttling; our own code raises DomainError.
    if isinstance(error, AuthenticationError):
        code, message = "not_authenticated", _("Log in to use this part of the API.")
    elif isinstance(error, AuthorizationError):
        code, message = "forbidden", _("You may not do this.")
    elif isinstance(error, Throttled):
        code, message = "too_many_requests", _("Too many requests: try again later.")
    else:
        code, message = "http_error", str(error)
    return api.create_response(request, {"code": code, "message": message, "fields": {}}, status=error.status_code)
