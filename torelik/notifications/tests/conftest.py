"""A real Kannel for the integration tests: one per test session (per xdist worker: its own free
ports and temporary directory), skipped — or failed in CI — where Kannel is not installed."""

from collections.abc import Iterator

import pytest

from conftest import skip_or_fail
from torelik.notifications import kannel_harness


@pytest.fixture(scope="session")
def kannel_gateway() -> Iterator[kannel_harness.Kannel]:
    if not kannel_harness.installed():
        skip_or_fail("Kannel not installed: apt-get install kannel kannel-extras (bearerbox, smsbox, fakesmsc)")
    try:
        gateway = kannel_harness.start()
    except RuntimeError as error:
        skip_or_fail(f"Kannel did not start: {error}")
        raise
    yield gateway
    kannel_harness.cleanup(gateway)
