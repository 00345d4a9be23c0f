"""`torelik verify-distribution CASE_NUMBER`: re-run every draw of a case from its protocol."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.cases.models import Case
from torelik.distribution.queries import draws_of
from torelik.distribution.verification import verify_draw


class Command(BaseCommand):
    help = "Recompute the seed and the draw of every distribution of a case; print VALID or what differs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number", help="case number, e.g. 1916-26-00-2/15")

    def handle(self, *args: Any, **options: Any) -> None:
        case = Case.objects.filter(number=options["number"]).first()
        draws = list(draws_of(case)) if case else []
        if not draws:
            raise CommandError(f"no distribution of case {options['number']} was found")
        invalid = 0
        for draw in draws:
            verdict = verify_draw(draw)
            state = "VALID" if verdict.valid else "INVALID"
            if verdict.valid and draw.status != "drawn":
                state = f"commitment VALID, not drawn yet ({draw.status})"
            self.stdout.write(f"{case.number if case else ''} #{draw.attempt}: {state}")
            for problem in verdict.problems:
                self.stdout.write(f"  {problem}")
            invalid += not verdict.valid
        if invalid:
            raise CommandError(f"{invalid} of {len(draws)} draws do not verify")
