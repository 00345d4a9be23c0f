"""Demo personnel records, seeded with the network and before the demo cases: every court's staff
table (its judges in their posts, a few vacancies; the demo courts' office staff too), each demo
judge's career (appointment, the chairman's promotion with its term of office, qualification
classes), and some months of absences of the demo courts' judges, recorded through the real action
with the clock frozen a year back, as a leave schedule is approved ahead, so that the demo's draws
(made after) respect them. One sick leave in the main demo court is entered after the fact (today)
and shows on its monitoring page."""

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from torelik.core import clock
from torelik.courts.demo import DEMO_COURTS
from torelik.courts.models import AbsenceKind, Court, Judge, StaffPosition, StaffRole
from torelik.personnel.actions import record_absence
from torelik.personnel.models import CareerEntry, CareerEntryKind, Post, PostKind

# Chairmen of courts are appointed for a term (Constitutional Law "On the judicial system and the
# status of judges", art. 31; verify the figure): kept here as the demo's assumption.
CHAIRMAN_TERM_YEARS = 5
# How far back the leave schedule of the demo was approved: before the year of demo cases (cases.demo).
SCHEDULED_DAYS_AHEAD = 400
STAFF_POSTS = {
    StaffRole.CLERK: PostKind.CLERK,
    StaffRole.SECRETARY: PostKind.SECRETARY,
    StaffRole.ASSISTANT: PostKind.ASSISTANT,
}


@dataclass(frozen=True)
class PersonnelSummary:
    posts: int
    vacant: int
    career_entries: int
    absences: int

    def lines(self) -> list[str]:
        return [
            f"{self.posts} posts in the staff tables, {self.vacant} vacant",
            f"{self.career_entries} career entries, {self.absences} absences of the demo courts' judges",
        ]


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _staff_tables(seed: int, today: dt.date) -> tuple[list[Post], list[CareerEntry]]:
    judges_by_court: defaultdict[int, list[Judge]] = defaultdict(list)
    for judge in Judge.objects.filter(is_active=True).select_related("person").order_by("court_id", "pk"):
        judges_by_court[judge.court_id].append(judge)
    staff = defaultdict(list)
    for position in StaffPosition.objects.filter(role__in=STAFF_POSTS).select_related("user__person"):
        staff[position.court_id].append(position)
    posts: list[Post] = []
    entries: list[CareerEntry] = []
    for court in Court.objects.order_by("code"):
        rng = random.Random(f"{seed}:posts:{court.code}")  # noqa: S311 - demo data, not secrets
        judges = judges_by_court.get(court.pk, [])
        vacancies = rng.choice((0, 0, 1, 1, 2)) if judges else 1
        court_posts: dict[PostKind, list[Post]] = {
            PostKind.CHAIRMAN: [Post(court=court, kind=PostKind.CHAIRMAN, number=1)],
            PostKind.JUDGE: [
                Post(court=court, kind=PostKind.JUDGE, number=n + 1) for n in range(max(len(judges) - 1, 0) + vacancies)
            ],
        }
        if court.pk in staff:  # the demo courts: their staff's posts too (elsewhere only the judges' are loaded)
            court_posts[PostKind.CLERK] = [Post(court=court, kind=PostKind.CLERK, number=n + 1) for n in range(2)]
            for kind in (PostKind.SECRETARY, PostKind.ASSISTANT):
                court_posts[kind] = [Post(court=court, kind=kind, number=n + 1) for n in range(2)]
        for index, judge in enumerate(judges):
            post = court_posts[PostKind.CHAIRMAN][0] if index == 0 else court_posts[PostKind.JUDGE][index - 1]
            appointed = judge.appointed_on or _years_later(today, -rng.randint(3, 20))
            post.holder = judge.person
            decree = str(rng.randint(100, 999))
            entries.append(
                CareerEntry(
                    person=judge.person,
                    kind=CareerEntryKind.APPOINTMENT,
                    court=court,
                    post=None if index == 0 else post,
                    effective_on=appointed,
                    decree_number=decree,
                    decree_date=appointed - dt.timedelta(days=rng.randint(3, 20)),
                )
            )
            post.held_since = appointed
            if index == 0:  # the chairman: promoted within the last term, the term ending within five years
                since = max(appointed, today - dt.timedelta(days=rng.randint(30, 365 * CHAIRMAN_TERM_YEARS - 1)))
                post.held_since = since
                post.term_ends_on = _years_later(since, CHAIRMAN_TERM_YEARS)
                entries.append(
                    CareerEntry(
                        person=judge.person,
                        kind=CareerEntryKind.PROMOTION,
                        court=court,
                        post=post,
                        effective_on=since,
                        decree_number=str(rng.randint(100, 999)),
                        decree_date=since - dt.timedelta(days=rng.randint(3, 20)),
                        term_ends_on=post.term_ends_on,
                    )
                )
            if rng.random() < 0.5:
                classed = min(today, appointed + dt.timedelta(days=rng.randint(365, 365 * 3)))
                entries.append(
                    CareerEntry(
                        person=judge.person,
                        kind=CareerEntryKind.QUALIFICATION,
                        court=court,
                        effective_on=classed,
                        decree_number=f"{rng.randint(1, 99)}-к",
                        details=str(rng.randint(1, 3)),
                    )
                )
        for position in staff.get(court.pk, []):
            kind = STAFF_POSTS[StaffRole(position.role)]
            free = next((post for post in court_posts[kind] if post.holder is None), None)
            if free is None or position.user.person is None:
                continue
            free.holder = position.user.person
            free.held_since = position.starts_on or _years_later(today, -1)
            entries.append(
                CareerEntry(
                    person=position.user.person,
                    kind=CareerEntryKind.APPOINTMENT,
                    court=court,
                    post=free,
                    effective_on=free.held_since,
                    decree_number=f"{rng.randint(1, 300)}-лс",
                )
            )
        for kind_posts in court_posts.values():
            posts.extend(kind_posts)
    return posts, entries


def _absence_plan(rng: random.Random, first: dt.date) -> list[tuple[AbsenceKind, dt.date, dt.date]]:
    """Three or four absences of one judge over about six months from `first`, never overlapping."""
    plan = []
    day = first + dt.timedelta(days=rng.randint(0, 30))
    for kind, length in (
        (AbsenceKind.LEAVE, rng.randint(10, 21)),
        (AbsenceKind.TRAINING, rng.randint(3, 5)),
        (AbsenceKind.SICK, rng.randint(3, 8)),
        (AbsenceKind.SECONDMENT, rng.randint(2, 4)),
    ):
        if rng.random() < 0.2:
            continue
        plan.append((kind, day, day + dt.timedelta(days=length - 1)))
        day += dt.timedelta(days=length + rng.randint(10, 40))
    return plan


def seed_demo_personnel(*, seed: int) -> PersonnelSummary:
    """Seed once (nothing when any post exists)."""
    if Post.objects.exists():
        return PersonnelSummary(posts=0, vacant=0, career_entries=0, absences=0)
    now = clock.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        posts, entries = _staff_tables(seed, today)
        Post.objects.bulk_create(posts, batch_size=1000)
        for entry in entries:
            entry.recorded_at = now
            entry.post_id = entry.post.pk if entry.post is not None else None
        CareerEntry.objects.bulk_create(entries, batch_size=1000)
        absences = 0
        judges = list(
            Judge.objects.filter(court__code__in=DEMO_COURTS.values(), is_active=True)
            .select_related("person", "court")
            .order_by("court__code", "pk")
        )
        scheduled = now - dt.timedelta(days=SCHEDULED_DAYS_AHEAD)
        with clock.frozen_at(scheduled):
            for judge in judges:
                rng = random.Random(f"{seed}:absences:{judge.person.iin}")  # noqa: S311 - demo data
                for kind, first, last in _absence_plan(rng, today - dt.timedelta(days=150)):
                    record_absence(person=judge.person, kind=kind, starts_on=first, ends_on=last, actor=None)
                    absences += 1
        late = next((judge for judge in judges if judge.court.code == DEMO_COURTS[""]), None)
        if late is not None:  # entered after the fact: began three days ago, recorded today
            first = today - dt.timedelta(days=3)
            taken = late.person.absences.filter(starts_on__lte=first + dt.timedelta(days=4), ends_on__gte=first)
            if not taken.exists():
                record_absence(
                    person=late.person,
                    kind=AbsenceKind.SICK,
                    starts_on=first,
                    ends_on=first + dt.timedelta(days=4),
                    reason="Больничный лист",
                    actor=None,
                )
                absences += 1
    return PersonnelSummary(
        posts=len(posts),
        vacant=sum(1 for post in posts if post.holder is None),
        career_entries=len(entries),
        absences=absences,
    )
