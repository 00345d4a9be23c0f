"""`torelik register-recorder --court 0200 --name "Зал 101"`: a courtroom's recorder and its token, printed once."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.core import clock
from torelik.courts.models import Court
from torelik.hearings.actions import register_recorder


class Command(BaseCommand):
    help = "Register an audio-video recorder of a court and print its device token (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--court", required=True, help="the court's code, e.g. 0200")
        parser.add_argument("--name", required=True, help="what the court calls the recorder (its courtroom)")
        parser.add_argument("--days", type=int, default=365, help="how long the token is valid (default 365)")

    def handle(self, *args: Any, **options: Any) -> None:
        court = Court.objects.filter(code=options["court"]).first()
        if court is None:
            raise CommandError(f"There is no court with the code {options['court']}.")
        if options["days"] < 1:
            raise CommandError("--days must be at least 1.")
        device, token = register_recorder(
            court=court, name=options["name"], valid_until=clock.now() + dt.timedelta(days=options["days"])
        )
        self.stdout.write(f"Recorder {device.public_id} of {court.code} valid until {device.valid_until:%Y-%m-%d}.")
        self.stdout.write(f"Device token (shown only now; send it as 'Authorization: Bearer …'): {token}")
