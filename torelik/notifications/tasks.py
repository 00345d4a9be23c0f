"""The outbox's background work (ADR 0042): every message enqueues `send_messages` with it, in the
transaction of its cause; waiting copies are done by one run (they coalesce), which sends whatever is
due in a slice of a few seconds and enqueues itself again while more is due. Every minute
`sweep_outbox` settles the messages a stopped sender left and sends what fell due (retries)."""

import datetime as dt
from dataclasses import asdict

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.notifications import queries, sender
from torelik.workers.background import background, periodic

SLICE_SECONDS = 2.0  # a run claims no more after this: other tasks (a judge's draw) get their turn
RETRY_HORIZON = 60.0  # a retry due within this many seconds is waited for by a deferred run


@background(
    label=_("Send the due SMS and e-mail"), priority=30, coalesce=True, attempts=5, backoff=2.0, max_backoff=60.0
)
def send_messages() -> dict[str, int | bool]:
    """Send the due messages for a few seconds; enqueue the next run while more is due or a retry is near."""
    report = sender.send_due_messages(seconds=SLICE_SECONDS)
    follow_up()
    return asdict(report)


def follow_up() -> None:
    """A run now while messages are due, one deferred to the next retry (or to the end of the lease of a
    message a stopped sender left in doubt) if that comes soon."""
    now = clock.now()
    lease = dt.timedelta(seconds=settings.TORELIK_MESSAGE_SEND_LEASE)
    pauses = [
        p for p in (queries.seconds_until_next_due(now), queries.seconds_until_in_doubt(now, lease)) if p is not None
    ]
    pause = min(pauses) if pauses else None
    if pause is None or pause > RETRY_HORIZON:
        return  # nothing queued, or the minute's sweep will find it
    if pause <= 0:
        send_messages.enqueue()
    else:
        send_messages.using(run_after=dt.datetime.now(tz=dt.UTC) + dt.timedelta(seconds=pause)).enqueue()


@periodic("notifications.sweep", every=dt.timedelta(minutes=1))
@background(
    label=_("Settle the outbox: interrupted, expired and due messages"),
    priority=10,
    coalesce=True,
    attempts=3,
    backoff=5.0,
)
def sweep_outbox() -> dict[str, int | bool]:
    """Settle what a stopped sender left (SENDING past the lease), expire what is too old, send what is due."""
    return send_messages.call()
