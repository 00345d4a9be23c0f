"""The demo's library: a few dozen items, each linked to categories of the classifier, with the Supreme
Court's resolution of 25 November 2016 No. 7 on bank-loan disputes among those of the loan categories;
the demo's own generalisations say so; seeding twice adds nothing."""

import datetime as dt

import pytest

from torelik.core import clock
from torelik.courts.actions import import_case_categories
from torelik.courts.demo import CASE_CATEGORIES_FILE, read_data_file
from torelik.courts.models import CaseCategory
from torelik.portal.demo import seed_demo_library
from torelik.portal.models import ItemKind, PracticeItem
from torelik.portal.queries import practice_for_category

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 16, 6, 0, tzinfo=dt.UTC)


def test_the_demo_library_links_the_loan_resolution_to_the_loan_categories() -> None:
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    with clock.frozen_at(NOW):
        first = seed_demo_library()
        again = seed_demo_library()
    assert first.items >= 30  # noqa: PLR2004 - "a few dozen"
    assert again.items == 0
    assert not PracticeItem.objects.filter(categories=None).exists()
    loan = PracticeItem.objects.get(kind=ItemKind.RESOLUTION, number="7", adopted_on=dt.date(2016, 11, 25))
    assert sorted(c.code for c in loan.categories.all())[:2] == ["142010000200000000", "142010000300000000"]
    shown = practice_for_category(PracticeItem.objects.all(), CaseCategory.objects.get(code="142010000200000000"))
    assert shown[0] == loan
    demo = PracticeItem.objects.filter(source="demo")
    assert demo.exists()
    assert all(item.number.startswith("ДЕМО-2025-") for item in demo)
