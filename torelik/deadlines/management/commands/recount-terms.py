"""`torelik recount-terms`: count the closed terms again from the terms, compare with the counts the
actions keep (ADR 0115) and, with `--replace`, put the recount in their place. Exits 1 when they
disagree and nothing was replaced."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.deadlines.actions import recount_closed_terms


class Command(BaseCommand):
    help = "Recount the closed terms (met on time, met late) and prove the dashboards' kept counts agree."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--replace", action="store_true", help="write the recounted counts in place")

    def handle(self, *args: Any, **options: Any) -> None:
        recount = recount_closed_terms(replace=options["replace"])
        self.stdout.write(f"{recount.terms:,} closed terms under {recount.keys:,} keys (court, judge, duty, status).")
        if not recount.disagreed:
            self.stdout.write("The kept counts agree with the terms.")
            return
        for (court, judge, responsible, status), kept, counted in recount.disagreed[:20]:
            where = f"court {court} judge {judge or '-'} {responsible} {status}"
            self.stdout.write(f"  {where}: kept {kept}, counted {counted}")
        if options["replace"]:
            self.stdout.write(f"{len(recount.disagreed):,} keys disagreed: replaced by the recount.")
            return
        raise CommandError(f"{len(recount.disagreed):,} keys disagree with the terms: run with --replace.")
