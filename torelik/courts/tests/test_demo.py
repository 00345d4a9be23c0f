"""The demo national court network (`seed_demo`) and the loaders of the registry data files.

The network is seeded once for this module (about two seconds) and removed afterwards; each
test still runs in its own transaction, so what a test changes is rolled back.
"""

import datetime as dt
import io
import random
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models
from django.test import Client
from pydantic import ValidationError
from pytest_django import DjangoAssertNumQueries, DjangoDbBlocker

from torelik.core.identifiers import IIN, Sex, check_digit
from torelik.courts.actions import import_case_categories, import_court_registry
from torelik.courts.demo import (
    CASE_CATEGORIES_FILE,
    DEMO_ACCOUNTS,
    DEMO_ADMIN,
    DEMO_PASSWORD,
    DEMO_SEED,
    REGISTRY_FILE,
    make_iin,
    read_data_file,
    seed_court_people,
)
from torelik.courts.errors import CourtsError, CourtsErrorCode
from torelik.courts.models import (
    CaseCategory,
    Court,
    CourtKind,
    Courtroom,
    Judge,
    JudgeSpecialisation,
    ProceedingType,
    Region,
    Specialisation,
    StaffPosition,
    StaffRole,
)
from torelik.identity.models import Person, User

# Deleted in this order when the module is done (children before what they point to).
_SEEDED_MODELS: tuple[type[models.Model], ...] = (
    StaffPosition,
    User,
    JudgeSpecialisation,
    Judge,
    Person,
    Courtroom,
    Court,
    Region,
    CaseCategory,
)


def _seed(**options: Any) -> str:
    out = io.StringIO()
    options.setdefault("cases", 0)
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


@pytest.fixture(scope="module")
def network(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[str]:
    """Seed the demo network once for the module; yield what the command printed."""
    with django_db_blocker.unblock():
        before = {model: set(model._default_manager.values_list("pk", flat=True)) for model in _SEEDED_MODELS}
        output = _seed(allow_published_password=True)
    yield output
    with django_db_blocker.unblock():
        Court.objects.exclude(pk__in=before[Court]).update(parent=None)
        CaseCategory.objects.exclude(pk__in=before[CaseCategory]).update(parent=None)
        for model in _SEEDED_MODELS:
            model._default_manager.exclude(pk__in=before[model]).delete()


def _counts() -> dict[str, int]:
    return {model.__name__: model._default_manager.count() for model in _SEEDED_MODELS}


# --- The network ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_network_has_the_courts_of_kazakhstan(network: str) -> None:
    kinds = Counter(Court.objects.values_list("kind", flat=True))
    assert 360 <= sum(kinds.values()) <= 380
    assert kinds[CourtKind.SUPREME] == 1
    assert kinds[CourtKind.CASSATION] == 3
    assert kinds[CourtKind.REGIONAL] == 20
    assert 80 <= kinds[CourtKind.SPECIALISED] <= 95
    assert 250 <= kinds[CourtKind.DISTRICT] <= 280
    assert set(Court.objects.filter(kind=CourtKind.CASSATION).values_list("specialisation", flat=True)) == {
        Specialisation.CIVIL,
        Specialisation.CRIMINAL,
        Specialisation.ADMINISTRATIVE,
    }


@pytest.mark.django_db
def test_every_region_has_a_regional_court_and_district_courts(network: str) -> None:
    regions = list(Region.objects.all())
    assert sorted(region.code for region in regions) == [f"{n:02d}" for n in range(1, 21)]
    assert Counter(region.kind for region in regions) == {"oblast": 17, "city": 3}
    for region in regions:
        assert Court.objects.filter(region=region, kind=CourtKind.REGIONAL).count() == 1, region.code
        assert Court.objects.filter(region=region, kind=CourtKind.DISTRICT).count() >= 5, region.code
        assert Court.objects.filter(region=region, specialisation=Specialisation.ADMINISTRATIVE).exists()


@pytest.mark.django_db
def test_court_codes_and_hierarchy_follow_the_numbering(network: str) -> None:
    """RR00 regional court; RR01–RR09 specialised; RR10–RR99 district; each under its regional court."""
    supreme = Court.objects.get(kind=CourtKind.SUPREME)
    assert supreme.code == "0001"
    assert supreme.parent is None
    for court in Court.objects.exclude(pk=supreme.pk).select_related("region", "parent"):
        if court.kind == CourtKind.CASSATION:
            assert court.code in {"0002", "0003", "0004"}
            assert court.parent == supreme
            continue
        assert court.region is not None
        assert court.code[:2] == court.region.code
        suffix = int(court.code[2:])
        if court.kind == CourtKind.REGIONAL:
            assert suffix == 0
            assert court.parent == supreme
            continue
        assert court.parent is not None
        assert court.parent.code == f"{court.region.code}00"
        if court.kind == CourtKind.SPECIALISED:
            assert 1 <= suffix <= 9
            assert court.specialisation
        else:
            assert court.kind == CourtKind.DISTRICT
            assert suffix >= 10


@pytest.mark.django_db
def test_courts_are_named_in_three_languages_with_kazakh_letters(network: str) -> None:
    kazakh_letters = set("әғқңөұүһі")
    for court in Court.objects.all():
        assert all((court.name_kk, court.name_ru, court.name_en, court.address_kk, court.address_ru, court.address_en))
        assert court.phone.startswith("+7 7")
        assert len(court.phone.replace(" ", "")) == 12
    with_kazakh_letters = [c for c in Court.objects.all() if kazakh_letters & set(c.name_kk.casefold())]
    assert len(with_kazakh_letters) > Court.objects.count() / 2
    akmola = Court.objects.get(code="0200")
    assert akmola.name_ru == "Акмолинский областной суд"
    assert akmola.name_kk == "Ақмола облыстық соты"


@pytest.mark.django_db
def test_kostanay_region_keeps_its_own_time_zone(network: str) -> None:
    zones = dict(Region.objects.values_list("name_en", "time_zone"))
    assert zones.pop("Kostanay Region") == "Asia/Qostanay"
    assert set(zones.values()) == {"Asia/Almaty"}


@pytest.mark.django_db
def test_courtrooms_and_their_equipment(network: str) -> None:
    rooms = Courtroom.objects.count()
    assert 1350 <= rooms <= 1450
    assert 0.80 <= Courtroom.objects.filter(has_recording=True).count() / rooms <= 0.86
    assert 0.25 <= Courtroom.objects.filter(has_videoconference=True).count() / rooms <= 0.35
    assert not Court.objects.filter(courtrooms__isnull=True).exists()
    assert Courtroom.objects.filter(court__code="0001").count() >= 10


@pytest.mark.django_db
def test_judges_count_and_every_court_has_one_chairman(network: str) -> None:
    judges = Judge.objects.count()
    assert 2300 <= judges <= 2500
    assert Judge.objects.filter(court__kind=CourtKind.SUPREME).count() == 50
    for court in Court.objects.all():
        staff = list(Judge.objects.filter(court=court).values_list("participation_rate", flat=True))
        assert len(staff) >= 3, court.code
        assert staff.count(Decimal("0.50")) == 1, court.code
        assert set(staff) <= {Decimal("0.50"), Decimal("1.00")}
    chairmen = StaffPosition.objects.filter(role=StaffRole.CHAIRMAN).select_related("user__person__judge")
    assert chairmen.count() == Court.objects.count()
    for position in chairmen:
        person = position.user.person
        assert person is not None
        assert person.judge.court_id == position.court_id
        assert person.judge.participation_rate == Decimal("0.50")


@pytest.mark.django_db
def test_every_judge_has_a_valid_iin_matching_sex_and_name(network: str) -> None:
    people = Person.objects.filter(judge__isnull=False)
    for person in people:
        iin = IIN.parse(person.iin)  # raises on a wrong check digit, century or date
        assert 1960 <= iin.birth_date.year <= 1990, person.iin
        if iin.sex is Sex.FEMALE:
            assert person.patronymic.endswith(("вна", "қызы")), person.full_name
            assert not person.surname.endswith(("ов", "ев", "ин", "ский")), person.full_name
        else:
            assert person.patronymic.endswith(("ич", "ұлы")), person.full_name
            assert not person.surname.endswith(("ова", "ева", "ина", "ская")), person.full_name
        assert person.phone.startswith("+7 7")
    sexes = Counter(IIN(iin).sex for iin in people.values_list("iin", flat=True))
    assert 0.4 < sexes[Sex.FEMALE] / people.count() < 0.6


@pytest.mark.django_db
def test_judges_hear_what_their_court_hears(network: str) -> None:
    by_judge: dict[int, set[str]] = {}
    for judge_id, specialisation in JudgeSpecialisation.objects.values_list("judge_id", "specialisation"):
        by_judge.setdefault(judge_id, set()).add(specialisation)
    assert len(by_judge) == Judge.objects.count()
    district_scope = {
        Specialisation.CIVIL,
        Specialisation.CRIMINAL,
        Specialisation.ADMINISTRATIVE_OFFENCE,
        Specialisation.INVESTIGATIVE,
    }
    covered: dict[int, set[str]] = {}
    for judge in Judge.objects.select_related("court"):
        heard = by_judge[judge.pk]
        if judge.court.kind == CourtKind.SPECIALISED:
            assert heard == {judge.court.specialisation}
        elif judge.court.kind == CourtKind.DISTRICT:
            assert heard <= district_scope
            covered.setdefault(judge.court_id, set()).update(heard)
        elif judge.court.kind == CourtKind.CASSATION:
            assert judge.court.specialisation in heard
    for court_id, heard in covered.items():
        assert {Specialisation.CIVIL, Specialisation.CRIMINAL, Specialisation.ADMINISTRATIVE_OFFENCE} <= heard, court_id


@pytest.mark.django_db
def test_case_categories_are_loaded_as_a_tree(network: str) -> None:
    categories = {c.code: c for c in CaseCategory.objects.select_related("parent")}
    assert 80 <= len(categories) <= 150
    assert categories["142030000100000000"].name_en == "Labour disputes"
    assert categories["142010000600000000"].name_en == "Recovery of debts"
    assert {c.proceeding_type for c in categories.values()} == set(ProceedingType.values)
    for category in categories.values():
        assert Decimal("0.5") <= category.complexity <= Decimal("3.0")
        if category.parent is not None:
            assert category.parent.proceeding_type == category.proceeding_type
            assert category.parent.code < category.code


@pytest.mark.django_db
def test_summary_is_printed(network: str) -> None:
    assert "20 regional" in network
    assert "with audio-video recording" in network
    assert DEMO_PASSWORD in network


# --- Idempotence and determinism -------------------------------------------------------------


@pytest.mark.django_db
def test_seeding_again_is_a_quick_no_op(network: str, django_assert_max_num_queries: DjangoAssertNumQueries) -> None:
    before = _counts()
    with django_assert_max_num_queries(1):
        output = _seed()
    assert "already loaded" in output
    assert _counts() == before


@pytest.mark.django_db
def test_loaders_run_again_change_nothing(network: str) -> None:
    before = _counts()
    rooms_before = sorted(Courtroom.objects.values_list("court__code", "number", "has_recording"))
    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    summary = seed_court_people(seed=DEMO_SEED)
    assert (summary.judges, summary.accounts) == (0, 0)
    assert _counts() == before
    assert sorted(Courtroom.objects.values_list("court__code", "number", "has_recording")) == rooms_before


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_people(network: str) -> None:
    def people() -> list[tuple[str, str, str, str]]:
        rows = Judge.objects.values_list("court__code", "person__iin", "person__surname", "person__given_name")
        return sorted(rows)

    first = people()
    StaffPosition.objects.all().delete()
    User.objects.all().delete()
    Judge.objects.all().delete()
    Person.objects.all().delete()
    seed_court_people(seed=DEMO_SEED)
    assert people() == first


# --- Demo accounts -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_demo_account_logs_in_and_holds_its_position(network: str) -> None:
    assert len({account.username for account in DEMO_ACCOUNTS}) == len(DEMO_ACCOUNTS)
    assert {account.role for account in DEMO_ACCOUNTS} == set(StaffRole)
    for account in DEMO_ACCOUNTS:
        assert Client().login(username=account.username, password=DEMO_PASSWORD), account.username
        user = User.objects.get(username=account.username)
        assert user.person is not None
        assert user.positions.filter(court__code=account.court_code, role=account.role).exists()
        assert user.is_superuser == account.is_superuser
        if account.role in (StaffRole.JUDGE, StaffRole.CHAIRMAN):
            assert user.person.judge.court.code == account.court_code


@pytest.mark.django_db
def test_demo_admin_opens_the_django_admin(network: str, client: Client) -> None:
    assert client.login(username=DEMO_ADMIN.username, password=DEMO_PASSWORD)
    assert client.get("/en/admin/courts/court/").status_code == 200


@pytest.mark.django_db
def test_generated_chairmen_cannot_log_in_with_a_password(network: str) -> None:
    chairman = StaffPosition.objects.filter(role=StaffRole.CHAIRMAN, court__code="0200").get().user
    assert not chairman.has_usable_password()


@pytest.mark.django_db
def test_seed_demo_refuses_published_passwords_without_debug(monkeypatch: pytest.MonkeyPatch, settings: Any) -> None:
    settings.DEBUG = False
    monkeypatch.setattr("torelik.demo.management.commands.seed_demo.is_demo_loaded", lambda: False)
    before = _counts()
    with pytest.raises(CommandError, match="allow-published-password"):
        _seed()
    assert _counts() == before


# --- IINs of demo people ----------------------------------------------------------------------


class _ScriptedSerials(random.Random):
    """An RNG whose `randrange` returns the given serials in turn."""

    def __init__(self, serials: list[int]) -> None:
        super().__init__(0)
        self._serials = serials

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:
        return self._serials.pop(0)


def test_make_iin_skips_serials_without_a_check_digit_and_taken_numbers() -> None:
    birth, prefix = dt.date(1975, 3, 9), "7503094"
    unusable = next(s for s in range(10_000) if check_digit(f"{prefix}{s:04d}") is None)
    usable = [s for s in range(10_000) if check_digit(f"{prefix}{s:04d}") is not None][:2]
    first_valid = f"{prefix}{usable[0]:04d}{check_digit(f'{prefix}{usable[0]:04d}')}"
    taken = {first_valid}
    iin = make_iin(_ScriptedSerials([unusable, usable[0], usable[1]]), birth=birth, sex=Sex.FEMALE, taken=taken)
    parsed = IIN.parse(iin)
    assert iin.startswith(f"{prefix}{usable[1]:04d}")
    assert (parsed.birth_date, parsed.sex) == (birth, Sex.FEMALE)
    assert iin in taken


@pytest.mark.parametrize(
    ("year", "sex", "digit"), [(1961, Sex.MALE, "3"), (1990, Sex.FEMALE, "4"), (2001, Sex.MALE, "5")]
)
def test_make_iin_encodes_century_and_sex(year: int, sex: Sex, digit: str) -> None:
    birth = dt.date(year, 12, 31)
    iin = make_iin(random.Random(1), birth=birth, sex=sex, taken=set())  # noqa: S311
    assert iin[6] == digit
    assert IIN.parse(iin).sex is sex


# --- Loaders refuse bad registry files -----------------------------------------------------------


def _court(code: str, **fields: Any) -> dict[str, Any]:
    return {"code": code, "kind": "district", "name_kk": "Сот", "name_ru": "Суд", "name_en": "Court", **fields}


_REGION = {
    "code": "02",
    "kind": "oblast",
    "name_kk": "Ақмола облысы",
    "name_ru": "Акмолинская область",
    "name_en": "Akmola Region",
    "centre_kk": "Көкшетау",
    "centre_ru": "Кокшетау",
    "centre_en": "Kokshetau",
}


@pytest.mark.django_db
def test_registry_with_an_unknown_region_is_refused_whole() -> None:
    regions_before = Region.objects.count()
    data = {"regions": [{**_REGION, "code": "98"}], "courts": [_court("9810", region="99")]}
    with pytest.raises(CourtsError) as caught:
        import_court_registry(data=data)
    assert caught.value.code == CourtsErrorCode.UNKNOWN_REGION
    assert "9810" in caught.value.message
    assert Region.objects.count() == regions_before  # the region of the same file was rolled back


@pytest.mark.django_db
def test_registry_with_an_unknown_higher_court_is_refused() -> None:
    data = {"regions": [{**_REGION, "code": "98"}], "courts": [_court("9810", region="98", parent="9899")]}
    with pytest.raises(CourtsError) as caught:
        import_court_registry(data=data)
    assert caught.value.code == CourtsErrorCode.UNKNOWN_PARENT
    assert not Court.objects.filter(code="9810").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"regions": [], "courts": [_court("981")]},  # a court code has 4 digits
        {"regions": [], "courts": [_court("9810", kind="military")]},
        {"regions": [], "courts": [_court("9810", colour="red")]},  # unknown keys are refused
        {"regions": [{**_REGION, "code": "2"}], "courts": []},
        {"courts": []},
    ],
)
@pytest.mark.django_db
def test_registry_of_a_wrong_shape_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        import_court_registry(data=data)


def _category(code: str, **fields: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name_kk": "Еңбек даулары",
        "name_ru": "Трудовые споры",
        "name_en": "Labour disputes",
        "proceeding_type": "civil",
        "specialisation": "civil",
        **fields,
    }


@pytest.mark.django_db
def test_classifier_with_an_unknown_parent_is_refused() -> None:
    data = {"categories": [_category("149930000100000000", parent="149930000000000000")]}
    with pytest.raises(CourtsError) as caught:
        import_case_categories(data=data)
    assert caught.value.code == CourtsErrorCode.UNKNOWN_PARENT_CATEGORY
    assert not CaseCategory.objects.filter(code="149930000100000000").exists()


@pytest.mark.parametrize(
    "data",
    [
        {"categories": [_category("14993000010000000")]},  # 17 digits
        {"categories": [_category("149930000100000000", proceeding_type="tax")]},
        {"categories": [_category("149930000100000000", complexity="0.05")]},
        {"categories": [_category("149930000100000000", note="extra")]},
    ],
)
@pytest.mark.django_db
def test_classifier_of_a_wrong_shape_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        import_case_categories(data=data)
