"""Every write of the statistics: the counters moved by one journal entry (the handler's), and the
counters replaced by those the rebuild counted from the whole journal. Nothing else writes them."""

from collections.abc import Iterable

from django.db import transaction

from torelik.core.rows import added
from torelik.reports import queries, tally
from torelik.reports.models import DailyTally, PendingCohort


def apply(changes: Iterable[tally.Increment | tally.CohortChange], case: tally.CaseFacts) -> None:
    for change in changes:
        if isinstance(change, tally.Increment):
            added(
                DailyTally,
                {"count": change.count, "amount": change.amount},
                figure=change.figure,
                day=change.day,
                court=case.court_id,
                proceeding_type=case.proceeding_type,
                key=change.key,
            )
        else:
            added(
                PendingCohort,
                {"pending": change.delta},
                month=change.month,
                court=case.court_id,
                proceeding_type=case.proceeding_type,
                category=case.category_id,
            )


def count_entry(*, event_id: int) -> None:
    """Move the counters of one journal entry (inside the transaction that recorded it)."""
    entry = queries.journal_entry(event_id)
    if entry is not None:
        apply(tally.increments(entry.kind, entry.occurred_at, entry.data, entry.case), entry.case)


@transaction.atomic
def replace_counters(counted: queries.Counted) -> None:
    """Put the counters the rebuild counted in place of the live ones, in one transaction (the
    journal's handler waits on the tables' rows meanwhile, and nothing is lost or counted twice as
    long as no entry is recorded while the rebuild reads: run it with the writers stopped, or run it
    again until it reports agreement)."""
    DailyTally.objects.all().delete()
    PendingCohort.objects.all().delete()
    DailyTally.objects.bulk_create(
        (
            DailyTally(figure=figure, day=day, court_id=court, proceeding_type=proceeding, key=key, count=c, amount=a)
            for (figure, day, court, proceeding, key), (c, a) in counted.tallies.items()
        ),
        batch_size=5000,
    )
    PendingCohort.objects.bulk_create(
        (
            PendingCohort(month=month, court_id=court, proceeding_type=proceeding, category_id=category, pending=n)
            for (month, court, proceeding, category), n in counted.cohorts.items()
        ),
        batch_size=5000,
    )
