"""The exchange's background work (ADR 0042, 0092): an outgoing letter handed to its state body with
retries and backoff (the last failure leaves it "not delivered" on the office's register, to be sent
again); each partner's outbox delivered in slices; and the minute's sweep that takes back what a stopped
worker held and starts deliveries that are due."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.exchange import delivery, letters
from torelik.exchange.models import Letter
from torelik.workers.background import background, periodic

LETTER_ATTEMPTS = 6


@background(
    label=_("Hand a letter to a state body"), priority=3, attempts=LETTER_ATTEMPTS, backoff=30.0, max_backoff=3600.0
)
def send_letter(letter_id: int) -> dict[str, str]:
    letter = Letter.objects.select_related("counterpart").get(pk=letter_id)
    try:
        letter = letters.deliver_letter(letter=letter)
    except letters.DeliveryError:
        if letter.attempts + 1 >= LETTER_ATTEMPTS:
            letters.give_up(letter_id=letter_id)
            return {"status": "failed"}
        raise
    return {"status": letter.status}


SLICE_SECONDS = 2.0
RETRY_HORIZON = dt.timedelta(minutes=2)  # a retry further off is started by the sweep


@background(label=_("Deliver events to a partner agency"), priority=20, coalesce=True, attempts=5, max_backoff=60.0)
def deliver(partner: str) -> dict[str, int | bool]:
    """Deliver `partner`'s due events for a slice, then enqueue the next run while more is due, or one
    at the next retry if it comes soon."""
    result = delivery.deliver_due(partner, budget=SLICE_SECONDS)
    if result.more:
        deliver.enqueue(partner=partner)
    elif result.next_due is not None and result.next_due - clock.now() <= RETRY_HORIZON:
        pause = max(result.next_due - clock.now(), dt.timedelta(0))
        deliver.using(run_after=dt.datetime.now(tz=dt.UTC) + pause).enqueue(partner=partner)
    return {"delivered": result.delivered, "retried": result.retried, "dead": result.dead, "more": result.more}


@periodic("exchange.sweep", every=dt.timedelta(minutes=1))
@background(label=_("Settle the exchange's outbox: interrupted and due deliveries"), priority=10, coalesce=True)
def sweep() -> dict[str, int]:
    released = delivery.release_expired_leases()
    started = 0
    for code in delivery.partners_with_due_events():
        deliver.enqueue(partner=code)
        started += 1
    return {"released": released, "started": started}
