"""`torelik load_case_categories FILE.json`: load or update the case-category classifier."""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from pydantic import ValidationError

from torelik.core.errors import DomainError
from torelik.courts.actions import import_case_categories


class Command(BaseCommand):
    help = "Load the case-category classifier from a JSON file (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = json.loads(options["path"].read_text(encoding="utf-8"))
            summary = import_case_categories(data=data)
        except (OSError, json.JSONDecodeError, ValidationError, DomainError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{summary.categories} categories loaded")
