"""A judge's participation, office and specialisations count for the distribution only once the
change was recorded a day before the filing, like an absence: changing them just before a claim is
filed cannot steer it. Every change is journaled with the state before and after."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from torelik.core import clock
from torelik.courts.actions import change_judge_standing, record_standing_change
from torelik.courts.models import Judge, JudgeSpecialisation, JudgeStandingChange, Specialisation
from torelik.courts.queries import Standing, standing_of
from torelik.courts.tests.factories import JudgeFactory, PersonFactory, next_iin
from torelik.distribution.models import ExclusionReason
from torelik.distribution.tests.conftest import FILED, Court5, Register, latest_draw, other_parties
from torelik.identity.models import User

pytestmark = pytest.mark.django_db


def _rows(case: object) -> dict[str, dict[str, object]]:
    return {row["judge"]: row for row in latest_draw(case).snapshot["judges"]}  # type: ignore[arg-type]


def test_a_change_made_within_a_day_of_the_filing_does_not_count_one_made_earlier_does(
    court5: Court5, register: Register
) -> None:
    early, late, rate_cut = court5.judges[0], court5.judges[1], court5.judges[2]
    with clock.frozen_at(FILED - dt.timedelta(hours=25)):
        change_judge_standing(judge=early, actor=None, reason="прекращение полномочий", is_active=False)
    with clock.frozen_at(FILED - dt.timedelta(hours=2)):
        change_judge_standing(judge=late, actor=None, reason="прекращение полномочий", is_active=False)
        change_judge_standing(judge=rate_cut, actor=None, reason="нагрузка", participation_rate=Decimal("0.25"))
    rows = _rows(register())
    assert rows[str(early.public_id)]["exclusion"] == ExclusionReason.NOT_IN_OFFICE
    # Two hours' notice: the draw still sees them as they stood the day before.
    assert rows[str(late.public_id)]["exclusion"] is None
    assert rows[str(rate_cut.public_id)]["rate"] == 1000
    # A day later the changes count.
    later = _rows(register(at=FILED + dt.timedelta(days=1), parties=None, subject="Иск о другом"))
    assert later[str(late.public_id)]["exclusion"] == ExclusionReason.NOT_IN_OFFICE
    assert later[str(rate_cut.public_id)]["rate"] == 250


def test_a_specialisation_taken_away_just_before_the_filing_still_counts(court5: Court5, register: Register) -> None:
    judge = court5.judges[0]
    with clock.frozen_at(FILED - dt.timedelta(hours=1)):
        change = change_judge_standing(judge=judge, actor=None, reason="перевод", specialisations=["criminal"])
    assert change is not None
    assert change.before["specialisations"] == ["civil"]
    assert change.after["specialisations"] == ["criminal"]
    assert _rows(register())[str(judge.public_id)]["exclusion"] is None


def test_the_admin_journals_a_change_of_standing(client: Client, court5: Court5) -> None:
    judge = court5.judges[3]
    admin = User.objects.create_superuser(username="admin.standing", password="pw-standing-1")  # noqa: S106
    client.force_login(admin)
    form = client.get(f"/en/admin/courts/judge/{judge.pk}/change/").context["adminform"].form
    data = {name: form.initial.get(name) for name in ("person", "court", "appointed_on")}
    inline = {
        "specialisations-TOTAL_FORMS": "1",
        "specialisations-INITIAL_FORMS": "1",
        "specialisations-0-id": str(judge.specialisations.get().pk),
        "specialisations-0-judge": str(judge.pk),
        "specialisations-0-specialisation": "civil",
    }
    answer = client.post(
        f"/en/admin/courts/judge/{judge.pk}/change/",
        {**{k: v or "" for k, v in data.items()}, "participation_rate": "0.50", "is_active": "on", **inline},
    )
    assert answer.status_code == 302, answer.content[:2000]
    change = JudgeStandingChange.objects.get(judge=judge)
    assert (change.before["participation_rate"], change.after["participation_rate"]) == ("1.00", "0.50")
    assert change.recorded_by == admin
    assert Judge.objects.get(pk=judge.pk).participation_rate == Decimal("0.50")


def test_a_judge_moved_into_the_court_within_a_day_is_not_drawn_and_one_moved_out_still_is(
    court5: Court5, register: Register
) -> None:
    newcomer = JudgeFactory.create()  # of another court
    JudgeSpecialisation.objects.create(judge=newcomer, specialisation=Specialisation.CIVIL)
    leaving = court5.judges[0]
    other_court = newcomer.court
    with clock.frozen_at(FILED - dt.timedelta(hours=3)):
        Judge.objects.filter(pk=newcomer.pk).update(court=court5.office.court)
        record_standing_change(
            judge=newcomer,
            before=Standing(
                court_id=other_court.pk,
                participation_rate=Decimal("1.00"),
                is_active=True,
                specialisations=frozenset({Specialisation.CIVIL}),
            ),
            actor=None,
            reason="перевод",
        )
        before = standing_of(leaving)
        Judge.objects.filter(pk=leaving.pk).update(court=other_court)
        record_standing_change(judge=leaving, before=before, actor=None, reason="перевод")
    rows = _rows(register())
    assert rows[str(newcomer.public_id)]["exclusion"] == ExclusionReason.NOT_IN_OFFICE
    assert rows[str(leaving.public_id)]["exclusion"] is None  # still of this court a day before
    later = _rows(register(at=FILED + dt.timedelta(days=1), parties=other_parties(next_iin())))
    assert later[str(newcomer.public_id)]["exclusion"] is None
    assert str(leaving.public_id) not in later


def test_a_judge_appointed_in_the_admin_takes_cases_from_the_next_day(client: Client, court5: Court5) -> None:
    admin = User.objects.create_superuser(username="admin.appoint", password="pw-appoint-1")  # noqa: S106
    client.force_login(admin)
    person = PersonFactory.create()
    answer = client.post(
        "/en/admin/courts/judge/add/",
        {
            "person": person.pk,
            "court": court5.office.court.pk,
            "participation_rate": "1.00",
            "is_active": "on",
            "specialisations-TOTAL_FORMS": "1",
            "specialisations-INITIAL_FORMS": "0",
            "specialisations-0-specialisation": "civil",
        },
    )
    assert answer.status_code == 302, answer.content[:2000]
    change = JudgeStandingChange.objects.get(judge__person=person)
    assert change.before["court"] is None
    assert change.after["court"] == court5.office.court.pk
    assert change.after["specialisations"] == ["civil"]
