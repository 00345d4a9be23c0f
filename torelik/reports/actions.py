"""Every write of the statistics: the counters moved by one journal entry (the handlers'), the
counters replaced by those the rebuild counted from the whole journal, and the signed periodic reports
to the legal statistics committee. Nothing else writes them."""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import connection, transaction

from torelik.cases.models import CaseEventKind
from torelik.core import clock
from torelik.core.rows import added, mended_from
from torelik.reports import beside_journal, queries, tally
from torelik.reports.models import PENDING, CommitteeReturn, Counter

if TYPE_CHECKING:
    from torelik.reports.dashboard import Place

KEY = ("figure", "day", "court", "proceeding_type", "key")


def count(changes: Iterable[tally.Increment | tally.CohortChange], case: tally.CaseFacts) -> None:
    """Add the changes of one entry to the counters, in one statement."""
    counted(((case.court_id, case.proceeding_type, change) for change in changes), case.category_id)


def counted(
    changes: Iterable[tuple[int, str, tally.Increment | tally.CohortChange]], category_id: int | None = None
) -> None:
    """Add changes of (court, proceeding type) to the counters, with their months' roll-ups, in one
    statement (a cohort's change needs the category)."""
    rows = [
        _row(change, category_id) | {"court": court_id, "proceeding_type": proceeding_type}
        for court_id, proceeding_type, each in changes
        for change in tally.rolled_up([each])
    ]
    added(Counter, rows, KEY, ("count", "amount"))


def _row(change: tally.Increment | tally.CohortChange, category_id: int | None) -> dict[str, object]:
    if isinstance(change, tally.Increment):
        return {
            "figure": change.figure,
            "day": change.day,
            "key": change.key,
            "count": change.count,
            "amount": change.amount,
        }
    return {"figure": PENDING, "day": change.month, "key": str(category_id), "count": change.delta, "amount": 0}


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


def count_hearing_entry(*, event_id: int) -> None:
    """A hearing's held or recording entry: the hearings recorded it completes (`tally.recorded_hearing`)."""
    found = queries.hearing_entry(event_id)
    if found is not None:
        entry, held_at, recordings = found
        change = tally.recorded_hearing(entry.kind, held_at, recordings)
        if change is not None:
            count([change], entry.case)


def count_published(*, court_id: int, proceeding_type: str, occurred_at: dt.datetime) -> None:
    """An act put on the public site, on the day of its publication journal's entry."""
    counted([(court_id, proceeding_type, tally.Increment(tally.PUBLISHED, tally.local_day(occurred_at)))])


def count_sms(*, message_ids: Iterable[int], delivered: bool = False) -> None:
    """SMS just handed to the gateway (or just delivered), on the day each was sent: one each, and the
    cost in tiyn beside the count of those sent. Messages of no court are not counted here (ADR 0109)."""
    figure = tally.SMS_DELIVERED if delivered else tally.SMS_SENT
    counted(
        (court_id, proceeding_type, tally.Increment(figure, tally.local_day(sent_at), amount=0 if delivered else tiyn))
        for court_id, proceeding_type, sent_at, tiyn in beside_journal.sms_facts(message_ids)
    )


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


def recount_counters() -> None:
    """Every counter recounted from the journals and records and put in place: after rows written past
    the event bus in bulk (the demo's court day). On PostgreSQL counted by the database (ADR 0111)."""
    if connection.vendor == "postgresql":
        queries.recount_in_database()
        replace_counters_by_recount()
    else:
        replace_counters(queries.count_journal())


@transaction.atomic
def replace_counters_by_recount() -> int:
    """PostgreSQL: make the live counters those the database recounted (`queries.recount_in_database`, in
    this session's table), in one transaction, writing only the counters that differ. Counters written."""
    return mended_from(Counter, queries.RECOUNTED, KEY, ("count", "amount"))


# The periodic report to the legal statistics committee


def make_committee_return(*, period: str, place: "Place") -> CommitteeReturn:
    """The signed report of `place` for `period`, made once (a second call returns the first)."""
    from torelik.reports import committee  # noqa: PLC0415 - signing loads the PKI: only when reports are made

    found = queries.committee_return(period, place.level, place.code)
    if found is not None:
        return found
    signed = committee.payload(period, place)
    with transaction.atomic():
        made, created = CommitteeReturn.objects.get_or_create(
            period=period,
            level=place.level,
            place_code=place.code,
            defaults={
                "content": signed.content,
                "signature": signed.signature,
                "sha256": signed.sha256,
                "made_at": signed.report.made_at,
            },
        )
        if created:
            transaction.on_commit(lambda: hand_to_exchange(return_id=made.pk))
    return made


def hand_to_exchange(*, return_id: int) -> None:
    """Hand a signed report to the exchange's outbox for the Committee on Legal Statistics (ADR 0110, 0092):
    its figures (each row of each column) and the signed canonical JSON itself, as the committee's
    `statistical_report` event v1; once, `handed_over_at` marks it. Reports of a region or the country
    go without a court reference; the outbox delivers them in order and keeps a dead letter for staff.
    With no partner connected for statistical reports, the report waits here, signed and stored."""
    import base64  # noqa: PLC0415

    from torelik.courts.models import Court  # noqa: PLC0415
    from torelik.exchange import outbox  # noqa: PLC0415
    from torelik.exchange.schemas.common import CourtRef  # noqa: PLC0415
    from torelik.exchange.schemas.statistics import Figure, StatisticalReportV1  # noqa: PLC0415
    from torelik.reports.committee import CommitteeReport  # noqa: PLC0415

    with transaction.atomic():
        made = CommitteeReturn.objects.select_for_update().get(pk=return_id)
        if made.handed_over_at is not None:
            return
        report = CommitteeReport.model_validate_json(bytes(made.content))
        court = Court.objects.filter(code=made.place_code).first() if made.level == "court" else None
        figures = [
            Figure(code=row.key, value=float(value), court=court.code if court else None, key=column.key)
            for row in report.rows
            for column, value in zip(report.columns, row.values, strict=True)
            if value is not None
        ]
        written = outbox.publish(
            "statistical_report",
            StatisticalReportV1(
                report=f"{report.format} {report.form}",
                period=made.period,
                scope=CourtRef(code=court.code, name_kk=court.name_kk, name_ru=court.name_ru) if court else None,
                generated_at=made.made_at,
                figures=figures,
                document_base64=base64.b64encode(bytes(made.content)).decode(),
            ),
            partner="legal_statistics",
            court=court,
        )
        if written:  # no partner connected for the type: the report waits, signed and stored
            made.handed_over_at = clock.now()
            made.save(update_fields=["handed_over_at"])


def ended_periods(today: dt.date) -> list[str]:
    """The reporting periods that ended most recently before `today`: the last month, and the quarter,
    half-year and year that ended with it, if one did."""
    last = today.replace(day=1) - dt.timedelta(days=1)
    out = [f"{last:%Y-%m}"]
    if last.month % 3 == 0:
        out.append(f"{last.year}-Q{last.month // 3}")
    if last.month % 6 == 0:
        out.append(f"{last.year}-H{last.month // 6}")
    if last.month == 12:
        out.append(f"{last.year}")
    return out


def make_due_committee_returns(today: dt.date) -> int:
    """The workers' periodic job: every report of the periods that just ended not made yet — the country,
    each region and each court with cases counted in the period. Reports made."""
    from torelik.courts.models import Court, Region  # noqa: PLC0415
    from torelik.reports import dashboard, periods  # noqa: PLC0415

    made = 0
    for text in ended_periods(today):
        period = periods.parse(text)
        court_ids = queries.courts_counted(period.start, period.end)
        courts = list(Court.objects.select_related("region").filter(pk__in=court_ids).order_by("code"))
        places = [dashboard.country()]
        places += [dashboard.region(r) for r in Region.objects.filter(courts__in=courts).distinct().order_by("code")]
        places += [dashboard.court(c) for c in courts]
        done = set(CommitteeReturn.objects.filter(period=text).values_list("level", "place_code"))
        for place in places:
            if (place.level, place.code) not in done:
                make_committee_return(period=text, place=place)
                made += 1
    return made
