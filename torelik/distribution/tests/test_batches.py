"""A batch of first draws gives every case the inputs a draw of its own would have (ADR 0031)."""

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from torelik.archive.models import PendingEntry
from torelik.cases.actions import register_case
from torelik.cases.models import Case, CaseEvent, CaseEventKind, CaseLink, CaseLinkKind
from torelik.cases.tests.factories import claim_document
from torelik.core import clock
from torelik.courts.actions import change_judge_standing, record_standing_change
from torelik.courts.models import AbsenceKind, JudgeAbsence
from torelik.courts.queries import standing_of
from torelik.courts.tests.factories import CourtFactory, next_iin
from torelik.distribution import actions, tasks
from torelik.distribution.models import Draw, DrawReason, DrawStatus, ExclusionReason
from torelik.distribution.tests.conftest import FILED, Court5, Register, latest_draw, other_parties

COMMITTED = FILED + dt.timedelta(hours=4)


class _RolledBack(Exception):
    pass


def _alone(case: Case) -> dict[str, Any]:
    """The snapshot a draw of the case's own would freeze at COMMITTED (rolled back)."""
    snapshot: dict[str, Any] = {}
    try:
        with transaction.atomic(), clock.frozen_at(COMMITTED):
            snapshot = actions.commit_draw(case).snapshot
            raise _RolledBack
    except _RolledBack:
        pass
    return snapshot


def _file(court5: Court5, at: dt.datetime) -> Case:
    with clock.frozen_at(at):  # the after-commit distribution does not run: the test commits the draws
        return register_case(
            court=court5.office.court,
            proceeding_type="civil",
            category_code=court5.office.category.code,
            parties=other_parties(next_iin()),
            documents=[claim_document()],
            actor=court5.office.clerk,
        )


def test_a_batch_freezes_for_each_case_what_its_own_draw_would(court5: Court5, register: Register) -> None:
    # A case drawn a year before the first filing: it weighs on the first case's load, not the later ones'.
    old = register(at=FILED - dt.timedelta(days=365) + dt.timedelta(minutes=30), parties=other_parties(next_iin()))
    cases = [_file(court5, FILED + dt.timedelta(hours=hours)) for hours in (0, 1, 2)]
    first, second, third = cases
    judges = [judge for judge in court5.judges if judge.pk != old.judge_id]  # the old case's judge is involved
    # A change of participation 23 hours before the first filing: it counts for the later two only.
    with clock.frozen_at(FILED - dt.timedelta(hours=23)):
        change_judge_standing(judge=judges[0], actor=None, reason="half share", participation_rate=Decimal("0.5"))
    # An absence today, known 22.5 hours before the first filing: 24 hours before the third only.
    JudgeAbsence.objects.create(
        judge=judges[1],
        kind=AbsenceKind.LEAVE,
        starts_on=FILED.date(),
        ends_on=FILED.date(),
        recorded_at=FILED - dt.timedelta(hours=22, minutes=30),
    )
    # A judge moved to another court 23.5 hours before the first filing: in its list (still of this
    # court a day before it), in no later one.
    moved = judges[3]
    with clock.frozen_at(FILED - dt.timedelta(hours=23, minutes=30)):
        before = standing_of(moved)
        moved.court = CourtFactory.create()
        moved.save()
        record_standing_change(judge=moved, before=before, actor=None, reason="appointed to another court")
    with clock.frozen_at(FILED + dt.timedelta(hours=3)):
        actions.record_recusal(case=second, judge=judges[2], kind=DrawReason.RECUSAL, grounds="ruling", actor=None)
    assert old.judge is not None
    CaseLink.objects.create(from_case=old, to_case=third, kind=CaseLinkKind.JOINED_TO, created_at=FILED)

    alone = [_alone(case) for case in cases]
    with clock.frozen_at(COMMITTED):
        draws = actions.commit_first_draws(cases)
    assert [draw.snapshot for draw in draws] == alone
    rows = [{row["judge"]: row for row in draw.snapshot["judges"]} for draw in draws]
    a, b, c = (str(judge.public_id) for judge in judges[:3])
    assert [r[a]["rate"] for r in rows] == [1000, 500, 500]
    assert [r[b]["exclusion"] for r in rows] == [None, None, ExclusionReason.ABSENCE]
    assert rows[1][c]["exclusion"] == DrawReason.RECUSAL
    assert rows[2][str(old.judge.public_id)]["exclusion"] == ExclusionReason.EARLIER_INVOLVEMENT
    assert rows[0][str(old.judge.public_id)]["load"] == rows[1][str(old.judge.public_id)]["load"] + 100
    assert [str(moved.public_id) in r for r in rows] == [True, False, False]
    assert rows[0][str(moved.public_id)]["exclusion"] is None
    assert {draw.committed_at for draw in draws} == {COMMITTED}


def test_every_case_of_a_batch_journals_its_own_commitment(court5: Court5) -> None:
    """Each case's journal holds the entry of its draw (what anyone re-running the draw starts from):
    the draw, its snapshot's hash and the round, as a draw of its own journals them."""
    cases = [_file(court5, FILED + dt.timedelta(minutes=n)) for n in range(3)]
    with clock.frozen_at(COMMITTED):
        draws = actions.commit_first_draws(cases)
    for case, draw in zip(cases, draws, strict=True):
        entries = list(CaseEvent.objects.filter(case=case, kind=CaseEventKind.DISTRIBUTION_COMMITTED))
        assert len(entries) == 1
        assert entries[0].data == {
            "draw": str(draw.public_id),
            "attempt": 1,
            "snapshot_sha256": draw.snapshot_sha256,
            "beacon": draw.beacon,
            "round": draw.beacon_round,
            "pool_rule": draw.snapshot["pool_rule"],
            "log_leaf": PendingEntry.objects.get(subject=str(draw.public_id)).leaf_hash,
        }
        assert entries[0].occurred_at == COMMITTED
        logged = json.loads(PendingEntry.objects.get(leaf_hash=entries[0].data["log_leaf"]).body)
        assert (logged["kind"], logged["snapshot_sha256"]) == ("distribution_commitment", draw.snapshot_sha256)


def test_a_batch_leaves_drawn_cases_alone_and_a_copy_in_it_waits(court5: Court5, register: Register) -> None:
    drawn = register(parties=other_parties(next_iin()))
    first = _file(court5, FILED + dt.timedelta(hours=1))
    copy_parties = list(first.parties.values_list("person__iin", flat=True))
    with clock.frozen_at(FILED + dt.timedelta(hours=2)):
        copy = register_case(
            court=court5.office.court,
            proceeding_type="civil",
            category_code=court5.office.category.code,
            parties=other_parties(next(iin for iin in copy_parties if iin)),
            documents=[claim_document()],
            actor=court5.office.clerk,
        )
    with clock.frozen_at(COMMITTED):
        draws = actions.commit_first_draws([copy, drawn, first])  # in any order: the earlier filing first
    assert [draw.case_id for draw in draws] == [first.pk, copy.pk]
    assert [draw.status for draw in draws] == [DrawStatus.COMMITTED, DrawStatus.WAITING]
    assert draws[1].snapshot["refiling"] == {"first_case": first.number, "applied": False, "first_case_pending": True}
    assert Draw.objects.filter(case=drawn).count() == 1


def test_a_batch_reads_the_court_once(court5: Court5) -> None:
    """The court's facts are read once per batch: 20 cases cost far fewer statements than 20 draws
    of their own (16 each)."""
    cases = [_file(court5, FILED + dt.timedelta(minutes=n)) for n in range(20)]
    with clock.frozen_at(COMMITTED), CaptureQueriesContext(connection) as captured:
        assert len(actions.commit_first_draws(cases)) == 20
    # 23 read the cases, the court and its judges once, ask once whether a later value of the beacon
    # segment is out already, and write the journal entries and the transparency log's entries
    # together; 2 a case: its earlier copies and its draw.
    assert len(captured.captured_queries) <= 23 + 20 * 2
    assert all(latest_draw(case).status == DrawStatus.COMMITTED for case in cases)


def test_a_batch_that_fails_is_committed_case_by_case(court5: Court5, monkeypatch: pytest.MonkeyPatch) -> None:
    """One case that breaks a batch holds up no other: the batch is tried again case by case."""
    cases = [_file(court5, FILED + dt.timedelta(minutes=n)) for n in range(3)]

    def broken(batch: object, **kwargs: object) -> list[Draw]:
        raise RuntimeError("a batch that cannot be written")

    monkeypatch.setattr(actions, "commit_first_draws", broken)
    with clock.frozen_at(COMMITTED):
        draws = actions.commit_in_batches(cases)
    assert [draw.case_id for draw in draws] == [case.pk for case in cases]
    assert all(draw.status == DrawStatus.COMMITTED for draw in draws)


def test_draws_of_one_round_are_completed_together(court5: Court5) -> None:
    cases = [_file(court5, FILED + dt.timedelta(minutes=n)) for n in range(3)]
    with clock.frozen_at(COMMITTED):
        draws = actions.commit_first_draws(cases)
    assert len({draw.beacon_round for draw in draws}) == 1
    with clock.frozen_at(COMMITTED + dt.timedelta(minutes=1)):
        done = actions.complete_in_batches(draws)
    assert [draw.status for draw in done] == [DrawStatus.DRAWN] * 3
    for case, draw in zip(cases, done, strict=True):
        case.refresh_from_db()
        assert case.judge_id == draw.judge_id is not None


def test_a_registration_enqueues_its_courts_distributor_in_its_own_transaction(court5: Court5) -> None:
    """The task is written with the registration: a registration rolled back leaves none, a committed
    one leaves one for its court, which commits the draw of every case of the court still waiting."""
    from django_tasks_db.models import DBTaskResult

    def rolled_back() -> None:
        with transaction.atomic():
            _file(court5, FILED)
            raise _RolledBack

    with pytest.raises(_RolledBack):
        rolled_back()
    assert not DBTaskResult.objects.exists()
    cases = [_file(court5, FILED + dt.timedelta(minutes=n)) for n in range(2)]  # no commit callbacks: queued only
    queued = list(DBTaskResult.objects.filter(task_path="torelik.distribution.tasks.commit_draws"))
    assert [row.args_kwargs["kwargs"] for row in queued] == [{"court_id": court5.office.court.pk}] * 2
    assert not Draw.objects.exists()
    with clock.frozen_at(COMMITTED):
        assert tasks.commit_draws.call(court_id=court5.office.court.pk) == 2
    assert all(latest_draw(case).status == DrawStatus.COMMITTED for case in cases)
    assert len({latest_draw(case).committed_at for case in cases}) == 1  # one batch
    with clock.frozen_at(COMMITTED):
        assert tasks.commit_draws.call(court_id=court5.office.court.pk) == 0  # run again: nothing more


def test_the_sweep_commits_a_case_whose_task_was_lost(court5: Court5) -> None:
    """Whatever happened to its task, a registered case without a draw is committed by the minute's sweep."""
    from django_tasks_db.models import DBTaskResult

    case = _file(court5, FILED)
    DBTaskResult.objects.all().delete()
    with clock.frozen_at(COMMITTED):
        tasks.sweep_draws.call()
    assert latest_draw(case).status == DrawStatus.COMMITTED
    with clock.frozen_at(COMMITTED + dt.timedelta(minutes=1)):
        tasks.sweep_draws.call()
    case.refresh_from_db()
    assert case.judge_id is not None
    assert latest_draw(case).status == DrawStatus.DRAWN
