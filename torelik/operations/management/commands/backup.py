"""`torelik backup DIR`: a consistent backup of the database and the file store (ADR 0081)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.operations.backup import BackupError, take_backup


class Command(BaseCommand):
    help = (
        "Back up the database and the file store's objects as of one moment into DIR, with a manifest of SHA-256 sums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="a new or empty directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = take_backup(options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        where = manifest.get("postgresql", {}).get("wal_lsn")
        counts = ", ".join(f"{name} {value['count']}" for name, value in manifest["inventory"].items())
        self.stdout.write(
            f"backup of {manifest['engine']} in {options['directory']}"
            + (f" at WAL {where}" if where else "")
            + f": {manifest['objects']} objects; {counts}"
        )
