"""The court registry's public answers, kept in memory per process under the registry's version.

The registry changes a few times a year and is read by every visitor and by machines in bulk: an
answer (the JSON body of a list page or of one court, per language) is built once per version and
served as bytes with an `ETag` (a digest of the body) and the registry's `Last-Modified`. The version
(counts and latest saves of courts, judges, courtrooms, regions and people, `queries.registry_version`)
is read at most once every TORELIK_REGISTRY_CHECK_SECONDS (5) per process, so a repeated read, and a
`304 Not Modified` on a matching `If-None-Match`, touches no database in between (ADR 0067).
"""

import datetime as dt
import hashlib
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import http_date

from torelik.core.http import anonymous_read, etag_matches
from torelik.courts import queries
from torelik.courts.models import Court

# What a proxy or a client may keep without asking again; a changed registry answers a new ETag.
MAX_AGE_SECONDS = 300
T = TypeVar("T")
MAX_ANSWERS = 2000  # list pages x filters x languages + one per court and language; bounded all the same


@dataclass(frozen=True)
class Answer:
    body: bytes
    etag: str
    last_modified: dt.datetime | None


class _Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.version: queries.RegistryVersion | None = None
        self.checked_at = float("-inf")
        self.filled_since = float("-inf")
        self.answers: dict[Hashable, Any] = {}

    def current(self) -> queries.RegistryVersion:
        """The registry's version, read again once CHECK_SECONDS have passed; answers dropped when it moved."""
        now = time.monotonic()
        interval = float(settings.TORELIK_REGISTRY_CHECK_SECONDS)
        with self.lock:
            if self.version is not None and now - self.checked_at < interval:
                return self.version
        version = queries.registry_version()
        with self.lock:
            # What the version cannot see (a specialisation added alone) shows after MAX_AGE_SECONDS.
            if version != self.version or now - self.filled_since > MAX_AGE_SECONDS:
                self.answers = {}
                self.version = version
                self.filled_since = now
            self.checked_at = now
        return version

    def answer(self, key: Hashable, build: Callable[[], bytes]) -> Answer:
        """The answer kept under `key`, built (and kept) when this version has none yet."""

        def made(version: queries.RegistryVersion) -> Answer:
            body = build()
            return Answer(
                body=body, etag=f'"{hashlib.sha256(body).hexdigest()[:32]}"', last_modified=version.last_modified
            )

        return self.kept(("answer", key), made)

    def kept(self, key: Hashable, build: Callable[[queries.RegistryVersion], T]) -> T:
        """Whatever `build` makes of the registry (an answer, a court), kept under `key` for this version."""
        version = self.current()
        with self.lock:
            found = self.answers.get(key)
        if found is not None:
            return cast(T, found)
        made = build(version)
        with self.lock:
            if len(self.answers) >= MAX_ANSWERS:
                self.answers = {}
            if self.version == version:
                self.answers[key] = made
        return made

    def forget(self) -> None:
        with self.lock:
            self.version = None
            self.checked_at = float("-inf")
            self.filled_since = float("-inf")
            self.answers = {}


_store = _Store()
answer = _store.answer
forget = _store.forget


def court(code: str) -> Court | None:
    """The court with this code (and its region), read once per registry version; None if there is none.

    Whoever reads it must not change it: the same object serves every request of this process."""
    return _store.kept(("court", code), lambda _version: queries.court_with_region(code))


def respond(
    request: HttpRequest,
    found: Answer,
    *,
    max_age: int = MAX_AGE_SECONDS,
    content_type: str = "application/json; charset=utf-8",
) -> HttpResponse:
    """The answer (JSON unless told), or `304 Not Modified` when the client already holds it; cacheable by proxies."""
    if etag_matches(request, found.etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(found.body, content_type=content_type)
    response["ETag"] = found.etag
    if found.last_modified is not None:
        response["Last-Modified"] = http_date(found.last_modified.timestamp())
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


def page(
    request: HttpRequest, key: Hashable, template: str, build: Callable[[], dict[str, Any] | None]
) -> HttpResponse:
    """A public page of the registry (ADR 0078): `build` makes its context (`content`, the page's HTML
    without the site's header and footer, rendered without the request), kept per registry version and
    language under `key`; None is a 404.

    An anonymous read (`core.http.anonymous_read`: no session, no messages) is answered the whole page
    kept for every visitor, with its ETag, `304` on `If-None-Match` and `Cache-Control: public`: no
    session, user, messages or template touched. Anyone else (a logged-in user, a visitor with messages)
    gets the kept content in the header and footer made for them, as before."""
    language = translation.get_language()
    context = _store.kept(("page-context", key, language), lambda _version: build() or _NOT_FOUND)
    if context is _NOT_FOUND:
        raise Http404
    if not anonymous_read(request):
        response = render(request, template, context)
    else:
        found = answer(
            ("page", request.get_full_path(), language),
            lambda: render_to_string(template, context, request).encode(),
        )
        response = respond(request, found, content_type="text/html; charset=utf-8")
    # A proxy keeps the visitors' page apart from the one made for a session's cookie.
    patch_vary_headers(response, ("Cookie",))
    return response


_NOT_FOUND: dict[str, Any] = {}
