"""Reads of the personnel records: a court's staff table, a person's card, the reports (vacancies by
court, terms of office ending within a year, absences by court and month) and the absences entered
after the fact that the distribution's monitoring shows."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractDay, ExtractMonth

from torelik.courts.models import Court
from torelik.identity.models import Person
from torelik.personnel.models import JUDICIAL_POSTS, Absence, CareerEntry, Post


def staff_table(court: Court) -> QuerySet[Post]:
    return Post.objects.filter(court=court).select_related("holder").order_by("kind", "number")


def post_of(person: Person) -> Post | None:
    return Post.objects.filter(holder=person).select_related("court").first()


def career_of(person: Person) -> QuerySet[CareerEntry]:
    return (
        CareerEntry.objects.filter(person=person)
        .select_related("court", "post", "document", "absence", "recorded_by")
        .order_by("-effective_on", "-recorded_at", "-id")
    )


def absences_of(person: Person) -> QuerySet[Absence]:
    return Absence.objects.filter(person=person).select_related("document").order_by("-starts_on")


def _courts(court_ids: list[int] | None) -> Q:
    return Q() if court_ids is None else Q(court_id__in=court_ids)


@dataclass(frozen=True)
class VacancyRow:
    court: Court
    posts: int
    filled: int
    judicial_posts: int
    judicial_vacant: int

    @property
    def vacant(self) -> int:
        return self.posts - self.filled


def vacancies_by_court(court_ids: list[int] | None) -> list[VacancyRow]:
    """Every court with a staff table: posts, filled, vacant (and of them the judges' posts)."""
    judicial = Q(kind__in=JUDICIAL_POSTS)
    counts = (
        Post.objects.filter(_courts(court_ids))
        .values("court_id")
        .annotate(
            posts=Count("id"),
            filled=Count("id", filter=Q(holder__isnull=False)),
            judicial_posts=Count("id", filter=judicial),
            judicial_vacant=Count("id", filter=judicial & Q(holder__isnull=True)),
        )
    )
    courts = Court.objects.in_bulk([row["court_id"] for row in counts])
    rows = [
        VacancyRow(
            court=courts[row["court_id"]],
            posts=row["posts"],
            filled=row["filled"],
            judicial_posts=row["judicial_posts"],
            judicial_vacant=row["judicial_vacant"],
        )
        for row in counts
    ]
    return sorted(rows, key=lambda row: row.court.code)


def terms_ending(court_ids: list[int] | None, *, today: dt.date, days: int = 365) -> QuerySet[Post]:
    """Judges whose term of office ends within `days` of `today` (soonest first)."""
    return (
        Post.objects.filter(
            _courts(court_ids),
            kind__in=JUDICIAL_POSTS,
            holder__isnull=False,
            term_ends_on__gte=today,
            term_ends_on__lte=today + dt.timedelta(days=days),
        )
        .select_related("court", "holder")
        .order_by("term_ends_on", "court__code")
    )


def _month_days(first: dt.date, last: dt.date, year: int) -> dict[int, int]:
    """The days of [first, last] in each month of `year`."""
    start, end = max(first, dt.date(year, 1, 1)), min(last, dt.date(year, 12, 31))
    days: dict[int, int] = defaultdict(int)
    day = start
    while day <= end:
        following = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        stop = min(end, following - dt.timedelta(days=1))
        days[day.month] += (stop - day).days + 1
        day = following
    return days


@dataclass
class AbsenceRow:
    court: Court
    days: list[int] = field(default_factory=lambda: [0] * 12)
    absences: int = 0

    @property
    def total(self) -> int:
        return sum(self.days)


@dataclass
class AbsenceReport:
    year: int
    rows: list[AbsenceRow]
    totals: list[int]

    @property
    def total(self) -> int:
        return sum(self.totals)


def absences_by_month(court_ids: list[int] | None, *, year: int) -> AbsenceReport:
    """Days of absence by court and month of `year` (an absence across months counted in each). The
    absences within one month (most) are summed by the database (days = last day's number - first's
    + 1); only those across months are read and split here."""
    first_day, last_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
    of_year = Absence.objects.filter(_courts(court_ids), starts_on__lte=last_day, ends_on__gte=first_day).annotate(
        first_month=ExtractMonth("starts_on"), last_month=ExtractMonth("ends_on")
    )
    within = Q(starts_on__gte=first_day, ends_on__lte=last_day, first_month=F("last_month"))
    summed = (
        of_year.filter(within)
        .values("court_id", "first_month")
        .annotate(count=Count("id"), last=Sum(ExtractDay("ends_on")), first=Sum(ExtractDay("starts_on")))
        .order_by()
    )
    across = of_year.exclude(within).values_list("court_id", "starts_on", "ends_on")
    rows: dict[int, AbsenceRow] = {}
    totals = [0] * 12

    def add(court_id: int, month: int, days: int, count: int) -> None:
        row = rows.get(court_id)
        if row is None:
            row = rows[court_id] = AbsenceRow(court=Court(pk=court_id))
        row.absences += count
        row.days[month - 1] += days
        totals[month - 1] += days

    for line in summed:
        add(line["court_id"], line["first_month"], line["last"] - line["first"] + line["count"], line["count"])
    for court_id, first, last in across:
        for number, (month, days) in enumerate(sorted(_month_days(first, last, year).items())):
            add(court_id, month, days, 1 if number == 0 else 0)
    courts = Court.objects.in_bulk(list(rows))
    for court_id, row in rows.items():
        row.court = courts[court_id]
    return AbsenceReport(year=year, rows=sorted(rows.values(), key=lambda r: r.court.code), totals=totals)


def backdated_absences(court: Court, *, since: dt.datetime) -> QuerySet[Absence]:
    """Judges' absences of the court entered after the fact and recorded since `since` (newest first):
    what the distribution's monitoring shows beside the draws made before they were recorded."""
    return (
        Absence.objects.filter(court=court, backdated=True, judge_absence__isnull=False, recorded_at__gte=since)
        .select_related("person", "judge_absence__judge__person")
        .order_by("-recorded_at")
    )
