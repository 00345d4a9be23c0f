"""A turnstile or badge reader, simulated: what the hardware at an entrance would send to
`POST /api/v1/access/events` over HTTP with its device token, and how it reads the answer. Used by the
tests, the benchmark and `torelik turnstile` (hardware is out of scope; the API it calls is not).

A network failure or a 5xx is retried (a short backoff) and, if it lasts, answered as `offline`: the
turnstile stays shut and says so. A 4xx is the court's refusal and is never retried."""

import time
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass(frozen=True)
class Answer:
    status: int
    allowed: bool
    code: str
    message: str
    body: dict[str, Any] = field(default_factory=dict)


class Turnstile:
    def __init__(
        self, base_url: str, token: str, *, timeout: float = 5.0, retries: int = 2, client: httpx.Client | None = None
    ) -> None:
        self.url = base_url.rstrip("/") + "/api/v1/access/events"
        self.token = token
        self.retries = retries
        self.client = client or httpx.Client(timeout=timeout)

    def close(self) -> None:
        self.client.close()

    def badge(self, number: str, direction: str = "in") -> Answer:
        return self.send({"direction": direction, "badge": number})

    def pass_code(self, code: str, direction: str = "in") -> Answer:
        return self.send({"direction": direction, "pass_code": code})

    def send(self, payload: dict[str, str]) -> Answer:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        last = ""
        for attempt in range(self.retries + 1):
            try:
                response = self.client.post(self.url, json=payload, headers=headers)
            except httpx.HTTPError as error:
                last = str(error) or type(error).__name__
            else:
                if response.status_code < 500:
                    body = response.json()
                    allowed = response.status_code == 200 and bool(body.get("allowed"))
                    return Answer(
                        status=response.status_code,
                        allowed=allowed,
                        code="" if allowed else str(body.get("code", "")),
                        message="" if allowed else str(body.get("message", "")),
                        body=body,
                    )
                last = f"HTTP {response.status_code}"
            if attempt < self.retries:
                time.sleep(0.2 * 2**attempt)
        return Answer(status=0, allowed=False, code="offline", message=last)
