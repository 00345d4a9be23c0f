"""A beacon value is never out before its time, and a draw never rests on one that was (issue #30).

A local beacon value hashes down to every earlier value of its segment: publishing a later round
publishes the earlier ones, and a draw deciding on one of them is predictable by anyone who read it.
"""

import datetime as dt
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from torelik.cases.actions import register_case
from torelik.cases.tests.factories import claim_document, claimant_and_defendant
from torelik.core import clock
from torelik.distribution.actions import commit_draw, complete_draws, complete_pending_draws
from torelik.distribution.beacon_config import configured_beacon
from torelik.distribution.beacons import LocalBeacon, RoundNotYetError, round_time, wall_clock
from torelik.distribution.models import BeaconAnchor, Draw, DrawStatus
from torelik.distribution.tests.conftest import FILED, Court5, Register, latest_draw
from torelik.distribution.verification import verify_draw

TOOL = Path(__file__).resolve().parents[3] / "tools" / "verify_distribution.py"


def _local() -> LocalBeacon:
    beacon = configured_beacon()
    assert isinstance(beacon, LocalBeacon)
    return beacon


def _tool(tmp_path: Path, body: dict[str, Any], anchors: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    (tmp_path / "p.json").write_text(json.dumps(body), encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(anchors), encoding="utf-8")
    key = Client().get("/api/v1/log/key").content.decode().strip()  # the transparency log's key
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, str(TOOL), str(tmp_path / "p.json"), "--anchors", str(tmp_path / "a.json"), "--log-key", key],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip


def test_the_local_beacon_gives_no_round_before_its_time_on_the_wall_clock() -> None:
    """Not even to a caller whose clock is frozen in the future (a replay, a demo seeder)."""
    now = wall_clock()
    beacon = LocalBeacon(secret=b"s" * 32, genesis=now - dt.timedelta(hours=1), period=1, segment_length=600)
    due_in_an_hour = 2 * 3600 + 1
    with pytest.raises(RoundNotYetError):
        beacon.fetch(due_in_an_hour, now=now + dt.timedelta(hours=2))
    assert beacon.fetch(3600 - 60, now=now).round == 3600 - 60  # a minute ago: public


def _publish_early(draw: Draw, round_number: int, at: dt.datetime) -> None:
    """What the demo seeding did before the fix: a later round of the segment drawn ahead of its time."""
    beacon = _local()
    Draw.objects.filter(pk=draw.pk).update(
        status=DrawStatus.DRAWN, beacon_round=round_number, beacon_value=beacon.value(round_number).hex(), drawn_at=at
    )


def test_a_draw_passes_over_a_segment_whose_later_values_are_out(
    court5: Court5, register: Register, tmp_path: Path
) -> None:
    beacon = _local()
    early = register(FILED)  # its draw is taken over below as the early publication
    at = FILED + dt.timedelta(minutes=5)
    segment = beacon.segment(beacon.segment_of(beacon_round := int((at - beacon.genesis).total_seconds()) + 2))
    assert segment.first_round < beacon_round < segment.last_round - 10
    _publish_early(latest_draw(early), segment.last_round - 5, at - dt.timedelta(seconds=30))

    later = register(at)
    draw = latest_draw(later)
    assert draw.snapshot["beacon"]["skipped_segments"] == [segment.index]
    assert draw.beacon_round == segment.last_round + 1  # the first round of the next segment
    assert draw.status == DrawStatus.COMMITTED  # that round is ten minutes away
    with clock.frozen_at(round_time(beacon, draw.beacon_round) + dt.timedelta(seconds=1)):
        complete_pending_draws()
    draw.refresh_from_db()
    assert draw.status == DrawStatus.DRAWN
    assert verify_draw(draw).valid, verify_draw(draw).problems
    body = Client().get(f"/api/v1/cases/{later.number}/distribution").json()
    anchors = Client().get("/api/v1/distribution/anchors").json()
    assert _tool(tmp_path, body, anchors).returncode == 0
    # Claiming a pass-over that did not happen (to take a later round) is caught by both verifiers.
    body["draws"][0]["snapshot"]["beacon"]["skipped_segments"] = [segment.index + 1]
    run = _tool(tmp_path, body, anchors)
    assert run.returncode == 1
    assert "snapshot.beacon.round" in run.stdout


def test_a_committed_draw_whose_round_was_given_away_early_is_not_completed(court5: Court5, register: Register) -> None:
    beacon = _local()
    early = register(FILED)
    at = FILED + dt.timedelta(minutes=5)
    pending = _committed_without_completion(court5, at)
    _publish_early(latest_draw(early), pending.beacon_round + 3, at)  # before the pending round's time
    with clock.frozen_at(round_time(beacon, pending.beacon_round) + dt.timedelta(seconds=5)):
        [result] = complete_draws([pending])
    assert result.status == DrawStatus.COMMITTED
    assert result.judge_id is None
    assert "known before its time" in Draw.objects.get(pk=pending.pk).last_error


def _committed_without_completion(court5: Court5, at: dt.datetime) -> Draw:
    with clock.frozen_at(at):
        case = register_case(
            court=court5.office.court,
            proceeding_type="civil",
            category_code=court5.office.category.code,
            parties=claimant_and_defendant(),
            documents=[claim_document()],
            actor=court5.office.clerk,
        )
        return commit_draw(case)


def test_both_verifiers_refuse_a_protocol_published_before_its_round(
    court5: Court5, register: Register, tmp_path: Path
) -> None:
    case = register()
    draw = latest_draw(case)
    early = round_time(_local(), draw.beacon_round) - dt.timedelta(minutes=2)
    Draw.objects.filter(pk=draw.pk).update(drawn_at=early)
    out = io.StringIO()
    with pytest.raises(CommandError, match="do not verify"):
        call_command("verify-distribution", case.number, stdout=out)
    assert "drawn_at" in out.getvalue()
    body = Client().get(f"/api/v1/cases/{case.number}/distribution").json()
    anchors = Client().get("/api/v1/distribution/anchors").json()
    run = _tool(tmp_path, body, anchors)
    assert run.returncode == 1
    assert "before its round's time" in run.stdout


def test_both_verifiers_refuse_an_anchor_published_after_the_commitment(
    court5: Court5, register: Register, tmp_path: Path
) -> None:
    case = register()
    draw = latest_draw(case)
    BeaconAnchor.objects.filter(chain=draw.beacon_chain).update(published_at=draw.committed_at + dt.timedelta(hours=3))
    assert any("anchor" in problem for problem in verify_draw(draw).problems)
    body = Client().get(f"/api/v1/cases/{case.number}/distribution").json()
    anchors = Client().get("/api/v1/distribution/anchors").json()
    run = _tool(tmp_path, body, anchors)
    assert run.returncode == 1
    assert "published after the commitment" in run.stdout
