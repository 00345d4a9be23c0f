"""`torelik tsa [--port 8318]`: the local RFC 3161 timestamp authority of development and the demo (loopback
only; signed by the demo CA). Point TORELIK_TSA_URL at it. Never for production."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from torelik.identity.pki import DemoCA
from torelik.identity.timestamps import LocalTimestampAuthority


class Command(BaseCommand):
    help = "Serve the local (demo) RFC 3161 timestamp authority on 127.0.0.1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8318)

    def handle(self, *args: Any, **options: Any) -> None:
        authority = LocalTimestampAuthority(DemoCA.load_or_create(), port=options["port"])
        self.stdout.write(f"timestamp authority at {authority.url} (demo CA; TORELIK_TSA_URL={authority.url})")
        authority.serve_forever()
