"""Kazakh mobile numbers in E.164; landlines and foreign numbers refused with a clear message."""

import pytest
from django.utils import translation

from torelik.notifications.errors import InvalidPhoneError, NotificationErrorCode
from torelik.notifications.phones import normalise_phone


@pytest.mark.parametrize(
    "raw", ["8 701 123 45 67", "+7 (701) 1234567", "7011234567", "87011234567", "+7 701 123-45-67", " 8(701)1234567 "]
)
def test_the_ways_people_write_a_mobile_number_all_give_e164(raw: str) -> None:
    assert normalise_phone(raw) == "+77011234567"


def test_other_kazakh_operators_are_accepted() -> None:
    assert normalise_phone("8 777 555 12 34") == "+77775551234"  # Beeline
    assert normalise_phone("8 747 000 00 01") == "+77470000001"  # Tele2


def test_an_almaty_landline_is_refused_as_not_mobile() -> None:
    with pytest.raises(InvalidPhoneError) as refused:
        normalise_phone("8 727 250 12 34")
    assert refused.value.code == NotificationErrorCode.NOT_MOBILE
    with translation.override("en"):
        assert "landline" in refused.value.message


def test_a_russian_mobile_number_is_refused_as_foreign() -> None:
    with pytest.raises(InvalidPhoneError) as refused:
        normalise_phone("+7 916 123 45 67")
    assert refused.value.code == NotificationErrorCode.FOREIGN_PHONE


@pytest.mark.parametrize("raw", ["", "abc", "123", "+44 20", "8 701 123"])
def test_garbage_is_refused_as_invalid(raw: str) -> None:
    with pytest.raises(InvalidPhoneError) as refused:
        normalise_phone(raw)
    assert refused.value.code == NotificationErrorCode.INVALID_PHONE
    assert refused.value.http_status == 422


def test_the_refusal_is_translated() -> None:
    with pytest.raises(InvalidPhoneError) as refused:
        normalise_phone("abc")
    with translation.override("en"):
        assert refused.value.message == "abc is not a phone number. Enter it as +7 7XX XXX XX XX."
    with translation.override("ru"):
        assert refused.value.message == "abc — не номер телефона. Введите его в виде +7 7XX XXX XX XX."
