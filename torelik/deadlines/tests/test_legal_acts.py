"""Every declared calendar day, transfer and term rule names its legal act, or is not used (issue #30).

The acts' titles, dates and numbers below are public values (the acts' pages on adilet.zan.kz and
the Ministry of Labour's and the Government's announcements), not copied from the data under test.
"""

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from pydantic import ValidationError

from torelik.cases.actions import register_case
from torelik.cases.models import Case
from torelik.cases.tests.factories import claim_document, claimant_and_defendant, court_office
from torelik.core import clock
from torelik.courts.models import ProceedingType
from torelik.courts.tests.factories import JudgeFactory
from torelik.deadlines.actions import declare_calendar_day
from torelik.deadlines.errors import DeadlinesError
from torelik.deadlines.models import DayKind, Term
from torelik.deadlines.queries import explain, terms_on_provisional_days
from torelik.deadlines.schemas import CalendarFile, TermRulesFile
from torelik.deadlines.tests.factories import at
from torelik.deadlines.working_calendar import LAW_ON_HOLIDAYS, SkipReason, WorkingCalendar, working_calendar

DATA = Path(__file__).resolve().parents[1] / "data"
D = dt.date

# (title, "от ... года", number) of the acts the data may cite.
KNOWN_ACTS = {
    ("Гражданский процессуальный кодекс Республики Казахстан", "31 октября 2015", "377-V"),
    ("Уголовно-процессуальный кодекс Республики Казахстан", "4 июля 2014", "231-V"),
    ("Административный процедурно-процессуальный кодекс Республики Казахстан", "29 июня 2020", "350-VI"),
    ("Кодекс Республики Казахстан об административных правонарушениях", "5 июля 2014", "235-V"),
    ("Закон Республики Казахстан", "13 декабря 2001", "267-II"),
}
PLACEHOLDERS = ("(verify)", "verify", "estimated", "as reported in the press", "no act found")


def _cites_a_known_act(text: str) -> bool:
    return any(text.startswith(f"{title} от {date} года № {number}") for title, date, number in KNOWN_ACTS)


def _rules() -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = json.loads((DATA / "term_rules.json").read_text(encoding="utf-8"))["rules"]
    return rules


def _days() -> list[dict[str, Any]]:
    days: list[dict[str, Any]] = json.loads((DATA / "calendar_overrides.json").read_text(encoding="utf-8"))["days"]
    return days


def test_every_rule_in_use_names_its_act_by_title_date_and_number() -> None:
    used = [rule for rule in _rules() if rule["enabled"]]
    assert used
    unnamed = [rule["code"] for rule in used if not _cites_a_known_act(rule["legal_basis"])]
    assert unnamed == []


def test_every_declared_day_names_its_act_or_is_provisional() -> None:
    for day in _days():
        assert day["verify"] or _cites_a_known_act(day["legal_act"]), day


def test_nothing_a_party_can_see_in_the_deadlines_data_holds_a_placeholder() -> None:
    texts = [rule[key] for rule in _rules() for key in ("legal_basis", "name_kk", "name_ru", "name_en", "note")] + [
        day[key] for day in _days() for key in ("legal_act", "name_kk", "name_ru", "name_en")
    ]
    assert [text for text in texts if any(word in text.lower() for word in PLACEHOLDERS)] == []


def test_the_loader_refuses_a_rule_or_a_day_without_its_act() -> None:
    rules = _rules()
    rule = next(r for r in rules if r["code"] == "civil-acceptance")
    TermRulesFile.model_validate({"rules": [rule]})
    with pytest.raises(ValidationError, match="legal act"):
        TermRulesFile.model_validate({"rules": [{**rule, "legal_basis": "ГПК РК, ст. 151"}]})
    with pytest.raises(ValidationError, match="placeholder"):
        TermRulesFile.model_validate({"rules": [{**rule, "note": "5 working days (verify)."}]})
    # A rule that is not used may wait for its act.
    TermRulesFile.model_validate({"rules": [{**rule, "legal_basis": "ГПК РК", "enabled": False}]})
    day = {
        "day": "2026-04-06",
        "kind": "non_working",
        "name_kk": "Демалыс",
        "name_ru": "Выходной",
        "name_en": "Day off",
    }
    with pytest.raises(ValidationError, match="legal act"):
        CalendarFile.model_validate({"days": [{**day, "legal_act": "Calendar for 2026 as reported in the press"}]})
    CalendarFile.model_validate({"days": [{**day, "legal_act": LAW_ON_HOLIDAYS}]})
    CalendarFile.model_validate(
        {"days": [{**day, "legal_act": "Постановление Правительства о переносе дней отдыха (проект)", "verify": True}]}
    )


@pytest.mark.django_db
def test_a_day_declared_without_its_act_is_refused() -> None:
    with pytest.raises(DeadlinesError) as raised:
        declare_calendar_day(
            day=D(2026, 4, 6),
            kind=DayKind.NON_WORKING,
            name_kk="Демалыс",
            name_ru="Выходной",
            name_en="Day off",
            legal_act="Постановление Правительства РК",
        )
    assert "legal_act" in raised.value.fields


def test_30_august_2026_is_a_plain_sunday_and_31_august_a_working_day() -> None:
    """Constitution Day moved to 15 March with the Constitution adopted on 15 March 2026 (celebrated from
    2027); the Ministry of Labour said on 18 March 2026 that 30 August 2026 is no holiday."""
    calendar = WorkingCalendar()
    sunday = calendar.info(D(2026, 8, 30))
    assert (sunday.reason, sunday.name_en) == (SkipReason.WEEKEND, "weekend")
    assert calendar.is_working(D(2026, 8, 31))
    assert calendar.info(D(2027, 3, 15)).reason == SkipReason.HOLIDAY  # Constitution Day from 2027


@pytest.mark.django_db
def test_kurban_ait_2026_is_named_with_its_act_and_2027_is_provisional() -> None:
    calendar = working_calendar()
    fixed = calendar.info(D(2026, 5, 27))  # the Spiritual Administration's calendar for 2026
    assert not fixed.working
    assert not fixed.provisional
    assert fixed.legal_act == LAW_ON_HOLIDAYS
    assert "estimated" not in fixed.name_en.lower()
    later = [day for day in calendar.non_working_days(2027) if day.provisional]
    assert later  # the package only estimates Kurban Ait 2027
    assert all("estimated" not in day.name_en.lower() and "бағаланған" not in day.name_kk for day in later)
    assert all(day.legal_act == LAW_ON_HOLIDAYS for day in later)


@pytest.mark.django_db
def test_a_term_over_a_provisional_day_is_flagged_to_the_judge_and_said_so_to_the_party(client: Client) -> None:
    office = court_office("0215")
    judge = JudgeFactory.create(court=office.court, person=office.judge_user.person)
    declare_calendar_day(
        day=D(2026, 4, 6),
        kind=DayKind.NON_WORKING,
        name_kk="Ауыстырылған демалыс",
        name_ru="Перенесённый выходной",
        name_en="Transferred day off",
        legal_act="Проект постановления Правительства Республики Казахстан о переносе дней отдыха",
        verify=True,
    )
    with clock.frozen_at(at(D(2026, 4, 2))):
        case = register_case(
            court=office.court,
            proceeding_type=ProceedingType.CIVIL,
            category_code=office.category.code,
            parties=claimant_and_defendant(),
            documents=[claim_document()],
            actor=office.clerk,
        )
    Case.objects.filter(pk=case.pk).update(judge=judge)
    Term.objects.filter(case=case).update(judge=judge)
    acceptance = Term.objects.get(case=case, rule__code="civil-acceptance")
    assert acceptance.due_date == D(2026, 4, 10)  # 3, 7, 8, 9, 10 April: 6 April not counted
    assert terms_on_provisional_days([acceptance]) == {acceptance.pk}
    assert [day.day for day in explain(acceptance, D(2026, 4, 3)).provisional] == [D(2026, 4, 6)]

    client.force_login(office.judge_user)
    with clock.frozen_at(at(D(2026, 4, 3))):
        judge_page = client.get("/en/deadlines/judge/", {"state": "running"}).content.decode()
        case_page = client.get(f"/en/deadlines/cases/{case.number}/").content.decode()
        api = client.get(f"/api/v1/deadlines/cases/{case.number}/terms").json()
    assert "Runs over a provisional day" in judge_page
    assert "provisional: this day depends on an act not adopted yet" in case_page
    flagged = next(t for t in api if t["rule"] == "civil-acceptance")
    assert [d["date"] for d in flagged["provisional_days"]] == ["2026-04-06"]
