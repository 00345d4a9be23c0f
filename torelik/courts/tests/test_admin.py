"""The admin cannot write judges' absences: they go through personnel's actions (ADR 0101)."""

import datetime as dt

import pytest
from django.test import Client

from torelik.core import clock
from torelik.courts.actions import record_judge_absence
from torelik.courts.models import AbsenceKind, JudgeAbsence
from torelik.courts.tests.factories import CourtFactory, JudgeFactory
from torelik.identity.models import User

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 3, 5, 0, tzinfo=dt.UTC)


def test_the_admin_shows_judges_absences_but_cannot_add_change_or_delete_them(client: Client) -> None:
    judge = JudgeFactory.create(court=CourtFactory.create(code="0215"))
    with clock.frozen_at(NOW):
        absence = record_judge_absence(
            judge=judge,
            kind=AbsenceKind.LEAVE,
            starts_on=dt.date(2026, 3, 9),
            ends_on=dt.date(2026, 3, 13),
            reason="",
            actor=None,
        )
    client.force_login(User.objects.create_superuser(username="admin.absences", password="pw-absences-1"))  # noqa: S106
    assert client.get("/en/admin/courts/judgeabsence/").status_code == 200
    page = client.get(f"/en/admin/courts/judgeabsence/{absence.pk}/change/")
    assert page.status_code == 200  # a view, without a form to save
    assert 'name="_save"' not in page.content.decode()
    assert client.get("/en/admin/courts/judgeabsence/add/").status_code == 403
    changed = client.post(
        f"/en/admin/courts/judgeabsence/{absence.pk}/change/",
        {"judge": judge.pk, "kind": AbsenceKind.SICK, "starts_on": "2026-03-01", "ends_on": "2026-03-20"},
    )
    assert changed.status_code == 403
    assert client.post(f"/en/admin/courts/judgeabsence/{absence.pk}/delete/", {"post": "yes"}).status_code == 403
    deleted_in_bulk = client.post(
        "/en/admin/courts/judgeabsence/", {"action": "delete_selected", "_selected_action": [absence.pk], "post": "yes"}
    )
    assert deleted_in_bulk.status_code in (200, 302)
    kept = JudgeAbsence.objects.get(pk=absence.pk)
    assert (kept.kind, kept.starts_on, kept.ends_on) == (AbsenceKind.LEAVE, dt.date(2026, 3, 9), dt.date(2026, 3, 13))
