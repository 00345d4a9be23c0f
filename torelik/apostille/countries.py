"""The countries an apostille is requested for (`data/countries.json`: parties to the Hague Convention of
5 October 1961, with their names in kk, ru and en)."""

import json
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

COUNTRIES_FILE = Path(__file__).parent / "data" / "countries.json"


@cache
def _countries() -> dict[str, dict[str, str]]:
    data = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    return {str(row["code"]): {k: str(v) for k, v in row.items()} for row in data["countries"]}


def is_known(code: str) -> bool:
    return code in _countries()


def country_name(code: str, language: str | None = None) -> str:
    row = _countries().get(code)
    if row is None:
        return code
    lang = (language or get_language() or "kk")[:2]
    return row.get(lang, row["en"])


def country_choices() -> list[tuple[str, str]]:
    return sorted(((code, country_name(code)) for code in _countries()), key=lambda pair: pair[1])
