"""What the distribution reads of a case category (the specialisation that picks the pool, the
complexity that weighs the load) counts only once a change was recorded a day before the filing,
like a judge's standing: re-classifying a category just before a claim is filed cannot steer it.
Every change is journaled with the values before and after, wherever it is made."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from torelik.core import clock
from torelik.courts.actions import change_category_terms, import_case_categories
from torelik.courts.errors import CourtsError
from torelik.courts.models import CaseCategory, CaseCategoryChange, JudgeSpecialisation, Specialisation
from torelik.courts.tests.factories import next_iin
from torelik.distribution.tests.conftest import FILED, Court5, Register, latest_draw, other_parties
from torelik.identity.models import User

pytestmark = pytest.mark.django_db


def test_a_category_re_classified_within_a_day_of_the_filing_is_drawn_as_it_stood(
    court5: Court5, register: Register
) -> None:
    category = court5.office.category
    JudgeSpecialisation.objects.create(judge=court5.judges[0], specialisation=Specialisation.CRIMINAL)
    with clock.frozen_at(FILED - dt.timedelta(hours=2)):
        change = change_category_terms(
            category=category, actor=None, reason="reclassification", specialisation=Specialisation.CRIMINAL
        )
    assert change is not None
    assert (change.before["specialisation"], change.after["specialisation"]) == ("civil", "criminal")
    snapshot = latest_draw(register()).snapshot
    assert snapshot["case"]["specialisation"] == "civil"
    assert snapshot["pool_rule"] == "specialisation"  # the five civil judges, as the day before
    # A day later the change counts: one criminal judge is too few, so the pool is widened, and says so.
    later = latest_draw(register(at=FILED + dt.timedelta(days=1), parties=other_parties(next_iin()))).snapshot
    assert later["case"]["specialisation"] == "criminal"
    assert later["pool_rule"] == "widened_to_all_specialisations"


def test_a_complexity_changed_just_before_the_filing_does_not_weigh_the_case(
    court5: Court5, register: Register
) -> None:
    category = court5.office.category
    assert category.complexity == Decimal("1.00")
    with clock.frozen_at(FILED - dt.timedelta(hours=1)):
        change_category_terms(category=category, actor=None, reason="coefficients", complexity=Decimal("3.00"))
    assert latest_draw(register()).weight == 100
    later = latest_draw(register(at=FILED + dt.timedelta(days=1), parties=other_parties(next_iin())))
    assert later.weight == 300
    assert later.snapshot["case"]["complexity"] == "3.00"


def test_impossible_terms_are_refused_and_change_nothing(court5: Court5) -> None:
    category = court5.office.category
    with pytest.raises(CourtsError) as unknown:
        change_category_terms(category=category, actor=None, reason="x", specialisation="astrology")
    assert "specialisation" in unknown.value.fields
    with pytest.raises(CourtsError) as heavy:
        change_category_terms(category=category, actor=None, reason="x", complexity=Decimal("0"))
    assert "complexity" in heavy.value.fields
    saved = CaseCategory.objects.get(pk=category.pk)
    assert (saved.specialisation, saved.complexity) == ("civil", Decimal("1.00"))
    assert not CaseCategoryChange.objects.exists()


def test_the_admin_journals_a_change_and_the_journal_cannot_be_edited(client: Client, court5: Court5) -> None:
    category = court5.office.category
    admin = User.objects.create_superuser(username="admin.category", password="pw-category-1")  # noqa: S106
    client.force_login(admin)
    form = client.get(f"/en/admin/courts/casecategory/{category.pk}/change/").context["adminform"].form
    data = {name: form.initial.get(name) for name in ("code", "name_kk", "name_ru", "name_en", "proceeding_type")}
    answer = client.post(
        f"/en/admin/courts/casecategory/{category.pk}/change/",
        {**{k: v or "" for k, v in data.items()}, "specialisation": "civil", "complexity": "2.50", "is_active": "on"},
    )
    assert answer.status_code == 302, answer.content[:2000]
    change = CaseCategoryChange.objects.get(category=category)
    assert (change.before["complexity"], change.after["complexity"]) == ("1.00", "2.50")
    assert change.recorded_by == admin
    page = client.get(f"/en/admin/courts/casecategorychange/{change.pk}/change/")
    assert page.status_code == 200  # shown to read, without a form to save
    assert not page.context["has_change_permission"]
    assert 'name="_save"' not in page.content.decode()
    edit = client.post(f"/en/admin/courts/casecategorychange/{change.pk}/change/", {"reason": "rewritten"})
    assert edit.status_code == 403
    assert client.post(f"/en/admin/courts/casecategorychange/{change.pk}/delete/", {"post": "yes"}).status_code == 403
    assert CaseCategoryChange.objects.get(pk=change.pk).reason == change.reason  # neither edited nor deleted
    with pytest.raises(ValueError, match="never altered"):
        change.save()


def test_a_classifier_data_file_that_changes_a_category_journals_it(court5: Court5) -> None:
    category = court5.office.category
    record = {
        "code": category.code,
        "name_kk": category.name_kk,
        "name_ru": category.name_ru,
        "name_en": category.name_en,
        "proceeding_type": category.proceeding_type,
        "specialisation": "civil",
        "complexity": "1.00",
    }
    import_case_categories(data={"categories": [record]})
    assert not CaseCategoryChange.objects.exists()  # the same terms again: nothing to journal
    import_case_categories(data={"categories": [{**record, "complexity": "1.50"}]})
    change = CaseCategoryChange.objects.get(category=category)
    assert change.after == {"specialisation": "civil", "complexity": "1.50"}
    assert change.reason == "classifier data file"
