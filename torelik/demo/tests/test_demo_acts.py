"""Demo acts: signed by the case's judge with a timestamp, appealed ones held back, acts in force with
their sealed writ, appellate acts linked to what they reviewed; a second run adds nothing."""

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from torelik.acts.demo import seed_demo_acts
from torelik.acts.models import Act, ActStatus
from torelik.archive.queries import open_stored_file
from torelik.cases.demo import seed_demo_cases
from torelik.demo.distribution import RealDraws
from torelik.identity.pades import check_pdf_seals
from torelik.identity.pki import DemoCA
from torelik.identity.timestamps import LocalTimestampAuthority

pytestmark = pytest.mark.django_db
UNTIL = dt.datetime(2026, 11, 28, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def tsa(settings: Any) -> Iterator[str]:
    with LocalTimestampAuthority(DemoCA.load_or_create()).running() as url:
        settings.TORELIK_TSA_URL = url
        yield url


def test_demo_acts_are_signed_by_their_judges_and_follow_the_cases_status(tsa: str) -> None:
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    seed_demo_cases(count=120, until=UNTIL, processes=0, distribution=RealDraws())
    summary = seed_demo_acts(limit=12)
    assert seed_demo_acts(limit=12).acts == 0
    assert summary.acts > 0
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
