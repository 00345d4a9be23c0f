"""`torelik recount-draws`: tally the drawn protocols again, compare with the tallies the drawing
transaction keeps for the monitoring (ADR 0116) and, with `--replace`, put the recount in their place.
Exits 1 when they disagree and nothing was replaced."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.distribution.actions import recount_tallies


class Command(BaseCommand):
    help = "Recount the monitoring's tallies of the draws from the protocols and prove the kept ones agree."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--replace", action="store_true", help="write the recounted tallies in place")

    def handle(self, *args: Any, **options: Any) -> None:
        recount = recount_tallies(replace=options["replace"])
        self.stdout.write(f"{recount.draws:,} drawn protocols under {recount.keys:,} keys (court, day, judge).")
        if not recount.disagreed:
            self.stdout.write("The kept tallies agree with the protocols.")
            return
        for (court, day, judge), kept, counted in recount.disagreed[:20]:
            self.stdout.write(f"  court {court} {day} judge {judge}: kept {kept}, counted {counted}")
        if options["replace"]:
            self.stdout.write(f"{len(recount.disagreed):,} keys disagreed: replaced by the recount.")
            return
        raise CommandError(f"{len(recount.disagreed):,} keys disagree with the protocols: run with --replace.")
