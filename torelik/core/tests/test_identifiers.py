"""IIN and BIN against the public test vectors of shared/domain/kazakhstan.md."""

import datetime as dt

import pytest
from django.utils import translation

from torelik.core.identifiers import BIN, IIN, EntityType, EntityUnit, IdentifierError, IdentifierErrorCode, Sex

VALID_IINS = [
    "871008401427",
    "760212350620",
    "800416300257",
    "680503450037",
    "800416100254",
    "791028302728",
    "061211600012",
]
VALID_BINS = ["940140000385", "950341000052", "961141000023", "070941024691", "990140004654"]


@pytest.mark.parametrize("value", VALID_IINS)
def test_public_valid_iins_are_accepted(value: str) -> None:
    assert IIN.parse(value).value == value


@pytest.mark.parametrize("value", VALID_BINS)
def test_public_valid_bins_are_accepted(value: str) -> None:
    assert BIN.parse(value).value == value


def test_wrong_check_digit_is_refused_with_that_reason() -> None:
    with pytest.raises(IdentifierError) as refused:
        IIN.parse("010101600586")
    assert refused.value.code == IdentifierErrorCode.CHECK_DIGIT


def test_number_whose_both_passes_give_ten_is_never_valid() -> None:
    # 821214240092: the second weighting also leaves 10, so no such number is issued
    # (some public code returns 0 here, which is the Russian OKPO rule).
    with pytest.raises(IdentifierError) as refused:
        IIN.parse("821214240092")
    assert refused.value.code == IdentifierErrorCode.UNUSABLE


def test_birth_date_and_sex_come_from_the_iin() -> None:
    assert IIN.parse("871008401427").birth_date == dt.date(1987, 10, 8)
    assert IIN.parse("871008401427").sex is Sex.FEMALE  # digit 7 = 4: 1900s, female
    assert IIN.parse("800416100254").birth_date == dt.date(1880, 4, 16)  # digit 7 = 1: 1800s
    assert IIN.parse("800416100254").sex is Sex.MALE
    assert IIN.parse("061211600012").birth_date == dt.date(2006, 12, 11)  # digit 7 = 6: 2000s, female
    assert IIN.parse("061211600012").sex is Sex.FEMALE


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("87100840142", IdentifierErrorCode.LENGTH),
        ("8710084014271", IdentifierErrorCode.LENGTH),
        ("87100840142A", IdentifierErrorCode.NOT_DIGITS),
        ("８７１００８４０１４２７", IdentifierErrorCode.NOT_DIGITS),  # full-width digits are not ASCII digits
        ("871008001427", IdentifierErrorCode.CENTURY),  # digit 7 = 0 is not assigned
        ("871008901427", IdentifierErrorCode.CENTURY),
        ("871308401427", IdentifierErrorCode.BIRTH_DATE),  # month 13
        ("870230401427", IdentifierErrorCode.BIRTH_DATE),  # 30 February
        ("940140000385", IdentifierErrorCode.IS_A_BIN),
    ],
)
def test_impossible_iins_are_refused_with_the_reason(value: str, code: IdentifierErrorCode) -> None:
    with pytest.raises(IdentifierError) as refused:
        IIN.parse(value)
    assert refused.value.code == code


def test_birth_date_in_the_future_is_impossible() -> None:
    with pytest.raises(IdentifierError) as refused:
        IIN.parse("061211600012", today=dt.date(2006, 12, 10))
    assert refused.value.code == IdentifierErrorCode.BIRTH_DATE


def test_bin_tells_entity_type_unit_and_registration() -> None:
    head_office = BIN.parse("940140000385")
    assert head_office.entity_type is EntityType.RESIDENT
    assert head_office.unit is EntityUnit.HEAD_OFFICE
    assert head_office.registered == (1994, 1)
    branch = BIN.parse("070941024691")
    assert branch.unit is EntityUnit.BRANCH
    assert branch.registered == (2007, 9)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("871008401427", IdentifierErrorCode.ENTITY_TYPE),  # an IIN: digit 5 is a day's tens digit
        ("941340000385", IdentifierErrorCode.REGISTRATION_DATE),
        ("940140000386", IdentifierErrorCode.CHECK_DIGIT),
        ("9401400003", IdentifierErrorCode.LENGTH),
    ],
)
def test_wrong_bins_are_refused_with_the_reason(value: str, code: IdentifierErrorCode) -> None:
    with pytest.raises(IdentifierError) as refused:
        BIN.parse(value)
    assert refused.value.code == code


def test_refusal_speaks_the_users_language() -> None:
    with pytest.raises(IdentifierError) as refused:
        IIN.parse("010101600586")
    messages = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            messages[language] = refused.value.message
    assert "check digit" in messages["en"]
    assert "контрольн" in messages["ru"]
    assert "бақылау" in messages["kk"]
    assert all("010101600586" in message for message in messages.values())
