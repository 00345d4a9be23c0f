"""The shipped rule that runs from service by post (`served`): the defendant's response to the claim in
civil proceedings, ten working days from the day the post delivered the court's letter, against a date
worked out by hand."""

import datetime as dt

import pytest

from torelik.cases.actions import register_case
from torelik.cases.models import Case, Party, PartyRole
from torelik.cases.tests.factories import claim_document, claimant_and_defendant, court_office
from torelik.core import clock
from torelik.courts.models import ProceedingType
from torelik.deadlines.models import Term, TermRule, TermStatus
from torelik.deadlines.tests.factories import at
from torelik.post import actions as post
from torelik.post.models import EventSource, LetterKind, enclosure

pytestmark = pytest.mark.django_db
D = dt.date
ASTANA = "010000, Астана, Есіл ауданы, Мәңгілік Ел даңғылы, д. 8, кв. 12"


def _civil_case() -> Case:
    office = court_office()
    with clock.frozen_at(at(D(2026, 12, 1))):
        return register_case(
            court=office.court,
            proceeding_type=ProceedingType.CIVIL,
            category_code=office.category.code,
            parties=claimant_and_defendant(),
            documents=[claim_document()],
            actor=office.clerk,
        )


def _deliver(case: Case, party: Party, day: D, key: str) -> None:
    with clock.frozen_at(at(D(2026, 12, 2))):
        letter = post.prepare_letter(
            court=case.court,
            kind=LetterKind.REGISTERED,
            recipient_name=party.name,
            address_text=ASTANA,
            enclosures=[enclosure("claim_copy", "Талап арыздың көшірмесі", key, ["…"])],
            case=case,
            party=party,
            cause=f"test:{key}",
        )
    with clock.frozen_at(at(day + dt.timedelta(days=3))):  # the post reports it three days late
        post.record_reports(
            [post.Report(barcode=letter.barcode or "", event_id=f"{key}-d", code="DELIVERED", at=at(day))],
            source=EventSource.WEBHOOK,
        )


def test_the_rule_is_shipped_marked_unconfirmed_and_starts_on_service() -> None:
    rule = TermRule.objects.get(code="civil-response")
    assert rule.starts_on == "served"
    assert (rule.amount, rule.unit, rule.responsible) == (10, "working_days", "party")
    assert rule.verify  # the figure and the article are not confirmed by a public source yet
    assert rule.enabled
    assert "377-V" in rule.legal_basis


def test_the_defendants_response_runs_ten_working_days_from_the_day_of_delivery() -> None:
    case = _civil_case()
    defendant = case.parties.get(role=PartyRole.DEFENDANT)
    # Delivered on Thursday 10 December 2026. Counting from the next day, working days only:
    # Fri 11 (1), Mon 14 (2), Tue 15 (3), Wed 16 is Independence Day (skipped), Thu 17 (4), Fri 18 (5),
    # Mon 21 (6), Tue 22 (7), Wed 23 (8), Thu 24 (9), Fri 25 December (10).
    _deliver(case, defendant, D(2026, 12, 10), "one")
    term = Term.objects.get(case=case, rule__code="civil-response")
    assert term.event_date == D(2026, 12, 10)
    assert term.started_by == "served"
    assert term.due_date == D(2026, 12, 25)
    assert term.status == TermStatus.RUNNING
    # A second letter served later opens no second term of the same slot.
    _deliver(case, defendant, D(2026, 12, 14), "two")
    assert Term.objects.filter(case=case, rule__code="civil-response").count() == 1
