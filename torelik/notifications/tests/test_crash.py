"""`kill -9` of the worker in the middle of sending 5,000 SMS through a real Kannel: after a restart
every SMS was handed over exactly once, by Kannel's own count (ADRs 0042, 0043). PostgreSQL only: the
workers are processes sharing the test database; the delivery reports come back to a web process."""

import collections
import re
import time
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from torelik.notifications import actions, kannel_harness, tasks
from torelik.notifications.models import Message, MessageStatus, Template
from torelik.workers.tests.processes import (
    free_port,
    kill,
    needs_postgresql,
    start_web,
    start_worker,
    wait_for,
    workers,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

COUNT = 5000
CODE = re.compile(r"Torelik code (K\d{6}):")


def _state() -> dict[str, int]:
    return dict(collections.Counter(Message.objects.values_list("status", flat=True)))


def test_a_worker_killed_mid_send_neither_loses_nor_repeats_an_sms(
    kannel_gateway: kannel_harness.Kannel, settings: Any
) -> None:
    needs_postgresql()
    settings.TORELIK_SEND_MESSAGES = "off"  # one sender task below, not 5,000 coalescing copies
    settings.TORELIK_TASKS_INLINE = False  # the workers send, not this process
    with transaction.atomic():
        for n in range(COUNT):
            actions.enqueue(
                template=Template.CONFIRMATION_CODE,
                language="en",
                payload={"code": f"K{n:06d}", "purpose": "crash test"},
                phone=f"+7708{n:07d}",  # a range of its own: the fake SMSC of the session logs every test's SMS
                cause=f"crash:{n}",
            )
        tasks.send_messages.enqueue()
    port = free_port()
    env = {
        "TORELIK_SMS_BACKEND": "kannel",
        "TORELIK_KANNEL_URL": kannel_gateway.sendsms_url,
        "TORELIK_KANNEL_USER": kannel_harness.USER,
        "TORELIK_KANNEL_PASSWORD": kannel_harness.PASSWORD,
        "TORELIK_DLR_URL": f"http://127.0.0.1:{port}{reverse('api-v1:notifications_dlr')}",
        "TORELIK_MESSAGE_SEND_LEASE": "5",
    }
    web = start_web(port)  # a web process takes Kannel's delivery reports, as in production
    first = start_worker(env=env)
    try:
        assert wait_for(lambda: _state().get(MessageStatus.SENT, 0) >= 800, timeout=120), _state()
        kill(first)
    finally:
        if first.poll() is None:
            kill(first)
    at_kill = _state()
    in_doubt = at_kill.get(MessageStatus.SENDING, 0)
    assert at_kill.get(MessageStatus.QUEUED, 0) > 0, at_kill  # killed in the middle, not at the end
    assert in_doubt <= 64, at_kill  # only what was in the sender's hands (32 slots), not a batch of 500

    done = (MessageStatus.SENT, MessageStatus.DELIVERED)
    try:
        with workers(1, env=env):
            assert wait_for(lambda: Message.objects.exclude(status__in=done).count() == 0, timeout=300), _state()
    finally:
        web.terminate()
        web.wait(timeout=20)
    counted: collections.Counter[str] = collections.Counter()

    def all_arrived() -> bool:
        counted.clear()
        counted.update(m.group(1) for _f, _to, text in kannel_gateway.received() if (m := CODE.search(text)))
        return len(counted) >= COUNT

    assert wait_for(all_arrived, timeout=60)
    time.sleep(2)  # anything still on its way to the fake SMSC arrives now
    all_arrived()
    twice = sorted(code for code, times in counted.items() if times > 1)
    assert len(counted) == COUNT  # none lost
    assert twice == []  # none sent twice
    assert Message.objects.filter(status__in=done).count() == COUNT
    print(f"\nSMS crash: {COUNT} queued; killed with {at_kill}; {in_doubt} in doubt; 0 lost, 0 twice")  # noqa: T201
