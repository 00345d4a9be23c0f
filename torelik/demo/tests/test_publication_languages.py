"""The publication's pages (ADR 0072, 0073: the search with its capped counts, the act, the
correction request's page before and after the answer, the reviewer's page) in kk and ru show no
English word, by the crawl's rule (ADR 0048)."""

import pytest
from django.test import Client

from torelik.core import clock
from torelik.demo.tests.test_page_languages import latin_words
from torelik.publication.models import CorrectionRequest
from torelik.publication.tests.test_views import MOMENT, _published_with_request

pytestmark = pytest.mark.django_db


def test_the_publication_pages_in_kk_and_ru_show_no_english_word() -> None:
    published, staff, status_page = _published_with_request("Виден ИИН")
    correction = CorrectionRequest.objects.get(published_act=published)
    public = Client()
    pages = {
        "search": "/{lang}/acts/?q=займа",
        "search, relevance": "/{lang}/acts/?q=займа&sort=relevance",
        "act": f"/{{lang}}/acts/published/{published.public_id}/",
        "request": status_page.replace("/ru/", "/{lang}/"),
    }
    faults = {}
    for language in ("kk", "ru"):
        for name, path in pages.items():
            response = public.get(path.format(lang=language))
            assert response.status_code == 200, name
            words, _links = latin_words(response.content.decode())
            if words:
                faults[f"{language} {name}"] = words
        review = staff.get(f"/{language}/acts/review/{published.public_id}/")
        words = [
            w for w in latin_words(review.content.decode())[0] if w not in {"reviewer", "views"}
        ]  # the clerk's login
        if words:
            faults[f"{language} review"] = words
    with clock.frozen_at(MOMENT):
        staff.post(
            f"/ru/acts/review/{published.public_id}/",
            {"step": "answer", "correction": correction.pk, "outcome": "refused", "answer": "Данные обезличены"},
        )
    for language in ("kk", "ru"):
        words, _links = latin_words(public.get(status_page.replace("/ru/", f"/{language}/")).content.decode())
        if words:
            faults[f"{language} answered request"] = words
    assert faults == {}
