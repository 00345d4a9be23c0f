"""Distribution of registered cases: commitment before randomness, the rules that cannot be bent,
public protocols that anyone can re-run, and no manual path."""

import base64
import datetime as dt
import inspect
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from torelik.cases.models import Case, CaseEvent, CaseEventKind, CaseStatus
from torelik.core import clock
from torelik.courts.models import AbsenceKind, JudgeAbsence
from torelik.courts.tests.factories import JudgeFactory, next_iin
from torelik.distribution import actions, inputs
from torelik.distribution.errors import DistributionError, DistributionForbiddenError
from torelik.distribution.models import Draw, DrawReason, DrawStatus, ExclusionReason
from torelik.distribution.tests.conftest import FILED, TOOL, Court5, Register, latest_draw, other_parties
from torelik.distribution.verification import verify_draw

pytestmark = pytest.mark.django_db


def test_a_registered_case_is_drawn_after_its_inputs_are_committed(court5: Court5, register: Register) -> None:
    case = register()
    draw = latest_draw(case)
    assert draw.status == DrawStatus.DRAWN
    assert case.status == CaseStatus.ASSIGNED
    assert case.judge == draw.judge
    assert draw.judge in court5.judges
    kinds = list(CaseEvent.objects.filter(case=case).order_by("pk").values_list("kind", flat=True))
    assert kinds.index(CaseEventKind.DISTRIBUTION_COMMITTED) < kinds.index(CaseEventKind.ASSIGNED)
    committed = CaseEvent.objects.get(case=case, kind=CaseEventKind.DISTRIBUTION_COMMITTED)
    assert committed.data["snapshot_sha256"] == draw.snapshot_sha256
    # The round that decides is the first one after the commitment.
    assert dt.datetime.fromisoformat(draw.snapshot["beacon"]["round_time"]) > draw.committed_at
    assigned = CaseEvent.objects.get(case=case, kind=CaseEventKind.ASSIGNED)
    assert assigned.data["method"] == "assign/v1"
    assert assigned.actor is None
    assert verify_draw(draw).valid


def test_the_protocol_states_every_judge_and_exact_chances(court5: Court5, register: Register) -> None:
    draw = latest_draw(register())
    rows = {row["judge"]: row for row in draw.snapshot["judges"]}
    assert set(rows) == {str(j.public_id) for j in court5.judges}
    assert rows[str(court5.chairman.public_id)]["rate"] == 500
    # No load yet: every key ties, so the chance is the participation share: 2/9 each, chairman 1/9.
    assert draw.probabilities[str(court5.chairman.public_id)] == "1/9"
    assert all(draw.probabilities[str(j.public_id)] == "2/9" for j in court5.judges[:4])


def test_an_absence_counts_only_if_recorded_a_day_before_the_filing(court5: Court5, register: Register) -> None:
    early, late = court5.judges[0], court5.judges[1]
    for judge, recorded in ((early, FILED - dt.timedelta(hours=25)), (late, FILED - dt.timedelta(hours=23))):
        JudgeAbsence.objects.create(
            judge=judge, kind=AbsenceKind.LEAVE, starts_on=FILED.date(), ends_on=FILED.date(), recorded_at=recorded
        )
    rows = {row["judge"]: row for row in latest_draw(register()).snapshot["judges"]}
    assert rows[str(early.public_id)]["exclusion"] == ExclusionReason.ABSENCE
    assert rows[str(late.public_id)]["exclusion"] is None


def test_loads_come_from_earlier_draws_and_the_less_loaded_pick_wins(court5: Court5, register: Register) -> None:
    for n in range(12):
        register(at=FILED + dt.timedelta(hours=n), parties=other_parties(next_iin()))
    received: dict[str, int] = {str(judge.public_id): 0 for judge in court5.judges}
    for draw in Draw.objects.filter(status=DrawStatus.DRAWN).order_by("committed_at"):
        rows = {row["judge"]: row for row in draw.snapshot["judges"]}
        # Each judge's load in the snapshot is exactly the weight of the cases drawn to them before.
        assert {judge: row["load"] for judge, row in rows.items()} == received
        first, second = (rows[pick] for pick in draw.picks)
        lighter = min(first, second, key=lambda r: r["load"] * 1000 // r["rate"])
        if first["load"] * 1000 // first["rate"] != second["load"] * 1000 // second["rate"]:
            assert draw.judge is not None
            assert str(draw.judge.public_id) == lighter["judge"]
        assert draw.judge is not None
        received[str(draw.judge.public_id)] += draw.weight


def test_a_claim_refiled_within_90_days_goes_to_the_first_judge_whatever_its_wording(
    court5: Court5, register: Register
) -> None:
    first = register()
    again = register(at=FILED + dt.timedelta(days=30), subject="О взыскании неустойки по тому же договору")
    draw = latest_draw(again)
    assert draw.snapshot["pool_rule"] == "refiling"
    assert draw.snapshot["refiling"] == {"first_case": first.number, "applied": True}
    assert again.judge == first.judge
    later = register(at=FILED + dt.timedelta(days=125))  # more than 90 days after both
    assert latest_draw(later).snapshot["pool_rule"] == "specialisation"


def test_the_90_days_of_a_refiling_are_counted_to_the_minute(court5: Court5, register: Register) -> None:
    """With Astana's clock (UTC+5) at the counter: 89 days 23 h 59 min after the first filing is a
    refiling, 90 days and a minute is a new claim."""
    astana = ZoneInfo("Asia/Almaty")
    first = register(at=FILED.astimezone(astana))
    within = register(at=(FILED + dt.timedelta(days=90, minutes=-1)).astimezone(astana))
    assert latest_draw(within).snapshot["refiling"] == {"first_case": first.number, "applied": True}
    assert within.judge == first.judge
    other = other_parties(next_iin())
    second = register(at=FILED.astimezone(astana), parties=other)
    after = register(at=(FILED + dt.timedelta(days=90, minutes=1)).astimezone(astana), parties=other)
    assert second.judge is not None
    assert latest_draw(after).snapshot["pool_rule"] != "refiling"


def test_a_company_in_many_claims_is_no_refiling_and_costs_the_same_to_check(
    court5: Court5, register: Register
) -> None:
    """The same defendant with different claimants is not a refiling; and checking it does not read
    every earlier case of that defendant (a bank is in thousands of claims)."""
    first = register(parties=other_parties(next_iin()))

    def queries_to_check(case: Case) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert inputs.first_of_refiled(case) is None
        return len(captured.captured_queries)

    one_earlier = queries_to_check(register(at=FILED + dt.timedelta(hours=1), parties=other_parties(next_iin())))
    for n in range(2, 8):
        register(at=FILED + dt.timedelta(hours=n), parties=other_parties(next_iin()))
    many_earlier = register(at=FILED + dt.timedelta(hours=9), parties=other_parties(next_iin()))
    assert latest_draw(many_earlier).snapshot["pool_rule"] != "refiling"
    assert queries_to_check(many_earlier) == one_earlier
    assert first.judge is not None


def test_fewer_than_three_eligible_judges_means_the_case_waits(court5: Court5, register: Register) -> None:
    for judge in court5.judges[:3]:
        JudgeAbsence.objects.create(
            judge=judge,
            kind=AbsenceKind.SICK,
            starts_on=FILED.date(),
            ends_on=FILED.date() + dt.timedelta(days=2),
            recorded_at=FILED - dt.timedelta(days=2),
        )
    case = register()
    draw = latest_draw(case)
    assert draw.status == DrawStatus.WAITING
    assert case.status == CaseStatus.REGISTERED
    assert case.judge is None
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.DISTRIBUTION_WAITING).exists()
    # Three days later the judges are back: the retry commits anew and draws.
    with clock.frozen_at(FILED + dt.timedelta(days=3)):
        actions.complete_pending_draws()
    with clock.frozen_at(FILED + dt.timedelta(days=3, minutes=1)):
        actions.complete_pending_draws()
    assert Case.objects.get(pk=case.pk).judge is not None
    assert latest_draw(case).previous == draw
    # Having waited once does not bar a later recusal: the waiting draw was replaced.
    with clock.frozen_at(FILED + dt.timedelta(days=4)):
        again = actions.redistribute(
            case=Case.objects.get(pk=case.pk),
            reason=DrawReason.RECUSAL,
            grounds="родство с ответчиком",
            actor=court5.office.judge_user,
        )
    assert again.status == DrawStatus.COMMITTED


def test_a_small_court_draws_among_the_judges_it_has(register: Register, court5: Court5) -> None:
    for judge in court5.judges[2:]:
        judge.is_active = False
        judge.save()
    draw = latest_draw(register())
    assert draw.snapshot["pool_rule"] == "small_court"
    assert draw.status == DrawStatus.DRAWN


def test_other_specialisations_join_the_pool_when_too_few_specialists(court5: Court5, register: Register) -> None:
    for judge in court5.judges[:3]:
        judge.specialisations.update(specialisation="criminal")
    draw = latest_draw(register())
    assert draw.snapshot["pool_rule"] == "widened_to_all_specialisations"
    assert all(row["eligible"] for row in draw.snapshot["judges"])


def test_recusal_redistributes_by_a_new_draw_without_the_leaving_judge(court5: Court5, register: Register) -> None:
    case = register()
    first = latest_draw(case)
    with clock.frozen_at(FILED + dt.timedelta(days=1)):
        draw = actions.redistribute(
            case=case, reason=DrawReason.RECUSAL, grounds="родство с истцом", actor=court5.office.judge_user
        )
    with clock.frozen_at(FILED + dt.timedelta(days=1, minutes=1)):
        draw = actions.complete_draw(draw)
    case.refresh_from_db()
    assert draw.previous == first
    assert draw.reason == DrawReason.RECUSAL
    leaving = next(r for r in draw.snapshot["judges"] if r["judge"] == str(first.judge.public_id))  # type: ignore[union-attr]
    assert leaving["exclusion"] == ExclusionReason.RECUSAL
    assert case.judge == draw.judge != first.judge
    assert case.status == CaseStatus.ASSIGNED
    assert verify_draw(first).valid
    assert verify_draw(draw).valid


def test_a_new_draw_only_on_recorded_facts_and_one_at_a_time(court5: Court5, register: Register) -> None:
    case = register()
    chairman = court5.office.judge_user
    assert case.judge is not None
    with clock.frozen_at(FILED + dt.timedelta(days=1)):
        for reason, grounds in (
            (DrawReason.JUDGE_LEFT, "указ о прекращении полномочий"),  # still in office by the record
            (DrawReason.LONG_ABSENCE, "больничный"),  # no absence recorded
            (DrawReason.RECUSAL, "-"),  # no grounds
        ):
            with pytest.raises(DistributionError) as refused:
                actions.redistribute(case=case, reason=reason, grounds=grounds, actor=chairman)
            assert refused.value.code == "redistribution_facts_missing"
        JudgeAbsence.objects.create(
            judge=case.judge,
            kind=AbsenceKind.SICK,
            starts_on=(FILED + dt.timedelta(days=1)).date(),
            ends_on=(FILED + dt.timedelta(days=40)).date(),
            recorded_at=FILED + dt.timedelta(days=1),
        )
        draw = actions.redistribute(case=case, reason=DrawReason.LONG_ABSENCE, grounds="больничный", actor=chairman)
        assert draw.status == DrawStatus.COMMITTED
        # While that draw waits for its round, no second one can be ordered.
        with pytest.raises(DistributionError) as again:
            actions.redistribute(case=case, reason=DrawReason.LONG_ABSENCE, grounds="больничный", actor=chairman)
        assert again.value.code == "distribution_pending"


def test_only_the_chairman_orders_a_new_draw_and_never_names_the_judge(court5: Court5, register: Register) -> None:
    case = register()
    with pytest.raises(DistributionForbiddenError) as refused:
        actions.redistribute(case=case, reason=DrawReason.RECUSAL, grounds="-", actor=court5.office.clerk)
    assert refused.value.code == "redistribution_not_allowed"
    with pytest.raises(DistributionError):
        actions.redistribute(case=case, reason=DrawReason.FIRST, grounds="-", actor=court5.office.judge_user)
    # No way in to name a judge: neither ordering a draw nor completing one takes one.
    assert not {"judge", "judge_id"} & set(inspect.signature(actions.redistribute).parameters)
    assert not {"judge", "judge_id"} & set(inspect.signature(actions.commit_draw).parameters)


def test_the_verify_command_and_the_standalone_script_agree(court5: Court5, register: Register, tmp_path: Path) -> None:
    case = register()
    out = io.StringIO()
    call_command("verify-distribution", case.number, stdout=out)
    assert "VALID" in out.getvalue()
    assert "INVALID" not in out.getvalue()
    from django.test import Client

    body = Client().get(f"/api/v1/cases/{case.number}/distribution").json()
    anchors = Client().get("/api/v1/distribution/anchors").json()
    key = Client().get("/api/v1/log/key").content.decode().strip()
    (tmp_path / "p.json").write_text(json.dumps(body), encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(anchors), encoding="utf-8")
    run = subprocess.run(  # noqa: S603
        [sys.executable, str(TOOL), str(tmp_path / "p.json"), "--anchors", str(tmp_path / "a.json"), "--log-key", key],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout
    assert f"{case.number} #1: VALID" in run.stdout
    unpinned = _run_tool(tmp_path, body)  # neither the anchor nor the log's key given: said, and not 0
    assert unpinned.returncode == 3, unpinned.stdout
    assert "anchor was not checked" in unpinned.stdout
    assert "pass --log-key" in unpinned.stdout


def test_a_protocol_proves_its_commitment_was_checkpointed_before_its_round(
    court5: Court5, register: Register, tmp_path: Path
) -> None:
    from django.test import Client

    from torelik.archive.log import sign_checkpoint
    from torelik.archive.queries import inclusion_proof

    case = register()
    body = Client().get(f"/api/v1/cases/{case.number}/distribution").json()
    protocol = body["draws"][0]
    log = protocol["log"]
    assert log["status"] == "checkpointed"
    checkpoint_time = int(log["checkpoint"].split("\ntime ")[1].split("\n")[0])
    round_time = dt.datetime.fromisoformat(protocol["snapshot"]["beacon"]["round_time"].replace("Z", "+00:00"))
    assert checkpoint_time < round_time.timestamp()  # signed before the round's value existed
    anchors = Client().get("/api/v1/distribution/anchors").json()
    assert _run_tool(tmp_path, body, anchors).returncode == 3  # valid; the log's key not pinned
    # A checkpoint signed only after the round proves nothing in time.
    with clock.frozen_at(round_time + dt.timedelta(seconds=5)):
        late = sign_checkpoint()
    log["checkpoint"] = late.note
    log["inclusion_proof"] = [base64.b64encode(h).decode() for h in inclusion_proof(log["index"], late.size)]
    run = _run_tool(tmp_path, body, anchors)
    assert run.returncode == 1
    assert "signed after the beacon round" in run.stdout
    # A commitment not in the log at all.
    del protocol["log"]
    assert "not proven in a checkpoint" in _run_tool(tmp_path, body, anchors).stdout


def test_the_verifier_checks_what_a_page_of_protocols_proves(
    court5: Court5, register: Register, tmp_path: Path
) -> None:
    from django.test import Client

    for day in range(3):
        register(FILED + dt.timedelta(days=day))
    page = Client().get("/api/v1/distribution/protocols").json()
    anchors = Client().get("/api/v1/distribution/anchors").json()
    assert page["count"] == 3
    run = _run_tool(tmp_path, page, anchors)
    assert run.returncode == 3, run.stdout  # valid, the log's key not pinned
    last = page["items"][-1]
    winner = page["items"][0]["result"]
    judge = next(j for j in last["snapshot"]["judges"] if j["judge"] == winner)
    judge["load"] = 0  # as if the first case had not gone to that judge
    run = _run_tool(tmp_path, page, anchors)
    assert run.returncode == 1
    assert f"snapshot.judges[{winner}].load: 0, the earlier protocols add up to" in run.stdout
    last["snapshot"]["judges"].reverse()
    last["snapshot"]["case"]["weight"] += 1
    last["snapshot"]["judges"][0]["exclusion"] = "because"
    run = _run_tool(tmp_path, page, anchors)
    assert "not sorted by judge id" in run.stdout
    assert "not complexity x 100" in run.stdout
    assert "unknown code 'because'" in run.stdout


def _someone_else(protocol: dict[str, Any]) -> str:
    return str(next(j["judge"] for j in protocol["snapshot"]["judges"] if j["judge"] != protocol["result"]))


@pytest.mark.parametrize(
    ("field", "change", "named"),
    [
        ("load", lambda p: p["snapshot"]["judges"][0].update(load=7), "snapshot_sha256"),
        ("result", lambda p: p.update(result=_someone_else(p)), "result"),
        ("beacon", lambda p: p["beacon"].update(value="00" * 32), "beacon.value"),
    ],
)
def test_a_tampered_protocol_fails_and_the_field_is_named(
    court5: Court5, register: Register, tmp_path: Path, field: str, change: object, named: str
) -> None:
    case = register()
    from django.test import Client

    body = Client().get(f"/api/v1/cases/{case.number}/distribution").json()
    change(body["draws"][0])  # type: ignore[operator]
    (tmp_path / "p.json").write_text(json.dumps(body), encoding="utf-8")
    command = [sys.executable, str(TOOL), str(tmp_path / "p.json")]
    run = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    assert run.returncode == 1
    assert "INVALID" in run.stdout
    assert named in run.stdout


def test_verify_command_refuses_an_unknown_case(db: None) -> None:
    with pytest.raises(CommandError, match="no distribution"):
        call_command("verify-distribution", "0000-26-00-2/1", stdout=io.StringIO())


def test_the_public_page_shows_the_protocol_in_kazakh_without_login(court5: Court5, register: Register) -> None:
    from django.test import Client

    case = register()
    page = Client().get(f"/kk/distribution/cases/{case.number}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert latest_draw(case).snapshot_sha256 in text
    assert court5.chairman.person.full_name in text
    assert Client().get("/en/distribution/cases/0000-26-00-2/9/").status_code == 404


def test_the_chairman_monitors_the_court_and_a_clerk_may_not(court5: Court5, register: Register) -> None:
    from django.test import Client

    for n in range(4):
        register(at=FILED + dt.timedelta(hours=n), parties=other_parties(next_iin()))
    chairman = Client()
    chairman.force_login(court5.office.judge_user)
    with clock.frozen_at(FILED + dt.timedelta(days=1)):  # the page counts the draws of the last months
        page = chairman.get(f"/en/distribution/monitoring/{court5.office.court.code}/")
    assert page.status_code == 200
    assert page.context["figures"].draws == 4
    assert sum(row.received for row in page.context["figures"].judges) == 4
    clerk = Client()
    clerk.force_login(court5.office.clerk)
    assert clerk.get(f"/en/distribution/monitoring/{court5.office.court.code}/").status_code == 403


def test_the_monitoring_sums_the_chances_the_protocols_gave(court5: Court5, register: Register) -> None:
    """Expected draws are the sum of the chances each protocol gave a judge, the z-score (received −
    expected) / sqrt(Σ p(1−p)): computed here from the protocols' exact fractions, by hand's rules."""
    import math
    from fractions import Fraction

    from torelik.distribution.queries import monitoring

    for n in range(6):
        register(at=FILED + dt.timedelta(hours=n), parties=other_parties(next_iin()))
    with clock.frozen_at(FILED + dt.timedelta(days=1)):
        figures = monitoring(court5.office.court)
    draws = Draw.objects.filter(case__court=court5.office.court, status=DrawStatus.DRAWN)
    assert figures.draws == draws.count() == 6
    for row in figures.judges:
        key = str(row.judge.public_id)
        chances = [Fraction(d.probabilities[key]) for d in draws if key in d.probabilities]
        won = sum(1 for d in draws if d.judge_id == row.judge.pk)
        assert row.received == won
        assert row.expected == pytest.approx(float(sum(chances)))
        spread = float(sum(p * (1 - p) for p in chances))
        if spread:
            assert row.z == pytest.approx((won - float(sum(chances))) / math.sqrt(spread))
        else:
            assert row.z is None
    assert sum(row.expected for row in figures.judges) == pytest.approx(6)


def test_open_data_lists_protocols_by_court_and_period(court5: Court5, register: Register) -> None:
    from django.test import Client

    register()
    register(at=FILED + dt.timedelta(days=40), parties=other_parties(next_iin()))
    client = Client()
    url = "/api/v1/distribution/protocols"
    body = client.get(url, {"court": court5.office.court.code, "from": "2026-03-01", "to": "2026-03-31"}).json()
    assert body["count"] == 1
    assert body["items"][0]["snapshot"]["case"]["court"] == court5.office.court.code
    refused = client.get(url, {"from": "2026-04-01", "to": "2026-03-01"})
    assert refused.status_code == 422
    assert refused.json()["fields"] == {"to": [refused.json()["message"]]}
    assert client.get(url, {"court": "12"}).status_code == 422


def test_the_chairman_orders_a_new_draw_through_the_api(court5: Court5, register: Register) -> None:
    from django.test import Client

    case = register()
    url = f"/api/v1/cases/{case.number}/distribution/redistribute"
    clerk = Client()
    clerk.force_login(court5.office.clerk)
    refused = clerk.post(url, {"reason": "recusal", "grounds": "родство со стороной"}, content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "redistribution_not_allowed"
    chairman = Client()
    chairman.force_login(court5.office.judge_user)
    bad = chairman.post(url, {"reason": "whim", "grounds": "x"}, content_type="application/json")
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"reason", "grounds"}
    with clock.frozen_at(FILED + dt.timedelta(days=2)):
        made = chairman.post(
            url, {"reason": "recusal", "grounds": "родство со стороной"}, content_type="application/json"
        )
    assert made.status_code == 201
    assert made.json()["attempt"] == 2
    assert made.json()["snapshot"]["previous"]["attempt"] == 1
    assert (
        Client().post(url, {"reason": "recusal", "grounds": "abc"}, content_type="application/json").status_code == 401
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_registrations_do_not_wait_and_their_draws_are_committed_together_and_completed_by_the_worker(
    settings: Any,
) -> None:
    import time

    from torelik.cases.actions import register_case
    from torelik.cases.tests.factories import claim_document, court_office, ensure_claim_document_type
    from torelik.workers.runner import run_ready

    settings.TORELIK_TASKS_INLINE = False  # as in production: the registering process only enqueues
    ensure_claim_document_type()
    office = court_office("0215")
    for _ in range(3):
        JudgeFactory.create(court=office.court)
    with transaction.atomic():  # the three reach the distributor together, when this commits
        cases = [
            register_case(
                court=office.court,
                proceeding_type="civil",
                category_code=office.category.code,
                parties=other_parties(next_iin()),  # three different claims
                documents=[claim_document()],
                actor=office.clerk,
            )
            for _ in range(3)
        ]
    assert not Draw.objects.filter(case__in=cases).exists()  # nothing was drawn in the registering request
    run_ready()  # a worker takes the court's task: one batch (and, on a slow machine, already its round)
    draws = list(Draw.objects.filter(case__in=cases))
    assert len(draws) == 3
    for _ in range(50):  # the completion is queued for right after the round: a worker takes it then
        time.sleep(0.1)
        run_ready()
        draws = list(Draw.objects.filter(case__in=cases))
        if all(draw.status == DrawStatus.DRAWN for draw in draws):
            break
    assert sorted(draw.status for draw in draws) == [DrawStatus.DRAWN] * 3
    assert len({draw.committed_at for draw in draws}) == 1  # one batch, one moment, one round
    assert all(Case.objects.get(pk=case.pk).status == CaseStatus.ASSIGNED for case in cases)


def _run_tool(
    tmp_path: Path, body: dict[str, Any], anchors: dict[str, Any] | None = None
) -> subprocess.CompletedProcess[str]:
    (tmp_path / "p.json").write_text(json.dumps(body), encoding="utf-8")
    command = [sys.executable, str(TOOL), str(tmp_path / "p.json")]
    if anchors is not None:
        (tmp_path / "a.json").write_text(json.dumps(anchors), encoding="utf-8")
        command += ["--anchors", str(tmp_path / "a.json")]
    return subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603


def test_a_value_of_another_round_of_the_segment_is_caught(court5: Court5, register: Register, tmp_path: Path) -> None:
    from django.test import Client

    from torelik.distribution.beacon_config import configured_beacon
    from torelik.distribution.beacons import LocalBeacon

    case = register()
    body = Client().get(f"/api/v1/cases/{case.number}/distribution").json()
    anchors = Client().get("/api/v1/distribution/anchors").json()
    protocol = body["draws"][0]
    beacon = configured_beacon()
    later = protocol["beacon"]["round"] + 3
    assert isinstance(beacon, LocalBeacon)
    protocol["beacon"]["value"] = beacon.value(later).hex()  # a real value, of a round 3 s later
    protocol["beacon"]["proof"]["first_round"] -= 3
    protocol["beacon"]["proof"]["hashes_to_anchor"] += 3
    run = _run_tool(tmp_path, body, anchors)
    assert run.returncode == 1
    assert "hashes_to_anchor" in run.stdout


def test_a_malformed_protocol_names_the_field_instead_of_crashing(
    court5: Court5, register: Register, tmp_path: Path
) -> None:
    from django.test import Client

    body = Client().get(f"/api/v1/cases/{register().number}/distribution").json()
    for judge in body["draws"][0]["snapshot"]["judges"]:
        judge["rate"] = 0
    run = _run_tool(tmp_path, body)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert ".rate: must be a positive integer" in run.stdout


def test_copies_of_one_claim_filed_at_once_wait_for_the_first_judge(court5: Court5, register: Register) -> None:
    from torelik.cases.actions import register_case
    from torelik.cases.tests.factories import claim_document, claimant_and_defendant

    def file_copy(at: dt.datetime) -> Any:
        with clock.frozen_at(at):
            copy = register_case(
                court=court5.office.court,
                proceeding_type="civil",
                category_code=court5.office.category.code,
                parties=claimant_and_defendant(),
                documents=[claim_document()],
                actor=court5.office.clerk,
            )
            return copy, actions.commit_draw(copy)

    first, first_draw = file_copy(FILED)
    second, second_draw = file_copy(FILED + dt.timedelta(seconds=5))  # the first is not drawn yet
    assert first_draw.status == DrawStatus.COMMITTED
    assert second_draw.status == DrawStatus.WAITING
    assert second_draw.snapshot["refiling"]["first_case_pending"] is True
    with clock.frozen_at(FILED + dt.timedelta(minutes=1)):
        actions.complete_pending_draws()  # draws the first, re-commits the second by the refiling rule
    with clock.frozen_at(FILED + dt.timedelta(minutes=2)):
        actions.complete_pending_draws()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.judge is not None
    assert second.judge == first.judge
    assert latest_draw(second).snapshot["pool_rule"] == "refiling"


def test_a_waiting_redistribution_is_not_committed_again_at_every_run(court5: Court5, register: Register) -> None:
    """`complete-draws` asks whether a waiting case would still wait without writing: the judges the
    case had stay excluded in that question too, or every run would add a draw to its journal."""
    case = register()
    assert latest_draw(case).status == DrawStatus.DRAWN
    assert case.judge is not None
    others = [judge for judge in court5.judges if judge.pk != case.judge_id]
    for judge in others[:2]:  # away for weeks, known long ago: without the case's judge, two remain
        JudgeAbsence.objects.create(
            judge=judge,
            kind=AbsenceKind.SICK,
            starts_on=FILED.date(),
            ends_on=FILED.date() + dt.timedelta(days=30),
            recorded_at=FILED - dt.timedelta(days=2),
        )
    day = FILED + dt.timedelta(days=5)
    with clock.frozen_at(day):
        JudgeAbsence.objects.create(
            judge=case.judge,
            kind=AbsenceKind.SICK,
            starts_on=day.date(),
            ends_on=day.date() + dt.timedelta(days=60),
            recorded_at=day,
        )
        waiting = actions.redistribute(
            case=Case.objects.get(pk=case.pk), reason=DrawReason.LONG_ABSENCE, grounds="", actor=None
        )
    assert waiting.status == DrawStatus.WAITING
    for minutes in (1, 2, 3):
        with clock.frozen_at(day + dt.timedelta(minutes=minutes)):
            actions.complete_pending_draws()
    assert Draw.objects.filter(case=case).count() == 2
    assert CaseEvent.objects.filter(case=case, kind=CaseEventKind.DISTRIBUTION_WAITING).count() == 1


def test_the_monitoring_flags_a_party_whose_cases_one_judge_got_improbably_often(
    court5: Court5, register: Register
) -> None:
    """One claimant in five cases, all five won by one judge: the chance of that, the product of the five
    protocols' chances for that judge, is under 1 in 1,000, so the page names the party (IIN masked)."""
    from fractions import Fraction

    from torelik.courts.models import Judge
    from torelik.distribution.queries import monitoring

    iin = next_iin()
    for n in range(5):
        register(at=FILED + dt.timedelta(hours=n), parties=other_parties(iin))
    draws = list(Draw.objects.filter(case__court=court5.office.court, status=DrawStatus.DRAWN))
    assert len(draws) == 5
    # Protocols as a court of five judges with equal loads writes them (1/5 each), every draw falling to
    # the same judge: what the monitoring reads is the protocols, so they are written as such.
    judges = list(Judge.objects.filter(court=court5.office.court).order_by("pk")[:5])
    assert len(judges) == 5
    favoured = judges[0]
    even = {str(j.public_id): "1/5" for j in judges}
    Draw.objects.filter(pk__in=[d.pk for d in draws]).update(judge=favoured, probabilities=even)
    chance = float(Fraction(1, 5)) ** 5  # 0.00032, under the flag of 1 in 1,000
    with clock.frozen_at(FILED + dt.timedelta(days=1)):
        figures = monitoring(court5.office.court)
    flagged = {s.party: s for s in figures.streaks}
    masked = iin[:4] + "••••" + iin[-2:]
    assert masked in flagged
    assert (flagged[masked].judge, flagged[masked].cases, flagged[masked].received) == (favoured, 5, 5)
    assert flagged[masked].chance == pytest.approx(chance)
