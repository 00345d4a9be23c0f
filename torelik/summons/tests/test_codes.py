"""Opening a subpoena with phone and code: the familiarisation journaled once, the lockout after 5
wrong tries per phone per hour, the same answer for an unknown phone, an expired code refused."""

import datetime as dt
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.core.errors import DomainError
from torelik.hearings.tests.factories import NOW
from torelik.notifications.errors import InvalidPhoneError
from torelik.summons.actions import open_subpoena
from torelik.summons.errors import CodeExpiredError, LockedError, SummonsErrorCode, WrongCodeError
from torelik.summons.models import CodeAttempt, Subpoena, SubpoenaStatus, SubpoenaView
from torelik.summons.tests.conftest import Outbox
from torelik.summons.tests.factories import (
    CLAIMANT_E164,
    CLAIMANT_PHONE,
    DEFENDANT_E164,
    UNKNOWN_PHONE,
    summoned,
)

pytestmark = pytest.mark.django_db
LATER = NOW + dt.timedelta(hours=2)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_phone_as_typed_and_code_open_the_subpoena_and_the_first_view_is_journaled_once(outbox: Outbox) -> None:
    summons = summoned()
    code = outbox.codes()[CLAIMANT_E164]
    with clock.frozen_at(LATER):
        subpoena = open_subpoena(phone=CLAIMANT_PHONE, code=f"{code[:3]} {code[3:]}", ip_address="10.0.0.7")
    assert subpoena.person == summons.claimant
    assert subpoena.status == SubpoenaStatus.VIEWED
    assert subpoena.first_viewed_at == LATER
    with clock.frozen_at(LATER + dt.timedelta(minutes=5)):
        open_subpoena(phone=CLAIMANT_E164, code=code)
    assert SubpoenaView.objects.filter(subpoena=subpoena).count() == 2
    viewed = CaseEvent.objects.filter(case=summons.case, kind=CaseEventKind.SUBPOENA_VIEWED)
    assert viewed.count() == 1
    event = viewed.get()
    assert event.occurred_at == LATER
    assert event.data["subpoena"] == subpoena.number
    assert event.data["person"] == str(summons.claimant.public_id)
    # The other participant has not looked yet.
    assert Subpoena.objects.get(phone=DEFENDANT_E164).first_viewed_at is None


def test_a_code_opens_only_the_subpoena_of_its_own_phone(outbox: Outbox) -> None:
    summoned()
    with clock.frozen_at(LATER), pytest.raises(WrongCodeError):
        open_subpoena(phone=CLAIMANT_E164, code=outbox.codes()[DEFENDANT_E164])


def test_five_wrong_codes_lock_the_phone_for_an_hour_then_it_opens(outbox: Outbox) -> None:
    summoned()
    code = outbox.codes()[CLAIMANT_E164]
    start = LATER
    for attempt in range(4):
        with clock.frozen_at(start + dt.timedelta(minutes=attempt)), pytest.raises(WrongCodeError) as caught:
            open_subpoena(phone=CLAIMANT_E164, code=wrong(code))
        assert caught.value.params["left"] == 4 - attempt
    with clock.frozen_at(start + dt.timedelta(minutes=4)), pytest.raises(LockedError) as locked:
        open_subpoena(phone=CLAIMANT_E164, code=wrong(code))
    assert locked.value.http_status == 429
    # Locked: even the right code is refused, and the lock does not grow with more tries.
    with clock.frozen_at(start + dt.timedelta(minutes=30)), pytest.raises(LockedError):
        open_subpoena(phone=CLAIMANT_E164, code=code)
    assert CodeAttempt.objects.count() == 5
    # The first failure was at `start`: an hour later the window holds four, and the code opens.
    with clock.frozen_at(start + dt.timedelta(minutes=60, seconds=1)):
        assert open_subpoena(phone=CLAIMANT_E164, code=code).phone == CLAIMANT_E164


def test_the_lockout_says_until_when_in_the_countrys_local_time(outbox: Outbox) -> None:
    summoned()
    code = outbox.codes()[CLAIMANT_E164]
    for attempt in range(5):
        with clock.frozen_at(LATER + dt.timedelta(minutes=attempt)), pytest.raises(DomainError):
            open_subpoena(phone=CLAIMANT_E164, code=wrong(code))
    with clock.frozen_at(LATER + dt.timedelta(minutes=10)), pytest.raises(LockedError) as locked:
        open_subpoena(phone=CLAIMANT_E164, code=code)
    until = LATER + dt.timedelta(hours=1)  # an hour after the first of the five failures
    almaty = until.astimezone(ZoneInfo("Asia/Almaty"))  # UTC+5, as the court pages show times
    assert f"{almaty:%d.%m.%Y %H:%M}" in locked.value.message
    assert f"{until.astimezone(dt.UTC):%H:%M}" not in locked.value.message


def test_the_lock_is_per_phone(outbox: Outbox) -> None:
    summoned()
    for minute in range(5):
        with clock.frozen_at(LATER + dt.timedelta(minutes=minute)), pytest.raises(DomainError):
            open_subpoena(phone=CLAIMANT_E164, code="000000")
    with clock.frozen_at(LATER + dt.timedelta(minutes=6)):
        open_subpoena(phone=DEFENDANT_E164, code=outbox.codes()[DEFENDANT_E164])


def _refusal(phone: str, code: str) -> tuple[DomainError, list[str]]:
    with CaptureQueriesContext(connection) as queries, clock.frozen_at(LATER), pytest.raises(DomainError) as caught:
        open_subpoena(phone=phone, code=code)
    # The statement without its values (and without the generated savepoint names).
    shapes = [re.sub(r"\"s\d+_x\d+\"|'[^']*'|%s|\d+", "?", q["sql"]) for q in queries.captured_queries]
    return caught.value, shapes


def test_an_unknown_phone_gets_the_same_answer_and_the_same_work_as_a_wrong_code(outbox: Outbox) -> None:
    summoned()
    code = outbox.codes()[CLAIMANT_E164]
    unknown, unknown_queries = _refusal(UNKNOWN_PHONE, code)
    known, known_queries = _refusal(CLAIMANT_E164, wrong(code))
    assert type(unknown) is type(known) is WrongCodeError
    assert unknown.as_dict() == known.as_dict()
    assert unknown.code == SummonsErrorCode.WRONG_CODE
    # The same statements run either way (no early return that a stopwatch could tell apart).
    assert unknown_queries == known_queries


def test_an_expired_code_is_refused_clearly_and_is_not_a_wrong_try(outbox: Outbox) -> None:
    summoned()
    code = outbox.codes()[CLAIMANT_E164]
    subpoena = Subpoena.objects.get(phone=CLAIMANT_E164)
    with clock.frozen_at(subpoena.code_expires_at + dt.timedelta(minutes=1)), pytest.raises(CodeExpiredError) as caught:
        open_subpoena(phone=CLAIMANT_E164, code=code)
    assert caught.value.http_status == 410
    assert caught.value.code == SummonsErrorCode.CODE_EXPIRED
    assert "31.12.2026" in caught.value.message
    assert not CodeAttempt.objects.exists()
    assert not CaseEvent.objects.filter(kind=CaseEventKind.SUBPOENA_VIEWED).exists()


@pytest.mark.parametrize("phone", ["12345", "+7 7172 71 01 01", "not a phone"])
def test_a_number_that_is_no_kazakh_mobile_is_refused_before_any_try_is_counted(phone: str) -> None:
    with pytest.raises(InvalidPhoneError) as caught:
        open_subpoena(phone=phone, code="123456")
    assert caught.value.http_status == 422
    assert not CodeAttempt.objects.exists()


def test_a_code_sent_before_the_secret_key_was_rotated_still_opens_its_subpoena(outbox: Outbox, settings: Any) -> None:
    summoned()
    code = outbox.codes()[CLAIMANT_E164]
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-new-secret-key-" + "x" * 40
    with clock.frozen_at(LATER), pytest.raises(WrongCodeError):
        open_subpoena(phone=CLAIMANT_E164, code=code)  # the old key forgotten: the code is lost
    settings.SECRET_KEY_FALLBACKS = [old_key]
    with clock.frozen_at(LATER + dt.timedelta(minutes=1)):
        assert open_subpoena(phone=CLAIMANT_E164, code=code).phone == CLAIMANT_E164


def test_one_address_trying_codes_for_many_phones_is_locked_out_and_others_are_not(outbox: Outbox) -> None:
    summoned()
    code = outbox.codes()[DEFENDANT_E164]
    for n in range(20):  # TORELIK_CODE_ADDRESS_ATTEMPTS: four tries each for five phones, none locked per phone
        phone = f"+7701555{n // 4:04d}"
        with clock.frozen_at(LATER + dt.timedelta(seconds=n)), pytest.raises(DomainError):  # the 20th: locked
            open_subpoena(phone=phone, code="000000", ip_address="203.0.113.9")
    with clock.frozen_at(LATER + dt.timedelta(minutes=1)), pytest.raises(LockedError):
        open_subpoena(phone=DEFENDANT_E164, code=code, ip_address="203.0.113.9")
    with clock.frozen_at(LATER + dt.timedelta(minutes=1)):  # the addressee, from their own address
        assert open_subpoena(phone=DEFENDANT_E164, code=code, ip_address="198.51.100.4").phone == DEFENDANT_E164


def test_a_new_code_for_the_phone_lifts_the_lock_a_guesser_caused(outbox: Outbox) -> None:
    summoned()
    old = outbox.codes()[CLAIMANT_E164]
    for minute in range(5):
        with clock.frozen_at(LATER + dt.timedelta(minutes=minute)), pytest.raises(DomainError):
            open_subpoena(phone=CLAIMANT_E164, code=wrong(old), ip_address="203.0.113.9")
    with clock.frozen_at(LATER + dt.timedelta(minutes=6)), pytest.raises(LockedError):
        open_subpoena(phone=CLAIMANT_E164, code=old)
    summoned("0216")  # another subpoena to the same phone: a new code by SMS
    new = outbox.codes()[CLAIMANT_E164]
    assert new != old
    with clock.frozen_at(LATER + dt.timedelta(minutes=7)):
        assert open_subpoena(phone=CLAIMANT_E164, code=new, ip_address="198.51.100.4").phone == CLAIMANT_E164
