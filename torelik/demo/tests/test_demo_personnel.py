"""The demo's personnel records are seeded before its cases, so the demo's draws respect the judges'
absences: no demo draw picks a judge whose absence, recorded in time, covers the day of the draw."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from torelik.cases.demo.seeding import seed_demo_cases
from torelik.core import clock
from torelik.courts.demo import DEMO_COURTS
from torelik.demo.distribution import RealDraws
from torelik.distribution.models import Draw, DrawStatus, ExclusionReason
from torelik.personnel.demo import seed_demo_personnel
from torelik.personnel.models import Absence, Post

pytestmark = pytest.mark.django_db
UNTIL = dt.datetime(2026, 11, 28, tzinfo=timezone.get_default_timezone())


def test_the_demo_draws_respect_the_demo_absences() -> None:
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    with clock.frozen_at(UNTIL):
        personnel = seed_demo_personnel(seed=1)
    assert personnel.absences > 0
    assert Post.objects.filter(court__code="1916", holder__isnull=False).exists()
    assert Absence.objects.filter(backdated=True, court__code=DEMO_COURTS[""]).count() == 1
    seed_demo_cases(count=200, until=UNTIL, processes=0, distribution=RealDraws(UNTIL))
    draws = list(Draw.objects.filter(status=DrawStatus.DRAWN, case__court__code__in=DEMO_COURTS.values()))
    assert draws
    excluded = 0
    for draw in draws:
        day = timezone.localdate(draw.committed_at)
        absent = Absence.objects.filter(
            starts_on__lte=day, ends_on__gte=day, recorded_at__lte=draw.committed_at - dt.timedelta(hours=24)
        )
        assert draw.judge is not None
        assert not absent.filter(person=draw.judge.person).exists(), draw.case_id
        excluded += sum(1 for row in draw.snapshot["judges"] if row["exclusion"] == ExclusionReason.ABSENCE)
    assert excluded > 0
