"""A court of five judges (one a chairman at half share) ready to register civil claims."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from pytest_django import DjangoCaptureOnCommitCallbacks

from torelik.cases.actions import PartyInput, register_case
from torelik.cases.models import Case, PartyRole
from torelik.cases.tests.factories import COMPANY_BIN, CourtOffice, claim_document, claimant_and_defendant, court_office
from torelik.core import clock
from torelik.courts.models import Judge, JudgeSpecialisation, Specialisation, StaffRole
from torelik.courts.tests.factories import JudgeFactory
from torelik.distribution.actions import complete_pending_draws
from torelik.distribution.models import Draw

FILED = dt.datetime(2026, 3, 3, 10, 0, tzinfo=dt.UTC)
# The independent verifier of docs/distribution.md, run as a separate program by the tests.
TOOL = Path(__file__).resolve().parents[3] / "tools" / "verify_distribution.py"


@dataclass
class Court5:
    office: CourtOffice
    judges: list[Judge]
    chairman: Judge


@pytest.fixture
def court5(db: None) -> Court5:
    office = court_office("0215")
    judges = [JudgeFactory.create(court=office.court) for _ in range(4)]
    chairman = JudgeFactory.create(court=office.court, participation_rate=Decimal("0.50"))
    for judge in [*judges, chairman]:
        JudgeSpecialisation.objects.create(judge=judge, specialisation=Specialisation.CIVIL)
    office.judge_user.positions.update(role=StaffRole.CHAIRMAN)
    return Court5(office=office, judges=[*judges, chairman], chairman=chairman)


Register = Callable[..., Case]


@pytest.fixture
def register(court5: Court5, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> Register:
    """Register a claim at `at`, run the after-commit distribution, and complete the draw a
    minute later (the beacon round is out by then)."""

    def run(
        at: dt.datetime = FILED, parties: list[PartyInput] | None = None, subject: str = "О взыскании долга"
    ) -> Case:
        with clock.frozen_at(at), django_capture_on_commit_callbacks() as callbacks:
            case = register_case(
                court=court5.office.court,
                proceeding_type="civil",
                category_code=court5.office.category.code,
                parties=parties or claimant_and_defendant(),
                documents=[claim_document()],
                actor=court5.office.clerk,
                subject=subject,
            )
        # The after-commit handler commits the draw (its round is not out at that instant) ...
        with clock.frozen_at(at + dt.timedelta(seconds=1)):
            for callback in callbacks:
                callback()
        # ... and `torelik complete-draws` (or the handler's short wait) draws once it is.
        with clock.frozen_at(at + dt.timedelta(minutes=1)):
            complete_pending_draws()
        case.refresh_from_db()
        return case

    return run


def latest_draw(case: Case) -> Draw:
    draw = Draw.objects.filter(case=case).order_by("-attempt").first()
    assert draw is not None
    return draw


def other_parties(iin: str) -> list[PartyInput]:
    return [
        PartyInput(role=PartyRole.CLAIMANT, iin=iin, surname="Ахметов", given_name="Ерлан"),
        PartyInput(role=PartyRole.DEFENDANT, bin=COMPANY_BIN, organisation_name="ТОО Тест"),
    ]
