"""Demo acts: signed by the case's judge with a timestamp, appealed ones held back, acts in force with
their sealed writ, appellate acts linked to what they reviewed; a second run adds nothing."""

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from torelik.acts.demo import ActSeedSummary, seed_demo_acts
from torelik.acts.models import Act, ActStatus, Appeal, AppealStatus
from torelik.archive.queries import open_stored_file
from torelik.cases.demo import seed_demo_cases
from torelik.cases.models import CaseLink, CaseLinkKind, Instance
from torelik.core import clock
from torelik.demo.distribution import RealDraws
from torelik.distribution.models import Draw
from torelik.identity.pades import check_pdf_seals
from torelik.identity.pki import DemoCA
from torelik.identity.timestamps import LocalTimestampAuthority

pytestmark = pytest.mark.django_db
UNTIL = dt.datetime(2026, 11, 28, tzinfo=timezone.get_default_timezone())
SEEDED = UNTIL + dt.timedelta(days=14)


@pytest.fixture
def tsa(settings: Any) -> Iterator[str]:
    with LocalTimestampAuthority(DemoCA.load_or_create()).running() as url:
        settings.TORELIK_TSA_URL = url
        yield url


def test_demo_acts_are_signed_by_their_judges_and_follow_the_cases_status(tsa: str) -> None:
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    seed_demo_cases(count=120, until=UNTIL, processes=0, distribution=RealDraws())
    # The acts are seeded a fortnight after the cases' history ends: the case decided longest ago and
    # not in force has then had its appeal term run, so its appeal is ready to send.
    with clock.frozen_at(SEEDED):
        summary = seed_demo_acts(limit=12)
        assert seed_demo_acts(limit=12).acts == 0
    assert summary.acts > 0
    _appeals_in_every_state(summary)
    for act in Act.objects.filter(reviews=None, case__instance="first").select_related("case__judge__person"):
        assert act.case.judge is not None
        assert act.signer_iin == str(act.case.judge.person.iin)
        assert act.timestamp_at is not None
        assert act.announced_on is not None
        assert act.signed_file is not None
        with open_stored_file(act.signed_file) as stream:
            seals = check_pdf_seals(stream.read())
        assert [seal.ok for seal in seals] == [True]
        if (
            act.case.status in ("in_force", "archived")
            and act.status == ActStatus.IN_FORCE
            and act.kind.endswith("decision")
        ):
            assert act.writ is not None
        if act.case.status == "appealed":
            assert act.status == ActStatus.APPEALED


def _appeals_in_every_state(summary: ActSeedSummary) -> None:
    """The clerk's queue has an appeal whose term for responses runs, one ready to send, and appeals
    sent: a linked case at the regional court, its judge drawn there through the distribution."""
    today = SEEDED.date()
    waiting = Appeal.objects.filter(status=AppealStatus.AWAITING_RESPONSES)
    assert summary.appeals_awaiting == waiting.filter(ready_on__gt=today).count() >= 1
    assert waiting.filter(ready_on__gt=today, responses_until__gte=today).exists()
    assert summary.appeals_ready == waiting.filter(ready_on__lte=today).count() >= 1
    for appeal in waiting.select_related("act"):
        assert appeal.act is not None
        assert appeal.act.status == ActStatus.APPEALED
    sent = list(Appeal.objects.filter(status=AppealStatus.SENT).select_related("appeal_case", "case"))
    assert summary.appeals_sent == len(sent) >= 1
    for appeal in sent:
        upper = appeal.appeal_case
        assert upper is not None
        assert upper.instance == Instance.APPEAL
        assert upper.court_id == appeal.higher_court_id
        assert CaseLink.objects.filter(from_case=upper, to_case=appeal.case, kind=CaseLinkKind.APPEAL_OF).exists()
    assert any(a.appeal_case is not None and a.appeal_case.judge_id for a in sent)
    assert any(Draw.objects.filter(case=a.appeal_case).exists() for a in sent)
    assert "ready to send" in summary.lines()[1]
