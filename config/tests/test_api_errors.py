"""Every error of the API speaks the same format: {"code", "message", "fields"}."""

import pytest
from django.test import Client


def test_an_address_no_route_serves_is_a_json_404_in_the_callers_language(client: Client) -> None:
    response = client.get("/api/v1/no-such-thing", headers={"accept-language": "ru"})
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == "not_found"
    assert body["fields"] == {}
    assert body["message"] == "По этому адресу ничего не найдено."


@pytest.mark.django_db
def test_a_bad_query_value_is_a_422_naming_the_field(client: Client) -> None:
    response = client.get("/api/v1/courts", {"limit": "many"})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert "limit" in body["fields"]
