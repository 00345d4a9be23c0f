"""A national data set written straight into PostgreSQL with COPY (ADR 0074).

Each case walks the path an ordinary case walks through the actions (registered, assigned by a
draw, accepted, in preparation, scheduled, heard, decided, in force, closed, archived), each step a
few days after the one before, and stops at the first step still in the future: a case registered
last week is waiting for acceptance, one from last year is closed. Every step writes what the actions
write: the journal entry, the status, the judge's draw (one per attempt), the terms its trigger opens
and closes (due dates through the working calendar), the hearing, the documents. Numbers are taken
from the registry's own counters, locked for the chunk, so they stay gap-free per court, year and
type. Cases are made in chunks in the order of time, each chunk one transaction that also advances
the run's progress row: an interrupted run resumes at the next chunk and writes the same cases.
"""

import datetime as dt
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.db import transaction

from torelik.core import clock
from torelik.national import queries
from torelik.national.chunk import Chunk, registration_moments
from torelik.national.errors import GenerationError
from torelik.national.models import GenerationRun
from torelik.national.reference import load_reference

# What one case costs on disk with its journal, terms, documents, parties, draw, hearing and their
# indexes (measured: 305,000 cases took 3.8 GB with the network); the check asks for this with a margin.
BYTES_PER_CASE = 12_500
MARGIN = 1.25
DEFAULT_CHUNK = 5_000


def estimate_bytes(cases: int) -> int:
    return int(cases * BYTES_PER_CASE * MARGIN)


@dataclass
class Progress:
    total: int
    done: int
    started: float = field(default_factory=time.monotonic)
    first: int = 0

    def __post_init__(self) -> None:
        self.first = self.done

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = (self.done - self.first) / elapsed
        left = (self.total - self.done) / rate if rate else 0
        share = self.done / self.total if self.total else 1
        bar = "#" * int(share * 30)
        eta = f"{int(left // 60)}m{int(left % 60):02d}s" if rate else "?"
        return f"[{bar:<30}] {share:6.1%} {self.done:,}/{self.total:,} cases, {rate:,.0f} cases/s, ETA {eta}"


def unfinished_runs() -> list[GenerationRun]:
    return list(GenerationRun.objects.filter(finished_at=None).order_by("part"))


def unfinished_run() -> GenerationRun | None:
    runs = unfinished_runs()
    return runs[0] if runs else None


def start_run(
    *, cases: int, years: int, seed: int, chunk_size: int, add: bool, parts: int = 1, check_disk: bool = True
) -> list[GenerationRun]:
    """A new run of `parts` rows, after the checks: PostgreSQL, an empty target (unless `add`), enough disk."""
    if not queries.is_postgresql():
        raise GenerationError(
            "The national data set is written with PostgreSQL's COPY: set DATABASE_URL to a PostgreSQL database."
        )
    if cases < 1 or years < 1 or parts < 1:
        raise GenerationError("--cases, --years and --workers must be at least 1.")
    if queries.has_cases() and not add:
        raise GenerationError(
            "The target database has cases already: pass --add to add the national set to them, "
            "or give an empty database."
        )
    needed = estimate_bytes(cases)
    free = queries.free_bytes()
    if check_disk and free is not None and free < needed:
        raise GenerationError(
            f"Not enough free disk: the set needs about {needed / 1e9:.1f} GB, "
            f"the database's disk has {free / 1e9:.1f} GB."
        )
    now = clock.now()
    return [
        GenerationRun.objects.create(
            started_at=now,
            cases=cases // parts + (1 if part < cases % parts else 0),
            years=years,
            seed=seed,
            chunk_size=chunk_size,
            part=part,
            parts=parts,
            period_start=now - dt.timedelta(days=365 * years),
            period_end=now,
        )
        for part in range(parts)
    ]


def generate(run: GenerationRun, *, report: Callable[[str], None] = lambda line: None) -> Iterator[Progress]:
    """Write the run's remaining chunks, one transaction each; yields the progress after each."""
    reference = load_reference(run.part, run.parts)
    court_ids = [court.id for court in reference.courts]
    identifiers = queries.existing_identifiers()
    slots, judge_slots = queries.taken_slots()
    progress = Progress(total=run.cases, done=run.cases_done)
    now = run.period_end
    loads: dict[str, int] = {}
    span = (run.period_end - run.period_start) / run.chunks  # each chunk's slice of the period
    for chunk in range(run.chunks_done, run.chunks):
        rng = random.Random((run.seed * 1_000_003 + chunk) * 64 + run.part)  # noqa: S311 - synthetic data, reproducible per chunk
        count = min(run.chunk_size, run.cases - chunk * run.chunk_size)
        with transaction.atomic():
            counters = queries.locked_counters(court_ids)
            writer = Chunk(
                reference=reference,
                rng=rng,
                counters=counters,
                identifiers=identifiers,
                slots=slots,
                judge_slots=judge_slots,
                now=now,
                loads=loads,
            )
            start = run.period_start + span * chunk
            writer.build(registration_moments(reference, rng, start, span, run.period_end, count))
            writer.write()
            run.chunks_done = chunk + 1
            run.cases_done += count
            if run.chunks_done == run.chunks:
                run.finished_at = clock.now()
            run.save(update_fields=["chunks_done", "cases_done", "finished_at"])
        progress.done = run.cases_done
        yield progress
    queries.analyse()
