"""A journal built by hand: cases written as rows and their entries recorded one by one at moments
chosen by the test (the clock frozen at each), so the figures they make are known in advance."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from torelik.cases.actions import record_case_event
from torelik.cases.events import CaseRegistered, CaseStatusChanged
from torelik.cases.models import Case, CaseEventKind, CaseStatus
from torelik.core import clock, events
from torelik.courts.models import CaseCategory, Court, CourtKind, Judge, Region
from torelik.courts.tests.factories import CaseCategoryFactory, CourtFactory, JudgeFactory, RegionFactory

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
TODAY = dt.datetime(2025, 6, 15, 12, 0, tzinfo=ALMATY)


def at(day: str, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A moment of the country's day `day` (YYYY-MM-DD)."""
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour, minute), tzinfo=ALMATY)


@dataclass
class Network:
    region_a: Region
    region_b: Region
    court_a: Court
    court_b: Court
    category: CaseCategory
    judge: Judge
    cases: dict[str, Case] = field(default_factory=dict)


def network() -> Network:
    north = RegionFactory.create(code="11", name_en="Akmola Region")
    south = RegionFactory.create(
        code="19", name_en="Almaty Region", name_ru="Алматинская область", name_kk="Алматы облысы"
    )
    court_a = CourtFactory.create(code="1101", region=north, kind=CourtKind.DISTRICT)
    court_b = CourtFactory.create(code="1901", region=south, kind=CourtKind.DISTRICT)
    category = CaseCategoryFactory.create()
    judge = JudgeFactory.create(court=court_a)
    return Network(region_a=north, region_b=south, court_a=court_a, court_b=court_b, category=category, judge=judge)


def register(net: Network, name: str, court: Court, channel: str, moment: dt.datetime, **extra: Any) -> Case:
    with clock.frozen_at(moment), transaction.atomic():
        case = Case.objects.create(
            number=f"{court.code}-25-00-2/{len(net.cases) + 1}",
            court=court,
            year=moment.year,
            type_code="2",
            sequence=len(net.cases) + 1,
            proceeding_type=net.category.proceeding_type,
            category=net.category,
            channel=channel,
            registered_at=moment,
            **extra,
        )
        record_case_event(case=case, kind=CaseEventKind.REGISTERED, actor=None, data={"channel": channel})
        events.publish(
            CaseRegistered(
                case_id=case.pk,
                court_id=court.pk,
                number=case.number,
                proceeding_type=case.proceeding_type,
                category_id=net.category.pk,
                channel=channel,
                registered_at=moment,
            )
        )
    net.cases[name] = case
    return case


def move(case: Case, to: CaseStatus, moment: dt.datetime) -> None:
    with clock.frozen_at(moment), transaction.atomic():
        before = Case.objects.values_list("status", flat=True).get(pk=case.pk)
        Case.objects.filter(pk=case.pk).update(status=to)
        record_case_event(case=case, kind=CaseEventKind.STATUS_CHANGED, actor=None, data={"from": before, "to": to})
        events.publish(CaseStatusChanged(case_id=case.pk, from_status=before, to_status=to))


def record(case: Case, kind: str, moment: dt.datetime, data: dict[str, Any] | None = None) -> None:
    with clock.frozen_at(moment), transaction.atomic():
        record_case_event(case=case, kind=kind, actor=None, data=data or {})


def known_journal() -> Network:
    """The journal whose figures `test_figures.py` states (see there for the sums)."""
    net = network()
    s = CaseStatus
    one = register(net, "one", net.court_a, "judicial_office", at("2025-01-10"), judge=net.judge)
    two = register(net, "two", net.court_a, "paper", at("2025-02-05"))
    three = register(net, "three", net.court_b, "egov", at("2023-03-20"))
    four = register(net, "four", net.court_b, "psc", at("2025-02-10"))
    # 20:00 UTC on 31 January is 1 February in Almaty: the case counts in February.
    five = register(net, "five", net.court_a, "egov", dt.datetime(2025, 1, 31, 20, 0, tzinfo=dt.UTC), judge=net.judge)
    move(one, s.ASSIGNED, at("2025-01-11"))
    move(one, s.ACCEPTED, at("2025-01-13"))
    move(one, s.SCHEDULED, at("2025-01-20"))
    move(one, s.HEARD, at("2025-02-27"))
    move(one, s.DECIDED, at("2025-03-01"))
    move(four, s.RETURNED, at("2025-02-12"))
    move(five, s.ASSIGNED, at("2025-02-03"))
    move(five, s.ACCEPTED, at("2025-02-04"))
    move(five, s.DECIDED, at("2025-04-10"))
    move(five, s.APPEALED, at("2025-04-20"))
    move(five, s.IN_PREPARATION, at("2025-05-05"))
    record(one, CaseEventKind.SUBPOENA_ISSUED, at("2025-02-01"))
    record(one, CaseEventKind.SUBPOENA_ISSUED, at("2025-02-01", 11))
    record(one, CaseEventKind.SUBPOENA_VIEWED, at("2025-02-02"))
    record(two, CaseEventKind.COUPON_ISSUED, at("2025-02-05", 11))  # its coupon printed at the office
    record(two, CaseEventKind.LETTER_SENT, at("2025-02-06"))
    record(two, CaseEventKind.LETTER_REFUSED, at("2025-02-20"))
    del three
    return net
