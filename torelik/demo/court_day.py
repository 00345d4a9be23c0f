"""A real court day for the demo (ADR 0108): the flagship district court (1916, Bostandyk District Court
of Almaty) gets a year of cases written in bulk along the actions' path, so that each of its judges has a
docket of some fifty to a hundred and fifty open cases, its courtrooms hold twenty to forty hearings on
each of the coming working days, and its terms run, fall due within days and are overdue; the other
courts get a proportionate volume the same way.

The rows are those of the national generator (`torelik.national.chunk`, ADR 0074), with its invariants:
numbers from the registry's counters (gap-free per court, year and type), one draw per attempt by the
distribution's own algorithm, the journal in order of time, terms due through the working calendar, and
hearings in half-hours where neither the courtroom nor the judge sits in another hearing (the hearings
already scheduled through the actions included). PostgreSQL takes them with COPY, SQLite with batched
INSERTs. Every date comes from the clock: the demo is as valid whenever it is seeded."""

import datetime as dt
import random
import time
import zoneinfo
from collections import Counter
from dataclasses import dataclass, replace

from django.conf import settings
from django.db import transaction

from torelik.cases.models import Case, CaseStatus
from torelik.core import clock
from torelik.courts.demo import DEMO_COURTS
from torelik.deadlines.actions import recount_closed_terms
from torelik.deadlines.models import Term
from torelik.distribution.actions import recount_tallies
from torelik.hearings.models import Hearing, HearingParticipant, HearingStatus
from torelik.hearings.queries import case_people
from torelik.national import queries
from torelik.national.chunk import Chunk, registration_moments
from torelik.national.reference import CourtInfo, Reference, load_reference
from torelik.reports import actions as reports_actions
from torelik.summons.actions import issue_subpoenas

FLAGSHIP = DEMO_COURTS[""]
# A year of the flagship's cases: some ten a calendar day, so that with the demo's hearing lead each of
# its seven judges has about a hundred open cases and the coming days fill their quotas.
FLAGSHIP_CASES = 3_800
# The other courts' year, spread as the national generator spreads a country's cases (by judges and kind).
ELSEWHERE_CASES = 6_000
COMING_DAYS = 15  # working days, today included when it is one: three weeks of full timetables
# The parties of the flagship's coming hearings are called; those of the first days have their subpoenas
# (issued through the action, each with its code and SMS in the outbox), as a court office works ahead.
SUBPOENA_DAYS = 3
DAY_QUOTA = (22, 38)  # hearings a working day in the flagship court
HISTORY_DAYS = 365
# A case reaches a main hearing some three to ten weeks after it is scheduled (the national set: one to
# six): the flagship's timetable is booked weeks ahead, as a city court's is.
FLAGSHIP_LEAD = (20, 70)
# Statuses of a case still before its judge (neither decided nor ended).
OPEN_STATUSES = (
    CaseStatus.ASSIGNED,
    CaseStatus.ACCEPTED,
    CaseStatus.LEFT_WITHOUT_MOTION,
    CaseStatus.IN_PREPARATION,
    CaseStatus.SCHEDULED,
    CaseStatus.HEARD,
    CaseStatus.SUSPENDED,
)


@dataclass(frozen=True)
class CourtDaySummary:
    court: str = FLAGSHIP
    cases: int = 0
    elsewhere: int = 0
    open_per_judge: tuple[int, int] = (0, 0)
    hearings_per_day: tuple[int, int] = (0, 0)
    days: int = 0
    due_soon: int = 0
    overdue: int = 0
    subpoenas: int = 0
    seconds: float = 0.0

    def lines(self) -> list[str]:
        return [
            f"court {self.court}: {self.cases:,} cases written in bulk, open cases per judge "
            f"{self.open_per_judge[0]}–{self.open_per_judge[1]}, {self.hearings_per_day[0]}–"
            f"{self.hearings_per_day[1]} hearings on each of the coming {self.days} working days, "
            f"{self.due_soon} running terms due within three days, {self.overdue} overdue, "
            f"{self.subpoenas} subpoenas for the hearings of the next {SUBPOENA_DAYS} working days",
            f"other courts: {self.elsewhere:,} cases written in bulk; {self.seconds:.1f} s in all",
        ]


class CourtDayChunk(Chunk):
    """The national chunk, whose hearings on the coming working days fill each day's quota: a case
    scheduled for a day from today on takes the least-filled coming day after its scheduling with a
    half-hour free for a courtroom and its judge; once every day is full, the first free slot after them."""

    hearing_lead = FLAGSHIP_LEAD

    def plan_days(self, days: list[dt.date], quotas: list[int]) -> None:
        self.quota = dict(zip(days, quotas, strict=True))
        self.filled: Counter[dt.date] = Counter()

    def _slot(
        self, court: CourtInfo, day: dt.date, judge: int | None, scheduled: dt.datetime
    ) -> tuple[int, dt.datetime] | None:
        while day < self.today:  # a past day: the first free one before today, as the national set does
            found = self._free_slot(court, day, judge, tries=6) if self.ref.is_working(day) else None
            if found is not None:
                return found
            day += dt.timedelta(days=1)
        earliest = scheduled.astimezone(self.zone).date() + dt.timedelta(days=1)
        open_days = sorted(
            (d for d, quota in self.quota.items() if d >= earliest and self.filled[d] < quota),
            key=lambda d: (self.filled[d] / self.quota[d], d),
        )
        for candidate in open_days:
            found = self._free_slot(court, candidate, judge, tries=24)
            if found is not None:
                self.filled[candidate] += 1
                return found
        after = max(self.quota, default=self.today) + dt.timedelta(days=1)
        return super()._slot(court, max(day, after), judge, scheduled)


def _working_days_from(reference: Reference, first: dt.date, count: int) -> list[dt.date]:
    days: list[dt.date] = []
    day = first
    while len(days) < count:
        if reference.is_working(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _moments(reference: Reference, rng: random.Random, now: dt.datetime, count: int) -> list[dt.datetime]:
    """`count` registration moments over the year before `now`, in order of time."""
    year = dt.timedelta(days=HISTORY_DAYS)
    return registration_moments(reference, rng, now - year, year, now, count)


def _write(chunk: Chunk, moments: list[dt.datetime]) -> None:
    chunk.build(moments)
    chunk.write()


def _open_per_judge(court_id: int) -> tuple[int, int]:
    judges = Case.objects.filter(court_id=court_id, status__in=OPEN_STATUSES).values_list("judge_id", flat=True)
    counts = Counter(judge for judge in judges if judge is not None)
    return (min(counts.values()), max(counts.values())) if counts else (0, 0)


def _hearings_per_day(court_id: int, days: list[dt.date]) -> tuple[int, int]:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    starts = Hearing.objects.filter(
        courtroom__court_id=court_id, status__in=("scheduled", "held"), starts_at__date__gte=days[0]
    ).values_list("starts_at", flat=True)
    per_day = Counter(start.astimezone(zone).date() for start in starts)
    counts = [per_day[day] for day in days]
    return (min(counts), max(counts)) if counts else (0, 0)


def _call_parties(court_id: int, coming: list[dt.date], subpoena_days: int) -> int:
    """The parties of the court's coming bulk hearings as their participants (written in bulk), and the
    subpoenas of the first `subpoena_days` days' hearings through the summons action; the number issued."""
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    start = dt.datetime.combine(coming[0], dt.time(), tzinfo=zone)
    hearings = list(
        Hearing.objects.filter(
            courtroom__court_id=court_id, status=HearingStatus.SCHEDULED, starts_at__gte=start, participants=None
        )
        .select_related("case")
        .order_by("starts_at", "id")
    )
    HearingParticipant.objects.bulk_create(
        [
            HearingParticipant(hearing=hearing, role=person.role, person=person.person)
            for hearing in hearings
            for person in case_people(hearing.case)
        ],
        batch_size=500,
    )
    last = coming[min(subpoena_days, len(coming)) - 1] if subpoena_days > 0 else coming[0] - dt.timedelta(days=1)
    until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    return sum(len(issue_subpoenas(hearing=h, actor=None)) for h in hearings if h.starts_at < until)


def seed_court_day(
    *,
    seed: int,
    cases: int = FLAGSHIP_CASES,
    elsewhere: int = ELSEWHERE_CASES,
    days: int = COMING_DAYS,
    quota: tuple[int, int] = DAY_QUOTA,
    subpoena_days: int = SUBPOENA_DAYS,
    court_code: str = FLAGSHIP,
) -> CourtDaySummary:
    """Write `cases` cases of the flagship court and `elsewhere` cases of the other courts in bulk,
    unless the flagship court has bulk-written cases already (their journals say `generated`)."""
    started = time.monotonic()
    if cases < 1 or Case.objects.filter(court__code=court_code, events__data__generated=True).exists():
        return CourtDaySummary(court=court_code)
    now = clock.now()
    rng = random.Random(seed * 7_919 + 24)  # noqa: S311 - demo data, reproducible
    with transaction.atomic():
        reference = load_reference()
        flagship = [court for court in reference.courts if court.code == court_code]
        others = [(court, weight) for court, weight in zip(reference.courts, reference.weights, strict=True)
                  if court.code != court_code]  # fmt: skip
        identifiers = queries.existing_identifiers()
        slots, judge_slots = queries.taken_slots()
        counters = queries.locked_counters([court.id for court in reference.courts])
        loads: dict[str, int] = {}
        coming = _working_days_from(reference, clock.today(), days)
        chunk = CourtDayChunk(
            reference=replace(reference, courts=flagship, weights=[1.0]),
            rng=rng,
            counters=counters,
            identifiers=identifiers,
            slots=slots,
            judge_slots=judge_slots,
            now=now,
            loads=loads,
        )
        chunk.plan_days(coming, [rng.randint(*quota) for _ in coming])
        _write(chunk, _moments(reference, rng, now, cases) if flagship else [])
        if elsewhere > 0 and others:
            rest = chunk.alongside(replace(reference, courts=[c for c, _ in others], weights=[w for _, w in others]))
            _write(rest, _moments(reference, rng, now, elsewhere))
        court_id = flagship[0].id if flagship else 0
        subpoenas = _call_parties(court_id, coming, subpoena_days) if flagship and coming else 0
        # The bulk rows closed terms past the action that counts them: count them (ADR 0115).
        recount_closed_terms(replace=True)
        recount_tallies(replace=True)  # and the draws past the transaction that tallies them (ADR 0116)
        queries.analyse()
        # The bulk rows went past the event bus that keeps the statistics' counters: recount them (ADR 0109).
        reports_actions.recount_counters()
    today = clock.today()
    running = Term.objects.filter(court_id=court_id, status="running")
    return CourtDaySummary(
        court=court_code,
        cases=cases if flagship else 0,
        elsewhere=elsewhere if others else 0,
        open_per_judge=_open_per_judge(court_id),
        hearings_per_day=_hearings_per_day(court_id, coming),
        days=len(coming),
        due_soon=running.filter(due_date__gte=today, due_date__lte=today + dt.timedelta(days=3)).count(),
        overdue=running.filter(due_date__lt=today).count(),
        subpoenas=subpoenas,
        seconds=time.monotonic() - started,
    )
