"""The practice library: searched with the public acts' full text in Russian and Kazakh, filtered by kind,
category (with the categories below it) and status; internal items and drafts hidden from whoever may not
read them."""

import datetime as dt

import pytest
from django.test import Client

from torelik.cases.tests.factories import staff_user
from torelik.core import clock
from torelik.courts.models import StaffRole
from torelik.portal import access, queries
from torelik.portal.models import ItemKind, ItemStatus, Visibility
from torelik.portal.tests.factories import RESOLUTION_KK, RESOLUTION_RU, item, world

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 16, 6, 0, tzinfo=dt.UTC)


def _titles(user: object, **filters: object) -> list[str]:
    page = queries.search(access.library_for(user), queries.LibraryFilters(**filters))  # type: ignore[arg-type]
    return [hit.item.title_ru for hit in page.hits]


def test_a_russian_query_finds_the_resolution_on_bank_loans() -> None:
    w = world()
    assert _titles(w.district.judge_user, q="банковского займа") == [RESOLUTION_RU]


def test_a_kazakh_query_finds_the_resolution_by_its_kazakh_words() -> None:
    world()
    assert _titles(None, q="банктік қарыз") == [RESOLUTION_RU]
    assert _titles(None, q="еңбек дауларын") == ["О некоторых вопросах разрешения трудовых споров"]


def test_a_quoted_phrase_matches_only_the_phrase() -> None:
    world()
    assert _titles(None, q='"трудовых споров"') == ["О некоторых вопросах разрешения трудовых споров"]
    assert _titles(None, q='"споров трудовых займа"') == []


def test_internal_items_are_for_staff_only() -> None:
    w = world()
    staff_titles = _titles(w.district.clerk, q="займах")
    assert "Обобщение практики по спорам о займах между гражданами" in staff_titles
    assert "Обобщение практики по спорам о займах между гражданами" not in _titles(None, q="займах")
    outsider = Client()
    response = outsider.get(f"/ru/portal/library/{w.internal.public_id}/")
    assert response.status_code == 404
    listing = outsider.get("/ru/portal/library/", {"q": "займ"})
    assert "Обобщение практики" not in listing.content.decode()


def test_a_draft_is_seen_by_the_editors_only() -> None:
    w = world()
    draft = item(number="10", title_ru="Проект обобщения о займах", title_kk="Қарыз туралы жоба", is_draft=True)
    assert draft.title_ru not in _titles(w.district.judge_user)
    assert draft.title_ru in _titles(w.editor)


def test_filters_by_kind_status_and_a_category_with_those_below_it() -> None:
    w = world()
    item(
        number="2",
        title_ru="Утративший силу акт о займе",
        title_kk="Күшін жойған қарыз актісі",
        status=ItemStatus.LOST_FORCE,
        categories=(w.loan,),
    )
    judge = w.district.judge_user
    assert _titles(judge, kind=ItemKind.GENERALISATION) == ["Обобщение практики по спорам о займах между гражданами"]
    assert _titles(judge, status=ItemStatus.LOST_FORCE) == ["Утративший силу акт о займе"]
    # The civil cases' category holds the loan and labour categories below it.
    assert len(_titles(judge, category=w.civil.code)) == 4  # noqa: PLR2004
    assert len(_titles(judge, category=w.loan.code)) == 3  # noqa: PLR2004


def test_the_library_page_searches_in_kazakh_and_refuses_a_bad_filter_with_a_400() -> None:
    world()
    client = Client()
    with clock.frozen_at(NOW):
        found = client.get("/kk/portal/library/", {"q": "қарыз"})
        bad = client.get("/ru/portal/library/", {"kind": "nonsense"})
    assert found.status_code == 200
    assert RESOLUTION_KK in found.content.decode()
    assert bad.status_code == 400
    assert "Выберите корректный вариант" in bad.content.decode()


def test_a_new_public_item_reaches_the_public_and_an_internal_one_only_staff() -> None:
    w = world()
    clerk = staff_user("clerk.0200", w.regional, StaffRole.CLERK)
    public = item(number="11", title_ru="Открытое обобщение о наследстве", title_kk="Мұра туралы ашық қорыту")
    hidden = item(
        number="12",
        title_ru="Внутреннее обобщение о наследстве",
        title_kk="Мұра туралы ішкі қорыту",
        visibility=Visibility.INTERNAL,
    )
    assert _titles(None, q="наследстве") == [public.title_ru]
    assert set(_titles(clerk, q="наследстве")) == {public.title_ru, hidden.title_ru}
