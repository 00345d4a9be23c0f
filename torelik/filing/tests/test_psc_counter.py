"""The Public Service Centre operator's way through: each missing field named on the confirmation page,
the no-phone refusal said once, and a citizen with no phone on record confirming a phone at the counter
by the code sent to it, or signing with their own EDS at the counter."""

import base64
import html
import re

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from torelik.cases.models import Channel
from torelik.cases.tests.factories import CLAIMANT_IIN, staff_user
from torelik.courts.models import StaffRole
from torelik.filing.models import Filing, FilingStatus
from torelik.filing.tests.conftest import Court3, citizen, make_claim_draft, pay_in_sandbox, psc_code_sent
from torelik.filing.tests.factories import Certificate
from torelik.identity.models import Person, User
from torelik.identity.pki import sign_detached
from torelik.notifications.models import Message

pytestmark = pytest.mark.django_db
COUNTER_PHONE = "+77051112233"  # a Kazakh mobile number (domain/kazakhstan.md: 705 is a mobile prefix)


def _operator(court3: Court3, name: str = "psc.counter") -> tuple[User, Client]:
    operator = staff_user(name, court3.office.court, StaffRole.PSC_OPERATOR)
    client = Client()
    client.force_login(operator)
    return operator, client


def _draft_without_phone(court3: Court3, operator: User) -> Filing:
    citizen(CLAIMANT_IIN)
    Person.objects.filter(iin=CLAIMANT_IIN).update(phone="")
    filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
    pay_in_sandbox(filing)
    return filing


def test_the_confirmation_page_names_each_missing_field(court3: Court3) -> None:
    operator, client = _operator(court3)
    citizen(CLAIMANT_IIN)
    filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
    pay_in_sandbox(filing)
    Filing.objects.filter(pk=filing.pk).update(data={**filing.data, "claims": ""})
    page = client.post(f"/ru/office/filings/{filing.public_id}/psc/", {"action": "send"})
    assert page.status_code == 422
    text = page.content.decode()
    # The field is named in the page's language (Russian here), next to what is wrong with it.
    assert re.search(r"О чём вы просите суд</strong>:\s*Это поле обязательно", text)


def test_the_no_phone_refusal_is_said_once_and_offers_both_ways_through(court3: Court3) -> None:
    operator, client = _operator(court3)
    filing = _draft_without_phone(court3, operator)
    page = client.post(f"/en/office/filings/{filing.public_id}/psc/", {"action": "send"})
    assert page.status_code == 422
    text = page.content.decode()
    assert text.count("has no mobile phone on record") == 1
    assert 'name="counter_phone"' in text  # a phone the citizen gives at the counter
    assert f"/office/filings/{filing.public_id}/sign/" in text  # or the citizen's own EDS


def test_a_citizen_without_a_phone_confirms_one_at_the_counter_and_the_filing_goes_to_the_court(
    court3: Court3, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    operator, client = _operator(court3)
    filing = _draft_without_phone(court3, operator)
    url = f"/en/office/filings/{filing.public_id}/psc/"
    sent = client.post(url, {"action": "send", "counter_phone": "8 705 111 22 33"})
    assert sent.status_code == 200
    [message] = Message.objects.filter(cause__startswith=f"psc-filing:{filing.public_id}:")
    assert message.recipient_phone == COUNTER_PHONE
    code = psc_code_sent(filing)
    assert code not in sent.content.decode()  # the operator never sees it
    assert "ending ••• 22 33" in sent.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(url, {"action": "confirm", "code": code})
    assert confirmed.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REGISTERED
    # The phone the citizen proved at the counter is now on their record, for the next code.
    assert Person.objects.get(iin=CLAIMANT_IIN).phone == COUNTER_PHONE


def test_the_operator_cannot_take_the_code_on_their_own_phone(court3: Court3) -> None:
    operator, client = _operator(court3)
    assert operator.person is not None
    Person.objects.filter(pk=operator.person.pk).update(phone=COUNTER_PHONE)
    filing = _draft_without_phone(court3, operator)
    page = client.post(
        f"/en/office/filings/{filing.public_id}/psc/", {"action": "send", "counter_phone": COUNTER_PHONE}
    )
    assert page.status_code == 422
    assert "<strong>Citizen's mobile phone</strong>: This number belongs" in html.unescape(page.content.decode())
    assert not Message.objects.filter(cause__startswith="psc-filing:").exists()
    assert Person.objects.get(iin=CLAIMANT_IIN).phone == ""


def test_a_wrong_counter_code_does_not_put_the_phone_on_record(court3: Court3) -> None:
    operator, client = _operator(court3)
    filing = _draft_without_phone(court3, operator)
    url = f"/en/office/filings/{filing.public_id}/psc/"
    client.post(url, {"action": "send", "counter_phone": COUNTER_PHONE})
    code = psc_code_sent(filing)
    wrong = "000000" if code != "000000" else "111111"
    refused = client.post(url, {"action": "confirm", "code": wrong})
    assert refused.status_code == 422
    assert "<strong>Code the citizen received</strong>: The code is not right." in refused.content.decode()
    assert Person.objects.get(iin=CLAIMANT_IIN).phone == ""


def test_a_citizen_without_a_phone_signs_with_their_own_eds_at_the_counter(
    court3: Court3, certificate: Certificate, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    operator, client = _operator(court3)
    filing = _draft_without_phone(court3, operator)
    url = f"/en/office/filings/{filing.public_id}/sign/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "the citizen signs with their own" in text
    manifest = re.search(r'data-manifest="([^"]+)"', text)
    assert manifest is not None
    # The operator's own key is refused: the signer must be the citizen.
    assert operator.person is not None
    foreign = sign_detached(base64.b64decode(manifest.group(1)), certificate(operator.person.iin))
    refused = client.post(url, {"signature": base64.b64encode(foreign).decode()})
    assert refused.status_code == 403
    own = sign_detached(base64.b64decode(manifest.group(1)), certificate(CLAIMANT_IIN))
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"signature": base64.b64encode(own).decode()})
    assert sent.status_code == 302
    filing.refresh_from_db()
    assert filing.status == FilingStatus.REGISTERED


def test_the_start_page_names_the_field_an_error_is_about(court3: Court3) -> None:
    _operator_user, client = _operator(court3)
    page = client.post("/ru/office/psc/", {"kind": "claim", "citizen_iin": ""})
    assert page.status_code == 200
    field = re.search(r'<p class="field invalid">(.*?)</p>', page.content.decode(), re.S)
    assert field is not None
    assert "ИИН гражданина" in field.group(1)
    assert "Это поле обязательно" in field.group(1)
