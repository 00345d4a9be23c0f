"""Demo building access for the flagship court (1916, Бостандыкский районный суд г. Алматы): three
entrances, an entrance officer (`demo.entrance`) and the court's security (`demo.security`), badges for
the court's staff accounts, a turnstile per entrance, two bans (one in force, one lifted), and the visitor
log of the last working days and today: each participant of the court's hearings registered before the
hearing with its courtroom, let in and out; visitors who stated a purpose; staff by badge. Dates from
`core.clock`; deterministic for a seed."""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import transaction

from torelik.access.actions import add_entrance, pass_digest, register_device
from torelik.access.models import (
    Badge,
    Ban,
    Direction,
    Duty,
    Entrance,
    Guard,
    Passage,
    Purpose,
    Visit,
    VisitKind,
    VisitStatus,
)
from torelik.core import clock
from torelik.core.identifiers import check_digit
from torelik.courts.models import Court, StaffPosition
from torelik.hearings.models import ACTIVE_STATUSES, HearingParticipant
from torelik.hearings.working_hours import court_zone
from torelik.identity.models import AccountKind, Person, User

FLAGSHIP = "1916"
DAYS_BACK = 7
ENTRANCES = (
    ("main", ("Бас кіреберіс", "Главный вход", "Main entrance"), True),
    ("staff", ("Қызметтік кіреберіс", "Служебный вход", "Staff entrance"), False),
    ("escort", ("Конвой кіреберісі", "Вход для конвоя", "Escort entrance"), False),
)
GUARDS = (
    ("demo.entrance", Duty.ENTRANCE, "Серікбаева", "Гүлнар"),
    ("demo.security", Duty.SECURITY, "Оспанов", "Бауыржан"),
)
VISITORS = (
    ("Абдрахманов", "Тимур", Purpose.OFFICE, "Копия решения"),
    ("Ким", "Елена", Purpose.ARCHIVE, "Архивное дело 2019 года"),
    ("Нұрланұлы", "Дәулет", Purpose.RECEPTION, "Приём у председателя суда"),
    ("Петрова", "Ольга", Purpose.OFFICE, "Подача заявления"),
    ("Сәрсенбай", "Айжан", Purpose.OTHER, "Курьер: доставка почты"),
)
BANS = (
    ("Жаксылыков Ерлан", "Нарушение порядка в зале судебного заседания, неуважение к суду", 30, 150, False),
    ("Громов Виктор", "Угрозы работникам суда", 400, 365, True),
)


@dataclass(frozen=True)
class DemoAccess:
    entrances: int
    visits: int
    staff_visits: int
    token: str

    def lines(self) -> list[str]:
        return [
            f"{self.entrances} entrances of court {FLAGSHIP}, {self.visits} visitor visits and {self.staff_visits} "
            "staff passes by badge; demo.entrance and demo.security keep the building",
            f"the main entrance's turnstile token (for `torelik turnstile --token`): {self.token}",
        ]


def _iin(pick: random.Random) -> str:
    while True:
        birth = dt.date(1960, 1, 1) + dt.timedelta(days=pick.randrange(40 * 365))
        first = f"{birth:%y%m%d}{pick.choice('34')}{pick.randrange(10000):04d}"
        digit = check_digit(first)
        if digit is not None:
            return f"{first}{digit}"


def _person(pick: random.Random, surname: str, given_name: str) -> Person:
    while True:
        iin = _iin(pick)
        if not Person.objects.filter(iin=iin).exists():
            return Person.objects.create(iin=iin, surname=surname, given_name=given_name)


@transaction.atomic
def seed_demo_access(*, seed: int, password: str) -> DemoAccess:
    court = Court.objects.select_related("region").filter(code=FLAGSHIP).first()
    if court is None or Entrance.objects.filter(court=court).exists():
        return DemoAccess(entrances=0, visits=0, staff_visits=0, token="")
    pick = random.Random(f"{seed}:access")  # noqa: S311 - demo data, not secrets
    entrances = {
        code: add_entrance(court=court, code=code, names=names, for_visitors=v) for code, names, v in ENTRANCES
    }
    main, staff_door = entrances["main"], entrances["staff"]
    officers: dict[str, User] = {}
    for username, duty, surname, given in GUARDS:
        user = User.objects.filter(username=username).first() or User.objects.create_user(
            username=username, password=password, person=_person(pick, surname, given), kind=AccountKind.STAFF
        )
        Guard.objects.get_or_create(user=user, court=court, duty=duty, defaults={"entrance": main})
        officers[username] = user
    staff_users = list(
        User.objects.filter(pk__in=StaffPosition.objects.filter(court=court).values("user")).select_related("person")
    )
    badges = [
        Badge.objects.create(number=f"{FLAGSHIP}-{index:04d}", court=court, user=user)
        for index, user in enumerate(sorted(staff_users, key=lambda u: u.username), start=1)
    ]
    token = ""
    for code, entrance in entrances.items():
        _device, device_token = register_device(entrance=entrance, name=f"{entrance.name_ru}: турникет 1")
        token = token or (device_token if code == "main" else "")
    security = officers["demo.security"]
    today = clock.today()
    for name, reason, days_ago, length, lifted in BANS:
        starts = today - dt.timedelta(days=days_ago)
        Ban.objects.create(
            court=court, iin=_iin(pick), full_name=name, reason=reason, starts_on=starts,
            ends_on=starts + dt.timedelta(days=length), created_by=security,
            lifted_at=clock.now() - dt.timedelta(days=10) if lifted else None, lifted_by=security if lifted else None,
        )  # fmt: skip
    visits, staff_visits = _log(court, main, staff_door, badges, officers["demo.entrance"], pick)
    return DemoAccess(entrances=len(entrances), visits=visits, staff_visits=staff_visits, token=token)


def _log(
    court: Court, main: Entrance, staff_door: Entrance, badges: list[Badge], officer: User, pick: random.Random
) -> tuple[int, int]:
    zone = court_zone(court)
    now = clock.now()
    today = now.astimezone(zone).date()
    first = today - dt.timedelta(days=DAYS_BACK)
    participants = (
        HearingParticipant.objects.filter(
            hearing__courtroom__court=court,
            hearing__status__in=ACTIVE_STATUSES,
            hearing__starts_at__gte=dt.datetime.combine(first, dt.time.min, tzinfo=zone),
            hearing__starts_at__lt=dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
        )
        .select_related("person", "hearing__courtroom")
        .order_by("hearing__starts_at", "id")
    )
    rows: list[Visit] = []
    for participant in participants:
        hearing = participant.hearing
        arrives = hearing.starts_at - dt.timedelta(minutes=pick.randrange(15, 45))
        if arrives > now:
            continue  # not come yet
        rows.append(
            _visit(court, main, officer, arrives, hearing.ends_at + dt.timedelta(minutes=pick.randrange(5, 30)), now,
                   iin=participant.person.iin, full_name=participant.person.full_name, purpose=Purpose.HEARING,
                   hearing=hearing, role=participant.role, courtroom=hearing.courtroom.number)
        )  # fmt: skip
    day = first
    while day <= today:
        if day.weekday() < 5:
            for surname, given, purpose, text in pick.sample(VISITORS, k=3):
                arrives = dt.datetime.combine(day, dt.time(pick.randrange(9, 17), pick.randrange(60)), tzinfo=zone)
                if arrives <= now:
                    rows.append(
                        _visit(court, main, officer, arrives, arrives + dt.timedelta(minutes=pick.randrange(15, 90)),
                               now, iin=_iin(pick), full_name=f"{surname} {given}", purpose=purpose, purpose_text=text)
                    )  # fmt: skip
            for badge in badges:
                arrives = dt.datetime.combine(day, dt.time(8, pick.randrange(20, 59)), tzinfo=zone)
                if arrives <= now:
                    person = badge.user.person
                    rows.append(
                        _visit(court, staff_door, None, arrives,
                               dt.datetime.combine(day, dt.time(18, pick.randrange(0, 45)), tzinfo=zone), now,
                               iin=person.iin if person else "", full_name=person.full_name if person else "",
                               purpose=Purpose.OFFICE, badge=badge, kind=VisitKind.STAFF)
                    )  # fmt: skip
        day += dt.timedelta(days=1)
    Visit.objects.bulk_create(rows, batch_size=1000)
    passages = [
        Passage(at=moment, court=court, entrance=v.entrance, direction=direction, visit=v, allowed=True,
                credential=v.badge.number if v.badge else "")
        for v in rows
        for moment, direction in ((v.entered_at, Direction.IN), (v.left_at, Direction.OUT))
        if moment is not None
    ]  # fmt: skip
    Passage.objects.bulk_create(passages, batch_size=1000)
    staff = sum(1 for v in rows if v.kind == VisitKind.STAFF)
    return len(rows) - staff, staff


def _visit(
    court: Court,
    entrance: Entrance,
    officer: User | None,
    arrives: dt.datetime,
    leaves: dt.datetime,
    now: dt.datetime,
    *,
    kind: str = VisitKind.VISITOR,
    **fields: object,
) -> Visit:
    entered = arrives + dt.timedelta(minutes=2)
    inside = entered <= now < leaves
    return Visit(
        court=court,
        entrance=entrance,
        kind=kind,
        day=arrives.astimezone(court_zone(court)).date(),
        registered_at=arrives,
        registered_by=officer,
        entered_at=entered if entered <= now else None,
        left_at=leaves if leaves <= now else None,
        status=VisitStatus.INSIDE if inside else VisitStatus.LEFT if leaves <= now else VisitStatus.REGISTERED,
        pass_hash=pass_digest(f"DEMO{arrives.timestamp():.0f}{fields.get('iin', '')}")
        if kind == VisitKind.VISITOR
        else "",
        **fields,
    )
