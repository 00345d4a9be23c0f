"""`torelik load_courts FILE.json`: load or update the court registry from a data file."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pydantic import ValidationError

from torelik.core.errors import DomainError
from torelik.courts.actions import import_court_registry


class Command(BaseCommand):
    help = "Load regions, courts and courtrooms from a JSON registry file (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(options["path"].read_text(encoding="utf-8"))
            summary = import_court_registry(data=data)
        except (OSError, json.JSONDecodeError, ValidationError, DomainError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{summary.regions} regions, {summary.courts} courts, {summary.courtrooms} courtrooms loaded")
