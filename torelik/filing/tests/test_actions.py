"""Drafts, attachments, the state fee and its sandbox payment, the PSC path and the status trail."""

import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks

from torelik.cases.actions import change_status
from torelik.cases.models import CaseStatus, Channel
from torelik.cases.tests.factories import CLAIMANT_IIN, pdf_bytes, staff_user
from torelik.core import clock
from torelik.courts.models import StaffRole
from torelik.distribution.actions import complete_pending_draws
from torelik.filing import actions, queries
from torelik.filing.actions import SandboxGateway, sign_body
from torelik.filing.errors import (
    FilingError,
    FilingErrorCode,
    FilingForbiddenError,
    PaymentCallbackError,
    PaymentUnavailableError,
)
from torelik.filing.models import (
    AttachmentRole,
    Filing,
    FilingKind,
    FilingStatus,
    PaymentCallback,
    PaymentStatus,
)
from torelik.filing.tests.conftest import (
    FILED,
    LAWYER_IIN,
    Court3,
    citizen,
    make_claim_draft,
    pay_in_sandbox,
    psc_code_sent,
)
from torelik.identity.models import User

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_a_draft_keeps_its_valid_fields_when_one_is_refused(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant)
    problems = actions.update_draft(
        filing=filing,
        actor=claimant,
        subject="Новый предмет",
        claim_amount="много",
        data={
            "claims": "Взыскать",
            "circumstances": "Ок",
            "parties": [{"role": "defendant", "iin": "010101600586", "surname": "X", "given_name": "Y"}],
        },
    )
    assert set(problems) == {"claim_amount", "parties[0].iin"}
    filing.refresh_from_db()
    assert filing.subject == "Новый предмет"
    assert filing.claim_amount == Decimal("1000000.00")
    assert filing.attachments.count() == 1


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "1e40", "99999999999999999999"])
def test_an_impossible_claim_amount_is_refused_and_the_draft_kept(court3: Court3, claimant: User, amount: str) -> None:
    filing = make_claim_draft(court3.office, claimant)
    problems = actions.update_draft(
        filing=filing, actor=claimant, subject="Предмет сохранён", claim_amount=amount, data={"claims": "Взыскать"}
    )
    assert set(problems) == {"claim_amount"}
    filing.refresh_from_db()
    assert filing.subject == "Предмет сохранён"
    assert filing.claim_amount == Decimal("1000000.00")


def test_the_fee_is_computed_into_the_draft(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant, claim_amount="1 000 000")
    assert filing.fee_amount == Decimal("10000.00")
    assert filing.fee_basis.startswith("Tax Code of the Republic of Kazakhstan (2026)")


def test_an_attachment_whose_content_is_not_what_its_name_claims_is_refused(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant)
    with pytest.raises(FilingError) as refused:
        actions.add_attachment(filing=filing, actor=claimant, content=io.BytesIO(PNG), filename="evidence.pdf")
    assert refused.value.code == FilingErrorCode.ATTACHMENT_REFUSED
    assert filing.attachments.count() == 1


def test_a_text_file_is_not_an_accepted_attachment(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant)
    with pytest.raises(FilingError):
        actions.add_attachment(filing=filing, actor=claimant, content=io.BytesIO(b"hello"), filename="a.txt")


def test_an_oversized_attachment_is_refused(court3: Court3, claimant: User, settings: object) -> None:
    settings.TORELIK_FILING_MAX_ATTACHMENT_MB = 0  # type: ignore[attr-defined]
    filing = (
        make_claim_draft(court3.office, claimant)
        if False
        else actions.start_draft(kind=FilingKind.PETITION, filer_iin=CLAIMANT_IIN, actor=claimant)
    )
    with pytest.raises(FilingError) as refused:
        actions.add_attachment(filing=filing, actor=claimant, content=io.BytesIO(pdf_bytes()), filename="p.pdf")
    assert refused.value.code == FilingErrorCode.ATTACHMENT_REFUSED


def _callback(filing: Filing, *, card: str = "4242424242424242") -> tuple[bytes, str]:
    payment, _url = actions.start_payment(filing=filing, actor=None, callback_url="http://x/cb", return_url="/")
    sandbox = SandboxGateway()
    charge = sandbox.charge(order_id=payment.order_id, card_number=card)
    assert charge is not None
    body = sandbox.callback_body(charge)
    return body, sign_body(body, sandbox.secret)


def test_the_sandbox_callback_pays_the_fee_once_however_often_it_comes(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant)
    assert not queries.fee_settled(filing)
    body, signature = _callback(filing)
    first = actions.record_payment_callback(gateway_name="sandbox", body=body, signature=signature)
    paid_at = first.paid_at
    again = actions.record_payment_callback(gateway_name="sandbox", body=body, signature=signature)
    assert again.pk == first.pk
    assert again.status == PaymentStatus.PAID
    assert again.paid_at == paid_at
    assert again.receipt_number
    assert filing.payments.count() == 1
    assert queries.fee_settled(filing)


def test_a_callback_with_a_bad_hmac_is_refused_and_logged(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant)
    body, _signature = _callback(filing)
    with pytest.raises(PaymentCallbackError) as refused:
        actions.record_payment_callback(gateway_name="sandbox", body=body, signature=sign_body(body, "guessed"))
    assert refused.value.code == FilingErrorCode.PAYMENT_BAD_HMAC
    assert PaymentCallback.objects.filter(refusal=FilingErrorCode.PAYMENT_BAD_HMAC).count() == 1
    assert not queries.fee_settled(filing)


def test_a_callback_for_a_wrong_amount_is_refused_and_logged(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant)
    body, _signature = _callback(filing)
    forged = json.loads(body)
    forged["amount"] = "1.00"
    forged_body = json.dumps(forged).encode()
    with pytest.raises(PaymentCallbackError) as refused:
        actions.record_payment_callback(
            gateway_name="sandbox", body=forged_body, signature=sign_body(forged_body, SandboxGateway().secret)
        )
    assert refused.value.code == FilingErrorCode.PAYMENT_WRONG_AMOUNT
    assert PaymentCallback.objects.filter(refusal=FilingErrorCode.PAYMENT_WRONG_AMOUNT).exists()
    assert not queries.fee_settled(filing)


def test_the_declined_test_card_leaves_the_fee_unpaid(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant)
    body, signature = _callback(filing, card="4000000000000002")
    payment = actions.record_payment_callback(gateway_name="sandbox", body=body, signature=signature)
    assert payment.status == PaymentStatus.DECLINED
    assert not queries.fee_settled(filing)


def test_a_paid_fee_is_verified_by_its_receipt_number(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant)
    payment, _url = actions.start_payment(filing=filing, actor=None, callback_url="http://x/cb", return_url="/")
    charge = SandboxGateway().charge(order_id=payment.order_id, card_number="4242424242424242")
    assert charge is not None  # the callback was lost: only the receipt is known
    with pytest.raises(FilingError):
        actions.verify_receipt(filing=filing, receipt_number="SBX-00000000-00000000")
    verified = actions.verify_receipt(filing=filing, receipt_number=charge.receipt_number)
    assert verified.status == PaymentStatus.PAID
    assert queries.fee_settled(filing)


def test_without_its_secret_the_sandbox_neither_charges_nor_vouches_for_receipts(
    court3: Court3, claimant: User, settings: Any, client: Client
) -> None:
    filing = make_claim_draft(court3.office, claimant)
    payment, _url = actions.start_payment(filing=filing, actor=None, callback_url="http://x/cb", return_url="/")
    charge = SandboxGateway().charge(order_id=payment.order_id, card_number="4242424242424242")
    assert charge is not None
    settings.TORELIK_PAYMENT_SANDBOX_SECRET = ""  # a production system: the sandbox is off
    assert client.get(f"/en/office/sandbox-pay/{payment.order_id}/").status_code == 404
    assert SandboxGateway().charge(order_id=payment.order_id, card_number="4242424242424242") is None
    with pytest.raises(PaymentUnavailableError):
        actions.verify_receipt(filing=filing, receipt_number=charge.receipt_number)
    assert not queries.fee_settled(filing)


def test_a_fee_petition_attachment_lets_the_filing_go_unpaid(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant)
    actions.add_attachment(
        filing=filing,
        actor=claimant,
        content=io.BytesIO(pdf_bytes("deferral")),
        filename="deferral.pdf",
        role=AttachmentRole.FEE_PETITION,
    )
    assert queries.fee_settled(filing)
    actions.check_ready(filing)


def test_an_unpaid_filing_is_not_ready(court3: Court3, claimant: User) -> None:
    filing = make_claim_draft(court3.office, claimant)
    with pytest.raises(FilingError) as refused:
        actions.check_ready(filing)
    assert refused.value.code == FilingErrorCode.FEE_NOT_PAID


def test_a_psc_operator_files_for_a_citizen_who_confirms_with_a_code(
    court3: Court3, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    operator = staff_user("psc.1", court3.office.court, StaffRole.PSC_OPERATOR)
    citizen(CLAIMANT_IIN)  # with a mobile phone on record
    with clock.frozen_at(FILED):
        filing = actions.start_psc_filing(operator=operator, kind=FilingKind.CLAIM, citizen_iin=CLAIMANT_IIN)
        filing.delete()
        filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
        pay_in_sandbox(filing)
        actions.send_psc_code(filing=filing, operator=operator)
        code = psc_code_sent(filing)
        wrong = "000000" if code != "000000" else "111111"
        with pytest.raises(FilingError) as refused:
            actions.confirm_psc_filing(filing=filing, operator=operator, code=wrong)
        assert refused.value.code == FilingErrorCode.PSC_CODE_WRONG
        with django_capture_on_commit_callbacks(execute=True):
            filed = actions.confirm_psc_filing(filing=filing, operator=operator, code=code)
    assert filed.status == FilingStatus.REGISTERED
    assert filed.case is not None
    assert filed.case.channel == Channel.PSC
    assert filed.case.documents.count() == 1
    with clock.frozen_at(FILED + dt.timedelta(minutes=1)):
        complete_pending_draws()
    filed.refresh_from_db()
    assert filed.status == FilingStatus.ASSIGNED
    judge = filed.trail.get(status=FilingStatus.ASSIGNED).data["judge"]
    assert judge in {j.person.full_name for j in court3.judges}


def test_a_psc_code_confirms_only_the_filing_as_it_was_when_the_code_was_sent(court3: Court3) -> None:
    operator = staff_user("psc.2", court3.office.court, StaffRole.PSC_OPERATOR)
    citizen(CLAIMANT_IIN)
    with clock.frozen_at(FILED):
        filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
        pay_in_sandbox(filing)
        actions.send_psc_code(filing=filing, operator=operator)
        code = psc_code_sent(filing)
        actions.update_draft(filing=filing, actor=operator, subject="Другой предмет после кода")
        with pytest.raises(FilingError) as refused:
            actions.confirm_psc_filing(filing=filing, operator=operator, code=code)
    assert refused.value.code == FilingErrorCode.PSC_CODE_WRONG
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT


def test_the_psc_code_goes_only_to_the_phone_on_the_citizens_record(court3: Court3) -> None:
    operator = staff_user("psc.3", court3.office.court, StaffRole.PSC_OPERATOR)
    citizen(CLAIMANT_IIN)  # on record: +77011234567
    with clock.frozen_at(FILED):
        filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
        pay_in_sandbox(filing)
        actions.send_psc_code(filing=filing, operator=operator)
    from torelik.notifications.models import Message  # noqa: PLC0415

    [message] = Message.objects.filter(cause__startswith=f"psc-filing:{filing.public_id}:")
    assert message.recipient_phone == "+77011234567"
    assert filing.psc_confirmations.get().phone == "+77011234567"


def test_without_a_phone_on_record_no_psc_code_is_sent_nor_shown(court3: Court3) -> None:
    from torelik.identity.models import Person  # noqa: PLC0415
    from torelik.notifications.models import Message  # noqa: PLC0415

    operator = staff_user("psc.4", court3.office.court, StaffRole.PSC_OPERATOR)
    citizen(CLAIMANT_IIN)
    Person.objects.filter(iin=CLAIMANT_IIN).update(phone="")
    with clock.frozen_at(FILED):
        filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
        pay_in_sandbox(filing)
        with pytest.raises(FilingError) as refused:
            actions.send_psc_code(filing=filing, operator=operator)
    assert refused.value.code == FilingErrorCode.PSC_NO_PHONE
    assert CLAIMANT_IIN in refused.value.message
    assert not filing.psc_confirmations.exists()
    assert not Message.objects.filter(cause__startswith="psc-filing:").exists()
    with pytest.raises(FilingError) as unconfirmed:
        actions.confirm_psc_filing(filing=filing, operator=operator, code="000000")
    assert unconfirmed.value.code == FilingErrorCode.PSC_CODE_EXPIRED
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT


def test_a_psc_code_does_not_confirm_a_filing_for_someone_the_citizen_does_not_represent(court3: Court3) -> None:
    from torelik.notifications.models import Message  # noqa: PLC0415

    operator = staff_user("psc.5", court3.office.court, StaffRole.PSC_OPERATOR)
    citizen(CLAIMANT_IIN)  # the citizen at the desk, with a phone on record
    with clock.frozen_at(FILED):
        filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
        actions.update_draft(filing=filing, actor=operator, on_behalf_of_iin=LAWYER_IIN)
        filing.refresh_from_db()
        assert filing.on_behalf_of_iin == LAWYER_IIN
        pay_in_sandbox(filing)
        with pytest.raises(FilingForbiddenError) as refused:
            actions.send_psc_code(filing=filing, operator=operator)
        assert refused.value.code == FilingErrorCode.NOT_REPRESENTATIVE
        with pytest.raises(FilingForbiddenError):
            actions.check_standing(filing)  # what confirm_psc_filing checks again before sending
    assert not Message.objects.filter(cause__startswith="psc-filing:").exists()
    filing.refresh_from_db()
    assert filing.status == FilingStatus.DRAFT


def test_a_citizen_is_not_a_psc_operator(court3: Court3, claimant: User) -> None:
    with pytest.raises(FilingForbiddenError) as refused:
        actions.start_psc_filing(operator=claimant, kind=FilingKind.CLAIM, citizen_iin=CLAIMANT_IIN)
    assert refused.value.code == FilingErrorCode.NOT_PSC_OPERATOR


def test_the_trail_shows_a_return_with_its_reason(
    court3: Court3, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    operator = staff_user("psc.2", court3.office.court, StaffRole.PSC_OPERATOR)
    citizen(CLAIMANT_IIN)
    with clock.frozen_at(FILED):
        filing = make_claim_draft(court3.office, operator, channel=Channel.PSC)
        pay_in_sandbox(filing)
        actions.send_psc_code(filing=filing, operator=operator)
        code = psc_code_sent(filing)
        with django_capture_on_commit_callbacks(execute=True):
            filed = actions.confirm_psc_filing(filing=filing, operator=operator, code=code)
    with clock.frozen_at(FILED + dt.timedelta(minutes=1)):
        complete_pending_draws()
    assert filed.case is not None
    with clock.frozen_at(FILED + dt.timedelta(days=1)):
        change_status(case=filed.case, to=CaseStatus.RETURNED, actor=court3.office.judge_user, reason="Неподсудно")
    filed.refresh_from_db()
    assert filed.status == FilingStatus.RETURNED
    assert filed.trail.get(status=FilingStatus.RETURNED).data["reason"] == "Неподсудно"
