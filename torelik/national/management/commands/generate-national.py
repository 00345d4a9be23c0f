"""`torelik generate-national --cases N --years Y`: a national data set in PostgreSQL (ADR 0074)."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from torelik.national import queries
from torelik.national.generator import DEFAULT_CHUNK, GenerationError, estimate_bytes, generate, start_run, unfinished_run


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
        parser.add_argument("--add", action="store_true", help="add to a database that has cases already")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (for logs)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            run = unfinished_run() if queries.is_postgresql() else None
            if run is not None:
                self.stdout.write(
                    f"Resuming the run of {run.started_at:%Y-%m-%d %H:%M}: {run.cases_done:,} of {run.cases:,} cases "
                    "written (its own --cases, --years and --seed apply)."
                )
            else:
                run = start_run(
                    cases=options["cases"],
                    years=options["years"],
                    seed=options["seed"],
                    chunk_size=max(100, options["chunk"]),
                    add=options["add"],
                )
                self.stdout.write(
                    f"Generating {run.cases:,} cases over {run.years} year(s); about "
                    f"{estimate_bytes(run.cases) / 1e9:.1f} GB on disk at most."
                )
            progress = None
            for progress in generate(run):
                if not options["no_progress"]:
                    sys.stderr.write("\r" + progress.line())
                    sys.stderr.flush()
            if not options["no_progress"]:
                sys.stderr.write("\n")
        except GenerationError as error:
            raise CommandError(str(error)) from error
        done = progress.line() if progress else "nothing left to write"
        self.stdout.write(f"Done: {done}; database now {queries.database_bytes() / 1e9:.2f} GB.")
