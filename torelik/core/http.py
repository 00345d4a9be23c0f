"""HTTP conditional requests: whether a client's `If-None-Match` names the answer it would get; whether a
request is an anonymous read (no session, no messages) that a page kept for every visitor may answer; a
CSV download as spreadsheet programs read it."""

import csv
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest, HttpResponse

MESSAGES_COOKIE = CookieStorage.cookie_name


def etag_matches(request: HttpRequest, etag: str) -> bool:
    """Whether `If-None-Match` names this ETag (weak comparison, RFC 9110 §13.1.2) or is `*`."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags


def anonymous_read(request: HttpRequest) -> bool:
    """A GET or HEAD that carries no session and no queued messages: whoever sends it sees the page any
    visitor sees, so a page kept for visitors may answer it without loading a session or messages."""
    if request.method not in {"GET", "HEAD"}:
        return False
    cookies = request.COOKIES
    return settings.SESSION_COOKIE_NAME not in cookies and MESSAGES_COOKIE not in cookies


def csv_attachment(filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]) -> HttpResponse:
    """A CSV download named `filename`: UTF-8 with a BOM (spreadsheet programs read Kazakh and Russian
    letters only after one), the header row, then the rows."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
