"""`torelik turnstile --url URL --token TOKEN (--badge N | --pass CODE) [--out]`: one event sent as a
turnstile or badge reader would send it (the device simulator, over real HTTP), and the answer."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.access.simulator import Turnstile


class Command(BaseCommand):
    help = "Send one turnstile or badge-reader event to POST /api/v1/access/events and print the answer."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="the server's address")
        parser.add_argument("--token", required=True, help="the device's token")
        parser.add_argument("--badge", default="", help="a staff badge's number")
        parser.add_argument("--pass", dest="pass_code", default="", help="a visitor's pass code")
        parser.add_argument("--out", action="store_true", help="an exit (default: an entry)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["badge"] and not options["pass_code"]:
            raise CommandError("give --badge or --pass")
        turnstile = Turnstile(options["url"], options["token"])
        direction = "out" if options["out"] else "in"
        try:
            if options["badge"]:
                answer = turnstile.badge(options["badge"], direction)
            else:
                answer = turnstile.pass_code(options["pass_code"], direction)
        finally:
            turnstile.close()
        if answer.allowed:
            self.stdout.write(
                f"OPEN {direction}: {answer.body.get('name', '')} {answer.body.get('courtroom', '')}".rstrip()
            )
        else:
            self.stdout.write(f"SHUT ({answer.status} {answer.code}): {answer.message}")
