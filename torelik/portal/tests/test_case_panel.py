"""The case page's panel "Practice on this category": the items of the case's category and of the
categories above it, for whoever may see the case; internal items for staff only."""

import pytest
from django.test import Client

from torelik.cases.models import CaseAccess, Party, PartyRole
from torelik.courts.tests.factories import PersonFactory
from torelik.identity.models import User
from torelik.portal.tests.factories import RESOLUTION_RU, item, world

pytestmark = pytest.mark.django_db


def test_the_judge_sees_the_resolution_and_the_internal_generalisation_of_the_cases_category() -> None:
    w = world()
    client = Client()
    client.force_login(w.district.judge_user)
    response = client.get(f"/ru/portal/cases/{w.loan_case.number}/practice/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert RESOLUTION_RU in html
    assert "Обобщение практики по спорам о займах между гражданами" in html
    assert "трудовых споров" not in html  # another category
    assert "<html" not in html  # the fragment only
    assert CaseAccess.objects.filter(case=w.loan_case, user=w.district.judge_user).exists()


def test_an_item_of_a_broader_category_is_shown_after_the_cases_own() -> None:
    w = world()
    broad = item(
        number="5",
        title_ru="О судебном решении по гражданским делам",
        title_kk="Азаматтық істер бойынша сот шешімі туралы",
        categories=(w.civil,),
    )
    client = Client()
    client.force_login(w.district.judge_user)
    html = client.get(f"/ru/portal/cases/{w.loan_case.number}/practice/").content.decode()
    assert html.index(RESOLUTION_RU) < html.index(broad.title_ru)


def test_a_party_sees_the_public_items_only_and_a_stranger_nothing() -> None:
    w = world()
    person = PersonFactory.create(iin="871008401427")
    party_user = User.objects.create_user(username="claimant", password="a-long-passphrase-1", person=person)
    Party.objects.create(case=w.loan_case, role=PartyRole.CLAIMANT, person=person)
    client = Client()
    client.force_login(party_user)
    html = client.get(f"/ru/portal/cases/{w.loan_case.number}/practice/").content.decode()
    assert RESOLUTION_RU in html
    assert "Обобщение практики" not in html
    assert Client().get(f"/ru/portal/cases/{w.loan_case.number}/practice/").status_code == 404


def test_the_case_page_loads_the_panel_from_the_portal() -> None:
    w = world()
    client = Client()
    client.force_login(w.district.judge_user)
    html = client.get(f"/ru/cases/{w.loan_case.number}/").content.decode()
    assert f'hx-get="/ru/portal/cases/{w.loan_case.number}/practice/"' in html
