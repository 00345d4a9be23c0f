"""A real Kannel for the integration tests: one per test session (per xdist worker: its own free
ports and temporary directory), skipped — or failed in CI — where Kannel is not installed; the settings
that send through it, and the delivery reports it calls back with (the summons tests use them too)."""

import threading
import time
from collections.abc import Callable, Iterator

import pytest
from django.test import override_settings
from django.urls import reverse

from conftest import skip_or_fail
from torelik.notifications import actions, kannel_harness
from torelik.notifications.gateways import KannelSmsBackend
from torelik.notifications.models import Message


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


@pytest.fixture
def kannel_settings(kannel_gateway: kannel_harness.Kannel, live_server: object) -> Iterator[KannelSmsBackend]:
    dlr = f"{live_server.url}{reverse('api-v1:notifications_dlr')}"  # type: ignore[attr-defined]
    with override_settings(
        TORELIK_SMS_BACKEND="kannel",
        TORELIK_KANNEL_URL=kannel_gateway.sendsms_url,
        TORELIK_KANNEL_USER=kannel_harness.USER,
        TORELIK_KANNEL_PASSWORD=kannel_harness.PASSWORD,
        TORELIK_DLR_URL=dlr,
    ):
        backend = KannelSmsBackend()
        yield backend
        backend.close()


class DeliveryReports:
    """Counts the delivery reports our endpoint has applied, so that a test ends only once Kannel has
    made all its callbacks (the database is emptied after the test). On SQLite the live server and the
    test share ONE in-memory connection (Django's rule for live servers), which two threads must not
    use at once: `database` serialises the endpoint's writes with the test's own database work."""

    def __init__(self) -> None:
        self.count = 0
        self.database = threading.RLock()

    def wrap(self, record: Callable[..., Message | None]) -> Callable[..., Message | None]:
        def counted(**kwargs: object) -> Message | None:
            with self.database:
                result = record(**kwargs)
                self.count += 1
            return result

        return counted


@pytest.fixture
def reports(monkeypatch: pytest.MonkeyPatch) -> DeliveryReports:
    counter = DeliveryReports()
    monkeypatch.setattr(actions, "record_delivery_report", counter.wrap(actions.record_delivery_report))
    return counter


def wait_for(predicate: object, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False
