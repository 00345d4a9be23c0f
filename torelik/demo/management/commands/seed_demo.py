"""`torelik seed_demo`: load the demo national court network and the demo cases once; a no-op
when they are there.

Loads the court registry and the case-category classifier through the courts actions, then the
demo judges, chairmen and staff accounts, then a few thousand demo cases through the case-file
actions (all deterministic). `make run` calls it on every start, so the check for existing data
comes first and costs one query.
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from torelik.access.demo import seed_demo_access
from torelik.acts.demo import seed_demo_acts
from torelik.apostille.demo import seed_demo_apostilles
from torelik.cases.demo import DEMO_CASE_COUNT, demo_cases_exist, seed_demo_cases
from torelik.courts.actions import import_case_categories, import_court_registry
from torelik.courts.demo import (
    CASE_CATEGORIES_FILE,
    DEMO_ADMIN,
    DEMO_PASSWORD,
    DEMO_SEED,
    REGISTRY_FILE,
    is_demo_loaded,
    network_summary,
    read_data_file,
    seed_court_people,
)
from torelik.demo.court_day import FLAGSHIP_CASES, seed_court_day
from torelik.demo.distribution import RealDraws
from torelik.demo.hearings import seed_demo_hearings
from torelik.exchange.demo import seed_demo_exchange
from torelik.filing.demo import seed_demo_filings
from torelik.helpline.demo import seed_demo_calls
from torelik.identity.demo_pki import seed_demo_certificates, seed_demo_staff_signatures
from torelik.identity.pki import DEMO_PASSWORD as DEMO_P12_PASSWORD
from torelik.notifications.demo import seed_demo_messages
from torelik.personnel.demo import seed_demo_personnel
from torelik.portal.demo import seed_demo_library
from torelik.post.demo import seed_demo_post
from torelik.publication.demo import seed_demo_publication
from torelik.summons.demo import seed_demo_summons


class Command(BaseCommand):
    help = "Load the demo court network, judges, demo accounts and demo cases (idempotent; fast when loaded)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--allow-published-password",
            action="store_true",
            help="Create the demo accounts (password published in the README) even with DEBUG off.",
        )
        parser.add_argument(
            "--cases",
            type=int,
            default=None,
            metavar="N",
            help=(
                f"Register about N demo cases (default {DEMO_CASE_COUNT:,} with a new network; 0: none). "
                "Where the network is loaded already, give it to add the cases if there are none yet."
            ),
        )
        parser.add_argument(
            "--court-day",
            type=int,
            default=None,
            metavar="N",
            help=(
                f"Write N cases of the flagship court (and a proportionate volume elsewhere) in bulk, for full "
                f"timetables and dockets (default {FLAGSHIP_CASES:,} with the default cases; 0 with --cases)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        wanted: int | None = options["cases"]
        network_loaded = is_demo_loaded()
        # With the network there, only an explicit --cases asks for more: the usual start costs one query.
        if network_loaded and (not wanted or demo_cases_exist()):
            self.stdout.write("Demo data is already loaded: nothing to do.")
            return
        if not settings.DEBUG and not options["allow_published_password"]:
            raise CommandError(
                "DEBUG is off: this looks like a real system. The demo accounts have a published password; "
                "pass --allow-published-password if you really want them here."
            )
        if not network_loaded:
            with self._stage("network"):
                self._load_network()
        count = DEMO_CASE_COUNT if wanted is None else wanted
        if count > 0:
            # Before the cases: the draws made for them read the judges' absences recorded here.
            with self._stage("personnel"):
                personnel = seed_demo_personnel(seed=DEMO_SEED)
            for line in personnel.lines() if personnel.posts else []:
                self.stdout.write(f"Demo personnel records: {line}")
            with self._stage("cases"):
                summary = seed_demo_cases(count=count, seed=DEMO_SEED, distribution=RealDraws())
            self.stdout.write("Demo cases:" if summary.cases else "Demo cases are there already.")
            for line in summary.lines() if summary.cases else []:
                self.stdout.write(f"  {line}")
            with self._stage("hearings"):
                hearings = seed_demo_hearings(seed=DEMO_SEED)
            self.stdout.write("Demo hearings:" if hearings.hearings else "Demo hearings are there already.")
            for line in hearings.lines() if hearings.hearings else []:
                self.stdout.write(f"  {line}")
            if hearings.hearings:
                with self._stage("subpoenas"):
                    summons = seed_demo_summons(seed=DEMO_SEED)
                self.stdout.write("Demo subpoenas and messages:")
                for line in summons.lines():
                    self.stdout.write(f"  {line}")
            with self._stage("certificates"):
                certificates = seed_demo_certificates()
            self.stdout.write(
                f"Demo certificates (demo CA, password {DEMO_P12_PASSWORD.decode()}): {len(certificates)} "
                f"PKCS#12 files in {certificates[0].path.parent if certificates else '-'}"
            )
            for username, iin in seed_demo_staff_signatures():
                self.stdout.write(f"  {username} logs in with a signature: `torelik dev-signer --iin {iin}`")
            with self._stage("term reminders"):
                messages = seed_demo_messages(seed=DEMO_SEED)
            self.stdout.write(
                f"Demo term reminders: {messages.queued} queued, {messages.sent} sent, {messages.delivered} delivered, "
                f"{messages.retried} retried, {messages.failed} failed"
            )
            with self._stage("acts"):
                acts = seed_demo_acts()
            for line in acts.lines() if acts.acts else []:
                self.stdout.write(f"Demo acts: {line}")
            with self._stage("publication"):
                publication = seed_demo_publication()
            for line in publication.lines() if publication.prepared else []:
                self.stdout.write(f"Demo publication: {line}")
            with self._stage("e-filings"):
                filings = seed_demo_filings(seed=DEMO_SEED)
            if filings.filings:
                statuses = ", ".join(f"{count} {status}" for status, count in sorted(filings.by_status.items()))
                self.stdout.write(f"Demo e-filings: {filings.filings} ({statuses})")
            with self._stage("letters"):
                post = seed_demo_post(seed=DEMO_SEED)
            self.stdout.write(f"Demo letters (registered and hybrid): {post.letters}, {post.final} with a final status")
            with self._stage("helpline"):
                calls = seed_demo_calls(seed=DEMO_SEED)
            self.stdout.write(f"Demo helpline calls: {calls.calls} ({calls.waiting} waiting, {calls.overdue} overdue)")
            with self._stage("apostilles"):
                apostilles = seed_demo_apostilles()
            for line in apostilles.lines() if apostilles.requests else []:
                self.stdout.write(f"Demo apostilles: {line}")
            with self._stage("exchanges"):
                exchanges = seed_demo_exchange(seed=DEMO_SEED)
            for line in exchanges.lines() if exchanges.delivered or exchanges.dead else []:
                self.stdout.write(f"Demo exchanges with partner agencies: {line}")
            with self._stage("practice library"):
                library = seed_demo_library()
            self.stdout.write(f"Demo practice library: {library.items} items, {library.announcements} announcements")
            with self._stage("building access"):
                building = seed_demo_access(seed=DEMO_SEED, password=DEMO_PASSWORD)
            for line in building.lines() if building.entrances else []:
                self.stdout.write(f"Demo building access: {line}")
        court_day = options["court_day"]
        if court_day is None:
            court_day = FLAGSHIP_CASES if wanted is None else 0
        if court_day > 0:
            # Last: the actions' stages above choose their cases among those they made; the bulk rows go
            # around the hearings they scheduled (ADR 0108).
            with self._stage("court day (bulk)"):
                day = seed_court_day(seed=DEMO_SEED, cases=court_day)
            for line in day.lines() if day.cases else []:
                self.stdout.write(f"Demo court day: {line}")

    @contextmanager
    def _stage(self, name: str) -> Iterator[None]:
        """Print how long a stage took: wall-clock and this process's CPU (the machine may be shared)."""
        wall, cpu = time.monotonic(), time.process_time()
        yield
        self.stdout.write(f"[seed] {name}: {time.monotonic() - wall:.1f} s wall, {time.process_time() - cpu:.1f} s CPU")

    def _load_network(self) -> None:
        started = time.monotonic()
        with transaction.atomic():
            registry = import_court_registry(data=read_data_file(REGISTRY_FILE))
            categories = import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
            people = seed_court_people(seed=DEMO_SEED)
        elapsed = time.monotonic() - started
        self.stdout.write(
            f"Loaded {registry.regions} regions, {registry.courts} courts, {registry.courtrooms} courtrooms, "
            f"{categories.categories} case categories, {people.judges} judges and {people.accounts} accounts "
            f"in {elapsed:.1f} s."
        )
        for line in network_summary().lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(
            f"Demo accounts log in with the password {DEMO_PASSWORD!r}; {DEMO_ADMIN.username} opens the admin."
        )
