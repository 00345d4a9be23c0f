"""`torelik pki demo-ca [--dir var/pki]`: the demo certification authority and the demo people's keys."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.identity.demo_pki import seed_demo_certificates
from torelik.identity.pki import DEMO_PASSWORD, DemoCA, default_directory


class Command(BaseCommand):
    help = "Demo PKI: `pki demo-ca` creates the demo CA, the demo people's AUTH and SIGN keys (PKCS#12) and the CRL."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", title="subcommands", required=True)
        demo = commands.add_parser("demo-ca", help="create (or complete) the demo CA and the demo keys")
        demo.add_argument("--dir", type=Path, default=None, help="where to keep them (default TORELIK_PKI_DIR)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] != "demo-ca":  # pragma: no cover - argparse refuses others
            raise CommandError(f"Unknown subcommand {options['subcommand']}.")
        directory = options["dir"] or default_directory()
        try:
            files = seed_demo_certificates(directory)
        except OSError as error:
            raise CommandError(f"Cannot write the demo CA to {directory}: {error}") from error
        ca = DemoCA.load_or_create(directory)
        self.stdout.write("DEMO certification authority - for development and demonstrations only.")
        self.stdout.write(f"Root certificate: {ca.root_path}")
        self.stdout.write(f"CRL:              {ca.crl_path}")
        self.stdout.write(f"Password of every .p12 file: {DEMO_PASSWORD.decode()}")
        self.stdout.write("")
        header = f"{'name':<30} {'who':<22} {'IIN':<12} {'BIN':<12} {'key':<4} {'file':<22} note"
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        for item in files:
            person = item.person
            name = f"{person.surname} {person.given_name} {person.patronymic}"
            note = "REVOKED" if item.revoked else ""
            self.stdout.write(
                f"{name:<30} {person.description:<22} {person.iin:<12} {person.bin or '':<12} "
                f"{item.purpose.value.upper():<4} {item.path.name:<22} {note}".rstrip()
            )
