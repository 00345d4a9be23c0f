"""The demo's building access for the flagship court: entrances, the two guards, badges for the court's
staff, turnstiles, bans, and the log of the days' hearings with their courtrooms (at a fixed moment)."""

import datetime as dt

import pytest

from torelik.access import access, queries
from torelik.access.demo import seed_demo_access
from torelik.access.models import Badge, Ban, Device, Entrance, Guard, Passage, Visit, VisitKind, VisitStatus
from torelik.access.tests.factories import HEARING_AT, PARTY_IIN, WITNESS_IIN, building
from torelik.core import clock

pytestmark = pytest.mark.django_db


def test_the_flagship_courts_building_and_its_log() -> None:
    with clock.frozen_at(HEARING_AT - dt.timedelta(days=1)):
        b = building("1916")
    Device.objects.all().delete()
    Entrance.objects.filter(court=b.court.court).delete()  # the demo makes its own
    Guard.objects.all().delete()
    Badge.objects.all().delete()
    after = HEARING_AT + dt.timedelta(hours=3)  # 13:00: the 10:00 hearing is over, its people gone
    with clock.frozen_at(after):
        summary = seed_demo_access(seed=2025, password="a-long-passphrase-1")  # noqa: S106
        again = seed_demo_access(seed=2025, password="a-long-passphrase-1")  # noqa: S106
    assert (summary.entrances, again.entrances) == (3, 0)
    assert access.device_for_token(summary.token).entrance.code == "main"
    assert set(Guard.objects.values_list("user__username", "duty")) == {
        ("demo.entrance", "entrance"),
        ("demo.security", "security"),
    }
    hearing_visits = Visit.objects.filter(hearing=b.hearing)
    assert set(hearing_visits.values_list("iin", "courtroom", "status")) == {
        (PARTY_IIN, "101", VisitStatus.LEFT),
        (WITNESS_IIN, "101", VisitStatus.LEFT),
    }
    staff = Visit.objects.filter(kind=VisitKind.STAFF, day=dt.date(2026, 12, 2))
    assert staff.count() == Badge.objects.count() > 0
    assert staff.filter(status=VisitStatus.INSIDE).count() == staff.count()  # at work until the evening
    assert Passage.objects.filter(allowed=True).count() >= 2 * hearing_visits.count()
    assert queries.bans_in_force(court=b.court.court, day=dt.date(2026, 12, 2)).count() == 1
    assert Ban.objects.filter(lifted_at__isnull=False).count() == 1
