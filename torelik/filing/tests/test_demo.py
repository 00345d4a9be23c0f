"""The demo filings: every status, every channel, through the real actions."""

from typing import Any

import pytest

from torelik.filing.demo import seed_demo_filings
from torelik.filing.models import Filing, FilingStatus
from torelik.filing.tests.conftest import Court3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("mci_2026")
def test_the_demo_has_filings_in_every_status_across_the_channels(court3: Court3, settings: Any) -> None:
    settings.DEBUG = True
    summary = seed_demo_filings(seed=7)
    statuses = set(Filing.objects.values_list("status", flat=True))
    assert statuses >= {
        FilingStatus.DRAFT,
        FilingStatus.ASSIGNED,
        FilingStatus.ACCEPTED,
        FilingStatus.RETURNED,
        FilingStatus.LEFT_WITHOUT_MOTION,
        FilingStatus.REFUSED,
        FilingStatus.JOINED,
    }, summary
    assert set(Filing.objects.values_list("channel", flat=True)) == {"judicial_office", "egov", "psc"}
    assert seed_demo_filings(seed=7).filings == 0  # once only
