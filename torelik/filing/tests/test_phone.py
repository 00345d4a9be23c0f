"""A person's own mobile number on record: given in the Judicial Office, confirmed by the code sent to it;
the PSC's codes then go there. Nobody else can put a number on someone's record."""

import datetime as dt

import pytest
from django.test import Client

from torelik.cases.tests.factories import CLAIMANT_IIN
from torelik.core import clock
from torelik.filing import actions
from torelik.filing.actions import phone
from torelik.filing.errors import FilingError, FilingErrorCode, TooManyCodesError
from torelik.filing.models import PhoneConfirmation
from torelik.filing.tests.conftest import FILED, citizen
from torelik.identity.models import AccountKind, Person, User
from torelik.notifications.models import Message

pytestmark = pytest.mark.django_db


def _code(confirmation: PhoneConfirmation) -> str:
    message = Message.objects.get(cause=f"phone-confirmation:{confirmation.pk}")
    assert message.recipient_phone == confirmation.phone
    return str(message.payload["code"])


def test_a_person_puts_their_own_phone_on_record_with_the_code_sent_to_it() -> None:
    user = citizen(CLAIMANT_IIN)
    with clock.frozen_at(FILED):
        confirmation = actions.send_phone_code(user=user, phone="8 (702) 555 12 34")
        assert confirmation.phone == "+77025551234"
        assert Person.objects.get(iin=CLAIMANT_IIN).phone == "+77011234567"  # nothing changes before the code
        code = _code(confirmation)
        with pytest.raises(FilingError) as wrong:
            actions.confirm_phone(user=user, code="000000" if code != "000000" else "111111")
        assert wrong.value.code == FilingErrorCode.PHONE_CODE_WRONG
        person = actions.confirm_phone(user=user, code=code)
    assert person.phone == "+77025551234"
    with clock.frozen_at(FILED), pytest.raises(FilingError):
        actions.confirm_phone(user=user, code=code)  # used once


def test_a_copy_of_the_database_does_not_give_the_code_away() -> None:
    """What is kept of the six digits is keyed by the server's secret: a plain SHA-256 of them (found
    by trying the million codes against a copy of the table) is not what is kept, and under another
    secret the right code does not match."""
    import hashlib

    from django.test import override_settings

    user = citizen(CLAIMANT_IIN)
    with clock.frozen_at(FILED):
        confirmation = actions.send_phone_code(user=user, phone="+77025551234")
    code, person = _code(confirmation), Person.objects.get(iin=CLAIMANT_IIN)
    assert confirmation.code_sha256 != hashlib.sha256(f"phone:{person.pk}:+77025551234:{code}".encode()).hexdigest()
    assert confirmation.code_sha256 != hashlib.sha256(code.encode()).hexdigest()
    with clock.frozen_at(FILED), override_settings(SECRET_KEY="another-server"), pytest.raises(FilingError) as wrong:
        actions.confirm_phone(user=user, code=code)
    assert wrong.value.code == FilingErrorCode.PHONE_CODE_WRONG
    with clock.frozen_at(FILED):
        assert actions.confirm_phone(user=user, code=code).phone == "+77025551234"


def test_a_code_expires_and_five_wrong_tries_end_it() -> None:
    user = citizen(CLAIMANT_IIN)
    with clock.frozen_at(FILED):
        confirmation = actions.send_phone_code(user=user, phone="+77025551234")
    code = _code(confirmation)
    with clock.frozen_at(FILED + dt.timedelta(minutes=11)), pytest.raises(FilingError) as late:
        actions.confirm_phone(user=user, code=code)
    assert late.value.code == FilingErrorCode.PHONE_CODE_EXPIRED
    with clock.frozen_at(FILED + dt.timedelta(minutes=20)):
        again = actions.send_phone_code(user=user, phone="+77025551234")
        for _try in range(phone.MAX_ATTEMPTS):
            with pytest.raises(FilingError):
                actions.confirm_phone(user=user, code="999999" if _code(again) != "999999" else "888888")
        with pytest.raises(FilingError) as spent:
            actions.confirm_phone(user=user, code=_code(again))
    assert spent.value.code == FilingErrorCode.PHONE_CODE_EXPIRED
    assert Person.objects.get(iin=CLAIMANT_IIN).phone == "+77011234567"


def test_codes_are_limited_per_hour_and_bad_numbers_refused() -> None:
    user = citizen(CLAIMANT_IIN)
    with clock.frozen_at(FILED):
        for _n in range(phone.CODES_PER_HOUR):
            actions.send_phone_code(user=user, phone="+77025551234")
        with pytest.raises(TooManyCodesError) as limited:
            actions.send_phone_code(user=user, phone="+77025551234")
    assert limited.value.http_status == 429
    with clock.frozen_at(FILED + dt.timedelta(hours=1, minutes=1)):
        actions.send_phone_code(user=user, phone="+77025551234")
        with pytest.raises(FilingError) as landline:
            actions.send_phone_code(user=citizen("680503450037", "Жумабаева", "Гульнара"), phone="+7 7172 71 01 01")
    assert "phone" in (landline.value.fields or {})


def test_an_account_without_a_person_keeps_no_phone(client: Client) -> None:
    staff = User.objects.create_user(username="no.person", password="pw-no-person-1", kind=AccountKind.STAFF)  # noqa: S106
    with pytest.raises(FilingError) as refused:
        actions.send_phone_code(user=staff, phone="+77025551234")
    assert refused.value.code == FilingErrorCode.NO_PERSON
    client.force_login(staff)
    assert client.get("/en/office/phone/").status_code == 403


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_page_sends_a_code_and_confirms_it(client: Client, language: str) -> None:
    user = citizen(CLAIMANT_IIN)
    client.force_login(user)
    page = client.get(f"/{language}/office/phone/")
    assert page.status_code == 200
    assert "45 67" in page.content.decode()  # the number on record, masked
    sent = client.post(f"/{language}/office/phone/", {"action": "send", "phone": "+7 702 555 12 34"})
    assert sent.status_code == 302
    asked = client.get(f"/{language}/office/phone/")
    assert 'id="code-sent"' in asked.content.decode()
    code = _code(PhoneConfirmation.objects.get(person__iin=CLAIMANT_IIN))
    wrong = client.post(
        f"/{language}/office/phone/", {"action": "confirm", "code": "000000" if code != "000000" else "1"}
    )
    assert wrong.status_code == 422
    done = client.post(f"/{language}/office/phone/", {"action": "confirm", "code": code})
    assert done.status_code == 302
    assert Person.objects.get(iin=CLAIMANT_IIN).phone == "+77025551234"
    bad = client.post(f"/{language}/office/phone/", {"action": "send", "phone": "not a phone"})
    assert bad.status_code == 422
