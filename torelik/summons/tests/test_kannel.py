"""Scheduling a hearing sends its subpoenas' SMS through a real Kannel (bearerbox + smsbox +
fakesmsc, started by the notifications tests' fixture), each in its addressee's language with the
code that opens the subpoena, and Kannel's delivery reports mark them delivered."""

import pytest

from torelik.core import clock
from torelik.hearings.tests.factories import NOW
from torelik.notifications.gateways import KannelSmsBackend
from torelik.notifications.kannel_harness import Kannel
from torelik.notifications.models import Message, MessageStatus
from torelik.notifications.sender import send_due_messages
from torelik.notifications.tests.conftest import (  # noqa: F401 - the session's Kannel and its fixtures
    DeliveryReports,
    kannel_gateway,
    kannel_settings,
    reports,
    wait_for,
)
from torelik.summons.tests.conftest import Outbox
from torelik.summons.tests.factories import CLAIMANT_E164, DEFENDANT_E164, summoned

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning"),
]
PHONES = {CLAIMANT_E164, DEFENDANT_E164}


def test_scheduling_a_hearing_sends_its_subpoenas_through_kannel(
    kannel_gateway: Kannel,  # noqa: F811
    kannel_settings: KannelSmsBackend,  # noqa: F811
    reports: DeliveryReports,  # noqa: F811
    outbox: Outbox,
) -> None:
    with reports.database:
        summoned()  # scheduled at NOW, the hearing's eve
        with clock.frozen_at(NOW):
            sent = send_due_messages(backend=kannel_settings)
    assert sent.sent == 2
    assert wait_for(lambda: {to for _f, to, _t in kannel_gateway.received()} >= PHONES)
    texts = {to: text for _f, to, text in kannel_gateway.received() if to in PHONES}
    codes = outbox.codes()
    assert codes[CLAIMANT_E164] in texts[CLAIMANT_E164]
    assert codes[DEFENDANT_E164] in texts[DEFENDANT_E164]
    assert "Повестка" in texts[CLAIMANT_E164] or "повестк" in texts[CLAIMANT_E164].lower()  # Russian
    assert any(letter in texts[DEFENDANT_E164] for letter in "әғқңөұүһі")  # Kazakh, letters intact
    assert wait_for(lambda: reports.count >= 4, timeout=20), reports.count
    with reports.database:
        statuses = set(Message.objects.filter(recipient_phone__in=PHONES).values_list("status", flat=True))
    assert statuses == {MessageStatus.DELIVERED}
