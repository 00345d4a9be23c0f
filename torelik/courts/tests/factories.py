"""Factories for the court registry and the people in it."""

import itertools
from decimal import Decimal

import factory

from torelik.core.identifiers import check_digit
from torelik.courts.models import (
    CaseCategory,
    Court,
    CourtKind,
    Courtroom,
    Judge,
    ProceedingType,
    Region,
    Specialisation,
)
from torelik.identity.models import Person

_serials = itertools.count(1000)


def next_iin(birth: str = "800101", century_sex: str = "3") -> str:
    """A fresh IIN with a correct check digit (serials whose check digit is undefined are skipped)."""
    while True:
        first_eleven = f"{birth}{century_sex}{next(_serials):04d}"
        digit = check_digit(first_eleven)
        if digit is not None:
            return f"{first_eleven}{digit}"


class RegionFactory(factory.django.DjangoModelFactory[Region]):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{(n % 89) + 10:02d}")
    kind = "oblast"
    name_kk = "Ақмола облысы"
    name_ru = "Акмолинская область"
    name_en = "Akmola Region"
    centre_kk = "Көкшетау"
    centre_ru = "Кокшетау"
    centre_en = "Kokshetau"


class CourtFactory(factory.django.DjangoModelFactory[Court]):
    class Meta:
        model = Court

    code = factory.Sequence(lambda n: f"{9000 + n:04d}")
    kind = CourtKind.DISTRICT
    region = factory.SubFactory(RegionFactory)
    name_kk = factory.Sequence(lambda n: f"Бурабай аудандық соты {n}")
    name_ru = factory.Sequence(lambda n: f"Бурабайский районный суд {n}")
    name_en = factory.Sequence(lambda n: f"Burabay District Court {n}")
    search_text = factory.LazyAttribute(lambda c: " ".join([c.code, c.name_kk, c.name_ru, c.name_en]).casefold())


class CourtroomFactory(factory.django.DjangoModelFactory[Courtroom]):
    class Meta:
        model = Courtroom

    court = factory.SubFactory(CourtFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    has_recording = True


class PersonFactory(factory.django.DjangoModelFactory[Person]):
    class Meta:
        model = Person

    iin = factory.LazyFunction(next_iin)
    surname = "Ахметов"
    given_name = "Нурлан"
    patronymic = "Серикович"


class JudgeFactory(factory.django.DjangoModelFactory[Judge]):
    class Meta:
        model = Judge

    person = factory.SubFactory(PersonFactory)
    court = factory.SubFactory(CourtFactory)
    participation_rate = Decimal("1.00")


class CaseCategoryFactory(factory.django.DjangoModelFactory[CaseCategory]):
    class Meta:
        model = CaseCategory

    code = factory.Sequence(lambda n: f"14203{n:013d}")
    name_kk = "Еңбек даулары"
    name_ru = "Трудовые споры"
    name_en = "Labour disputes"
    proceeding_type = ProceedingType.CIVIL
    specialisation = Specialisation.CIVIL
