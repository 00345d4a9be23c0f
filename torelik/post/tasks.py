"""The post's background work (ADR 0042): hybrid letters assembled into batches every half hour, each
batch handed to the operator with retries and backoff (the last failure leaves it FAILED and its letters
waiting for the next batch), and the tracking poll of letters on their way every ten minutes."""

import datetime as dt

from django.utils.translation import gettext_lazy as _

from torelik.courts.models import Court
from torelik.post import actions
from torelik.post.errors import OperatorError
from torelik.post.models import Batch, Letter, LetterKind, LetterStatus
from torelik.workers.background import background, periodic

DELIVERY_ATTEMPTS = 6


@periodic("post.assemble", every=dt.timedelta(minutes=30))
@background(label=_("Assemble hybrid letters into batches"), priority=5, coalesce=True, attempts=3, backoff=30.0)
def assemble_batches() -> dict[str, int]:
    courts = (
        Letter.objects.filter(kind=LetterKind.HYBRID, status=LetterStatus.PREPARED)
        .values_list("court_id", flat=True)
        .distinct()
    )
    made = 0
    for court in Court.objects.filter(pk__in=list(courts)):
        while actions.assemble_batch(court=court) is not None:
            made += 1
    return {"batches": made}


@background(
    label=_("Hand a batch of hybrid letters to the postal operator"),
    priority=5,
    attempts=DELIVERY_ATTEMPTS,
    backoff=60.0,
    max_backoff=3600.0,
)
def deliver_batch(batch_id: int) -> dict[str, int]:
    batch = Batch.objects.get(pk=batch_id)
    try:
        batch = actions.deliver(batch=batch)
    except OperatorError as error:
        if batch.attempts + 1 >= DELIVERY_ATTEMPTS:
            actions.give_up(batch_id=batch_id, error=str(error))
            return {"accepted": 0, "rejected": 0, "failed": 1}
        raise
    return {"accepted": batch.accepted, "rejected": batch.rejected, "failed": 0}


@periodic("post.track", every=dt.timedelta(minutes=10))
@background(label=_("Ask the post where the letters are"), priority=0, coalesce=True, attempts=3, backoff=30.0)
def poll_tracking() -> dict[str, int]:
    return {"polled": actions.poll_due()}
