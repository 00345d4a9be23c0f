"""The client of the postal operator's API (HTTPS, bearer token): hand over a hybrid batch and read
each item's acknowledgement, read an item's tracking events. Every call has a timeout; a refusal, a
late or unreadable answer raises `OperatorError` with words for staff, and the caller retries.
With no TORELIK_POST_OPERATOR_URL the operator is the simulator, called in-process (`simulator.py`)."""

import datetime as dt
import functools
import json
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings
from pydantic import BaseModel, ValidationError

from torelik.core import clock
from torelik.post import manifests
from torelik.post.errors import OperatorError
from torelik.post.simulator import Simulator


class Ack(BaseModel):
    barcode: str
    status: str
    reason: str = ""


class BatchAnswer(BaseModel):
    items: list[Ack]


class EventIn(BaseModel):
    id: str
    code: str
    at: dt.datetime
    reason: str = ""
    place: str = ""


class EventsAnswer(BaseModel):
    barcode: str
    events: list[EventIn]


@dataclass(frozen=True)
class Operator:
    client: httpx.Client

    def _call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.TimeoutException as error:
            raise OperatorError("the operator did not answer in time") from error
        except httpx.HTTPError as error:
            raise OperatorError(f"the operator could not be reached: {type(error).__name__}") from error
        return response

    def deliver_batch(self, manifest: dict[str, Any], signature: str, package: bytes) -> list[Ack]:
        head = json.dumps({"manifest": manifest, "signature": signature}).encode()
        body = len(head).to_bytes(8, "big") + head + package
        response = self._call(
            "POST", "/api/v2/batches", content=body, headers={"Content-Type": "application/octet-stream"}
        )
        if response.status_code != 200:
            raise OperatorError(f"the operator refused the batch: HTTP {response.status_code} {response.text[:120]}")
        try:
            return BatchAnswer.model_validate_json(response.content).items
        except ValidationError as error:
            raise OperatorError("the operator's acknowledgement is not readable") from error

    def events(self, barcode: str) -> list[EventIn] | None:
        """The item's events, or None when the operator does not know the barcode (yet)."""
        response = self._call("GET", f"/api/v2/{barcode}/events")
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise OperatorError(f"the tracking service answered HTTP {response.status_code}")
        try:
            return EventsAnswer.model_validate_json(response.content).events
        except ValidationError as error:
            raise OperatorError("the tracking service's answer is not readable") from error


def simulator() -> Simulator:
    return Simulator(
        settings.TORELIK_POST_SIMULATOR_DIR,
        public_key=manifests.public_key_b64(),
        failure_rate=float(settings.TORELIK_POST_SIMULATOR_FAILURES),
        clock=clock.now,
    )


@functools.cache
def _transport_for(directory: str, failures: str) -> httpx.BaseTransport:
    return httpx.WSGITransport(app=simulator())


def operator() -> Operator:
    timeout = httpx.Timeout(float(settings.TORELIK_POST_OPERATOR_TIMEOUT))
    headers = {"Authorization": f"Bearer {settings.TORELIK_POST_OPERATOR_TOKEN}"}
    if settings.TORELIK_POST_OPERATOR_URL:
        return Operator(httpx.Client(base_url=settings.TORELIK_POST_OPERATOR_URL, timeout=timeout, headers=headers))
    transport = _transport_for(settings.TORELIK_POST_SIMULATOR_DIR, settings.TORELIK_POST_SIMULATOR_FAILURES)
    return Operator(httpx.Client(base_url="http://operator.invalid", transport=transport, timeout=timeout))
