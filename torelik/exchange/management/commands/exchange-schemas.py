"""`torelik exchange-schemas [--write]`: list the published event schemas, or write their JSON files."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from torelik.exchange import schemas


class Command(BaseCommand):
    help = "List the JSON Schemas of the events sent to partner agencies, or write them (--write)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--write", action="store_true", help="write torelik/exchange/schemas/json/*.json")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["write"]:
            for path in schemas.write_all():
                self.stdout.write(str(path))
            return
        for schema in schemas.SCHEMAS.values():
            self.stdout.write(f"{schema.event_type} v{schema.version}  {schema.path}")
