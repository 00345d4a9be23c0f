"""`torelik rebuild-statistics`: count every counter again from the case journal, compare with the
live counters (and the pending cohorts with the cases' own statuses), and with `--replace` put the
recounted counters in their place. Exits 1 when they disagree and nothing was replaced. On PostgreSQL
the database counts (`queries.recount_in_database`, ADR 0111); elsewhere the tally, entry by entry."""

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from torelik.reports import actions, queries, rebuild


class Command(BaseCommand):
    help = "Recount the statistics' counters from the case journal and prove they agree with the live ones."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--replace", action="store_true", help="write the recounted counters in place")
        parser.add_argument("--quiet-progress", action="store_true", help="no progress bar")
        parser.add_argument(
            "--in-python", action="store_true", help="count entry by entry in Python also on PostgreSQL (slower)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        show = not options["quiet_progress"]

        def progress(done: int, total: int) -> None:
            if show:
                width = 40
                filled = width * done // max(total, 1)
                rate = done / max(time.monotonic() - started, 1e-9)
                sys.stderr.write(
                    f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} of the journal, {rate:,.0f}/s"
                )
                sys.stderr.flush()

        if connection.vendor == "postgresql" and not options["in_python"]:
            recount = queries.recount_in_database(progress=progress)
            if show:
                sys.stderr.write("\n")
            report = rebuild.Comparison(
                recount.counters,
                recount.differences,
                recount.status_differences,
                recount.difference_count,
                recount.status_difference_count,
            )
            self.stdout.write(report.summary(time.monotonic() - started))
            if options["replace"] and report.differences:
                written = actions.replace_counters_by_recount()
                self.stdout.write(f"counters replaced by the recount ({written} written)")
            elif options["replace"]:
                self.stdout.write("nothing to replace: the live counters are the recount")
            elif not report.agree:
                raise CommandError("the live counters disagree with the journal")
            return
        counted = queries.count_journal(progress=progress)
        if show:
            sys.stderr.write("\n")
        report = rebuild.compare(counted, queries.live_counters(), queries.pending_from_cases())
        elapsed = time.monotonic() - started
        self.stdout.write(report.summary(elapsed))
        if options["replace"]:
            actions.replace_counters(counted)
            self.stdout.write("counters replaced by the recount")
        elif not report.agree:
            raise CommandError("the live counters disagree with the journal")
