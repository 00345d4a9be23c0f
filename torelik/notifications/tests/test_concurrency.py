"""Two senders at once never take the same message (PostgreSQL: FOR UPDATE SKIP LOCKED)."""

import threading

import pytest
from django.db import connection

from torelik.notifications import actions
from torelik.notifications.models import Message, MessageStatus
from torelik.notifications.tests.factories import summons

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_senders_claim_disjoint_batches() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL only (SQLite serialises writers; run with DATABASE_URL)")
    for n in range(120):
        summons(f"race:{n}")
    claimed: list[list[int]] = []
    barrier = threading.Barrier(3)

    def sender() -> None:
        try:
            barrier.wait()
            claimed.append([m.pk for m in actions.claim_due(limit=100)])
        finally:
            connection.close()

    threads = [threading.Thread(target=sender) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    every = [pk for batch in claimed for pk in batch]
    assert len(every) == len(set(every)) == 120
    assert Message.objects.filter(status=MessageStatus.SENDING, attempts=1).count() == 120
