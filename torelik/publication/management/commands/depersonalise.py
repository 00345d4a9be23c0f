"""`torelik depersonalise --lang ru|kk FILE`: the depersonalised text of a plain-text act on stdout;
with `--spans`, what was masked as JSON. `--person "Surname Name Patronymic"` names a party known to
the case (masked in every form), `--keep "Surname"` a name to keep (the judge, a lawyer)."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.publication.depersonalise import KnownPerson, depersonalise


class Command(BaseCommand):
    help = "Print the depersonalised text of a plain-text judicial act (or, with --spans, what was masked)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a UTF-8 plain-text act, or - for standard input")
        parser.add_argument("--lang", choices=["ru", "kk"], required=True)
        parser.add_argument("--spans", action="store_true", help="print the masked spans as JSON")
        parser.add_argument("--person", action="append", default=[], help='a party: "Surname Name Patronymic"')
        parser.add_argument("--keep", action="append", default=[], help="a name to keep (judge, lawyer)")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        try:
            text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {name}: {error}") from error
        people = []
        for full in options["person"]:
            words = full.split()
            if words:
                people.append(KnownPerson(*words[:3]))
        out, spans = depersonalise(text, language=options["lang"], people=people, keep=options["keep"])
        if options["spans"]:
            self.stdout.write(json.dumps([s.as_dict() for s in spans], ensure_ascii=False, indent=1))
        else:
            self.stdout.write(out, ending="" if out.endswith("\n") else "\n")
