"""The demo's practice library and announcements: real normative resolutions of the Supreme Court and
codes (numbers, dates and titles from the public register named in each item's `source`, their texts our
short summaries), generalisations of practice marked as the demo's own, all linked to the classifier's
categories (`data/library.json`); announcements from the Supreme Court to every court, from the Astana
court to its own staff, and from the demo court to its judges. Dates come from `core.clock`."""

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import Permission
from django.db import transaction

from torelik.core import clock
from torelik.courts.models import CaseCategory, Court, CourtKind
from torelik.identity.models import User
from torelik.portal.actions import search_text_of
from torelik.portal.models import Announcement, ItemKind, PracticeItem, Scope

DATA = Path(__file__).parent / "data" / "library.json"
# The Supreme Court's demo analyst keeps the library and publishes the Supreme Court's announcements.
DEMO_EDITOR = "demo.analyst.supreme"

GENERALISATION_RU = (
    "Демонстрационное обобщение. Судебная коллегия изучила дела категории «{topic}», рассмотренные судами "
    "в прошлом году: типичные ошибки при подготовке дел, оценке доказательств и исчислении сроков, "
    "с рекомендациями судьям."
)
GENERALISATION_KK = (
    "Демонстрациялық қорыту. Сот алқасы өткен жылы соттар қараған «{topic}» санатындағы істерді зерделеді: "
    "істерді дайындаудағы, дәлелдемелерді бағалаудағы және мерзімдерді есептеудегі әдеттегі қателер, "
    "судьяларға ұсынымдар."
)


@dataclass(frozen=True)
class DemoLibrary:
    items: int
    announcements: int


def _categories() -> dict[str, CaseCategory]:
    return {c.code: c for c in CaseCategory.objects.all()}


@transaction.atomic
def seed_demo_library() -> DemoLibrary:
    if PracticeItem.objects.exists():
        return DemoLibrary(items=0, announcements=0)
    data = json.loads(DATA.read_text(encoding="utf-8"))
    categories = _categories()
    links: list[tuple[PracticeItem, list[str]]] = []
    for row in data["items"]:
        item = PracticeItem(
            kind=row["kind"],
            number=row["number"],
            adopted_on=dt.date.fromisoformat(row["adopted_on"]),
            title_kk=row["title_kk"],
            title_ru=row["title_ru"],
            text_kk=row["text_kk"],
            text_ru=row["text_ru"],
            visibility=row["visibility"],
            source=row["source"],
        )
        links.append((item, row["categories"]))
    year = clock.today().year - 1
    for index, (code, topic, title_ru, title_kk, visibility) in enumerate(data["generalisations"], start=1):
        item = PracticeItem(
            kind=ItemKind.GENERALISATION,
            number=f"ДЕМО-{year}-{index:02d}",
            adopted_on=dt.date(year, 1 + index % 12, 1 + index % 27),
            title_kk=title_kk,
            title_ru=title_ru,
            text_kk=GENERALISATION_KK.format(topic=title_kk),
            text_ru=GENERALISATION_RU.format(topic=topic),
            visibility=visibility,
            source="demo",
        )
        links.append((item, [code]))
    for item, _codes in links:
        item.search_text = search_text_of(item)
    PracticeItem.objects.bulk_create([item for item, _codes in links])
    through = PracticeItem.categories.through
    through.objects.bulk_create(
        [
            through(practiceitem_id=item.pk, casecategory_id=categories[code].pk)
            for item, codes in links
            for code in codes
            if code in categories
        ]
    )
    editor = User.objects.filter(username=DEMO_EDITOR).first()
    if editor is not None:
        editor.user_permissions.add(
            *Permission.objects.filter(
                content_type__app_label="portal", codename__in=["edit_library", "publish_announcements"]
            )
        )
    return DemoLibrary(items=len(links), announcements=_seed_announcements(editor))


def _seed_announcements(editor: User | None) -> int:
    supreme = Court.objects.filter(kind=CourtKind.SUPREME).first()
    astana = Court.objects.filter(code="1800").first()
    district = Court.objects.filter(code="1916").first()
    now = clock.now()
    rows = []
    if supreme is not None:
        rows += [
            Announcement(
                court=supreme,
                scope=Scope.ALL,
                author=editor,
                asks_receipt=True,
                published_at=now - dt.timedelta(days=2),
                title="Новые обобщения судебной практики в библиотеке портала",
                body="В библиотеку практики добавлены обобщения по гражданским и уголовным делам. "
                "Судьям рекомендуется ознакомиться с обобщениями по своим категориям дел.",
            ),
            Announcement(
                court=supreme,
                scope=Scope.ALL,
                roles=",clerk,secretary,",
                author=editor,
                published_at=now - dt.timedelta(days=9),
                title="Порталдағы үлгі құжаттар жаңартылды",
                body="Кеңсе қызметкерлері мен сот отырысының хатшыларына арналған үлгі құжаттар жаңартылды.",
            ),
        ]
    if astana is not None:
        rows.append(
            Announcement(
                court=astana,
                scope=Scope.COURT,
                published_at=now - dt.timedelta(days=4),
                title="График дежурств судей на праздничные дни",
                body="График дежурств судей и работников аппарата на праздничные дни утверждён председателем суда.",
            )
        )
    if district is not None:
        rows.append(
            Announcement(
                court=district,
                scope=Scope.COURT,
                roles=",judge,",
                asks_receipt=True,
                published_at=now - dt.timedelta(days=1),
                title="Учёба судей по спорам из договоров займа",
                body="В пятницу в 15:00 в зале № 1 — учёба судей по нормативному постановлению Верховного Суда "
                "от 25 ноября 2016 года № 7 о спорах из договоров банковского займа.",
            )
        )
    Announcement.objects.bulk_create(rows)
    return len(rows)
