"""What the draw reads of judges and categories goes into the transparency log as it is recorded."""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from torelik.archive.models import LogEntryKind, PendingEntry
from torelik.core import clock
from torelik.courts.actions import change_category_terms, change_judge_standing, record_judge_absence
from torelik.courts.models import AbsenceKind
from torelik.courts.tests.factories import CaseCategoryFactory, JudgeFactory

pytestmark = pytest.mark.django_db

MOMENT = dt.datetime(2026, 4, 6, 9, 30, tzinfo=dt.UTC)


def _logged(kind: str) -> list[dict[str, Any]]:
    return [json.loads(p.body) for p in PendingEntry.objects.filter(kind=kind).order_by("id")]


def test_an_absence_and_a_change_of_standing_are_logged_when_recorded() -> None:
    judge = JudgeFactory.create()
    with clock.frozen_at(MOMENT):
        record_judge_absence(
            judge=judge, kind=AbsenceKind.LEAVE, starts_on=dt.date(2026, 5, 4), ends_on=dt.date(2026, 5, 8), actor=None
        )
        change_judge_standing(judge=judge, actor=None, reason="приказ № 12", participation_rate=Decimal("0.50"))
    [absence] = _logged(LogEntryKind.JUDGE_ABSENCE)
    assert (absence["judge"], absence["starts_on"], absence["ends_on"]) == (
        str(judge.public_id),
        "2026-05-04",
        "2026-05-08",
    )
    assert absence["at"] == "2026-04-06T09:30:00Z"  # the moment of recording, from the clock
    [standing] = _logged(LogEntryKind.JUDGE_STANDING)
    assert standing["judge"] == str(judge.public_id)
    assert (standing["before"]["participation_rate"], standing["after"]["participation_rate"]) == ("1.00", "0.50")


def test_a_change_of_a_categorys_terms_is_logged() -> None:
    category = CaseCategoryFactory.create()
    change_category_terms(category=category, actor=None, reason="пересмотр", complexity=Decimal("2.50"))
    [entry] = _logged(LogEntryKind.CATEGORY_TERMS)
    assert entry["category"] == category.code
    assert entry["after"]["complexity"] == "2.50"
