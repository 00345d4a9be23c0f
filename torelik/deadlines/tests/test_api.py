"""The calendar API against hand-computed dates, its refusals, a case's terms, and the dashboards."""

import datetime as dt

import pytest
from django.test import Client

from torelik.cases.actions import change_status, register_case
from torelik.cases.models import Case, CaseStatus, Party, PartyRole
from torelik.cases.tests.factories import CourtOffice, claim_document, claimant_and_defendant, court_office
from torelik.core import clock
from torelik.courts.models import ProceedingType
from torelik.courts.tests.factories import JudgeFactory
from torelik.deadlines.tests.factories import at, decision_announced
from torelik.identity.models import User

pytestmark = pytest.mark.django_db
D = dt.date


def test_calendar_terms_across_nauryz(client: Client) -> None:
    response = client.get("/api/v1/calendar/terms", {"start": "2026-03-20", "amount": "5", "unit": "working_days"})
    assert response.status_code == 200
    body = response.json()
    assert body["end"] == "2026-04-01"
    assert body["first_day"] == "2026-03-21"
    assert [d["date"] for d in body["skipped"]] == [f"2026-03-{day}" for day in (21, 22, 23, 24, 25, 28, 29)]
    assert body["skipped"][0]["reason"] == "holiday"
    assert body["skipped"][5]["reason"] == "weekend"


def test_calendar_terms_in_months_and_days(client: Client) -> None:
    month = client.get("/api/v1/calendar/terms", {"start": "2026-01-31", "amount": "1", "unit": "months"}).json()
    assert (month["nominal_end"], month["end"], month["moved"]) == ("2026-02-28", "2026-03-02", True)
    days = client.get("/api/v1/calendar/terms", {"start": "2026-04-08", "amount": "10", "unit": "days"}).json()
    assert days["end"] == "2026-04-20"


def test_calendar_of_a_year_lists_holidays_in_the_requested_language(client: Client) -> None:
    body = client.get("/api/v1/calendar", {"year": 2026}, HTTP_ACCEPT_LANGUAGE="ru").json()
    holidays = {d["date"]: d for d in body["non_working_days"] if d["reason"] == "holiday"}
    assert holidays["2026-03-24"]["name"] == "Наурыз мейрамы (перенесённый выходной)"
    assert "2026-05-11" in holidays
    assert body["working_day_count"] + len(body["non_working_days"]) == 365


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2026-02-30", "amount": "5", "unit": "working_days"}, "start"),
        ({"start": "2026-03-20", "amount": "0", "unit": "working_days"}, "amount"),
        ({"start": "2026-03-20", "amount": "5", "unit": "weeks"}, "unit"),
        ({"start": "2026-03-20", "unit": "days"}, "amount"),
    ],
)
def test_bad_term_input_is_a_translated_422(client: Client, params: dict[str, str], field: str) -> None:
    response = client.get("/api/v1/calendar/terms", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert field in body["fields"]


def test_a_term_too_long_is_refused(client: Client) -> None:
    response = client.get("/api/v1/calendar/terms", {"start": "2026-03-20", "amount": "900", "unit": "working_days"})
    assert response.status_code == 422
    assert response.json()["code"] == "term_too_long"
    assert client.get("/api/v1/calendar", {"year": 1800}).status_code == 422


def _decided_case(office: CourtOffice) -> Case:
    with clock.frozen_at(at(D(2026, 3, 20))):
        case = register_case(
            court=office.court,
            proceeding_type=ProceedingType.CIVIL,
            category_code=office.category.code,
            parties=claimant_and_defendant(),
            documents=[claim_document()],
            actor=office.clerk,
        )
    for to, day in (
        (CaseStatus.ASSIGNED, D(2026, 3, 20)),
        (CaseStatus.ACCEPTED, D(2026, 3, 26)),
        (CaseStatus.SCHEDULED, D(2026, 4, 1)),
        (CaseStatus.HEARD, D(2026, 4, 14)),
        (CaseStatus.DECIDED, D(2026, 4, 14)),
    ):
        with clock.frozen_at(at(day)):
            change_status(case=case, to=to, actor=None if to == CaseStatus.ASSIGNED else office.judge_user)
    decision_announced(case, D(2026, 4, 14))
    return case


def _party_account(case: Case) -> User:
    claimant = Party.objects.get(case=case, role=PartyRole.CLAIMANT)
    return User.objects.create_user(username="claimant", password="a-long-passphrase-1", person=claimant.person)


def test_a_party_sees_the_appeal_deadline_with_its_computation(client: Client) -> None:
    office = court_office("0215")
    case = _decided_case(office)
    client.force_login(_party_account(case))
    with clock.frozen_at(at(D(2026, 4, 20))):
        terms = client.get(f"/api/v1/deadlines/cases/{case.number}/terms").json()
        page = client.get(f"/en/deadlines/cases/{case.number}/")
    appeal = next(t for t in terms if t["rule"] == "civil-appeal")
    assert appeal["due_date"] == "2026-05-14"
    assert appeal["computation"]["first_day"] == "2026-04-15"
    assert appeal["legal_basis"].startswith(
        "Гражданский процессуальный кодекс Республики Казахстан от 31 октября 2015 года № 377-V"
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert "until 14 May 2026 inclusive" in html
    assert "How was this date computed?" in html


def test_a_stranger_does_not_see_a_cases_terms(client: Client) -> None:
    office = court_office("0215")
    case = _decided_case(office)
    client.force_login(User.objects.create_user(username="stranger", password="a-long-passphrase-1"))
    assert client.get(f"/api/v1/deadlines/cases/{case.number}/terms").status_code == 404
    assert client.get(f"/en/deadlines/cases/{case.number}/").status_code == 404
    assert Client().get(f"/api/v1/deadlines/cases/{case.number}/terms").status_code == 401


def test_judge_and_court_dashboards_with_csv(client: Client) -> None:
    office = court_office("0215")
    judge = JudgeFactory.create(court=office.court, person=office.judge_user.person)
    case = _decided_case(office)
    Case.objects.filter(pk=case.pk).update(judge=judge)
    from torelik.deadlines.models import Term

    Term.objects.filter(case=case).update(judge=judge)
    from torelik.deadlines.actions import recount_closed_terms

    recount_closed_terms(replace=True)  # the closed terms moved to the judge by hand: counted again
    client.force_login(office.judge_user)
    with clock.frozen_at(at(D(2026, 4, 20))):
        mine = client.get("/api/v1/deadlines/dashboard/judge").json()
        court = client.get("/api/v1/deadlines/dashboard/courts/0215").json()
        page = client.get("/en/deadlines/judge/")
        drill = client.get("/en/deadlines/courts/0215/", {"judge": str(judge.pk), "state": "met"})
        exported = client.get("/en/deadlines/courts/0215/", {"format": "csv"})
    # Acceptance (met 26 March), preparation (met 1 April), consideration (met 14 April).
    assert (mine["totals"]["met"], mine["totals"]["running"], mine["totals"]["share_met"]) == (3, 0, 1.0)
    assert court["rows"][0]["counts"]["met"] == 3
    assert page.status_code == 200
    assert case.number in drill.content.decode()
    assert exported["Content-Type"].startswith("text/csv")
    assert exported.content.decode("utf-8-sig").splitlines()[1].split(",")[2:] == [
        "0",
        "0",
        "0",
        "0",
        "3",
        "0",
        "1.0000",
    ]
    assert client.get("/api/v1/deadlines/dashboard/national").status_code == 403
    assert client.get("/en/deadlines/national/").status_code == 403


def test_a_term_beyond_the_last_representable_year_is_a_422(client: Client) -> None:
    response = client.get("/api/v1/calendar/terms", {"start": "9999-12-01", "amount": "2", "unit": "months"})
    assert response.status_code == 422
    assert "start" in response.json()["fields"]  # a start past 2999 is refused before any arithmetic
