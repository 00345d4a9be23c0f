"""The floor under `POST /api/v1/cases`, for bench.cases: Torelik's own settings, middleware, session
login and database, with one more address, `POST /bench/floor`. It does only what any registration
must do: authenticate the session, check the CSRF token, parse the multipart body (the filing's JSON
and its PDF), hash the PDF, and insert one row (a journal entry of the bench's case) in a transaction.

What the server needs per request for that, on this machine, bounds from below what a registration
can cost; a registration does the same and its own work (about 20 more statements). Served only by
the bench's gunicorn (`gunicorn bench.floor_wsgi:application`), never by the product.
"""

import hashlib
import json
import os
from functools import cache

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - after Django is set up
from django.db import transaction  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.urls import URLPattern, URLResolver, path  # noqa: E402
from django.utils import timezone  # noqa: E402

from config import urls as product_urls  # noqa: E402
from torelik.cases.models import Case, CaseEvent, CaseEventKind  # noqa: E402


@cache
def _case_id(number: str) -> int:
    return int(Case.objects.values_list("pk", flat=True).get(number=number))


def floor(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return HttpResponse(status=405)
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    data = json.loads(request.POST["data"])
    upload = request.FILES.get("claim")
    if upload is None:
        return HttpResponse(status=400)
    content = upload.read()
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        CaseEvent.objects.create(
            case_id=_case_id(data["case"]),
            kind=CaseEventKind.DOCUMENT_ADDED,
            actor_id=request.user.pk,
            occurred_at=timezone.now(),
            data={"sha256": digest, "size": len(content)},
        )
    return JsonResponse({"sha256": digest}, status=201)


urlpatterns: list[URLPattern | URLResolver] = [path("bench/floor", floor), *product_urls.urlpatterns]  # type: ignore[list-item]
settings.ROOT_URLCONF = __name__  # the product's addresses, and the floor
