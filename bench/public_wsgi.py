"""The product with one more address, `GET /bench/bare`, for bench.public_reads: a bare Django view
returning 50 small JSON records, served by the same process, settings and middleware as Torelik's
public reads, so that the ratio between them is Torelik's own cost. Served only by the bench's
gunicorn (`gunicorn bench.public_wsgi:application`), never by the product.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - after Django is set up
from django.http import HttpRequest, JsonResponse  # noqa: E402
from django.urls import URLPattern, URLResolver, path  # noqa: E402

from config import urls as product_urls  # noqa: E402

# 50 records the size of a list's row: what the framework costs to answer a list, and no more.
RECORDS = [{"id": n, "code": f"{1900 + n:04d}", "name": f"Court {n}", "active": True} for n in range(50)]


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"items": RECORDS, "count": len(RECORDS)})


urlpatterns: list[URLPattern | URLResolver] = [path("bench/bare", bare), *product_urls.urlpatterns]  # type: ignore[list-item]
settings.ROOT_URLCONF = __name__  # the product's addresses, and the bare view
