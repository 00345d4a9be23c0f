"""The demo's court day (ADR 0108): the flagship court's cases written in bulk keep the invariants the
actions keep — gap-free numbers per court, year and type, one draw per attempt, the journal in order
of time, terms due on working days through the calendar, hearings after their scheduling and never two
at once in a courtroom or for a judge or a secretary (those scheduled through the actions included) —
and fill the coming days and the judges' dockets. A small seed: the full one is `make run`'s."""

import datetime as dt
import io
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from torelik.cases.demo import seed_demo_cases
from torelik.cases.models import Case, CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.courts.models import Court
from torelik.deadlines.models import Term
from torelik.deadlines.working_calendar import working_calendar
from torelik.demo.court_day import OPEN_STATUSES, seed_court_day
from torelik.demo.distribution import RealDraws
from torelik.demo.hearings import seed_demo_hearings
from torelik.distribution.actions import recount_tallies
from torelik.distribution.models import Draw, DrawStatus
from torelik.hearings.models import ACTIVE_STATUSES, Hearing
from torelik.identity.models import User
from torelik.national.tests.invariants import (
    assert_gap_free_numbers,
    assert_journals_in_order,
    assert_one_draw_per_attempt,
)
from torelik.reports import queries as reports_queries
from torelik.summons.models import Subpoena

pytestmark = pytest.mark.django_db
ZONE = timezone.get_default_timezone()
# A Wednesday; the next two days are working days too (no holiday in late November in Kazakhstan).
NOW = dt.datetime(2026, 11, 25, 10, 0, tzinfo=ZONE)
COMING = [dt.date(2026, 11, 25), dt.date(2026, 11, 26), dt.date(2026, 11, 27)]


def _overlaps(hearings: list[Hearing], key: str) -> list[tuple[str, str]]:
    by: dict[object, list[Hearing]] = defaultdict(list)
    for hearing in hearings:
        owner = getattr(hearing, key)
        if owner is not None:
            by[owner].append(hearing)
    clashes = []
    for items in by.values():
        items.sort(key=lambda h: h.starts_at)
        for before, after in zip(items, items[1:], strict=False):
            if after.starts_at < before.ends_at:
                clashes.append((str(before), str(after)))
    return clashes


def test_the_court_day_fills_the_coming_days_and_keeps_the_invariants() -> None:
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    with clock.frozen_at(NOW):
        seed_demo_cases(count=20, until=NOW - dt.timedelta(days=1), processes=0, distribution=RealDraws())
        seed_demo_hearings(seed=6)  # through the actions, before the bulk rows: they must go around these
        summary = seed_court_day(seed=6, cases=450, elsewhere=50, days=3, quota=(6, 12), subpoena_days=1)
        again = seed_court_day(seed=6, cases=450, elsewhere=50, days=3, quota=(6, 12))
    assert again.cases == 0
    # The statistics count the bulk rows too: the counters are the journal's.
    assert reports_queries.count_journal() == reports_queries.live_counters()
    # And the monitoring's tallies are the protocols' (ADR 0116), the bulk draws included.
    tallies = recount_tallies(replace=False)
    assert tallies.disagreed == []
    assert tallies.draws == Draw.objects.filter(status=DrawStatus.DRAWN).count() > 450
    flagship_id = Court.objects.get(code="1916").pk
    live = reports_queries.live_counters()
    assert (
        sum(n for (f, _d, court, _p, _k), (n, _a) in live.items() if f == "instituted" and court == flagship_id) >= 450
    )
    flagship = Court.objects.get(code="1916")
    assert summary.cases == 450
    assert Case.objects.filter(court=flagship).count() >= 450

    # Each of the coming working days holds its quota of hearings in the flagship court.
    per_day = Counter(
        timezone.localdate(start)
        for start in Hearing.objects.filter(courtroom__court=flagship, status__in=ACTIVE_STATUSES).values_list(
            "starts_at", flat=True
        )
    )
    assert all(6 <= per_day[day] <= 12 for day in COMING), [per_day[day] for day in COMING]
    assert summary.hearings_per_day[0] >= 6

    # The parties of the coming hearings are called; those of the first day have their subpoenas.
    assert summary.subpoenas > 0
    assert Subpoena.objects.filter(court=flagship).count() >= summary.subpoenas
    first_day = Subpoena.objects.filter(court=flagship, hearing__starts_at__gte=NOW)
    assert {timezone.localdate(s.hearing.starts_at) for s in first_day.select_related("hearing")} <= {COMING[0]}
    coming = Hearing.objects.filter(courtroom__court=flagship, status="scheduled", starts_at__gte=NOW)
    assert not coming.filter(participants=None, case__parties__person__isnull=False).exists()

    # Every judge of the flagship court has open cases; some terms are due within days, some overdue.
    open_cases = Counter(
        Case.objects.filter(court=flagship, status__in=OPEN_STATUSES).values_list("judge_id", flat=True)
    )
    assert set(open_cases) == set(flagship.judges.filter(is_active=True).values_list("pk", flat=True))
    running = Term.objects.filter(court=flagship, status="running")
    assert running.filter(due_date__lt=NOW.date()).exists()
    assert running.filter(due_date__gte=NOW.date(), due_date__lte=NOW.date() + dt.timedelta(days=3)).exists()

    # Gap-free numbers per court, year and type, as the registry's counters number them (actions and bulk).
    assert_gap_free_numbers()

    # One draw per case and attempt; a bulk case's judge is the one its draw gave.
    assert_one_draw_per_attempt()
    for case in Case.objects.filter(court=flagship).exclude(judge=None)[:200]:
        assert Draw.objects.filter(case=case).order_by("-attempt").first().judge_id == case.judge_id  # type: ignore[union-attr]

    # The journal opens with the registration and runs forward in time.
    assert_journals_in_order(Case.objects.filter(court=flagship).order_by("?")[:200])

    # Terms end on working days, as the calendar counts them from their event.
    calendar = working_calendar()
    for term in Term.objects.filter(court=flagship)[:300]:
        assert term.due_date == calendar.add(term.event_date, term.amount, term.unit, explain=False).end
        assert term.due_date.weekday() < 5

    # No courtroom, judge or secretary in two hearings at once; every hearing after its scheduling.
    active = list(Hearing.objects.filter(status__in=ACTIVE_STATUSES))
    for owner in ("courtroom_id", "judge_id", "secretary_id"):
        assert _overlaps(active, owner) == [], owner
    scheduled_at = {
        e.data["hearing"]: e.occurred_at for e in CaseEvent.objects.filter(kind=CaseEventKind.HEARING_SCHEDULED)
    }
    for hearing in active:
        if str(hearing.public_id) in scheduled_at:
            assert scheduled_at[str(hearing.public_id)] < hearing.starts_at

    # The pages read it: the public timetable of a coming day, the judge's docket, the court's terms.
    public = Client()
    page = public.get(f"/ru/hearings/courts/1916/?date={COMING[1].isoformat()}")
    assert page.status_code == 200
    judge = Client()
    judge.force_login(User.objects.get(username="demo.judge"))
    assert judge.get("/ru/cases/?mine=on").status_code == 200
    chairman = Client()
    chairman.force_login(User.objects.get(username="demo.chairman"))
    assert chairman.get("/ru/deadlines/courts/1916/").status_code == 200
