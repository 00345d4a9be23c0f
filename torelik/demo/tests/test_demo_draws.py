"""Demo cases get their judges from the real draw: every assignment has a protocol that verifies."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from torelik.cases.demo import seed_demo_cases
from torelik.cases.models import Case, CaseEvent, CaseEventKind
from torelik.demo.distribution import RealDraws
from torelik.distribution.models import Draw, DrawStatus
from torelik.distribution.verification import verify_draw

pytestmark = pytest.mark.django_db
UNTIL = dt.datetime(2026, 11, 28, tzinfo=timezone.get_default_timezone())


def test_every_demo_assignment_is_a_verifiable_draw() -> None:
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    summary = seed_demo_cases(count=80, until=UNTIL, processes=0, distribution=RealDraws())
    assert summary.cases >= 80
    assigned = CaseEvent.objects.filter(kind=CaseEventKind.ASSIGNED)
    assert assigned.count() >= 60
    assert all(event.data["method"] == "assign/v1" for event in assigned)
    draws = list(Draw.objects.filter(status=DrawStatus.DRAWN).select_related("judge"))
    assert {draw.case_id for draw in draws} == set(Case.objects.exclude(judge=None).values_list("pk", flat=True))
    for draw in draws:
        assert verify_draw(draw).valid, draw
        assert draw.committed_at < draw.drawn_at  # type: ignore[operator]
