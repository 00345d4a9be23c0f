"""Input a careless or hostile client sends is answered 4xx in the API's format, never 500 (issue 17)."""

import json

import pytest
from django.test import Client, override_settings

from config.middleware import client_address
from torelik.filing.actions.portal import normalised_filename

LISTS = [
    "/api/v1/courts",
    "/api/v1/case-categories",
    "/api/v1/distribution/protocols",
    "/api/v1/distribution/anchors",
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", LISTS)
@pytest.mark.parametrize("offset", [str(2**63), str(2**64 + 5), "-1"])
def test_an_offset_past_what_the_database_holds_is_a_422(client: Client, path: str, offset: str) -> None:
    response = client.get(path, {"offset": offset})
    assert response.status_code == 422
    assert "offset" in response.json()["fields"]


@pytest.mark.django_db
def test_a_limit_over_the_maximum_is_a_422(client: Client) -> None:
    response = client.get("/api/v1/courts", {"limit": 10_000})
    assert response.status_code == 422
    assert "limit" in response.json()["fields"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/distribution/protocols", {"from": "0001-01-01"}),
        ("/api/v1/distribution/protocols", {"to": "9999-12-31"}),
        ("/api/v1/hearings", {"court": "1916", "date": "9999-12-31"}),
        ("/api/v1/hearings", {"court": "1916", "date": "0001-01-01"}),
        ("/api/v1/hearings", {"court": "1916", "date": "0"}),
        ("/api/v1/summons/statistics", {"end": "0001-01-01"}),
        ("/api/v1/summons/statistics", {"start": "9999-12-31", "end": "9999-12-31"}),
        ("/api/v1/calendar/terms", {"start": "9999-12-31", "amount": 10, "unit": "days"}),
    ],
)
def test_a_date_at_the_ends_of_the_calendar_or_a_number_is_a_translated_422(
    client: Client, path: str, query: dict[str, str]
) -> None:
    response = client.get(path, query, headers={"accept-language": "ru"})
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["code"] == "invalid_input"
    messages = [message for field in body["fields"].values() for message in field]
    assert any("ГГГГ-ММ-ДД" in message or "1900" in message for message in messages), messages


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/ru/hearings/courts/1916/?date=0001-01-01", "/ru/hearings/courts/1916/?date=9999-12-31"],
)
def test_the_timetable_page_reads_a_day_off_the_calendar_as_today(client: Client, path: str) -> None:
    assert client.get(path).status_code in {200, 404}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["start=0001-01-01", "end=9999-12-31", "start=0001-01-01&end=0001-01-02"])
def test_the_statistics_page_refuses_a_day_off_the_calendar_with_a_message(client: Client, query: str) -> None:
    response = client.get(f"/ru/summons/statistics/?{query}")
    assert response.status_code in {200, 400}
    assert "1900" in response.content.decode()


def test_a_write_to_an_unknown_api_address_is_a_json_404_not_the_csrf_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/api/v1/no-such-thing", data="{}", content_type="application/json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_a_json_body_over_the_limit_is_a_json_413(client: Client) -> None:
    body = json.dumps({"phone": "+77010000000", "code": "1" * 4000})
    response = client.post("/api/v1/summons/codes", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_big"


@pytest.mark.django_db
@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024, TORELIK_API_FILING_BODY_MB=1)
def test_the_filing_route_takes_more_than_the_site_limit_and_answers_413_past_its_own(client: Client) -> None:
    under = json.dumps({"kind": "claim", "filer_iin": "1", "subject": "x" * 500_000})
    response = client.post("/api/v1/filings", data=under, content_type="application/json")
    assert response.status_code == 401  # read, parsed, refused for the missing token: not 400 or 413
    over = json.dumps({"kind": "claim", "filer_iin": "1", "subject": "x" * 1_100_000})
    response = client.post("/api/v1/filings", data=over, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "too_big"


def test_the_client_address_is_taken_from_a_trusted_proxy_only() -> None:
    import ipaddress

    trusted = [ipaddress.ip_network("10.0.0.0/8")]
    assert client_address("10.0.0.5", "203.0.113.7", trusted) == "203.0.113.7"
    # Whatever the client wrote before the proxy's own entry is not believed past the first stranger.
    assert client_address("10.0.0.5", "198.51.100.1, 203.0.113.7, 10.0.0.9", trusted) == "203.0.113.7"
    assert client_address("203.0.113.7", "10.0.0.1", trusted) == "203.0.113.7"  # no proxy: the socket
    assert client_address("10.0.0.5", "not-an-address", trusted) == "10.0.0.5"
    assert client_address("10.0.0.5", "", trusted) == "10.0.0.5"


@pytest.mark.parametrize(
    ("sent", "kept"),
    [("../../etc/passwd", "passwd"), ("claim\r\n.pdf", "claim.pdf"), ("..", "attachment"), ("C:\\x\\a.pdf", "a.pdf")],
)
def test_an_e_government_file_name_is_normalised_as_the_multipart_routes_do(sent: str, kept: str) -> None:
    assert normalised_filename(sent) == kept
