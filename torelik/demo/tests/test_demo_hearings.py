"""Demo hearings: scheduled through the real action for the busiest courts, some closed, none overlapping."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from torelik.cases.demo import seed_demo_cases
from torelik.core import clock
from torelik.demo.distribution import RealDraws
from torelik.demo.hearings import seed_demo_hearings
from torelik.hearings.models import Hearing, HearingStatus

pytestmark = pytest.mark.django_db
UNTIL = dt.datetime(2026, 11, 28, tzinfo=timezone.get_default_timezone())


def test_demo_hearings_are_in_the_coming_weeks_and_never_double_book_a_room() -> None:
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    seed_demo_cases(count=80, until=UNTIL, processes=0, distribution=RealDraws())
    with clock.frozen_at(UNTIL):
        summary = seed_demo_hearings(seed=6)
        again = seed_demo_hearings(seed=6)
    assert summary.hearings > 0
    assert again.hearings == 0
    # The held ones: in the past working days, each with its recording, log and record in the case.
    held = list(Hearing.objects.filter(status=HearingStatus.HELD))
    assert len(held) == summary.recorded > 0
    for hearing in held:
        assert hearing.starts_at < UNTIL
        recording = hearing.recordings.get()
        assert recording.media_type == "audio/x-wav"
        assert recording.duration == dt.timedelta(seconds=20)
        assert hearing.marks.count() == 5
        assert hearing.record is not None
        assert hearing.record.case_id == hearing.case_id
    hearings = list(Hearing.objects.exclude(status=HearingStatus.HELD).order_by("courtroom_id", "starts_at"))
    assert len(hearings) == summary.hearings
    assert all(h.starts_at > UNTIL for h in hearings)
    assert all(h.starts_at < UNTIL + dt.timedelta(days=28) for h in hearings)
    for before, after in zip(hearings, hearings[1:], strict=False):
        if before.courtroom_id == after.courtroom_id:
            assert before.ends_at <= after.starts_at
