"""`torelik load_deadlines_data`: load the term rules and the calendar table from their data files
(or from given files), recomputing the open terms that a changed calendar day touches."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.deadlines.actions import (
    CALENDAR_FILE,
    TERM_RULES_FILE,
    load_calendar_days,
    load_term_rules,
    read_data_file,
)
from torelik.deadlines.errors import DeadlinesError


class Command(BaseCommand):
    help = "Load the term rules and the declared calendar days (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rules", type=Path, default=TERM_RULES_FILE)
        parser.add_argument("--calendar", type=Path, default=CALENDAR_FILE)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            rules = load_term_rules(data=read_data_file(options["rules"]))
            recomputed = load_calendar_days(data=read_data_file(options["calendar"]))
        except (DeadlinesError, OSError, ValueError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{rules} term rules; calendar loaded; {recomputed.terms} open terms "
            f"of {recomputed.cases} cases recomputed."
        )
