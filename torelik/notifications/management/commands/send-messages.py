"""`torelik send-messages [--loop]`: send the outbox's due messages (once, or for ever). The workers do it
by themselves (`notifications.tasks`, ADR 0042); this is for a person who wants it done now."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection

from torelik.notifications.sender import send_due_messages


class Command(BaseCommand):
    help = "Send the due messages of the outbox (SMS and e-mail); with --loop, keep sending as they fall due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="keep running, polling the outbox")
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between polls with --loop")
        parser.add_argument("--limit", type=int, default=None, help="at most this many messages per pass")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            report = send_due_messages(limit=options["limit"])
            if report.handed or report.expired or report.interrupted or not options["loop"]:
                self.stdout.write(
                    f"handed {report.handed}, sent {report.sent}, retried {report.retried}, "
                    f"failed {report.failed}, expired {report.expired}, interrupted {report.interrupted}"
                )
            if not options["loop"]:
                return
            if not report.handed:
                connection.close()  # do not hold a connection while idle
                time.sleep(options["interval"])
