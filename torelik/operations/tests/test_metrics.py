"""`/metrics`: open only to the monitoring system; the outbox growing while the SMS gateway is down (a real
Kannel backend sending to a port where nothing listens); requests counted by route; the request id in the
answer, in the log lines and in the tasks the request enqueued."""

import datetime as dt
import json
import logging
import re
import socket
import uuid
from collections.abc import Iterator

import pytest
from django.test import Client, override_settings
from django_tasks_db.models import DBTaskResult

from torelik.core import clock, observability
from torelik.notifications.gateways import KannelSmsBackend
from torelik.notifications.sender import send_due_messages
from torelik.notifications.tests.factories import summons
from torelik.workers.models import TaskOrigin

pytestmark = pytest.mark.django_db

START = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
TOKEN = "metrics-test-token-0123456789"  # noqa: S105 - a test value


def scrape(client: Client) -> dict[str, float]:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200, response.content
    samples: dict[str, float] = {}
    for line in response.content.decode().splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


@pytest.fixture
def token() -> Iterator[None]:
    with override_settings(TORELIK_METRICS_TOKEN=TOKEN, TORELIK_METRICS_ADDRESSES=["127.0.0.1"]):
        yield


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_metrics_are_refused_without_the_token_from_another_address(client: Client, token: None) -> None:
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 403
    wrong = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer guess")
    assert wrong.status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 200


def test_the_sms_queue_grows_in_the_metrics_while_the_gateway_is_down(client: Client, token: None) -> None:
    down = KannelSmsBackend(url=f"http://127.0.0.1:{closed_port()}/cgi-bin/sendsms")
    queued = 'torelik_messages_waiting{channel="sms",status="queued"}'
    oldest = 'torelik_messages_queued_oldest_seconds{channel="sms"}'
    retried = 'torelik_messages_handed_over_total{channel="sms",outcome="retry"}'
    with clock.frozen_at(START):
        before = scrape(client)
        for n in range(3):
            summons(f"subpoena:down-{n}")
        send_due_messages(backend=down)
        first = scrape(client)
    with clock.frozen_at(START + dt.timedelta(minutes=10)):
        for n in range(3, 7):
            summons(f"subpoena:down-{n}")
        send_due_messages(backend=down)
        second = scrape(client)
    assert first[queued] == 3
    assert second[queued] == 7
    assert second[oldest] == 600.0
    assert first[retried] - before.get(retried, 0) == 3
    assert second[retried] - first[retried] >= 4  # the new four, and the first three once their backoff ran out
    assert second['torelik_messages_last_day{channel="sms",status="queued"}'] == 7
    assert second['torelik_messages_last_day{channel="sms",status="sent"}'] == 0


def test_requests_are_counted_by_route_without_the_language(client: Client, token: None) -> None:
    client.get("/en/courts/")
    client.get("/kk/courts/")
    samples = scrape(client)
    assert samples['torelik_http_requests_total{method="GET",route="courts/",status="200"}'] >= 2
    assert not any("/en/" in name for name in samples)


def test_the_request_id_is_answered_logged_and_carried_into_the_tasks_it_enqueues(client: Client) -> None:
    response = client.get("/healthz", HTTP_X_REQUEST_ID="edge-42")
    assert response["X-Request-ID"] == "edge-42"
    assert re.fullmatch(r"[0-9a-f]{32}", client.get("/healthz", HTTP_X_REQUEST_ID="bad id!")["X-Request-ID"])

    from torelik.workers.tasks import prune_finished

    with observability.request_id_set("req-7"):
        result = prune_finished.enqueue()
    assert TaskOrigin.objects.get(task_id=uuid.UUID(result.id)).request_id == "req-7"
    assert DBTaskResult.objects.filter(pk=result.id).exists()


def test_json_log_lines_carry_the_request_id() -> None:
    formatter = observability.JsonFormatter()
    record = logging.LogRecord("torelik.test", logging.WARNING, __file__, 1, "SMS %s not sent", ("a1",), None)
    observability.RequestIdFilter().filter(record)
    with observability.request_id_set("req-9"):
        line = json.loads(formatter.format(record))
    assert line["message"] == "SMS a1 not sent"
    assert line["level"] == "WARNING"
    assert line["request_id"] in {"", "req-9"}
    record.request_id = "req-9"
    assert json.loads(formatter.format(record))["request_id"] == "req-9"


def test_the_dashboard_and_the_alert_rules_read_only_metrics_that_exist(client: Client, token: None) -> None:
    from django.conf import settings

    text = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}").content.decode()
    families = set(re.findall(r"^# TYPE (\w+) ", text, flags=re.MULTILINE))
    known = families | {f"{name}{suffix}" for name in families for suffix in ("_total", "_bucket", "_sum", "_count")}
    docs = settings.BASE_DIR / "docs" / "operations"
    for name in ("grafana-dashboard.json", "prometheus-alerts.yml"):
        used = set(re.findall(r"\btorelik_[a-z_]+", (docs / name).read_text()))
        assert used, name
        assert used <= known, (name, used - known)
