"""`torelik generate-national --cases N --years Y`: a national data set in PostgreSQL (ADR 0074)."""

import subprocess
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.deadlines import actions as deadlines_actions
from torelik.distribution import actions as distribution_actions
from torelik.national import queries
from torelik.national.errors import GenerationError
from torelik.national.generator import (
    DEFAULT_CHUNK,
    Progress,
    estimate_bytes,
    generate,
    start_run,
    unfinished_runs,
)
from torelik.national.models import GenerationRun
from torelik.reports import actions as reports_actions


class Command(BaseCommand):
    help = (
        "Write a national data set (cases, parties, journal, draws, terms, hearings, documents) straight into "
        "PostgreSQL with COPY. Refuses a database with cases unless --add; resumes an interrupted run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, default=1_000_000, help="how many cases (default 1,000,000)")
        parser.add_argument("--years", type=int, default=1, help="over how many years up to now (default 1)")
        parser.add_argument("--seed", type=int, default=24, help="random seed (the same seed writes the same set)")
        parser.add_argument("--chunk", type=int, default=DEFAULT_CHUNK, help="cases per transaction")
        parser.add_argument("--workers", type=int, default=2, help="processes, each over its share of the courts")
        parser.add_argument("--add", action="store_true", help="add to a database that has cases already")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")
        parser.add_argument("--run-part", type=int, default=None, help="(internal) write the run row with this id")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["run_part"] is not None:
                for _progress in generate(GenerationRun.objects.get(pk=options["run_part"])):
                    pass
                return
            if not queries.is_postgresql():
                raise GenerationError("The national data set is written with PostgreSQL's COPY: set DATABASE_URL.")
            runs = unfinished_runs()
            if runs:
                self.stdout.write(
                    f"Resuming the run of {runs[0].started_at:%Y-%m-%d %H:%M}: "
                    f"{sum(r.cases_done for r in runs):,} of {sum(r.cases for r in runs):,} cases left over written "
                    "(its own --cases, --years and --seed apply)."
                )
            else:
                runs = start_run(
                    cases=options["cases"],
                    years=options["years"],
                    seed=options["seed"],
                    chunk_size=max(100, options["chunk"]),
                    add=options["add"],
                    parts=max(1, options["workers"]),
                )
                self.stdout.write(
                    f"Generating {options['cases']:,} cases over {options['years']} year(s) "
                    f"in {len(runs)} process(es); "
                    f"about {estimate_bytes(options['cases']) / 1e9:.1f} GB on disk at most."
                )
            self._run(runs, progress=not options["no_progress"])
        except GenerationError as error:
            raise CommandError(str(error)) from error
        # The generator writes the journal and the terms by COPY, past the event bus that keeps the
        # statistics' counters and past the actions that count closed terms: recount both, the statistics
        # by the database (ADR 0111: minutes for a million cases, where entry by entry took hours).
        reports_actions.recount_counters()
        self.stdout.write("Statistics' counters recounted from the journal.")
        closed = deadlines_actions.recount_closed_terms(replace=True)
        self.stdout.write(f"Closed terms counted: {closed.terms:,} under {closed.keys:,} keys.")
        # And the draws, written past the transaction that tallies them for the monitoring (ADR 0116).
        tallies = distribution_actions.recount_tallies(replace=True)
        self.stdout.write(f"Draws tallied: {tallies.draws:,} under {tallies.keys:,} keys.")
        self.stdout.write(f"Done; database now {queries.database_bytes() / 1e9:.2f} GB.")

    def _run(self, runs: list[GenerationRun], *, progress: bool) -> None:
        ids = [run.pk for run in runs]
        children = [
            subprocess.Popen([sys.argv[0], "generate-national", "--run-part", str(pk)])  # noqa: S603
            for pk in ids
        ]
        meter = Progress(total=sum(r.cases for r in runs), done=sum(r.cases_done for r in runs))
        try:
            while any(child.poll() is None for child in children):
                time.sleep(2)
                meter.done = sum(GenerationRun.objects.filter(pk__in=ids).values_list("cases_done", flat=True))
                if progress:
                    sys.stderr.write("\r" + meter.line())
                    sys.stderr.flush()
        except KeyboardInterrupt:
            for child in children:
                child.terminate()
            raise CommandError("Interrupted: run the same command again to resume.") from None
        if progress:
            sys.stderr.write("\n")
        failed = [child.returncode for child in children if child.returncode]
        if failed:
            raise CommandError(f"{len(failed)} process(es) failed (see above); run the command again to resume.")
