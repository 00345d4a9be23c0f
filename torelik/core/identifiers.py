"""IIN and BIN, the 12-digit identifiers of people and legal entities in Kazakhstan.

Check digit: Government Decree No. 406 of 22 May 2007 (see shared/domain/kazakhstan.md).
"""

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from torelik.core import clock
from torelik.core.errors import DomainError

_FIRST_WEIGHTS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
_SECOND_WEIGHTS = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
# Digit 7 of an IIN: century of birth and sex. 0, 7, 8 and 9 are not assigned.
_CENTURY_AND_SEX = {
    "1": (1800, "M"),
    "2": (1800, "F"),
    "3": (1900, "M"),
    "4": (1900, "F"),
    "5": (2000, "M"),
    "6": (2000, "F"),
}


class IdentifierErrorCode(StrEnum):
    LENGTH = "identifier_length"
    NOT_DIGITS = "identifier_not_digits"
    CHECK_DIGIT = "identifier_check_digit"
    UNUSABLE = "identifier_unusable"
    CENTURY = "iin_century"
    BIRTH_DATE = "iin_birth_date"
    IS_A_BIN = "iin_is_a_bin"
    ENTITY_TYPE = "bin_entity_type"
    UNIT = "bin_unit"
    REGISTRATION_DATE = "bin_registration_date"


class IdentifierError(DomainError):
    http_status = 422


class Sex(StrEnum):
    MALE = "M"
    FEMALE = "F"


class EntityType(StrEnum):
    RESIDENT = "4"
    NON_RESIDENT = "5"
    JOINT_BUSINESS = "6"


class EntityUnit(StrEnum):
    HEAD_OFFICE = "0"
    BRANCH = "1"
    REPRESENTATIVE_OFFICE = "2"
    PEASANT_FARM = "3"


def check_digit(first_eleven: str) -> int | None:
    """The 12th digit for these 11, or None when both passes give 10 (the number is never issued)."""
    digits = [int(c) for c in first_eleven]
    for weights in (_FIRST_WEIGHTS, _SECOND_WEIGHTS):
        remainder = sum(d * w for d, w in zip(digits, weights, strict=True)) % 11
        if remainder != 10:
            return remainder
    return None


def _check_shape_and_digit(value: str, kind: "str | Promise") -> str:
    value = value.strip()
    if len(value) != 12:
        raise IdentifierError(
            IdentifierErrorCode.LENGTH,
            _("%(kind)s must have 12 digits, %(count)s given."),
            params={"kind": kind, "count": len(value)},
        )
    if not value.isascii() or not value.isdigit():
        raise IdentifierError(
            IdentifierErrorCode.NOT_DIGITS,
            _("%(kind)s must consist of digits only."),
            params={"kind": kind},
        )
    expected = check_digit(value[:11])
    if expected is None:
        raise IdentifierError(
            IdentifierErrorCode.UNUSABLE,
            _("%(kind)s %(value)s cannot exist: its check digit cannot be computed."),
            params={"kind": kind, "value": value},
        )
    if expected != int(value[11]):
        raise IdentifierError(
            IdentifierErrorCode.CHECK_DIGIT,
            _("%(kind)s %(value)s has a wrong check digit: probably a typing error."),
            params={"kind": kind, "value": value},
        )
    return value


@dataclass(frozen=True, slots=True)
class IIN:
    """Individual identification number: `YYMMDD C NNNN K`."""

    value: str

    @classmethod
    def parse(cls, raw: str, *, today: dt.date | None = None) -> "IIN":
        value = raw.strip()
        # Validate shape first so that the reason given is the most basic one.
        if len(value) == 12 and value.isascii() and value.isdigit():
            if value[4] in "456":
                raise IdentifierError(
                    IdentifierErrorCode.IS_A_BIN,
                    _("%(value)s is a business identification number (BIN), not an IIN."),
                    params={"value": value},
                )
            if value[6] not in _CENTURY_AND_SEX:
                raise IdentifierError(
                    IdentifierErrorCode.CENTURY,
                    _("Digit 7 of an IIN must be 1 to 6 (century of birth and sex), not %(digit)s."),
                    params={"digit": value[6]},
                )
            birth = _birth_date(value)
            if birth is None or birth > (today or clock.today()):
                raise IdentifierError(
                    IdentifierErrorCode.BIRTH_DATE,
                    _("IIN %(value)s begins with an impossible birth date."),
                    params={"value": value},
                )
        return cls(_check_shape_and_digit(value, _("IIN")))

    @property
    def birth_date(self) -> dt.date:
        birth = _birth_date(self.value)
        if birth is None:  # pragma: no cover - parse() refused it
            raise ValueError(self.value)
        return birth

    @property
    def sex(self) -> Sex:
        return Sex(_CENTURY_AND_SEX[self.value[6]][1])

    def __str__(self) -> str:
        return self.value


def _birth_date(value: str) -> dt.date | None:
    century = _CENTURY_AND_SEX.get(value[6])
    if century is None:
        return None
    try:
        return dt.date(century[0] + int(value[0:2]), int(value[2:4]), int(value[4:6]))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class BIN:
    """Business identification number: `YYMM T A NNNNN K`."""

    value: str

    @classmethod
    def parse(cls, raw: str) -> "BIN":
        value = raw.strip()
        if len(value) == 12 and value.isascii() and value.isdigit():
            month = int(value[2:4])
            if not 1 <= month <= 12:
                raise IdentifierError(
                    IdentifierErrorCode.REGISTRATION_DATE,
                    _("BIN %(value)s has an impossible registration month."),
                    params={"value": value},
                )
            if value[4] not in {t.value for t in EntityType}:
                raise IdentifierError(
                    IdentifierErrorCode.ENTITY_TYPE,
                    _("Digit 5 of a BIN must be 4, 5 or 6 (type of entity), not %(digit)s."),
                    params={"digit": value[4]},
                )
            if value[5] not in {u.value for u in EntityUnit}:
                raise IdentifierError(
                    IdentifierErrorCode.UNIT,
                    _("Digit 6 of a BIN must be 0 to 3 (head office, branch...), not %(digit)s."),
                    params={"digit": value[5]},
                )
        return cls(_check_shape_and_digit(value, _("BIN")))

    @property
    def registered(self) -> tuple[int, int]:
        """Year and month of registration (two-digit years up to the current one are 2000s)."""
        yy, month = int(self.value[0:2]), int(self.value[2:4])
        this_year = clock.today().year % 100
        return (2000 + yy if yy <= this_year else 1900 + yy), month

    @property
    def entity_type(self) -> EntityType:
        return EntityType(self.value[4])

    @property
    def unit(self) -> EntityUnit:
        return EntityUnit(self.value[5])

    def __str__(self) -> str:
        return self.value


def is_bin(value: str) -> bool:
    """Tell a BIN from an IIN by digit 5 (an IIN has the tens of the birth day there, 0 to 3)."""
    return len(value) == 12 and value[4] in "456"
