"""`torelik post-simulator`: the simulated postal operator as a server of its own, as the real one is
reached (set TORELIK_POST_OPERATOR_URL=http://127.0.0.1:PORT), pushing its signed webhooks to the court
every few seconds. `--speed 1440` makes a simulated day pass in a minute."""

import datetime as dt
import json
import time
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import httpx
from django.conf import settings
from django.core.management.base import BaseCommand

from torelik.post import manifests
from torelik.post.simulator import Simulator


class Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the standard library's name
        return


class Command(BaseCommand):
    help = "Serve the simulator of the postal operator's API and push its signed webhooks."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--port", type=int, default=8319)
        parser.add_argument("--speed", type=float, default=1.0, help="simulated seconds per real second")
        parser.add_argument("--failures", type=float, default=float(settings.TORELIK_POST_SIMULATOR_FAILURES))
        parser.add_argument("--webhook", default=settings.TORELIK_PUBLIC_URL.rstrip("/") + "/api/v1/post/webhook")
        parser.add_argument("--every", type=float, default=5.0, help="seconds between webhook pushes")

    def handle(self, *args: Any, **options: Any) -> None:
        started, origin, speed = time.monotonic(), dt.datetime.now(tz=dt.UTC), options["speed"]

        def clock() -> dt.datetime:
            return origin + dt.timedelta(seconds=(time.monotonic() - started) * speed)

        simulator = Simulator(
            settings.TORELIK_POST_SIMULATOR_DIR,
            public_key=manifests.public_key_b64(),
            failure_rate=options["failures"],
            slow_seconds=settings.TORELIK_POST_OPERATOR_TIMEOUT + 1,
            clock=clock,
        )
        server = make_server("127.0.0.1", options["port"], simulator, handler_class=Quiet)
        # One loop, no thread: answer the requests that come within each wait, then push what is due.
        server.timeout = 0.2
        self.stdout.write(f"post simulator on http://127.0.0.1:{options['port']} (speed {speed}x)")
        next_push = time.monotonic() + options["every"]
        try:
            while True:
                server.handle_request()
                if time.monotonic() < next_push:
                    continue
                next_push = time.monotonic() + options["every"]
                events = simulator.due_webhook()
                if not events:
                    continue
                body = json.dumps({"events": events}).encode()
                signature = simulator.signed(body, settings.TORELIK_POST_WEBHOOK_SECRET, int(time.time()))
                try:
                    httpx.post(
                        options["webhook"],
                        content=body,
                        timeout=10,
                        headers={"X-Post-Signature": signature, "Content-Type": "application/json"},
                    )
                except httpx.HTTPError as error:
                    self.stderr.write(f"webhook not delivered: {error}")
        except KeyboardInterrupt:
            server.server_close()
