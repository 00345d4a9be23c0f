"""Schemathesis over the whole OpenAPI of /api/v1/, anonymously and as a court's staff member: no answer
may be a 5xx, and every answer must be one the schema documents, in its documented shape (issue 17).

The requests go to Django's WSGI handler in this process, inside the test's transaction, on SQLite and on
PostgreSQL alike (no server, no second connection). Hypothesis runs a bounded, derandomised number of
examples per operation, positive and negative, so the run takes a modest and repeatable time."""

import sys
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from torelik.hearings.tests.factories import case_in, court_with_staff

EXAMPLES = 8  # per operation and identity, with the negative ones and the replays: about 2,000 requests
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
COUNTS = {"requests": 0, "failed": 0}

APPLICATION = WSGIHandler()
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", APPLICATION)


@pytest.fixture
def one_transaction(db: None) -> Iterator[None]:
    """Django's handler closes the connection at each request's start and end (close_old_connections):
    inside the test's transaction that would end it, so the test client's rule applies here too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def staff_cookies(db: None) -> dict[str, str]:
    """The session and CSRF cookies of a court secretary, with a case of that court to find. (Before
    `one_transaction`: Django's test client connects close_old_connections again after its requests.)"""
    court = court_with_staff()
    case_in(court)
    client = Client()
    client.force_login(court.secretary)
    client.get("/en/accounts/login/")  # sets the CSRF cookie
    return {name: morsel.value for name, morsel in client.cookies.items()}


def _call(case: Any, cookies: dict[str, str] | None) -> None:
    headers = {"X-CSRFToken": cookies["csrftoken"]} if cookies and "csrftoken" in cookies else None
    COUNTS["requests"] += 1
    response = case.call(cookies=cookies, headers=headers)
    try:
        case.validate_response(response, checks=CHECKS)
    except Exception:
        COUNTS["failed"] += 1
        raise


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    sys.stderr.write(f"\nfuzzer: {COUNTS['requests']} requests, {COUNTS['failed']} failed\n")  # with `pytest -s`


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_the_api_answers_an_anonymous_client_as_documented(case: Any, one_transaction: None) -> None:
    _call(case, None)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_the_api_answers_a_staff_member_as_documented(
    case: Any, staff_cookies: dict[str, str], one_transaction: None
) -> None:
    _call(case, staff_cookies)
