"""The judge's act queues and the chairman's count of acts signed late (the reasoned act's term from
the day the case was heard: 5 working days, as `data/act_kinds.json` says)."""

import datetime as dt

import pytest
from django.test import Client

from torelik.acts import actions, queries
from torelik.acts.models import Act, ActStatus
from torelik.acts.tests.factories import heard_case, on
from torelik.cases.models import CaseEvent, CaseEventKind, CaseStatus
from torelik.cases.tests.factories import staff_user
from torelik.courts.models import StaffRole
from torelik.hearings.tests.factories import case_in

pytestmark = pytest.mark.django_db


def test_the_docket_lists_acts_to_draft_to_sign_and_not_served() -> None:
    world = heard_case()
    other = case_in(world.court, status=CaseStatus.HEARD)
    draft = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=world.assistant)
    docket = queries.docket_of(world.court.judge)
    assert [c.pk for c in docket.to_draft] == [other.pk]
    assert [a.pk for a in docket.to_sign] == [draft.pk]
    Act.objects.filter(pk=draft.pk).update(status=ActStatus.ANNOUNCED, announced_on=dt.date(2026, 12, 1))
    assert [a.pk for a in queries.docket_of(world.court.judge).not_served] == [draft.pk]
    judge = Client()
    judge.force_login(world.court.judge_user)
    page = judge.get("/en/acts/docket/")
    assert page.status_code == 200
    assert other.number in page.content.decode()


def test_the_chairman_sees_acts_signed_after_five_working_days_from_the_hearing() -> None:
    world = heard_case()
    second = case_in(world.court, status=CaseStatus.HEARD)
    for case in (world.case, second):
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.STATUS_CHANGED,
            occurred_at=on(dt.date(2026, 11, 2)),  # a Monday
            data={"from": "scheduled", "to": "heard"},
        )
    # Heard Mon 2 Nov 2026: the 5th working day after it is Mon 9 Nov.
    on_time = actions.draft_act(case=world.case, kind="civil-decision", language="ru", actor=world.assistant)
    late = actions.draft_act(case=second, kind="civil-decision", language="ru", actor=world.assistant)
    Act.objects.filter(pk=on_time.pk).update(signed_at=on(dt.date(2026, 11, 9), hour=17))
    Act.objects.filter(pk=late.pk).update(signed_at=on(dt.date(2026, 11, 10)))
    [row] = queries.late_acts_of_court(world.court.court.pk)
    assert (row.judge, row.signed, row.late) == (world.court.judge, 2, 1)
    chairman = staff_user("chairman.0215", world.court.court, StaffRole.CHAIRMAN)
    client = Client()
    client.force_login(chairman)
    page = client.get("/ru/acts/docket/")
    assert page.status_code == 200
    assert world.court.judge.person.full_name in page.content.decode()
