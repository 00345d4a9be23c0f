"""Demo calls: a few thousand over the last months (dates from `core.clock`), in every category and
channel, busiest mid-morning, some about the demo cases, the complaints routed with their terms, most
answered (in term or late), some still waiting and some of those overdue."""

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from torelik.cases.models import Case
from torelik.core import clock
from torelik.courts.models import Court, CourtKind
from torelik.deadlines.working_calendar import working_calendar
from torelik.helpline.models import Call, CallChannel, CallCounter, CallStatus, Category, Routing
from torelik.helpline.queries import LOCAL

QUESTIONS = {
    "ru": ["Когда следующее заседание по делу?", "Повестку не получил, заседание прошло без меня.",
           "Заседание началось на два часа позже назначенного.", "Не выдают копию решения уже месяц.",
           "Как поставить апостиль на решение суда?", "Не могу войти в Судебный кабинет."],
    "kk": ["Іс бойынша келесі отырыс қашан?", "Шақыру қағазын алмадым, отырыс менсіз өтті.",
           "Отырыс белгіленген уақыттан екі сағат кеш басталды.", "Шешімнің көшірмесін бір ай бойы бермейді.",
           "Сот шешіміне апостиль қалай қойылады?", "Сот кабинетіне кіре алмаймын."],
}  # fmt: skip
ANSWERS = {
    "ru": "Дан ответ по существу обращения; нарушение проверено председателем суда.",
    "kk": "Өтініштің мәні бойынша жауап берілді; бұзушылықты сот төрағасы тексерді.",
}
CHANNELS = [(CallChannel.LANDLINE, 60), (CallChannel.MOBILE, 25), (CallChannel.WEB_FORM, 10), (CallChannel.EMAIL, 5)]
HOURS = [(9, 10), (10, 16), (11, 15), (12, 10), (13, 6), (14, 12), (15, 11), (16, 10), (17, 7), (18, 3)]


@dataclass(frozen=True)
class DemoCalls:
    calls: int
    waiting: int
    overdue: int


def _weighted(pick: random.Random, pairs: Sequence[tuple[object, int]]) -> object:
    return pick.choices([value for value, _weight in pairs], weights=[weight for _value, weight in pairs])[0]


@transaction.atomic
def seed_demo_calls(*, seed: int, count: int = 3000, days: int = 90) -> DemoCalls:
    if Call.objects.exists():
        return DemoCalls(calls=0, waiting=0, overdue=0)
    pick = random.Random(seed)  # noqa: S311 - demo data, not secrets
    categories = list(Category.objects.filter(is_active=True))
    courts = list(Court.objects.filter(is_active=True).exclude(kind=CourtKind.SUPREME).order_by("code")[:300])
    supreme = Court.objects.filter(kind=CourtKind.SUPREME).first()
    cases = list(Case.objects.select_related("court").order_by("id")[:500])
    if not categories or not courts or supreme is None:
        return DemoCalls(calls=0, waiting=0, overdue=0)
    calendar = working_calendar()
    now = clock.now()
    today = now.astimezone(LOCAL).date()
    rows: list[Call] = []
    for _ in range(count):
        day = today - dt.timedelta(days=pick.randrange(days))
        while day.weekday() >= 5 and pick.random() < 0.8:  # fewer calls at weekends
            day -= dt.timedelta(days=1)
        hour = int(str(_weighted(pick, HOURS)))
        received = dt.datetime.combine(day, dt.time(hour, pick.randrange(60)), tzinfo=LOCAL)
        if received > now:
            received = now - dt.timedelta(minutes=pick.randrange(1, 600))
        category = pick.choice(categories)
        language = "kk" if pick.random() < 0.45 else "ru"
        case = pick.choice(cases) if cases and pick.random() < 0.3 else None
        court = case.court if case is not None else pick.choice(courts)
        routing: str = Routing.NONE
        routed_to: Court | None = None
        status: str = CallStatus.ANSWERED_AT_ONCE
        due_on: dt.date | None = None
        answered_at: dt.datetime | None = received
        answer = ANSWERS[language]
        if category.routing != Routing.NONE or pick.random() < 0.1:
            routing = category.routing if category.routing != Routing.NONE else Routing.COURT
            routed_to = court if routing == Routing.COURT else supreme
            due_on = calendar.add_working_days(received.date(), category.answer_days, explain=False).end
            late = pick.random() < 0.12
            answered_on = (
                due_on + dt.timedelta(days=pick.randrange(1, 6))
                if late
                else received.date() + dt.timedelta(days=pick.randrange(0, max(1, (due_on - received.date()).days)))
            )
            if answered_on >= today and pick.random() < 0.9 or pick.random() < 0.03:
                status, answered_at, answer = CallStatus.ROUTED, None, ""
            else:
                status = CallStatus.ANSWERED
                answered_at = dt.datetime.combine(answered_on, dt.time(15, 0), tzinfo=LOCAL)
        rows.append(
            Call(
                number="",
                received_at=received,
                channel=str(_weighted(pick, CHANNELS)),
                language=language,
                caller_phone=f"+7701{pick.randrange(10**7):07d}",
                category=category,
                court=court,
                case=case,
                question=pick.choice(QUESTIONS[language]),
                status=status,
                routing=routing,
                routed_to=routed_to,
                due_on=due_on,
                answer=answer,
                answered_at=answered_at,
            )
        )
    rows.sort(key=lambda row: row.received_at)
    last: dict[int, int] = {}
    for row in rows:
        year = row.received_at.year
        last[year] = last.get(year, 0) + 1
        row.number = f"1401-{year % 100:02d}-{last[year]:06d}"
    Call.objects.bulk_create(rows, batch_size=1000)
    for year, value in last.items():
        CallCounter.objects.update_or_create(year=year, defaults={"last": value})
    waiting = [row for row in rows if row.status == CallStatus.ROUTED]
    return DemoCalls(
        calls=len(rows),
        waiting=len(waiting),
        overdue=sum(1 for row in waiting if row.due_on is not None and row.due_on < today),
    )
