"""Who the demo cases are about: invented people and organisations with valid IINs and BINs, and
which of them are parties to a case of a given category (a bank sues a borrower, the police bring
an offence protocol, a prosecutor an indictment).

Lawyers, prosecutors, banks, companies and state bodies come back from case to case, as they do
in a real court. Names come from the court network's demo generator.
"""

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from torelik.cases.demo.documents import KK, RU, Participant
from torelik.cases.models import PartyRole
from torelik.core.identifiers import Sex, check_digit
from torelik.courts.demo import _draw_mobile as draw_mobile
from torelik.courts.demo import _draw_name as draw_name
from torelik.courts.demo import make_iin
from torelik.courts.models import CaseCategory, ProceedingType, Specialisation

P = ProceedingType
Spec = Specialisation
T = TypeVar("T")


def by_prefix(table: Mapping[str, T], code: str, default: T) -> T:
    """The entry of the longest prefix of a category code in `table`."""
    matches = [prefix for prefix in table if code.startswith(prefix)]
    return table[max(matches, key=len)] if matches else default


# Claimant and defendant of civil categories by the longest matching code prefix: person, company,
# bank, utility or body:<kind>; `a|b` draws one; no defendant in special proceedings.
_CIVIL_SIDES: dict[str, tuple[str, str]] = {
    "142": ("person", "person|company"), "14201": ("person|company", "person|company"),
    "1420100003": ("bank", "person"), "1420100006": ("company|bank", "person"), "14203": ("person", "company"),
    "1420300003": ("company", "person"), "14204": ("person", "person"), "1420500001": ("body:akimat|person", "person"),
    "1420500003": ("utility", "person"), "14207": ("person", "company"), "1420700003": ("person", "bank"),
    "14209": ("company", "company"), "1420900004": ("body:revenue", "company"), "1420900005": ("company", ""),
    "142095": ("person", ""), "142097": ("company|bank", "person"), "1420970002": ("person", "person"),
    "1420970003": ("person", "company"),
}  # fmt: skip
_ALIMONY = frozenset({"142040000200000000", "142097000200000000"})
# Victims of crimes by code prefix: person, or body:<kind>; none where the crime has no victim.
_VICTIMS: dict[str, str] = {
    "144": "person",
    "144008": "body:revenue",
    "144015": "body:akimat",
    "144011": "",
    "1440140002": "",
}
# The state body a category concerns, by code prefix.
_BODY_OF: dict[str, str] = {
    "143": "akimat", "14301": "revenue", "14302": "land", "14303": "migration", "14304": "social", "14305": "audit",
    "14306": "architecture", "145": "police", "14504": "migration", "14506": "revenue", "1450800002": "justice",
}  # fmt: skip


_STREETS = (
    "Абая", "Толе би", "Сатпаева", "Жамбыла", "Достык", "Кабанбай батыра", "Богенбай батыра", "Желтоксан",
    "Ауэзова", "Байтурсынова", "Сейфуллина", "Республики", "Момышулы", "Рыскулова", "Жибек жолы", "Бухар жырау",
)  # fmt: skip
_COMPANY_WORDS = (
    "Алтын", "Сарыжайлау", "Каспий Жол", "Жетісу", "Алатау", "Нұрлы Бақ", "Ақ Жол", "Көктем", "Сапа", "Атамекен",
    "Тұлпар", "Шығыс", "Батыс", "Арман", "Бірлік", "Ертіс", "Есіл", "Даму", "Мерей", "Самал", "Жұлдыз", "Достар",
)  # fmt: skip
_COMPANY_TRADES = (
    "Строй", "Құрылыс", "Логистик", "Агро", "Трейд", "Сервис", "Энерго", "Транс", "Фарм", "Инвест", "Снаб",
    "Техно", "Девелопмент", "Маркет", "Азық", "Мебель",
)  # fmt: skip
# Invented lenders (no real bank's name).
_BANKS = ("Дала Финанс Банк", "Көкжиек Банк", "Тұмар Банк", "Ақсай Кредит Банк")
_MFOS = ("Жылдам Ақша", "Сенім Кредит")
# State bodies that are parties to administrative and offence cases: (Russian, Kazakh) names.
_BODIES: dict[str, tuple[str, str]] = {
    "police": ("ГУ «Управление полиции г. {c}»", "«{c} қаласының полиция басқармасы» ММ"),
    "revenue": (
        "РГУ «Управление государственных доходов по г. {c}»",
        "«{c} қаласы бойынша мемлекеттік кірістер басқармасы» РММ",
    ),
    "akimat": ("ГУ «Аппарат акима г. {c}»", "«{c} қаласы әкімінің аппараты» ММ"),
    "land": ("ГУ «Отдел земельных отношений г. {c}»", "«{c} қаласының жер қатынастары бөлімі» ММ"),
    "social": (
        "ГУ «Отдел занятости и социальных программ г. {c}»",
        "«{c} қаласының жұмыспен қамту және әлеуметтік бағдарламалар бөлімі» ММ",
    ),
    "migration": ("ГУ «Управление миграционной службы г. {c}»", "«{c} қаласының көші-қон қызметі басқармасы» ММ"),
    "architecture": (
        "ГУ «Отдел архитектуры и градостроительства г. {c}»",
        "«{c} қаласының сәулет және қала құрылысы бөлімі» ММ",
    ),
    "audit": (
        "РГУ «Департамент внутреннего государственного аудита по г. {c}»",
        "«{c} қаласы бойынша ішкі мемлекеттік аудит департаменті» РММ",
    ),
    "justice": ("РГУ «Департамент юстиции г. {c}»", "«{c} қаласының әділет департаменті» РММ"),
}


@dataclass(frozen=True)
class Place:
    code: str
    centre_kk: str
    centre_ru: str

    def centre(self, lang: str) -> str:
        return self.centre_kk if lang == KK else self.centre_ru


def make_bin(rng: random.Random, *, registered: dt.date, kind: str = "4", unit: str = "0", taken: set[str]) -> str:
    """A valid BIN `YYMM T A NNNNN K` for that month of registration, entity type and unit, not in
    `taken` (and add it there). Serials without a computable check digit are skipped."""
    while True:
        first_eleven = f"{registered:%y%m}{kind}{unit}{rng.randrange(100_000):05d}"
        digit = check_digit(first_eleven)
        if digit is None:
            continue
        value = f"{first_eleven}{digit}"
        if value not in taken:
            taken.add(value)
            return value


class Role(NamedTuple):
    role: str
    who: Participant
    represents: int | None = None
    attorney: bool = False  # brings a power of attorney (a lawyer's warrant in a criminal case)


class Cast:
    """Draws the people and organisations of the cases. Lawyers, prosecutors, banks, companies and
    state bodies come back from case to case, as they do in a real court."""

    def __init__(self, seed: int, taken: set[str]) -> None:
        self.rng = random.Random(f"{seed}:cases:people")  # noqa: S311 - demo data, not secrets
        self.taken = taken
        self._pools: dict[tuple[str, str], list[Participant]] = defaultdict(list)

    def _address(self, place: Place, *, office: bool) -> tuple[str, str]:
        street, house, room = self.rng.choice(_STREETS), self.rng.randint(1, 180), self.rng.randint(1, 240)
        ru, kk = (f"оф. {room}", f"{room}-кеңсе") if office else (f"кв. {room}", f"{room}-пәтер")
        return (
            f"г. {place.centre_ru}, ул. {street}, д. {house}, {ru}",
            f"{place.centre_kk} қ., {street} к-сі, {house}-үй, {kk}",
        )

    def person(self, place: Place, *, born: tuple[int, int] = (1955, 2003), sex: Sex | None = None) -> Participant:
        sex = sex or self.rng.choice((Sex.MALE, Sex.FEMALE))
        first, last = dt.date(born[0], 1, 1).toordinal(), dt.date(born[1], 12, 31).toordinal()
        birth = dt.date.fromordinal(self.rng.randint(first, last))
        name = draw_name(self.rng, sex)
        address_ru, address_kk = self._address(place, office=False)
        full = " ".join(part for part in (name.surname, name.given_name, name.patronymic) if part)
        return Participant(
            identifier=make_iin(self.rng, birth=birth, sex=sex, taken=self.taken),
            name_ru=full,
            name_kk=full,
            phone=draw_mobile(self.rng),
            address_ru=address_ru,
            address_kk=address_kk,
            language=str(name.language),
            surname=name.surname,
            given_name=name.given_name,
            patronymic=name.patronymic,
            sex=sex,
        )

    def _organisation(self, place: Place, name_ru: str, name_kk: str, *, since: tuple[int, int]) -> Participant:
        registered = dt.date(self.rng.randint(*since), self.rng.randint(1, 12), 1)
        # Mostly resident head offices; a few branches and non-residents.
        kind = "5" if self.rng.random() < 0.03 else "4"
        unit = "1" if self.rng.random() < 0.08 else "0"
        address_ru, address_kk = self._address(place, office=True)
        return Participant(
            identifier=make_bin(self.rng, registered=registered, kind=kind, unit=unit, taken=self.taken),
            name_ru=name_ru,
            name_kk=name_kk,
            phone=draw_mobile(self.rng),
            address_ru=address_ru,
            address_kk=address_kk,
            language=KK if self.rng.random() < 0.5 else RU,
        )

    def _pooled(self, key: tuple[str, str], size: int, make: Callable[[], Participant]) -> Participant:
        pool = self._pools[key]
        if len(pool) < size:
            pool.append(make())
            return pool[-1]
        return self.rng.choice(pool)

    def company(self, place: Place) -> Participant:
        def make() -> Participant:
            words = f"{self.rng.choice(_COMPANY_WORDS)} {self.rng.choice(_COMPANY_TRADES)}"
            ru, kk = ("АО", "АҚ") if self.rng.random() < 0.15 else ("ТОО", "ЖШС")
            return self._organisation(place, f"{ru} «{words}»", f"«{words}» {kk}", since=(1996, 2023))

        return self._pooled((place.code, "company"), 40, make)

    def bank(self, place: Place) -> Participant:
        def make() -> Participant:
            index = len(self._pools[("", "bank")])
            if index < len(_BANKS):
                name = _BANKS[index]
                return self._organisation(place, f"АО «{name}»", f"«{name}» АҚ", since=(1994, 2008))
            name = _MFOS[index % len(_MFOS)]
            return self._organisation(place, f"ТОО «МФО {name}»", f"«{name} МҚҰ» ЖШС", since=(2012, 2020))

        return self._pooled(("", "bank"), len(_BANKS) + len(_MFOS), make)

    def utility(self, place: Place) -> Participant:
        def make() -> Participant:
            words = f"Коммунал Сервис {place.centre_ru}"
            return self._organisation(place, f"ТОО «{words}»", f"«{words}» ЖШС", since=(2000, 2012))

        return self._pooled((place.code, "utility"), 1, make)

    def body(self, place: Place, kind: str) -> Participant:
        ru, kk = _BODIES[kind]
        make = lambda: self._organisation(  # noqa: E731
            place, ru.format(c=place.centre_ru), kk.format(c=place.centre_kk), since=(1997, 2005)
        )
        return self._pooled((place.code, f"body:{kind}"), 1, make)

    def lawyer(self, place: Place) -> Participant:
        return self._pooled((place.code, "lawyer"), 12, lambda: self.person(place, born=(1960, 1995)))

    def prosecutor(self, place: Place) -> Participant:
        return self._pooled((place.code, "prosecutor"), 6, lambda: self.person(place, born=(1970, 1996)))

    def draw(self, kind: str, place: Place, *, sex: Sex | None = None) -> Participant:
        """`person`, `company`, `bank`, `utility`, `body:<kind>`, or alternatives `a|b`."""
        kind = self.rng.choice(kind.split("|"))
        if kind.startswith("body:"):
            return self.body(place, kind.removeprefix("body:"))
        if kind == "person":
            return self.person(place, sex=sex)
        makers: dict[str, Callable[[Place], Participant]] = {
            "company": self.company,
            "bank": self.bank,
            "utility": self.utility,
        }
        return makers[kind](place)

    def parties(self, proceeding_type: str, category: CaseCategory, place: Place) -> tuple[list[Role], str, int]:
        """The parties, the type of the filing and who files it (an index into the parties)."""
        rng, code = self.rng, category.code
        if proceeding_type == P.CIVIL:
            claimant_kind, defendant_kind = by_prefix(_CIVIL_SIDES, code, ("person", "person"))
            female = code in _ALIMONY or (code.startswith("14204") and rng.random() < 0.6)
            special = not defendant_kind
            roles = [
                Role(
                    PartyRole.APPLICANT if special else PartyRole.CLAIMANT,
                    self.draw(claimant_kind, place, sex=Sex.FEMALE if female else None),
                )
            ]
            if defendant_kind:
                defendant = self.draw(defendant_kind, place)
                while defendant.identifier == roles[0].who.identifier:
                    defendant = self.draw(defendant_kind, place)
                roles.append(Role(PartyRole.DEFENDANT, defendant))
            self._represent(roles, 0, place, chance=0.25 if roles[0].who.is_person else 0.45)
            filing = (
                "court_order_application"
                if code.startswith("142097")
                else "special_proceedings_application"
                if code.startswith("142095")
                else "claim"
            )
            return roles, filing, 0
        if proceeding_type == P.ADMINISTRATIVE:
            claimant = self.person(place) if rng.random() < 0.65 else self.company(place)
            body = self.body(place, by_prefix(_BODY_OF, code, "akimat"))
            roles = [Role(PartyRole.CLAIMANT, claimant), Role(PartyRole.DEFENDANT, body)]
            self._represent(roles, 0, place, chance=0.3)
            return roles, "complaint", 0
        if proceeding_type == P.ADMINISTRATIVE_OFFENCE:
            juvenile = code == "145090000000000000"
            if category.specialisation == Spec.ECONOMIC:
                offender = self.company(place)
            else:
                offender = self.person(place, born=(2009, 2011) if juvenile else (1960, 2005))
            body = self.body(place, by_prefix(_BODY_OF, code, "police"))
            roles = [Role(PartyRole.APPLICANT, body), Role(PartyRole.DEFENDANT, offender)]
            if code == "145010000100000000":  # domestic violence
                roles.append(Role(PartyRole.VICTIM, self.person(place)))
            if juvenile:  # a parent, the legal representative: no power of attorney needed
                roles.append(Role(PartyRole.REPRESENTATIVE, self.person(place, born=(1970, 1990)), represents=1))
            elif rng.random() < 0.1:
                self._represent(roles, 1, place, chance=1.0)
            return roles, "offence_protocol", 0
        if category.specialisation == Spec.INVESTIGATIVE:
            if code == "144095000300000000":  # a complaint against the investigator
                roles = [
                    Role(PartyRole.APPLICANT, self.person(place)),
                    Role(PartyRole.PROSECUTOR, self.prosecutor(place)),
                ]
            else:  # the prosecutor asks to sanction a measure of restraint
                roles = [
                    Role(PartyRole.PROSECUTOR, self.prosecutor(place)),
                    Role(PartyRole.ACCUSED, self.person(place, born=(1960, 2005))),
                ]
            return roles, "petition", 0
        juvenile = category.specialisation == Spec.JUVENILE
        accused = self.person(place, born=(2009, 2011) if juvenile else (1960, 2005))
        roles = [Role(PartyRole.PROSECUTOR, self.prosecutor(place)), Role(PartyRole.ACCUSED, accused)]
        victim = by_prefix(_VICTIMS, code, "person")
        if victim:
            roles.append(Role(PartyRole.VICTIM, self.draw(victim, place)))
        if juvenile:
            roles.append(Role(PartyRole.REPRESENTATIVE, self.person(place, born=(1970, 1990)), represents=1))
        if rng.random() < 0.65:
            roles.append(Role(PartyRole.LAWYER, self.lawyer(place), represents=1, attorney=True))
        return roles, "indictment", 0

    def _represent(self, roles: list[Role], index: int, place: Place, *, chance: float) -> None:
        if self.rng.random() >= chance:
            return
        if roles[index].who.is_person:
            roles.append(Role(PartyRole.LAWYER, self.lawyer(place), represents=index, attorney=True))
        else:  # an employee of the organisation
            agent = self.person(place, born=(1970, 1998))
            roles.append(Role(PartyRole.REPRESENTATIVE, agent, represents=index, attorney=True))
