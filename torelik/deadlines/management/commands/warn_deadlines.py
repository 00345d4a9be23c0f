"""`torelik warn_deadlines`: the daily task (the workers run it at 07:00, `deadlines.tasks`) that warns
judges and court offices of terms due within three days or missed. Idempotent."""

from typing import Any

from django.core.management.base import BaseCommand

from torelik.deadlines.actions import issue_term_warnings


class Command(BaseCommand):
    help = "Warn whoever must meet a term that is due soon or missed (idempotent; run daily)."

    def handle(self, *args: Any, **options: Any) -> None:
        summary = issue_term_warnings()
        self.stdout.write(f"Warnings given: {summary.due_soon} due soon, {summary.missed} missed.")
