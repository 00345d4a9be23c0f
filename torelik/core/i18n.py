"""Helpers for data kept in the three languages as `<field>_kk`, `<field>_ru`, `<field>_en`."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


def active_language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def localized_row(row: Mapping[str, Any], field: str, language: str) -> str:
    """`row["<field>_<language>"]` of a plain row, falling back as `localized` does."""
    for code in (language, "ru", "kk", "en"):
        value = row.get(f"{field}_{code}")
        if value:
            return str(value)
    return ""


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """`obj.<field>_<language>`, falling back to Russian, then Kazakh, then English, if empty."""
    wanted = language or active_language()
    for code in (wanted, "ru", "kk", "en"):
        value = getattr(obj, f"{field}_{code}", "")
        if value:
            return str(value)
    return ""
