"""`torelik inventory`: what this installation holds, as counts and digests (compare before and after a restore)."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from torelik.operations.queries import inventory


class Command(BaseCommand):
    help = (
        "Print the inventory (counts and SHA-256 digests of cases, journal, log, documents, outbox, draws, "
        "open tasks) as JSON."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(json.dumps(inventory(), indent=2, sort_keys=True))
