"""Demo publication: the demo's signed acts name their parties with every kind of identifier, and their
public copies in the search mask every one of them; two candidates wait for the reviewer."""

import datetime as dt
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from torelik.acts.demo import seed_demo_acts
from torelik.cases.demo import seed_demo_cases
from torelik.demo.distribution import RealDraws
from torelik.identity.pki import DemoCA
from torelik.identity.timestamps import LocalTimestampAuthority
from torelik.publication import queries
from torelik.publication.demo import seed_demo_publication
from torelik.publication.models import PublicationStatus, PublishedAct

pytestmark = pytest.mark.django_db
UNTIL = dt.datetime(2026, 11, 28, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def tsa(settings: Any) -> Iterator[str]:
    with LocalTimestampAuthority(DemoCA.load_or_create()).running() as url:
        settings.TORELIK_TSA_URL = url
        yield url


def test_published_demo_acts_are_in_the_search_with_every_identifier_masked(tsa: str) -> None:
    call_command("seed_demo", cases=0, allow_published_password=True, stdout=io.StringIO())
    seed_demo_cases(count=120, until=UNTIL, processes=0, distribution=RealDraws())
    seed_demo_acts(limit=12)
    summary = seed_demo_publication()
    assert summary.published > 0
    assert summary.waiting == 2
    published = PublishedAct.objects.filter(status=PublicationStatus.PUBLISHED)
    assert queries.search(queries.Filters(), language="ru").total == published.count()
    kinds = set()
    for act in published:
        kinds |= {span["kind"] for span in act.spans}
        assert not re.search(r"(?<!\d)\d{12}(?!\d)", act.text.replace("940140000385", "")) or "БИН" in act.text
        assert "+7 701" not in act.text
        assert "@mail.kz" not in act.text
        assert "4400 4301" not in act.text
        for party in act.act.case.parties.select_related("person"):
            if party.person is not None and party.role not in ("lawyer",):
                assert str(party.person.iin) not in act.text
                assert f"{party.person.surname} {party.person.given_name}" not in act.text
    assert {"name", "iin", "birth_date", "address", "phone", "email", "document", "plate", "account", "card"} <= kinds
