"""The figures that were counted by scanning other contexts' tables on every page (ADR 0109) — paper
claims and their coupons, hearings held and recorded, acts published, SMS sent, delivered and their
cost — now come from counters the handlers keep; the sums read none of those tables, and the rebuild
counts the same counters again from the journals and records and agrees."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from torelik.acts.models import Act
from torelik.cases.actions import coupon_secret, record_case_event
from torelik.cases.events import CaseRegistered
from torelik.cases.models import Case, CaseEventKind
from torelik.cases.tests.factories import staff_user
from torelik.core import clock, events
from torelik.core.rows import table
from torelik.courts.models import StaffRole
from torelik.hearings.models import Hearing
from torelik.notifications import actions as outbox
from torelik.notifications.models import Message, Template
from torelik.publication import actions as publication
from torelik.publication.models import PublishedAct
from torelik.publication.tests.factories import announced_decision
from torelik.reports import definitions, queries, tally
from torelik.reports.models import Counter
from torelik.reports.tests.journal import Network, at, network, record, register

pytestmark = pytest.mark.django_db

PERIOD = (dt.date(2025, 1, 1), dt.date(2025, 5, 31))
MOVED = frozenset({tally.COUPONS, tally.RECORDED, "hearings_held", *tally.BESIDE_JOURNAL})


def _sms(net: Network, cause: str, *, court: bool = True) -> Message:
    case = net.cases["p1"]
    return outbox.enqueue(
        template=Template.FILING_REGISTERED if court else Template.CONFIRMATION_CODE,
        language="ru",
        payload={
            "court": "Медеу",
            "case_number": case.number,
            "code": "123456",
            "purpose": "вход",
            "url": "http://t/x",
        },
        phone="+77011234567",
        recipient_name="Сейткалиева Айгуль",
        cause=cause,
        court=case.court if court else None,
        case=case if court else None,
    )


def _sent(message: Message, moment: dt.datetime) -> None:
    with clock.frozen_at(moment):
        outbox.record_outcomes([outbox.Outcome(message_id=message.pk, ok=True, provider_id=f"p{message.pk}")])


def _report(message: Message, kind: int, moment: dt.datetime) -> None:
    with clock.frozen_at(moment):
        outbox.record_delivery_report(message_id=str(message.public_id), report_type=kind)


def _journal_registration(case: Case) -> None:
    """The acts' test world writes its case as a row: its registration journaled, as every case's is."""
    with clock.frozen_at(case.registered_at), transaction.atomic():
        record_case_event(case=case, kind=CaseEventKind.REGISTERED, actor=None, data={"channel": case.channel})
        events.publish(
            CaseRegistered(
                case_id=case.pk,
                court_id=case.court_id,
                number=case.number,
                proceeding_type=case.proceeding_type,
                category_id=case.category_id,
                channel=case.channel,
                registered_at=case.registered_at,
            )
        )


def world() -> tuple[Network, Act]:
    net = network()
    p1 = register(net, "p1", net.court_a, "paper", at("2025-02-05"), judge=net.judge)
    register(net, "p2", net.court_a, "paper", at("2025-02-06"))
    efiled = register(net, "e", net.court_b, "egov", at("2025-02-07"))
    late = register(net, "late", net.court_b, "paper", at("2025-06-02"))  # after the period
    # Coupons: p1's printed in March (counts on its registration day, 5 Feb), twice (drawn once); the
    # e-filed case's check code drawn for a subpoena's link (not a paper coupon); the late one's.
    with clock.frozen_at(at("2025-03-01")):
        coupon_secret(p1)
        coupon_secret(p1)
        coupon_secret(efiled)
    with clock.frozen_at(at("2025-06-03")):
        coupon_secret(late)
    # Hearings: h1 recorded before it was marked held; h2 recorded in March, after the period's held
    # day (counts on 10 Feb); h3 never recorded; h4 recorded twice (counts once); h5 recorded, never held;
    # h6 held after the period, in June. 20:00 UTC on 28 Feb is 1 March in Almaty: h7 held on 1 March.
    held, recorded = CaseEventKind.HEARING_HELD, CaseEventKind.RECORDING_ADDED
    record(p1, recorded, at("2025-02-10", 9), {"hearing": "h1"})
    record(p1, held, at("2025-02-10", 10), {"hearing": "h1"})
    record(p1, held, at("2025-02-10", 11), {"hearing": "h2"})
    record(p1, held, at("2025-02-11"), {"hearing": "h3"})
    record(efiled, held, at("2025-02-12"), {"hearing": "h4"})
    record(efiled, recorded, at("2025-02-12", 11), {"hearing": "h4"})
    record(efiled, recorded, at("2025-02-12", 12), {"hearing": "h4"})
    record(efiled, recorded, at("2025-02-13"), {"hearing": "h5"})
    record(late, held, at("2025-06-03"), {"hearing": "h6"})
    record(efiled, held, dt.datetime(2025, 2, 28, 20, 0, tzinfo=dt.UTC), {"hearing": "h7"})
    record(p1, recorded, at("2025-03-15"), {"hearing": "h2"})
    # SMS: two sent on 10 Feb (one delivered on the 12th, counted on its sent day), one reported by
    # the SMSC on 11 Feb before the sender's answer, a login code of no court, one queued never sent.
    first, second, third = _sms(net, "t:1"), _sms(net, "t:2"), _sms(net, "t:3")
    code, _queued = _sms(net, "t:code", court=False), _sms(net, "t:never")
    _sent(first, at("2025-02-10", 12))
    _sent(second, at("2025-02-10", 13))
    _report(first, outbox.DeliveryReport.DELIVERED, at("2025-02-12"))
    _report(third, outbox.DeliveryReport.SMSC_ACK, at("2025-02-11"))
    _report(third, outbox.DeliveryReport.DELIVERED, at("2025-02-11", 12))
    _sent(third, at("2025-02-11", 13))  # the sender's answer after the reports: not sent twice
    _sent(code, at("2025-02-10", 14))
    # An act published on 21 Feb and withdrawn in March (it stays counted where it was published).
    with clock.frozen_at(at("2025-02-20")):
        act = announced_decision(on=dt.date(2025, 2, 20))
        published = publication.prepare_candidate(act)
    assert published is not None
    _journal_registration(act.case)
    clerk = staff_user(f"reviewer.{act.pk}", act.case.court, StaffRole.CLERK)
    with clock.frozen_at(at("2025-02-21")):
        publication.publish(published=published, actor=clerk)
    with clock.frozen_at(at("2025-03-10")):
        publication.withdraw(published=published, actor=clerk, reason="correction")
    return net, act


def figures(area: queries.Area) -> dict[str, object]:
    sums = queries.sums(area, *PERIOD)
    return {shown.figure.key: shown.value for shown in definitions.compute(sums, judge=area.judge_id is not None)}


def _moved(counted: queries.Counted) -> queries.Counted:
    return {k: v for k, v in counted.items() if k[0].removeprefix(tally.MONTHLY) in MOVED}


def test_the_moved_figures_come_from_the_counters_worked_out_by_hand() -> None:
    net, act = world()
    sent = Message.objects.filter(sent_at__isnull=False)
    cost = sum((m.cost for m in sent), Decimal(0))
    assert sent.count() == 4
    assert cost > 0
    with CaptureQueriesContext(connection) as seen:
        got = figures(queries.Area(court_ids=None))
    read = [q["sql"] for q in seen.captured_queries]
    for scanned in (Hearing, PublishedAct, Act, Case):
        assert not [sql for sql in read if f'"{table(scanned)}"' in sql]
    # The outbox only for the SMS of no court (its partial index).
    assert [sql for sql in read if f'"{table(Message)}"' in sql and '"court_id" IS NULL' not in sql] == []
    # Paper: p1, p2 and the published act's case (20 Feb) in the period, p1's coupon issued.
    assert act.case.channel == "paper"
    assert (got["filed_paper"], got["coupon_share"]) == (3, 33.3)
    # Held in the period: h1, h2, h3, h4 and h7 (1 March in Almaty); recorded: h1, h2, h4.
    assert (got["hearings_held"], got["hearings_recorded"]) == (5, 60.0)
    assert got["acts_published"] == 1
    # Sent: first, second, third and the login code; delivered: first and third.
    assert (got["sms_sent"], got["sms_delivered"], got["sms_cost"]) == (4, 50.0, cost)
    court_a = figures(queries.Area(court_ids=frozenset({net.court_a.pk})))
    courts_sms = sum((m.cost for m in sent.filter(court__isnull=False)), Decimal(0))
    assert (court_a["sms_sent"], court_a["sms_delivered"], court_a["sms_cost"]) == (3, 66.7, courts_sms)
    assert (court_a["hearings_held"], court_a["hearings_recorded"], court_a["acts_published"]) == (3, 66.7, 0)
    judge = figures(queries.Area(court_ids=None, judge_id=net.judge.pk))
    assert (judge["hearings_held"], judge["hearings_recorded"]) == (3, 66.7)
    # The counters by day: h2's recording in March counted on 10 February, h7 on 1 March.
    live = queries.live_counters()
    a, b = (net.court_a.pk, net.category.proceeding_type), (net.court_b.pk, net.category.proceeding_type)
    assert live[(tally.RECORDED, dt.date(2025, 2, 10), *a, "")] == (2, 0)
    assert live[("hearings_held", dt.date(2025, 3, 1), *b, "")] == (1, 0)
    assert live[(tally.COUPONS, dt.date(2025, 2, 5), *a, "")] == (1, 0)
    assert (tally.COUPONS, dt.date(2025, 2, 7), *b, "") not in live
    assert live[(tally.SMS_DELIVERED, dt.date(2025, 2, 11), *a, "")] == (1, 0)
    tenth = sum((m.cost for m in sent.filter(cause__in=["t:1", "t:2"])), Decimal(0))
    assert live[(tally.SMS_SENT, dt.date(2025, 2, 10), *a, "")] == (2, int(tenth * 100))


def test_the_rebuild_counts_the_moved_figures_again_and_agrees() -> None:
    world()
    live = _moved(queries.live_counters())
    assert {k[0] for k in live} >= MOVED
    assert _moved(queries.count_journal()) == live
    call_command("rebuild-statistics", "--quiet-progress")
    if connection.vendor == "postgresql":
        recount = queries.recount_in_database(chunk=5)
        assert (recount.differences, recount.status_differences) == ([], [])
        assert _moved(queries.recounted()) == live
    # A lost counter is found and mended.
    Counter.objects.filter(figure__in=[tally.RECORDED, tally.SMS_SENT, tally.PUBLISHED]).delete()
    with pytest.raises(CommandError):
        call_command("rebuild-statistics", "--quiet-progress")
    call_command("rebuild-statistics", "--quiet-progress", "--replace")
    assert _moved(queries.live_counters()) == live
