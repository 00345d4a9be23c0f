"""Demo people of the national court network: judges, court chairmen and the demo staff accounts.

Everything here is generated from a fixed seed, so every fresh demo database holds the same
names, IINs and phone numbers. The people are invented; the IINs are valid by the check-digit
rule but belong to nobody we know of. For development and demonstration only.
"""

import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q

from torelik.core.identifiers import Sex, check_digit
from torelik.courts.models import (
    CaseCategory,
    Court,
    CourtKind,
    Courtroom,
    Judge,
    JudgeSpecialisation,
    RegionKind,
    Specialisation,
    StaffPosition,
    StaffRole,
)
from torelik.identity.models import AccountKind, Language, Person, User

DATA_DIR = Path(__file__).resolve().parent / "data"
REGISTRY_FILE = DATA_DIR / "registry.json"
CASE_CATEGORIES_FILE = DATA_DIR / "case_categories.json"

DEMO_SEED = 2025
# Published in the README: every demo account logs in with it. `seed_demo` refuses to create
# these accounts without DEBUG unless told to, so that no production system gets them by mistake.
DEMO_PASSWORD = "torelik-demo"  # noqa: S105

# The last day the demo's history knows of: appointment dates are drawn up to it.
_DEMO_HISTORY_ENDS = dt.date(2025, 6, 30)
# The three cassation courts started work on this day (see shared/domain/kazakhstan.md).
_CASSATION_COURTS_OPENED = dt.date(2025, 7, 1)


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    role: StaffRole
    court_code: str
    is_superuser: bool = False


# Demo courts: the main one (accounts without a suffix) is a big first-instance court.
DEMO_COURTS: dict[str, str] = {
    "": "1916",  # Бостандыкский районный суд города Алматы
    "supreme": "0001",  # Верховный Суд Республики Казахстан
    "astana": "1800",  # Суд города Астаны
    "burabay": "0218",  # Бурабайский районный суд Акмолинской области
}


def _demo_username(role: StaffRole, key: str) -> str:
    return f"demo.{role.value}.{key}" if key else f"demo.{role.value}"


DEMO_ADMIN = DemoAccount("demo.admin", StaffRole.ADMINISTRATOR, "0001", is_superuser=True)
DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    *(DemoAccount(_demo_username(role, key), role, code) for key, code in DEMO_COURTS.items() for role in StaffRole),
    DEMO_ADMIN,
)


# --- Names ---------------------------------------------------------------------------------
# Masculine forms; `_feminine` makes the feminine one (Ахметов -> Ахметова, Полянский -> Полянская).
_KAZAKH_SURNAMES = (
    "Абдрахманов", "Абенов", "Абильдаев", "Абишев", "Айтбаев", "Акимов", "Ахметжанов", "Ахметов",
    "Байгазин", "Байжанов", "Бейсенов", "Бекетов", "Бекмуханов", "Даулетов", "Досмухамедов", "Дюсенов",
    "Ержанов", "Ермеков", "Есенов", "Жакупов", "Жаксылыков", "Жолдасбеков", "Жумабаев", "Жунусов",
    "Ибраев", "Исабеков", "Искаков", "Исмаилов", "Кабдуллин", "Калиев", "Карабаев", "Касымов",
    "Кенжебаев", "Кожахметов", "Кусаинов", "Мамыров", "Муканов", "Мусин", "Мухамеджанов", "Мырзахметов",
    "Нургалиев", "Нурпеисов", "Нуртазин", "Омаров", "Оразбаев", "Оспанов", "Рахимов", "Садыков",
    "Сапаров", "Сарсенбаев", "Серикбаев", "Смагулов", "Султанов", "Тажибаев", "Темирбаев", "Тлеубердин",
    "Токтаров", "Толеуов", "Тулегенов", "Турсунов", "Утепов", "Хасенов", "Шаймерденов", "Шарипов",
)  # fmt: skip
_OTHER_SURNAMES = (
    "Андреев", "Белоусов", "Белов", "Васильев", "Волков", "Гончаров", "Григорьев", "Егоров",
    "Зайцев", "Захаров", "Иванов", "Козлов", "Кузнецов", "Лебедев", "Литвинов", "Макаров",
    "Михайлов", "Морозов", "Никитин", "Николаев", "Новиков", "Орлов", "Павлов", "Петров",
    "Полянский", "Попов", "Романов", "Савицкий", "Семенов", "Смирнов", "Соколов", "Степанов",
    "Тарасов", "Федоров", "Яковлев",
    # The same for women and men.
    "Ким", "Пак", "Цой", "Ли", "Шевченко", "Бондаренко", "Ткаченко", "Коваленко", "Шмидт", "Миллер",
)  # fmt: skip
_KAZAKH_MALE_NAMES = (
    "Азамат", "Айбек", "Айдос", "Алмас", "Арман", "Асет", "Аскар", "Асхат", "Бауыржан", "Бахытжан",
    "Бекзат", "Берик", "Болат", "Габит", "Галым", "Данияр", "Дархан", "Даулет", "Ерболат", "Ержан",
    "Ерлан", "Ермек", "Жандос", "Жанибек", "Кайрат", "Канат", "Куаныш", "Максат", "Марат", "Медет",
    "Мейрам", "Мурат", "Нуржан", "Нурлан", "Олжас", "Руслан", "Рустем", "Сакен", "Самат", "Санжар",
    "Серик", "Талгат", "Тимур", "Улан", "Шынгыс", "Эльдар",
)  # fmt: skip
_KAZAKH_FEMALE_NAMES = (
    "Айгерим", "Айгуль", "Айжан", "Айман", "Айнур", "Акмарал", "Алия", "Асель", "Асем", "Бибигуль",
    "Ботагоз", "Гаухар", "Гульмира", "Гульнара", "Гульнур", "Дамира", "Дана", "Динара", "Жанар", "Жанна",
    "Жибек", "Жулдыз", "Зарина", "Индира", "Камила", "Карлыгаш", "Куралай", "Лаура", "Ляззат", "Мадина",
    "Меруерт", "Назгуль", "Роза", "Салтанат", "Сандугаш", "Сауле", "Толкын", "Умит", "Шолпан", "Эльмира",
)  # fmt: skip
# Fathers' names that end in a consonant or -й, so that both patronymic styles are regular.
_KAZAKH_FATHER_NAMES = (
    "Абай", "Ануар", "Асхат", "Ахмет", "Бауыржан", "Бахыт", "Бейсен", "Бекзат", "Берик", "Болат",
    "Галым", "Даулет", "Дуйсен", "Ержан", "Ерлан", "Ермек", "Есен", "Жаксылык", "Жандос", "Жумабек",
    "Кайрат", "Каныш", "Кенжебек", "Куаныш", "Максут", "Марат", "Мурат", "Мухтар", "Нуржан", "Нурлан",
    "Омар", "Орал", "Рахим", "Сабит", "Сагын", "Салим", "Сапар", "Серик", "Талгат", "Темирхан",
    "Толеген", "Тулеген", "Усен",
)  # fmt: skip
_RUSSIAN_MALE_NAMES = (
    "Александр", "Алексей", "Андрей", "Артём", "Виктор", "Владимир", "Денис", "Дмитрий", "Евгений",
    "Игорь", "Константин", "Максим", "Николай", "Олег", "Павел", "Роман", "Сергей", "Юрий",
)  # fmt: skip
_RUSSIAN_FEMALE_NAMES = (
    "Анастасия", "Анна", "Валентина", "Вера", "Галина", "Екатерина", "Елена", "Ирина", "Лариса",
    "Людмила", "Марина", "Надежда", "Наталья", "Оксана", "Ольга", "Светлана", "Татьяна", "Юлия",
)  # fmt: skip
_RUSSIAN_PATRONYMICS = (
    ("Александрович", "Александровна"), ("Алексеевич", "Алексеевна"), ("Анатольевич", "Анатольевна"),
    ("Андреевич", "Андреевна"), ("Валерьевич", "Валерьевна"), ("Васильевич", "Васильевна"),
    ("Викторович", "Викторовна"), ("Владимирович", "Владимировна"), ("Геннадьевич", "Геннадьевна"),
    ("Дмитриевич", "Дмитриевна"), ("Евгеньевич", "Евгеньевна"), ("Иванович", "Ивановна"),
    ("Игоревич", "Игоревна"), ("Михайлович", "Михайловна"), ("Николаевич", "Николаевна"),
    ("Олегович", "Олеговна"), ("Павлович", "Павловна"), ("Петрович", "Петровна"),
    ("Сергеевич", "Сергеевна"), ("Юрьевич", "Юрьевна"),
)  # fmt: skip
_MOBILE_PREFIXES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777", "778")


def _feminine(surname: str) -> str:
    if surname.endswith("ский"):
        return surname[:-2] + "ая"
    if surname.endswith(("ов", "ев", "ин", "ын")):
        return surname + "а"
    return surname


def _kazakh_patronymic(father: str, sex: Sex, *, kazakh_style: bool) -> str:
    """`Нурланұлы`/`Нурланқызы` (Kazakh style) or `Нурланович`/`Нурлановна` (Russian style)."""
    if kazakh_style:
        return father + ("ұлы" if sex is Sex.MALE else "қызы")
    stem, suffix = (father[:-1], "ев") if father.endswith("й") else (father, "ов")
    return stem + suffix + ("ич" if sex is Sex.MALE else "на")


@dataclass(frozen=True, slots=True)
class _Name:
    surname: str
    given_name: str
    patronymic: str
    language: Language


def _draw_name(rng: random.Random, sex: Sex) -> _Name:
    male = sex is Sex.MALE
    if rng.random() < 0.78:
        surname = rng.choice(_KAZAKH_SURNAMES)
        given = rng.choice(_KAZAKH_MALE_NAMES if male else _KAZAKH_FEMALE_NAMES)
        patronymic = _kazakh_patronymic(rng.choice(_KAZAKH_FATHER_NAMES), sex, kazakh_style=rng.random() < 0.3)
        language = Language.KAZAKH if rng.random() < 0.7 else Language.RUSSIAN
    else:
        surname = rng.choice(_OTHER_SURNAMES)
        given = rng.choice(_RUSSIAN_MALE_NAMES if male else _RUSSIAN_FEMALE_NAMES)
        patronymic = rng.choice(_RUSSIAN_PATRONYMICS)[0 if male else 1]
        language = Language.RUSSIAN if rng.random() < 0.95 else Language.KAZAKH
    return _Name(surname if male else _feminine(surname), given, patronymic, language)


def make_iin(rng: random.Random, *, birth: dt.date, sex: Sex, taken: set[str]) -> str:
    """A valid IIN for this birth date and sex that is not in `taken` (and add it there).

    Serials whose check digit cannot be computed are skipped: such numbers are never issued."""
    if not 1900 <= birth.year <= 2099:
        raise ValueError(f"demo IINs are made for the 1900s and 2000s only, not {birth.year}")
    male = sex is Sex.MALE
    century_and_sex = ("3" if male else "4") if birth.year < 2000 else ("5" if male else "6")
    while True:
        first_eleven = f"{birth:%y%m%d}{century_and_sex}{rng.randrange(10_000):04d}"
        digit = check_digit(first_eleven)
        if digit is None:
            continue
        iin = f"{first_eleven}{digit}"
        if iin not in taken:
            taken.add(iin)
            return iin


def _draw_date(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))


def _draw_mobile(rng: random.Random) -> str:
    digits = f"{rng.randrange(10_000_000):07d}"
    return f"+7 {rng.choice(_MOBILE_PREFIXES)} {digits[:3]} {digits[3:5]} {digits[5:]}"


def _draw_person(rng: random.Random, *, born_from: int, born_to: int, taken: set[str]) -> tuple[Person, dt.date]:
    sex = rng.choice((Sex.MALE, Sex.FEMALE))
    birth = _draw_date(rng, dt.date(born_from, 1, 1), dt.date(born_to, 12, 31))
    name = _draw_name(rng, sex)
    person = Person(
        iin=make_iin(rng, birth=birth, sex=sex, taken=taken),
        surname=name.surname,
        given_name=name.given_name,
        patronymic=name.patronymic,
        phone=_draw_mobile(rng),
        preferred_language=name.language,
    )
    return person, birth


# --- Judges --------------------------------------------------------------------------------
# Birth years of judges by the level of their court: higher courts are staffed by older judges.
_BIRTH_YEARS: dict[str, tuple[int, int]] = {
    CourtKind.SUPREME: (1960, 1975),
    CourtKind.CASSATION: (1962, 1978),
    CourtKind.REGIONAL: (1962, 1983),
    CourtKind.SPECIALISED: (1965, 1990),
    CourtKind.DISTRICT: (1965, 1990),
}
_CHAIRMAN_RATE = Decimal("0.50")
_JUDGE_RATE = Decimal("1.00")


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def judge_count(*, kind: str, courtrooms: int, region_weight: int, is_city: bool, rng: random.Random) -> int:
    """How many judges a demo court gets: by level, by its courtrooms and, for a regional
    court, by the number of district courtrooms under it (`region_weight`)."""
    if kind == CourtKind.SUPREME:
        return 50
    if kind == CourtKind.CASSATION:
        return 20
    if kind == CourtKind.REGIONAL:
        return _clamp(10 + region_weight // 2 + (12 if is_city else 0), 25, 60)
    if kind == CourtKind.SPECIALISED:
        return _clamp(courtrooms + rng.randint(0, 4), 4, 12)
    return _clamp(courtrooms + rng.randint(0, 2), 3, 10)


def _college(index: int, count: int) -> Specialisation:
    """The judicial college of the `index`-th judge of a higher court: civil, criminal, administrative."""
    share = index / count
    if share < 0.45:
        return Specialisation.CIVIL
    if share < 0.8:
        return Specialisation.CRIMINAL
    return Specialisation.ADMINISTRATIVE


_DISTRICT_CYCLE = (
    Specialisation.CIVIL,
    Specialisation.CRIMINAL,
    Specialisation.ADMINISTRATIVE_OFFENCE,
    Specialisation.CIVIL,
    Specialisation.CRIMINAL,
    Specialisation.CIVIL,
    Specialisation.ADMINISTRATIVE_OFFENCE,
    Specialisation.CIVIL,
    Specialisation.CRIMINAL,
    Specialisation.CIVIL,
)


def judge_specialisations(
    *, court: Court, index: int, count: int, investigating: bool, rng: random.Random
) -> list[Specialisation]:
    """What the `index`-th of `count` judges of `court` hears.

    A district court's judges share civil, criminal and administrative-offence cases (in a
    small court each hears all three); where the region has no investigative court, one of
    them also acts as investigating judge (`investigating`). A specialised court's judges hear
    its specialisation; higher courts' judges sit in a college."""
    if court.kind == CourtKind.SPECIALISED:
        return [Specialisation(court.specialisation)]
    if court.kind == CourtKind.DISTRICT:
        if count <= 3:
            found = [Specialisation.CIVIL, Specialisation.CRIMINAL, Specialisation.ADMINISTRATIVE_OFFENCE]
        else:
            found = [_DISTRICT_CYCLE[index % len(_DISTRICT_CYCLE)]]
            if rng.random() < 0.25:
                extra = rng.choice([s for s in _DISTRICT_CYCLE if s not in found])
                found.append(extra)
        if investigating:
            found.append(Specialisation.INVESTIGATIVE)
        return found
    college = Specialisation(court.specialisation) if court.kind == CourtKind.CASSATION else _college(index, count)
    found = [college]
    if college == Specialisation.CIVIL and index % 3 == 0 and court.kind != CourtKind.SUPREME:
        found.append(Specialisation.ECONOMIC)
    if college == Specialisation.CRIMINAL and index % 4 == 0 and court.kind == CourtKind.REGIONAL:
        found.append(Specialisation.JUVENILE)
    return found


def _appointed_on(rng: random.Random, *, court: Court, birth: dt.date) -> dt.date:
    if court.kind == CourtKind.CASSATION:
        return _CASSATION_COURTS_OPENED
    earliest = max(dt.date(birth.year + 30, birth.month, 1), dt.date(2000, 1, 1))
    return _draw_date(rng, min(earliest, _DEMO_HISTORY_ENDS), _DEMO_HISTORY_ENDS)


@dataclass(frozen=True)
class PeopleSummary:
    judges: int = 0
    accounts: int = 0


@dataclass
class _Plan:
    """Rows to insert, gathered first so that each table takes one bulk insert."""

    persons: list[Person]
    judges: list[Judge]
    specialisations: list[tuple[Judge, list[Specialisation]]]
    accounts: list[tuple[User, Court, StaffRole, dt.date | None]]


def _account(username: str, person: Person, password: str, *, superuser: bool = False) -> User:
    return User(
        username=username,
        person=person,
        kind=AccountKind.STAFF,
        first_name=person.given_name,
        last_name=person.surname,
        password=password,
        is_staff=superuser,
        is_superuser=superuser,
    )


def _plan_judges(*, seed: int, taken: set[str], demo_password: str, unusable_password: str) -> _Plan:
    plan = _Plan(persons=[], judges=[], specialisations=[], accounts=[])
    courts = list(Court.objects.filter(is_active=True).select_related("region").order_by("code"))
    staffed = set(Judge.objects.values_list("court_id", flat=True).distinct())
    rooms: dict[int, int] = dict(
        Courtroom.objects.order_by().values("court").annotate(n=Count("pk")).values_list("court", "n")
    )
    region_weight: dict[int, int] = defaultdict(int)
    regions_with_investigative_court: set[int] = set()
    for court in courts:
        if court.region_id is None:
            continue
        if court.kind == CourtKind.DISTRICT:
            region_weight[court.region_id] += rooms.get(court.pk, 0)
        if court.specialisation == Specialisation.INVESTIGATIVE:
            regions_with_investigative_court.add(court.region_id)
    demo_keys = {code: key for key, code in DEMO_COURTS.items()}

    for court in courts:
        if court.pk in staffed:
            continue
        rng = random.Random(f"{seed}:judges:{court.code}")  # noqa: S311 - demo data, not secrets
        count = judge_count(
            kind=court.kind,
            courtrooms=rooms.get(court.pk, 0),
            region_weight=region_weight.get(court.region_id or 0, 0),
            is_city=court.region is not None and court.region.kind == RegionKind.CITY,
            rng=rng,
        )
        needs_investigating_judge = (
            court.kind == CourtKind.DISTRICT and court.region_id not in regions_with_investigative_court
        )
        born_from, born_to = _BIRTH_YEARS[court.kind]
        demo_key = demo_keys.get(court.code)
        for index in range(count):
            person, birth = _draw_person(rng, born_from=born_from, born_to=born_to, taken=taken)
            appointed_on = _appointed_on(rng, court=court, birth=birth)
            judge = Judge(
                person=person,
                court=court,
                participation_rate=_CHAIRMAN_RATE if index == 0 else _JUDGE_RATE,
                appointed_on=appointed_on,
            )
            plan.persons.append(person)
            plan.judges.append(judge)
            specialisations = judge_specialisations(
                court=court,
                index=index,
                count=count,
                investigating=needs_investigating_judge and index == count - 1,
                rng=rng,
            )
            plan.specialisations.append((judge, specialisations))
            if index == 0:
                username = _demo_username(StaffRole.CHAIRMAN, demo_key) if demo_key is not None else person.iin
                password = demo_password if demo_key is not None else unusable_password
                plan.accounts.append((_account(username, person, password), court, StaffRole.CHAIRMAN, appointed_on))
            elif index == 1 and demo_key is not None:
                username = _demo_username(StaffRole.JUDGE, demo_key)
                plan.accounts.append((_account(username, person, demo_password), court, StaffRole.JUDGE, appointed_on))
    return plan


def _plan_demo_staff(*, seed: int, taken: set[str], demo_password: str, plan: _Plan) -> None:
    """The demo accounts of the roles that are not judges: each a new person."""
    existing = set(
        User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).values_list("username", flat=True)
    )
    existing |= {user.username for user, _court, _role, _starts in plan.accounts}
    courts = {court.code: court for court in Court.objects.filter(code__in={a.court_code for a in DEMO_ACCOUNTS})}
    for demo in DEMO_ACCOUNTS:
        judicial = demo.role in (StaffRole.JUDGE, StaffRole.CHAIRMAN)
        if judicial or demo.username in existing or demo.court_code not in courts:
            continue
        rng = random.Random(f"{seed}:account:{demo.username}")  # noqa: S311 - demo data, not secrets
        person, _birth = _draw_person(rng, born_from=1975, born_to=1999, taken=taken)
        plan.persons.append(person)
        user = _account(demo.username, person, demo_password, superuser=demo.is_superuser)
        plan.accounts.append((user, courts[demo.court_code], demo.role, None))


@transaction.atomic
def seed_court_people(*, seed: int = DEMO_SEED) -> PeopleSummary:
    """Judges for every active court that has none, an account for each new chairman, and the
    demo accounts that are missing (idempotent: a second run adds nothing).

    The chairman of each court is its first judge, with a participation rate of 0.50 and a
    chairman position. The judge and chairman demo accounts are made together with the judges
    of their court; the other demo accounts are new people."""
    taken = set(Person.objects.values_list("iin", flat=True))
    demo_password = make_password(DEMO_PASSWORD)  # hashed once: the hasher is slow on purpose
    unusable_password = make_password(None)
    plan = _plan_judges(seed=seed, taken=taken, demo_password=demo_password, unusable_password=unusable_password)
    _plan_demo_staff(seed=seed, taken=taken, demo_password=demo_password, plan=plan)

    # The inserts return primary keys (PostgreSQL, SQLite 3.35+), which the rows below refer to.
    Person.objects.bulk_create(plan.persons, batch_size=500)
    Judge.objects.bulk_create(plan.judges, batch_size=500)
    JudgeSpecialisation.objects.bulk_create(
        [
            JudgeSpecialisation(judge=judge, specialisation=specialisation)
            for judge, specialisations in plan.specialisations
            for specialisation in specialisations
        ],
        batch_size=1000,
    )
    users = [user for user, _court, _role, _starts in plan.accounts]
    User.objects.bulk_create(users, batch_size=500)
    StaffPosition.objects.bulk_create(
        [
            StaffPosition(user=user, court=court, role=role, starts_on=starts_on)
            for user, court, role, starts_on in plan.accounts
        ],
        batch_size=500,
    )
    _attach_demo_staff_to_judges()
    return PeopleSummary(judges=len(plan.judges), accounts=len(users))


def _attach_demo_staff_to_judges() -> None:
    """The demo secretary and assistant of each demo court work for its demo judge."""
    for key, code in DEMO_COURTS.items():
        judge = Judge.objects.filter(
            court__code=code, person__account__username=_demo_username(StaffRole.JUDGE, key)
        ).first()
        if judge is None:
            continue
        StaffPosition.objects.filter(
            court__code=code,
            role__in=(StaffRole.SECRETARY, StaffRole.ASSISTANT),
            user__username__in=[_demo_username(role, key) for role in (StaffRole.SECRETARY, StaffRole.ASSISTANT)],
            judge__isnull=True,
        ).update(judge=judge)


def is_demo_loaded() -> bool:
    """Whether `seed_demo` has run here (its last step makes the demo administrator)."""
    return User.objects.filter(username=DEMO_ADMIN.username).exists()


def read_data_file(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class NetworkSummary:
    courts: int
    regional_courts: int
    judges: int
    courtrooms: int
    courtrooms_with_recording: int
    courtrooms_with_videoconference: int
    categories: int
    demo_accounts: int

    @property
    def recording_share(self) -> float:
        return self.courtrooms_with_recording / self.courtrooms if self.courtrooms else 0.0

    def lines(self) -> Sequence[str]:
        share = f"{self.recording_share:.1%}"
        return (
            f"{self.courts} courts ({self.regional_courts} regional), {self.judges} judges",
            f"{self.courtrooms} courtrooms, {self.courtrooms_with_recording} ({share}) with audio-video recording, "
            f"{self.courtrooms_with_videoconference} with videoconference",
            f"{self.categories} case categories, {self.demo_accounts} demo accounts",
        )


def network_summary() -> NetworkSummary:
    courts = Court.objects.filter(is_active=True).aggregate(
        total=Count("pk"), regional=Count("pk", filter=Q(kind=CourtKind.REGIONAL))
    )
    rooms = Courtroom.objects.aggregate(
        total=Count("pk"),
        recording=Count("pk", filter=Q(has_recording=True)),
        videoconference=Count("pk", filter=Q(has_videoconference=True)),
    )
    return NetworkSummary(
        courts=courts["total"],
        regional_courts=courts["regional"],
        judges=Judge.objects.filter(is_active=True).count(),
        courtrooms=rooms["total"],
        courtrooms_with_recording=rooms["recording"],
        courtrooms_with_videoconference=rooms["videoconference"],
        categories=CaseCategory.objects.count(),
        demo_accounts=User.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).count(),
    )
