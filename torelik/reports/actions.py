"""Every write of the statistics: the counters moved by one journal entry (the handlers'), and the
counters replaced by those the rebuild counted from the whole journal. Nothing else writes them."""

from collections.abc import Iterable

from django.db import transaction

from torelik.cases.models import CaseEventKind
from torelik.core.rows import added
from torelik.reports import queries, tally
from torelik.reports.models import PENDING, Counter

KEY = ("figure", "day", "court", "proceeding_type", "key")


def count(changes: Iterable[tally.Increment | tally.CohortChange], case: tally.CaseFacts) -> None:
    """Add the changes of one entry to the counters, in one statement."""
    rows = []
    for change in tally.rolled_up(changes):
        if isinstance(change, tally.Increment):
            rows.append(
                {
                    "figure": change.figure,
                    "day": change.day,
                    "key": change.key,
                    "count": change.count,
                    "amount": change.amount,
                }
            )
        else:
            rows.append(
                {
                    "figure": PENDING,
                    "day": change.month,
                    "key": str(case.category_id),
                    "count": change.delta,
                    "amount": 0,
                }
            )
    for row in rows:
        row.update(court=case.court_id, proceeding_type=case.proceeding_type)
    added(Counter, rows, KEY, ("count", "amount"))


def _count(entry: queries.Entry | None) -> None:
    if entry is not None:
        count(tally.increments(entry.kind, entry.occurred_at, entry.data, entry.case), entry.case)


def count_entry(*, event_id: int) -> None:
    """Move the counters of one journal entry (inside the transaction that recorded it)."""
    _count(queries.journal_entry(event_id))


def count_registration(*, case_id: int) -> None:
    _count(queries.last_entry(case_id, CaseEventKind.REGISTERED))


def count_status_change(*, case_id: int) -> None:
    _count(queries.last_entry(case_id, CaseEventKind.STATUS_CHANGED))


@transaction.atomic
def replace_counters(counted: queries.Counted) -> None:
    """Put the counters the rebuild counted in place of the live ones, in one transaction (run it with
    the writers stopped, or run the rebuild again until it reports agreement: an entry recorded while
    the rebuild reads is in the live counters and maybe not in the recount)."""
    Counter.objects.all().delete()
    Counter.objects.bulk_create(
        (
            Counter(figure=figure, day=day, court_id=court, proceeding_type=proceeding, key=key, count=c, amount=a)
            for (figure, day, court, proceeding, key), (c, a) in counted.items()
        ),
        batch_size=5000,
    )
