"""The state fee of an apostille from the rate table, and a request made at a PSC with the citizen's SMS
consent."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from torelik.acts.tests.factories import on
from torelik.apostille import psc
from torelik.apostille.errors import ApostilleError, ApostilleErrorCode, ApostilleForbiddenError
from torelik.apostille.models import ApostilleStatus, DocumentKind
from torelik.apostille.tests.conftest import TODAY, InForce
from torelik.cases.models import Channel
from torelik.cases.tests.factories import CLAIMANT_IIN, staff_user
from torelik.core import clock
from torelik.courts.models import StaffRole
from torelik.filing.fees import service_fee
from torelik.notifications.models import Message


@pytest.mark.django_db
def test_the_apostille_fee_is_half_an_mci_per_document() -> None:
    # 50 % of the MCI for each document (the courts' published payment details); MCI 2026 = 4,325 ₸
    # (kazakhstan.md): 2,162.50 ₸.
    quote = service_fee(fee_kind="apostille", filer="individual", on=dt.date(2026, 12, 21))
    assert quote.amount == Decimal("2162.50")
    assert "50 per cent of the MCI" in quote.basis
    assert service_fee(fee_kind="apostille", filer="legal_entity", on=dt.date(2026, 3, 2)).amount == Decimal("2162.50")


@pytest.mark.django_db
def test_a_psc_operator_requests_for_a_citizen_who_reads_back_the_sms_code(in_force: InForce) -> None:
    world = in_force.world
    operator = staff_user("psc.0215", world.court.court, StaffRole.PSC_OPERATOR)
    citizen = world.claimant.person
    assert citizen is not None
    citizen.phone = "+77011234567"
    citizen.save(update_fields=["phone"])
    with pytest.raises(ApostilleForbiddenError):
        psc.citizen(operator=world.court.clerk, iin=CLAIMANT_IIN)
    with clock.frozen_at(on(TODAY)):
        found = psc.citizen(operator=operator, iin=CLAIMANT_IIN)
        consent = psc.send_consent_code(
            operator=operator, applicant=found, act_id=str(in_force.act.public_id), document_kind="act", country="KR"
        )
        sms = Message.objects.get(cause=f"apostille-psc:{consent.pk}")
        code = re.search(r"\b(\d{6})\b", sms.text)
        assert code is not None
        with pytest.raises(ApostilleError) as wrong:
            psc.confirm_consent(
                operator=operator, consent_id=consent.pk, code="000000" if code[1] != "000000" else "111111"
            )
        assert wrong.value.code == ApostilleErrorCode.CODE_WRONG
        request = psc.confirm_consent(operator=operator, consent_id=consent.pk, code=code[1])
    assert request.channel == Channel.PSC
    assert request.requested_by == operator
    assert request.applicant == citizen
    assert request.document_kind == DocumentKind.ACT
    assert request.status == ApostilleStatus.AWAITING_PAYMENT
    with clock.frozen_at(on(TODAY)), pytest.raises(ApostilleError):
        psc.confirm_consent(operator=operator, consent_id=consent.pk, code=code[1])  # used once
