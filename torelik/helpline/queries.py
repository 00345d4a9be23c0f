"""Reads of the helpline: the cases a caller asks about and what the screen may tell them, the register,
the queues and the figures. `daily_figures` is the door for the statistics of other contexts."""

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import ExtractHour, TruncDate

from torelik.cases.models import Case, CaseStatus, Party
from torelik.core import clock
from torelik.courts.models import Court, CourtKind
from torelik.deadlines.models import TermStatus
from torelik.deadlines.queries import terms_of_case
from torelik.hearings.models import Hearing, HearingStatus
from torelik.helpline.models import Call, CallChannel, CallStatus, Category
from torelik.identity.models import Person
from torelik.notifications.errors import InvalidPhoneError
from torelik.notifications.phones import normalise_phone
from torelik.summons.models import Subpoena

LOCAL = ZoneInfo(settings.TIME_ZONE)
OPEN_STATUSES = (CallStatus.ROUTED,)


def categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("order", "code")


def category(code: str) -> Category | None:
    return Category.objects.filter(code=code, is_active=True).first()


def court_by_code(code: str) -> Court | None:
    return Court.objects.filter(code=code.strip(), is_active=True).first() if code.strip() else None


def supreme_court() -> Court | None:
    return Court.objects.filter(kind=CourtKind.SUPREME, is_active=True).order_by("code").first()


def case_by_number(number: str) -> Case | None:
    return Case.objects.select_related("court", "category", "judge__person").filter(number=number.strip()).first()


def person_by_iin(iin: str) -> Person | None:
    return Person.objects.filter(iin=iin).first()


def phone_on_record(person: Person) -> str:
    """The party's mobile on record: the person's own, else the latest given in one of their cases."""
    if person.phone.strip():
        return person.phone.strip()
    latest = (
        Party.objects.filter(person=person).exclude(phone="").order_by("-created_at").values_list("phone", flat=True)
    )
    return next(iter(latest[:1]), "")


def cases_of_person(person_id: int, *, limit: int = 50) -> list[Case]:
    """The cases the person takes part in (as a party or a representative), newest first."""
    ids = Party.objects.filter(person_id=person_id).values("case_id")
    return list(
        Case.objects.filter(pk__in=ids)
        .select_related("court", "category", "judge__person")
        .order_by("-registered_at")[:limit]
    )


def is_party(case: Case, person_id: int | None) -> bool:
    if person_id is None:
        return False
    return Party.objects.filter(case=case, person_id=person_id).exists()


def hearings_of_court_on(court: Court, day: dt.date) -> QuerySet[Hearing]:
    """The court's open hearings that day (the public timetable's facts), for a caller who knows no number."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=LOCAL)
    return (
        Hearing.objects.filter(
            courtroom__court=court,
            starts_at__gte=start,
            starts_at__lt=start + dt.timedelta(days=1),
            is_closed=False,
        )
        .exclude(status=HearingStatus.CANCELLED)
        .select_related("case", "courtroom", "judge__person")
        .order_by("starts_at")
    )


@dataclass(frozen=True)
class NextHearing:
    starts_at: dt.datetime
    courtroom: str
    judge: str
    status: str


@dataclass(frozen=True)
class OpenTerm:
    name: str
    due_date: dt.date
    overdue: bool


@dataclass(frozen=True)
class Notice:
    number: str
    hearing_at: dt.datetime
    status: str
    viewed_at: dt.datetime | None


@dataclass(frozen=True)
class CaseAnswer:
    """What the operator's screen shows of a case: public facts to anyone; the rest to a party identified."""

    number: str
    court: str
    category: str
    identified: bool
    next_hearing: NextHearing | None
    status: str = ""
    judge: str = ""
    terms: list[OpenTerm] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)


def case_answer(case: Case, *, person_id: int | None) -> CaseAnswer:
    """The answer for a caller: `person_id` is the party identified by an SMS code (None: anonymous, who
    learns what the public timetable shows: the next open hearing, its courtroom and judge)."""
    identified = is_party(case, person_id)
    now = clock.now()
    hearings = (
        Hearing.objects.filter(case=case, starts_at__gte=now)
        .exclude(status=HearingStatus.CANCELLED)
        .select_related("courtroom", "judge__person")
        .order_by("starts_at")
    )
    if not identified:
        hearings = hearings.filter(is_closed=False)
    upcoming = hearings.first()
    next_hearing = (
        NextHearing(
            starts_at=upcoming.starts_at.astimezone(LOCAL),
            courtroom=upcoming.courtroom.number,
            judge=upcoming.judge.person.full_name,
            status=str(HearingStatus(upcoming.status).label),
        )
        if upcoming is not None
        else None
    )
    answer = CaseAnswer(
        number=case.number,
        court=case.court.name,
        category=case.category.name,
        identified=identified,
        next_hearing=next_hearing,
    )
    if not identified:
        return answer
    today = clock.today()
    terms = [
        OpenTerm(name=term.rule.name, due_date=term.due_date, overdue=term.due_date < today)
        for term in terms_of_case(case)
        .filter(status__in=(TermStatus.RUNNING, TermStatus.PAUSED))
        .select_related("rule")
    ]
    notices = [
        Notice(
            number=subpoena.number,
            hearing_at=subpoena.hearing.starts_at.astimezone(LOCAL),
            status=subpoena.get_status_display(),
            viewed_at=subpoena.first_viewed_at,
        )
        for subpoena in Subpoena.objects.filter(case=case, person_id=person_id or 0)
        .select_related("hearing")
        .order_by("-issued_at")[:10]
    ]
    return CaseAnswer(
        number=answer.number,
        court=answer.court,
        category=answer.category,
        identified=True,
        next_hearing=next_hearing,
        status=str(CaseStatus(case.status).label),
        judge=case.judge.person.full_name if case.judge is not None else "",
        terms=terms,
        notices=notices,
    )


def call_by_number(number: str) -> Call | None:
    return (
        Call.objects.select_related("category", "court", "case", "routed_to", "operator", "answered_by")
        .filter(number=number.strip())
        .first()
    )


def followed_call(number: str, phone: str) -> Call | None:
    """A request followed on the public page: its number and the phone (or e-mail) it was filed with."""
    if not phone:
        return None
    contact = Q(caller_email__iexact=phone) if "@" in phone else Q(caller_phone=phone)
    return Call.objects.select_related("category").filter(contact, number=number.strip()).first()


def search_calls(
    calls: QuerySet[Call],
    *,
    q: str = "",
    category: str = "",
    channel: str = "",
    status: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> QuerySet[Call]:
    """The register filtered: `q` is a request's number, an IIN, a phone, a case number or a part of a name,
    told apart by its shape so that each is looked up by its own index."""
    calls = calls.filter(_search_rule(q.strip())) if q.strip() else calls
    if category:
        calls = calls.filter(category__code=category)
    if channel:
        calls = calls.filter(channel=channel)
    if status:
        calls = calls.filter(status=status)
    if start is not None:
        calls = calls.filter(received_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=LOCAL))
    if end is not None:
        calls = calls.filter(received_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL))
    return calls.select_related("category", "court", "case", "routed_to").order_by("-received_at")


def _search_rule(text: str) -> Q:
    digits = "".join(ch for ch in text if ch.isdigit())
    if text.upper().startswith("1401-"):
        return Q(number__iexact=text)
    if text.isdigit() and len(text) == 12:
        return Q(caller_iin=text)
    if "/" in text or (any(ch.isalpha() for ch in text) and digits and "-" in text):
        return Q(case__number=text)
    if len(digits) >= 10 and all(ch.isdigit() or ch in "+-() " for ch in text):
        try:
            return Q(caller_phone=normalise_phone(text))
        except InvalidPhoneError:
            return Q(pk__in=[])
    return Q(caller_name__icontains=text)


def overdue(calls: QuerySet[Call], today: dt.date) -> QuerySet[Call]:
    return calls.filter(status__in=OPEN_STATUSES, due_on__lt=today)


def open_requests(calls: QuerySet[Call], *, statuses: tuple[str, ...] = OPEN_STATUSES) -> QuerySet[Call]:
    """Requests waiting (for the court's answer, or for the operator's call back), the earliest due first."""
    return (
        calls.filter(status__in=statuses)
        .select_related("category", "court", "case", "routed_to")
        .order_by("due_on", "received_at")
    )


@dataclass(frozen=True)
class DayFigures:
    """Calls received on one day (the local day), by category code and by channel."""

    day: dt.date
    calls: int
    by_category: dict[str, int]
    by_channel: dict[str, int]


def _period(start: dt.date, end: dt.date) -> Q:
    return Q(
        received_at__gte=dt.datetime.combine(start, dt.time(), tzinfo=LOCAL),
        received_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tzinfo=LOCAL),
    )


def daily_figures(*, start: dt.date, end: dt.date, court_ids: Collection[int] | None = None) -> list[DayFigures]:
    """Calls a day from `start` to `end` inclusive, every day listed (zero included), by category and
    channel: what the statistics of the courts take from the helpline (no corruption report is told
    apart from the others by court)."""
    calls = Call.objects.filter(_period(start, end))
    if court_ids is not None:
        calls = calls.filter(court_id__in=list(court_ids))
    rows = (
        calls.annotate(day=TruncDate("received_at", tzinfo=LOCAL))
        .values("day", "category__code", "channel")
        .annotate(n=Count("id"))
        .order_by()
    )
    days: dict[dt.date, DayFigures] = {}
    day = start
    while day <= end:
        days[day] = DayFigures(day=day, calls=0, by_category={}, by_channel={})
        day += dt.timedelta(days=1)
    counts: dict[dt.date, int] = dict.fromkeys(days, 0)
    for row in rows:
        key = row["day"]
        if key not in days:
            continue
        counts[key] += row["n"]
        figures = days[key]
        figures.by_category[row["category__code"]] = figures.by_category.get(row["category__code"], 0) + row["n"]
        figures.by_channel[row["channel"]] = figures.by_channel.get(row["channel"], 0) + row["n"]
    return [
        DayFigures(day=d, calls=counts[d], by_category=f.by_category, by_channel=f.by_channel) for d, f in days.items()
    ]


@dataclass(frozen=True)
class Statistics:
    days: list[DayFigures]
    total: int
    by_category: list[tuple[Category, int]]
    by_channel: list[tuple[str, int]]
    by_court: list[tuple[str, int]]
    by_status: list[tuple[str, int]]
    by_hour: list[tuple[int, int]]
    routed: int
    answered_in_term: int

    @property
    def share_in_term(self) -> float | None:
        return self.answered_in_term / self.routed if self.routed else None


def statistics(*, start: dt.date, end: dt.date) -> Statistics:
    calls = Call.objects.filter(_period(start, end))
    days = daily_figures(start=start, end=end)
    by_category_codes = dict(calls.values_list("category_id").annotate(n=Count("id")).order_by())
    cats = {c.pk: c for c in Category.objects.filter(pk__in=by_category_codes)}
    court_counts = list(calls.exclude(court=None).values_list("court_id").annotate(n=Count("id")).order_by("-n")[:10])
    courts = Court.objects.in_bulk([pk for pk, _n in court_counts])
    routed = calls.exclude(routing="none").exclude(due_on=None)
    answered_in_term = 0
    for answered_at, due_on in routed.filter(answered_at__isnull=False).values_list("answered_at", "due_on"):
        if answered_at is not None and due_on is not None and answered_at.astimezone(LOCAL).date() <= due_on:
            answered_in_term += 1
    return Statistics(
        days=days,
        total=sum(d.calls for d in days),
        by_category=sorted(((cats[pk], n) for pk, n in by_category_codes.items()), key=lambda item: -item[1]),
        by_channel=[
            (str(CallChannel(ch).label), n)
            for ch, n in calls.values_list("channel").annotate(n=Count("id")).order_by("-n")
        ],
        by_court=[(f"{courts[pk].code} {courts[pk].name}", n) for pk, n in court_counts],
        by_status=[
            (str(CallStatus(s).label), n) for s, n in calls.values_list("status").annotate(n=Count("id")).order_by("-n")
        ],
        by_hour=sorted(
            (int(h), n)
            for h, n in calls.annotate(hour=ExtractHour("received_at", tzinfo=LOCAL))
            .values_list("hour")
            .annotate(n=Count("id"))
            .order_by()
        ),
        routed=routed.count(),
        answered_in_term=answered_in_term,
    )
