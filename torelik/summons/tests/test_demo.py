"""The demo: subpoenas for the demo hearings, SMS sent (some after a refused first try), most
delivered, some opened, some documents studied; the second run changes nothing."""

from pathlib import Path

import pytest

from torelik.cases.models import CaseEvent, CaseEventKind
from torelik.core import clock
from torelik.hearings.tests.factories import NOW
from torelik.notifications.models import Message, MessageStatus
from torelik.summons.demo import seed_demo_summons
from torelik.summons.models import Subpoena
from torelik.summons.tests.factories import summoned

pytestmark = pytest.mark.django_db


def test_demo_summons(settings: pytest.FixtureRequest, tmp_path: Path) -> None:
    settings.TORELIK_SMS_LOG = str(tmp_path / "sms.log")  # type: ignore[attr-defined]
    for code in ("0215", "7585", "3599", "0201", "0202"):
        summoned(code)
    # The demo seeds relative to "now": the day before the hearings of the factory, whatever the real date.
    with clock.frozen_at(NOW):
        summary = seed_demo_summons(seed=7)
    assert summary.subpoenas == 10
    assert summary.issued_now == 0  # the scheduling handler issued them already
    assert summary.sent == 10
    assert summary.retried == 2
    assert summary.delivered + summary.undelivered == 10
    assert summary.viewed == 4
    assert Subpoena.objects.filter(first_viewed_at__isnull=False).count() == 4
    assert CaseEvent.objects.filter(kind=CaseEventKind.SUBPOENA_VIEWED).count() == 4
    retried = Message.objects.filter(cause__startswith="subpoena:", attempts=2)
    assert retried.count() == 2
    assert {m.status for m in retried} <= {MessageStatus.DELIVERED, MessageStatus.FAILED}
    assert (tmp_path / "sms.log").read_text(encoding="utf-8").count("\n") == 10
    with clock.frozen_at(NOW):
        again = seed_demo_summons(seed=7)
    assert (again.sent, again.viewed) == (0, 0)
