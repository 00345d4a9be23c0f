"""HTTP conditional requests: whether a client's `If-None-Match` names the answer it would get."""

from django.http import HttpRequest


def etag_matches(request: HttpRequest, etag: str) -> bool:
    """Whether `If-None-Match` names this ETag (weak comparison, RFC 9110 §13.1.2) or is `*`."""
    header = request.headers.get("If-None-Match", "")
    if not header:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    return "*" in tags or etag.removeprefix("W/") in tags
