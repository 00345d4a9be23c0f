"""Template context shared by every page: the language switcher and the help line."""

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language_info

from torelik.core.i18n import LANGUAGE_CODES, active_language


def site(request: HttpRequest) -> dict[str, object]:
    current = active_language()
    return {
        "language_links": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(request.get_full_path(), code),
                "active": code == current,
            }
            for code in LANGUAGE_CODES
        ],
        "helpline_phones": settings.TORELIK_HELPLINE_PHONES,
    }
