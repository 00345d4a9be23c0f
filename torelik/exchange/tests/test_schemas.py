"""The published schemas are stable: the JSON Schema files committed in schemas/json are exactly what
the models give (a change of shape must be a new version), and the API serves them."""

import json

import pytest
from django.test import Client

from torelik.exchange import schemas
from torelik.exchange.errors import ExchangeInvalidError
from torelik.exchange.outbox import publish


@pytest.mark.parametrize("key", sorted(schemas.SCHEMAS))
def test_each_published_schema_is_the_committed_file(key: tuple[str, int]) -> None:
    schema = schemas.SCHEMAS[key]
    assert schema.json_schema() == schemas.committed(schema)


def test_the_api_lists_and_serves_the_schemas() -> None:
    client = Client()
    listed = client.get("/api/v1/exchange/schemas", HTTP_ACCEPT_LANGUAGE="en").json()
    writ = next(s for s in listed if s["event_type"] == "writ_in_force")
    assert writ == {
        "event_type": "writ_in_force",
        "version": 1,
        "current": True,
        "url": "/api/v1/exchange/schemas/writ_in_force/v1",
        "description": "writ of execution of an act in force",
        "partners": ["enforcement"],
    }
    served = client.get(writ["url"]).json()
    assert served["$id"] == writ["url"]
    assert "writ" in served["required"]
    envelope = client.get("/api/v1/exchange/schemas/envelope").json()
    assert {"event_id", "schema", "sequence", "payload"} <= set(envelope["required"])
    missing = client.get("/api/v1/exchange/schemas/writ_in_force/v9", HTTP_ACCEPT_LANGUAGE="ru")
    assert missing.status_code == 404
    assert missing.json()["code"] == "unknown_schema"


@pytest.mark.django_db
def test_a_payload_that_does_not_fit_its_schema_is_refused_before_it_is_written() -> None:
    with pytest.raises(ExchangeInvalidError) as refused:
        publish("case_status", {"case_number": "x"})
    assert refused.value.code == "invalid_payload"
    with pytest.raises(ExchangeInvalidError) as unknown:
        publish("verdict_of_the_gods", {})
    assert unknown.value.code == "unknown_event_type"
    assert json.dumps(refused.value.as_dict())
