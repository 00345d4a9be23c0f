"""`torelik restore DIR`: rebuild an empty installation from a backup and prove it whole (ADR 0081)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.operations.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `torelik backup` into an empty database and file store, then verify the "
        "manifest, the transparency log and that every case, journal line, document and message is back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the backup's directory")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(options["directory"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        counts = ", ".join(f"{name} {value['count']}" for name, value in report.inventory.items())
        self.stdout.write(
            f"restored: {report.objects} objects, log of {report.log_entries} entries and "
            f"{report.checkpoints} checkpoints; {counts}"
        )
        if report.problems:
            raise CommandError("the restored installation does not match the backup:\n" + "\n".join(report.problems))
        self.stdout.write("verified: manifest, transparency log and inventory match the backup")
