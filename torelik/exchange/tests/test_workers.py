"""Through real `torelik worker` processes (PostgreSQL: they share the test database): a partner that
fails a third of the time and answers some events late still gets every event once, signed with the
court's seal, in order within each case; none is lost, none is a dead letter."""

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from torelik.exchange import outbox
from torelik.exchange.handlers import court_ref
from torelik.exchange.models import DeliveryStatus, OutboundEvent
from torelik.exchange.schemas.acts import ReleaseDateV1
from torelik.exchange.schemas.common import PartyRef
from torelik.exchange.tests.simulator import running
from torelik.hearings.tests.factories import case_in, court_with_staff
from torelik.workers.tests.processes import needs_postgresql, wait_for, workers

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CASES, PER_CASE = 4, 15


def test_a_failing_and_late_partner_gets_every_event_once_in_order_per_case(
    partners_port: int, trust_root: Path, settings: Any
) -> None:
    needs_postgresql()
    settings.TORELIK_TASKS_INLINE = False  # the workers deliver, not this process
    court = court_with_staff("0301")
    cases = [case_in(court) for _ in range(CASES)]
    with transaction.atomic():
        for n in range(PER_CASE):
            for case in cases:
                outbox.publish(
                    "release_date",
                    ReleaseDateV1(
                        case_number=case.number,
                        court=court_ref(case),
                        person=PartyRef(role="accused", name="Сапаров Ерлан Маратович"),
                        release_on=dt.date(2029, 12, 18) + dt.timedelta(days=n),
                        basis=f"change {n}",
                    ),
                    case=case,
                )
    env = {
        "TORELIK_EXCHANGE_URL": f"http://127.0.0.1:{partners_port}",
        "TORELIK_EXCHANGE_CORRECTIONS_TIMEOUT": "0.5",
        "TORELIK_EXCHANGE_BACKOFF": "0.05",
        "TORELIK_EXCHANGE_MAX_BACKOFF": "0.2",
        "TORELIK_TEST_PKI_DIR": str(django_settings.TORELIK_PKI_DIR),
    }
    args = ("--failure-rate", "0.3", "--late-rate", "0.05", "--latency", "1")
    with running(partners_port, trust_root=trust_root, args=args) as simulator, workers(2, env=env):
        # Only corrections: the workers may also hand other partners what their own periodic tasks make (the
        # legal statistics committee's reports, ADR 0110).
        ours = OutboundEvent.objects.filter(partner="corrections")
        delivered = ours.filter(status=DeliveryStatus.DELIVERED)
        # 60 events, one at a time per case, 30 % refused and retried: about 160 s alone on a quiet 2-CPU
        # machine, and CI's other xdist worker beside it once took it past 180 s.
        assert wait_for(lambda: delivered.count() == CASES * PER_CASE, timeout=420)
        received = simulator.received("corrections")
        state = simulator.state()
    assert not ours.exclude(status=DeliveryStatus.DELIVERED).exists()
    assert sorted(r["event_id"] for r in received) == sorted(str(e) for e in ours.values_list("public_id", flat=True))
    assert state["out_of_order"] == 0
    for case in cases:
        changes = [
            r["payload"]["basis"]
            for r in sorted(received, key=lambda r: r["sequence"])
            if r["case_number"] == case.number
        ]
        assert changes == [f"change {n}" for n in range(PER_CASE)]
    assert all(case.court.code in r["signer"] for r in received for case in cases if r["case_number"] == case.number)
    assert max(e.attempts for e in ours) > 1  # the partner did fail
