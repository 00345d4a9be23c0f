"""`torelik dev-signer [--host 127.0.0.1] [--port 13579] [--dir var/pki] [--iin 871008401427] [--origin URL...]`:
a local signer speaking NCALayer's protocol with a demo person's keys. Development only."""

import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.identity.demo_pki import DEMO_PEOPLE
from torelik.identity.devsigner import DevSignerError, banner, is_loopback, start_dev_signer
from torelik.identity.pki import default_directory


class Command(BaseCommand):
    help = "Run the DEVELOPMENT signer (NCALayer protocol, demo keys, loopback only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="loopback address to listen on")
        parser.add_argument("--port", type=int, default=13579, help="port (NCALayer's is 13579)")
        parser.add_argument("--dir", type=Path, default=None, help="the demo CA directory (default TORELIK_PKI_DIR)")
        parser.add_argument("--iin", default=DEMO_PEOPLE[0].iin, help="whose demo keys sign (default the citizen)")
        parser.add_argument(
            "--origin",
            action="append",
            dest="origins",
            default=None,
            help="a web origin whose pages may ask for signatures (repeatable; default TORELIK_DEV_SIGNER_ORIGINS, "
            "else TORELIK_PUBLIC_URL and make run's local addresses)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not is_loopback(options["host"]):
            raise CommandError(f"The development signer listens on loopback only, not on {options['host']}.")
        if not settings.DEBUG:
            self.stderr.write("Warning: DEBUG is off. The development signer must never run in production.")
        directory = options["dir"] or default_directory()
        try:
            running = start_dev_signer(
                directory=directory,
                iin=options["iin"],
                host=options["host"],
                port=options["port"],
                allowed_origins=options["origins"],
            )
        except DevSignerError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(banner(iin=options["iin"], url=running.url, origins=running.signer.allowed_origins))
        self.stdout.write("Pages find it when TORELIK_NCALAYER_URL is ws://127.0.0.1:13579 (the DEBUG default).")
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        try:
            stop.wait()
        finally:
            running.stop()
            self.stdout.write("Development signer stopped.")
