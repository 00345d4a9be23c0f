"""Reads of the post context: the office's worklist, the day's register, a letter's history by barcode
(public tracking), and the statistics per court and period."""

import datetime as dt
import functools
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.db.models import Avg, Count, F, QuerySet, Sum
from django.utils import timezone

from torelik.core.rows import column, table
from torelik.post.models import (
    FINAL_STATUSES,
    NEEDS_ACTION,
    Batch,
    BatchStatus,
    Letter,
    LetterEvent,
    LetterKind,
    LetterStatus,
    UnmatchedReport,
)

WORKLIST_SIZE = 200


def needing_action(court_ids: Collection[int]) -> QuerySet[Letter]:
    """Letters that did not reach their addressee or never left, oldest first."""
    return (
        Letter.objects.filter(court_id__in=court_ids, status__in=NEEDS_ACTION, withdrawn_at__isnull=True)
        .select_related("case", "court")
        .order_by("status_at")[:WORKLIST_SIZE]
    )


def troubled_batches(court_ids: Collection[int]) -> QuerySet[Batch]:
    return Batch.objects.filter(court_id__in=court_ids).exclude(status=BatchStatus.DELIVERED, last_error="")[:50]


def tracking_trouble(court_ids: Collection[int]) -> QuerySet[Letter]:
    """Letters whose last tracking poll failed (the error is shown until a poll succeeds)."""
    return (
        Letter.objects.filter(court_id__in=court_ids, poll_failures__gt=0)
        .exclude(status__in=FINAL_STATUSES)
        .order_by("-poll_failures")[:50]
    )


def unmatched_reports() -> QuerySet[UnmatchedReport]:
    return UnmatchedReport.objects.all()[:50]


def registered_to_hand_over(court_id: int) -> QuerySet[Letter]:
    return Letter.objects.filter(court_id=court_id, kind=LetterKind.REGISTERED, status=LetterStatus.PREPARED)


def register_of(court_id: int, day: dt.date) -> QuerySet[Letter]:
    return Letter.objects.filter(court_id=court_id, kind=LetterKind.REGISTERED, handed_over_on=day).order_by("id")


def register_days(court_ids: Collection[int]) -> list[dt.date]:
    days = (
        Letter.objects.filter(court_id__in=court_ids, handed_over_on__isnull=False)
        .values_list("handed_over_on", flat=True)
        .distinct()
        .order_by("-handed_over_on")[:14]
    )
    return [d for d in days if d is not None]


def letter_by_barcode(barcode: str) -> Letter | None:
    return Letter.objects.filter(barcode=barcode).first()


def history(letter: Letter) -> list[LetterEvent]:
    return list(LetterEvent.objects.filter(letter=letter).order_by("at", "id"))


def letters_by_cause(causes: Iterable[str]) -> dict[str, Letter]:
    """The letters sent for these causes (`subpoena:<number>`), by cause: a notice's paper channel."""
    wanted = [c for c in causes if c]
    return {x.cause or "": x for x in Letter.objects.filter(cause__in=wanted)} if wanted else {}


def letters_of_case(case_id: int) -> QuerySet[Letter]:
    return Letter.objects.filter(case_id=case_id).order_by("id")


@dataclass
class Statistics:
    sent: int = 0
    cost: int = 0
    final: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    average_days: float | None = None
    by_court: list[tuple[int, int, int]] = field(default_factory=list)  # court id, sent, final

    @property
    def final_share(self) -> float | None:
        return self.final / self.sent if self.sent else None

    def share(self, status: str) -> float | None:
        return self.by_status.get(status, 0) / self.sent if self.sent else None


def statistics(*, court_ids: Collection[int] | None, start: dt.date, end: dt.date) -> Statistics:
    """Letters sent in the period (barcoded and handed on), their final statuses, average days from
    acceptance to final status, cost; `court_ids` None: the whole country."""
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    rows = Letter.objects.filter(accepted_at__gte=since, accepted_at__lt=until)
    if court_ids is not None:
        rows = rows.filter(court_id__in=court_ids)
    totals = rows.aggregate(sent=Count("id"), cost=Sum("cost"))
    counts = Counter(dict(rows.values_list("status").annotate(n=Count("id")).values_list("status", "n")))
    finals = rows.filter(status__in=FINAL_STATUSES, final_at__isnull=False)
    average = finals.aggregate(avg=Avg(F("final_at") - F("accepted_at")))["avg"]
    per_court = list(
        rows.values("court_id").annotate(sent=Count("id")).values_list("court_id", "sent").order_by("-sent")[:20]
    )
    finals_per_court = dict(finals.values("court_id").annotate(n=Count("id")).values_list("court_id", "n"))
    return Statistics(
        sent=totals["sent"] or 0,
        cost=totals["cost"] or 0,
        final=sum(n for s, n in counts.items() if s in FINAL_STATUSES),
        by_status=dict(counts),
        average_days=average.total_seconds() / 86400 if isinstance(average, dt.timedelta) else None,
        by_court=[(court, sent, finals_per_court.get(court, 0)) for court, sent in per_court],
    )


# --- The tracking hot path (ADR 0032) ----------------------------------------------------------------

STATE_FIELDS = ("status", "status_at", "accepted_at", "reason", "final_at", "next_poll_at")
MOMENTS = frozenset({"status_at", "accepted_at", "final_at", "next_poll_at"})
STATE_ROWS = 500  # rows per statement: 3,500 parameters, well under SQLite's limit


@functools.cache
def letter_states_sql(rows: int, vendor: str) -> str:
    """One UPDATE of `rows` letters' states from a VALUES list (id first, then STATE_FIELDS): what a
    chunk of tracking reports changes. PostgreSQL types an all-NULL column of VALUES as text, hence the
    casts there."""
    name = functools.partial(column, Letter)
    cast = "::timestamptz" if vendor == "postgresql" else ""
    sets = ", ".join(f"{name(f)} = v.{f}{cast if f in MOMENTS else ''}" for f in STATE_FIELDS)
    marks = ", ".join(["(" + ", ".join(["%s"] * (1 + len(STATE_FIELDS))) + ")"] * rows)
    return (
        f"WITH v(id, {', '.join(STATE_FIELDS)}) AS (VALUES {marks}) "  # noqa: S608 - the models' names, no input
        f"UPDATE {table(Letter)} SET {sets} FROM v WHERE {table(Letter)}.{name('id')} = v.id"
    )


def set_letter_states(letters: Sequence[Letter]) -> None:
    """Write the state fields of `letters` in a few statements (Django's bulk_update resolves one CASE
    expression per letter and field: slower than the database by an order of magnitude)."""
    model_fields = {f: got for f in STATE_FIELDS if isinstance(got := Letter._meta.get_field(f), models.Field)}
    for first in range(0, len(letters), STATE_ROWS):
        chunk = letters[first : first + STATE_ROWS]
        params: list[Any] = []
        for letter in chunk:
            params.append(letter.pk)
            for name, model_field in model_fields.items():
                params.append(model_field.get_db_prep_save(getattr(letter, name), connection))
        with connection.cursor() as cursor:
            cursor.execute(letter_states_sql(len(chunk), connection.vendor), params)
