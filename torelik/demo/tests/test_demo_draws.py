"""Demo cases get their judges from the real draw: every assignment has a protocol that verifies."""

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from torelik.cases.demo import seed_demo_cases
from torelik.cases.models import Case, CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.demo.distribution import RealDraws
from torelik.distribution.beacon_config import configured_beacon
from torelik.distribution.beacons import round_time
from torelik.distribution.models import BeaconAnchor, Draw, DrawStatus
from torelik.distribution.verification import verify_draw

pytestmark = pytest.mark.django_db
TOOL = Path(__file__).resolve().parents[3] / "tools" / "verify_distribution.py"
UNTIL = dt.datetime(2026, 11, 28, tzinfo=timezone.get_default_timezone())


def test_every_demo_assignment_is_a_verifiable_draw(tmp_path: Path) -> None:
    tmp = tmp_path
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
    # Every protocol proves, with the standalone verifier, that its commitment was in a signed
    # checkpoint of the transparency log before its beacon round, and the loads add up across them all.
    client = Client()
    page = client.get("/api/v1/distribution/protocols", {"limit": 200}).json()
    assert page["count"] == len(page["items"]) == Draw.objects.count()
    Path(tmp / "protocols.json").write_text(json.dumps(page), encoding="utf-8")
    Path(tmp / "anchors.json").write_text(
        json.dumps(client.get("/api/v1/distribution/anchors").json()), encoding="utf-8"
    )
    key = client.get("/api/v1/log/key").content.decode().strip()
    run = subprocess.run(  # noqa: S603
        [sys.executable, str(TOOL), str(tmp / "protocols.json"), "--anchors", str(tmp / "anchors.json"),
         "--log-key", key, "--complete"],
        capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout[-3000:]
    assert run.stdout.count(": VALID") == len(draws)


# Issue #30: a local beacon value gives away every earlier value of its segment, so the seeding
# never completes a draw before its round is due at the moment it runs, and never dates an anchor later.
SEEDED_AT = dt.datetime(2026, 11, 27, 15, 0, tzinfo=timezone.get_default_timezone())  # a Friday afternoon


def _nothing_out_before(moment: dt.datetime) -> None:
    beacon = configured_beacon()
    drawn = list(Draw.objects.filter(status=DrawStatus.DRAWN))
    assert drawn
    for draw in drawn:
        assert round_time(beacon, draw.beacon_round) <= moment, draw.case_id
        assert draw.drawn_at is not None
        assert draw.drawn_at <= moment
        assert verify_draw(draw).valid, verify_draw(draw).problems
    assert not Draw.objects.filter(committed_at__gt=moment).exists()
    assert not BeaconAnchor.objects.filter(published_at__gt=moment).exists()


def test_the_whole_demo_publishes_no_beacon_value_and_no_anchor_before_its_time() -> None:
    with clock.frozen_at(SEEDED_AT):
        call_command("seed_demo", cases=40, allow_published_password=True, stdout=io.StringIO())
    _nothing_out_before(SEEDED_AT)


def test_a_demo_assignment_planned_after_the_real_moment_is_left_waiting() -> None:
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    with clock.frozen_at(SEEDED_AT):
        # Planned up to two days ahead of the moment the seeding runs at: the later steps must wait.
        seed_demo_cases(
            count=80, until=SEEDED_AT + dt.timedelta(days=3), processes=0, distribution=RealDraws(SEEDED_AT)
        )
    _nothing_out_before(SEEDED_AT)
    late = Case.objects.filter(registered_at__lte=SEEDED_AT, judge=None)
    assert late.exists()  # some cases were registered but their draw is not due yet: they wait
