"""`torelik complete-draws`: finish the draws whose beacon round is out, retry the waiting ones.
The workers run it every minute (`distribution.sweep`, ADR 0042); run it by hand to finish at once."""

from typing import Any

from django.core.management.base import BaseCommand

from torelik.distribution.actions import complete_pending_draws


class Command(BaseCommand):
    help = "Complete pending distributions (beacon round out) and retry those waiting for eligible judges."

    def handle(self, *args: Any, **options: Any) -> None:
        drawn, pending = complete_pending_draws()
        self.stdout.write(f"drawn {drawn}, still pending {pending}")
