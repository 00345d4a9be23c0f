"""Middleware of the site as a whole: the client's address behind the reverse proxy, and the size of the
bodies the API takes (ADR 0035, ADR 0037)."""

import ipaddress
import logging
import re
import time
from collections.abc import Callable
from io import BytesIO

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from torelik.core import observability

log = logging.getLogger("torelik.security")


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


Networks = list[ipaddress.IPv4Network | ipaddress.IPv6Network]


def _networks() -> Networks:
    return [ipaddress.ip_network(item, strict=False) for item in settings.TORELIK_TRUSTED_PROXIES]


def client_address(
    remote: str, forwarded_for: str, trusted: list[ipaddress.IPv4Network | ipaddress.IPv6Network]
) -> str:
    """The client's address: REMOTE_ADDR, unless it is a trusted proxy; then X-Forwarded-For read from the
    right, skipping the trusted proxies, up to the first address a trusted proxy did not add itself. An
    address from anyone else's X-Forwarded-For is never believed (a client can write any header)."""
    address = _address(remote)
    if address is None or not any(address in network for network in trusted):
        return remote
    for item in reversed([part for part in forwarded_for.split(",") if part.strip()]):
        hop = _address(item)
        if hop is None:
            return remote  # a garbled header: keep what the socket says
        if not any(hop in network for network in trusted):
            return str(hop)
    return remote


class ClientAddressMiddleware:
    """Sets REMOTE_ADDR to the client's address when the request came through a trusted proxy
    (TORELIK_TRUSTED_PROXIES), so that every access log, familiarisation row and throttle records the
    person, not the proxy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.trusted = _networks()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.trusted:
            request.META["REMOTE_ADDR"] = client_address(
                request.META.get("REMOTE_ADDR", ""), request.META.get("HTTP_X_FORWARDED_FOR", ""), self.trusted
            )
        return self.get_response(request)


def too_big(limit: int) -> JsonResponse:
    message = _("The request is too big: at most %(size)s MB.") % {"size": limit // (1024 * 1024) or 1}
    return JsonResponse({"code": "too_big", "message": message, "fields": {}}, status=413)


_STATUS_CODES = {
    400: ("bad_request", gettext_lazy("The request could not be read.")),
    404: ("not_found", gettext_lazy("Nothing was found at this address.")),
    405: ("method_not_allowed", gettext_lazy("This address does not take this method.")),
    413: ("too_big", gettext_lazy("The request is too big.")),
    500: ("server_error", gettext_lazy("Something went wrong on our side: try again later.")),
}


def _json_error(response: HttpResponse) -> HttpResponse:
    """An error that Django or ninja answered in HTML or plain text under /api/, in the API's format."""
    code, message = _STATUS_CODES.get(response.status_code, ("http_error", gettext_lazy("The request was refused.")))
    answer = JsonResponse({"code": code, "message": str(message), "fields": {}}, status=response.status_code)
    if response.has_header("Allow"):
        answer["Allow"] = response["Allow"]
    return answer


def nul_refused() -> JsonResponse:
    message = _("The request contains a NUL character, which no field may hold.")
    return JsonResponse({"code": "invalid_input", "message": message, "fields": {}}, status=400)


class ApiBodyMiddleware:
    """The size of what the API takes: the e-government filing route takes its documented attachments
    (TORELIK_API_FILING_BODY_MB: base64 makes 20 MB of file 27 MB of JSON), every other JSON body up to
    Django's DATA_UPLOAD_MAX_MEMORY_SIZE; a body over the limit is answered with the API's JSON 413."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/"):
            return self.get_response(request)
        response = self._answer(request)
        # Every answer of the API is JSON in its format, also the refusals Django makes itself (405 of a
        # method a route does not take, 400 of an unreadable request).
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith("application/json"):
            return _json_error(response)
        return response

    def _answer(self, request: HttpRequest) -> HttpResponse:
        # A NUL character is in no name, number or text a client means to send, and PostgreSQL refuses it
        # in any text (a 500 before); Django's forms refuse it in pages, this in the API.
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            return nul_refused()
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if request.path in settings.TORELIK_API_LARGE_BODY_PATHS and request.method in {"POST", "PUT", "PATCH"}:
            limit = settings.TORELIK_API_FILING_BODY_MB * 1024 * 1024
            if length > limit:
                return too_big(limit)
            # Read the body here under the route's own limit: Django's property would refuse it under the
            # site-wide DATA_UPLOAD_MAX_MEMORY_SIZE.
            body = request.read()
            if b"\\u0000" in body or b"\x00" in body:
                return nul_refused()
            request._body = body  # what HttpRequest.body keeps once read
            request._stream = BytesIO(body)
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        content_type = request.META.get("CONTENT_TYPE", "")
        # A multipart body's files are counted by FILE_UPLOAD_* and the route itself; a recording's pieces
        # (application/offset+octet-stream) by the upload route's chunk size.
        if limit is not None and length > limit and content_type.startswith(("application/json", "text/")):
            return too_big(limit)
        if content_type.startswith("application/json") and request.method in {"POST", "PUT", "PATCH"}:
            body = request.body  # within DATA_UPLOAD_MAX_MEMORY_SIZE (checked above)
            if b"\\u0000" in body or b"\x00" in body:
                return nul_refused()
        return self.get_response(request)


class ObservabilityMiddleware:
    """Gives each request its id (the proxy's `X-Request-ID` or a new one), carried by its log lines and the
    tasks it enqueues and answered in `X-Request-ID`; counts the request by route, method and status and
    times it (Prometheus, ADR 0080). The route is the URL pattern without the language, so that the
    metrics' labels stay few whatever addresses are asked for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = observability.new_request_id(request.META.get("HTTP_X_REQUEST_ID", ""))
        started = time.perf_counter()
        with observability.request_id_set(request_id):
            response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        route = _LANGUAGE_PREFIX.sub("", match.route) if match is not None and match.route else "unmatched"
        observability.REQUESTS.labels(route=route, method=_method(request.method), status=response.status_code).inc()
        observability.REQUEST_SECONDS.labels(route=route).observe(time.perf_counter() - started)
        response["X-Request-ID"] = request_id
        return response


_LANGUAGE_PREFIX = re.compile(r"^(kk|ru|en)/")
_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}


def _method(method: str | None) -> str:
    return method if method in _METHODS else "other"
