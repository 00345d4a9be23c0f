"""Filing: detached CMS verifications per second (the EDS verifier with path validation and the CRL
of the demo CA), and end-to-end signed filings per second through the e-government API
(`POST /api/v1/filings` then `POST /api/v1/filings/{id}/signature`: parse, store the attachment,
verify, store manifest and signature, register the case, commit its draw), in-process through
Django's test client, with the time of each step (target: 50 signed filings/s).

The data is synthetic, in a database of its own dropped afterwards (a temporary SQLite file, or a
new database on the PostgreSQL server of DATABASE_URL): the court registry and the classifier, ten
civil judges in one district court, a throw-away demo CA. Claims are labour claims of employees
(exempt from the state fee), so that no payment is involved. The citizen's signing happens in the
bench between the two requests and is not counted. Run alone: `python -m bench.filing`.

To find where the time goes: BENCH_SQL=1 prints the statements of the filings counted;
BENCH_WRAP=module:function,... times more functions (apart, as "of which" lines); with --profile,
BENCH_PROFILE_CPU=1 profiles process time instead of wall time, BENCH_PROFILE_OUT=path keeps the
stats for pstats, BENCH_CALLEES=pattern prints the callees of the functions matching it.
"""

import argparse
import base64
import cProfile
import datetime as dt
import importlib
import io
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import database
from bench.latency import percentile

LABOUR = "142030000100000000"
BATCH = 12  # a batch of draws as the court's distributor task commits it at 50 filings/s
CITIZEN_IIN = "871008401427"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filing")
    group.add_argument("--verifications", type=int, default=200, help="CMS signatures verified")
    group.add_argument("--filings", type=int, default=200, help="signed filings sent through the API")
    group.add_argument("--profile", action="store_true", help="print the top functions of a cProfile run")


def _fill() -> str:
    from torelik.courts.actions import import_case_categories, import_court_registry
    from torelik.courts.demo import CASE_CATEGORIES_FILE, REGISTRY_FILE, read_data_file
    from torelik.courts.models import CaseCategory, Court, Judge, JudgeSpecialisation, ProceedingType, Specialisation
    from torelik.identity.models import Person

    import_court_registry(data=read_data_file(REGISTRY_FILE))
    import_case_categories(data=read_data_file(CASE_CATEGORIES_FILE))
    if not CaseCategory.objects.filter(code=LABOUR).exists():
        CaseCategory.objects.create(
            code=LABOUR,
            name_kk="Еңбек даулары",
            name_ru="Трудовые споры",
            name_en="Labour disputes",
            proceeding_type=ProceedingType.CIVIL,
            specialisation=Specialisation.CIVIL,
        )
    court = Court.objects.filter(kind="district", is_active=True).order_by("code").first()
    assert court is not None  # noqa: S101 - the registry holds district courts
    people = Person.objects.bulk_create(
        [Person(iin=f"{700101300000 + n:012d}", surname="Судья", given_name=str(n)) for n in range(10)]
    )
    for person in people:
        judge = Judge.objects.create(person=person, court=court)
        JudgeSpecialisation.objects.create(judge=judge, specialisation=Specialisation.CIVIL)
    return court.code


def _iins(count: int) -> list[str]:
    """Distinct valid IINs (a claim against the same defendant again would be a refiled claim)."""
    from torelik.core.identifiers import check_digit

    found: list[str] = []
    serial = 0
    while len(found) < count:
        first_eleven = f"6501013{serial:04d}"
        serial += 1
        digit = check_digit(first_eleven)
        if digit is not None:
            found.append(f"{first_eleven}{digit}")
    return found


def _pdf(n: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.drawString(72, 760, f"Statement of claim number {n}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


class _Steps:
    """Wall time spent inside chosen functions (patched in place), per step name."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)  # process time, steadier on a shared machine

    def wrap(self, owner: Any, name: str, label: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def timed(*args: Any, **kwargs: Any) -> Any:
            started, cpu_started = time.perf_counter(), time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started
                self.cpu[label] += time.process_time() - cpu_started

        setattr(owner, name, timed)


def _profiler() -> cProfile.Profile:
    """cProfile timing process time (CPU, not the wait for the database) with BENCH_PROFILE_CPU=1."""
    return cProfile.Profile(time.process_time) if os.environ.get("BENCH_PROFILE_CPU") else cProfile.Profile()


def _verifications(count: int) -> None:
    from torelik.identity.eds import verify_detached
    from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

    ca = DemoCA.load_or_create()
    issued = ca.issue_person(iin=CITIZEN_IIN, surname="Ахметова", given_name="Айгерим", purpose=KeyPurpose.SIGNING)
    documents = [json.dumps({"n": n}).encode() for n in range(count)]
    # Base64, as the filing context hands them over (identity's reader strips whitespace around DER).
    signatures = [base64.b64encode(sign_detached(d, issued)) for d in documents]
    verify_detached(documents[0], signatures[0], purpose=KeyPurpose.SIGNING)  # warm-up
    samples = []
    started = time.perf_counter()
    for document, signature in zip(documents, signatures, strict=True):
        one = time.perf_counter()
        verify_detached(document, signature, purpose=KeyPurpose.SIGNING)
        samples.append(time.perf_counter() - one)
    wall = time.perf_counter() - started
    ordered = sorted(samples)
    print(
        f"  CMS verification (RSA-2048, SHA-256, path + CRL): {count / wall:.0f}/s, "
        f"p50 {percentile(ordered, 50) * 1000:.1f} ms, p95 {percentile(ordered, 95) * 1000:.1f} ms"
    )


def _filings(code: str, count: int, profile: bool) -> None:
    from django.test import Client

    from torelik.archive import actions as archive_actions
    from torelik.cases import actions as case_actions
    from torelik.cases.events import CaseRegistered
    from torelik.cases.models import Case
    from torelik.core import clock, events
    from torelik.distribution import actions as distribution_actions
    from torelik.distribution.actions import complete_pending_draws
    from torelik.distribution.handlers import distribute_registered_case
    from torelik.filing import actions
    from torelik.filing import api as filing_api
    from torelik.filing.actions import attachments as filing_attachments
    from torelik.filing.actions import submission as filing_submission
    from torelik.identity.pki import DemoCA, KeyPurpose, sign_detached

    ca = DemoCA.load_or_create()
    issued = ca.issue_person(iin=CITIZEN_IIN, surname="Ахметова", given_name="Айгерим", purpose=KeyPurpose.SIGNING)
    _api_client, token = actions.create_api_client(name="bench portal")
    client = Client(SERVER_NAME="localhost", headers={"Authorization": f"Bearer {token}"})
    defendants = _iins(count + 3)
    bodies: list[dict[str, Any]] = [
        {
            "kind": "claim",
            "filer_iin": CITIZEN_IIN,
            "court": code,
            "category": LABOUR,
            "subject": f"О восстановлении на работе {n}",
            "fee_exemption": "labour",
            "data": {
                "claims": "Восстановить на работе",
                "circumstances": "Уволена без основания",
                "parties": [
                    {"role": "defendant", "iin": defendants[n], "surname": "Работодатель", "given_name": str(n)}
                ],
            },
            "attachments": [
                {"filename": "claim.pdf", "role": "filing", "content_base64": base64.b64encode(_pdf(n)).decode()}
            ],
        }
        for n in range(count + 3)
    ]
    steps = _Steps()
    steps.wrap(filing_submission, "verify_signing_signature", "verify the CMS signature")
    steps.wrap(filing_attachments, "store_file", "sniff and store the attachment")
    steps.wrap(filing_submission, "register_case", "register the case (parties, documents, journal)")
    # As in a server: the distributor commits the draws of the filings gathered over a moment in one
    # batch. Here the batch is committed by this thread after every BATCH filings, and timed with the
    # requests.
    events.unsubscribe(CaseRegistered, distribute_registered_case)
    registered: list[int] = []
    events.subscribe(CaseRegistered, lambda event: registered.append(event.case_id), after_commit=True)
    steps.wrap(distribution_actions, "commit_in_batches", f"commit the draws (batches of {BATCH})")
    steps.wrap(filing_submission, "canonical_manifest", "canonical manifest (RFC 8785)")
    if hasattr(filing_submission, "attachments_of"):  # the manifest's attachments, read apart from it
        steps.wrap(filing_submission, "attachments_of", "canonical manifest (RFC 8785)")
    steps.wrap(case_actions, "_store_documents", "  of which: the case documents (the stored attachments)")
    # More functions to time, apart ("  of which:" lines, not taken out of the rest), to find where
    # the rest goes: BENCH_WRAP=torelik.filing.api:_out,torelik.filing.queries:trail
    for spec in filter(None, os.environ.get("BENCH_WRAP", "").split(",")):
        module_name, _colon, function = spec.partition(":")
        steps.wrap(importlib.import_module(module_name), function, f"  of which: {spec}")
    del archive_actions

    profiler = _profiler() if profile else None

    cpu = {"create": 0.0, "sign": 0.0}

    def one(body: dict[str, Any]) -> tuple[float, float]:
        if profiler is not None:
            profiler.enable()
        cpu_started = time.process_time()
        started = time.perf_counter()
        created = client.post("/api/v1/filings", json.dumps(body), content_type="application/json")
        if created.status_code != 201:
            raise SystemExit(f"bench: POST /api/v1/filings answered {created.status_code}: {created.content[:300]!r}")
        draft = created.json()
        server = time.perf_counter() - started
        cpu["create"] += time.process_time() - cpu_started
        if profiler is not None:
            profiler.disable()
        signature = base64.b64encode(sign_detached(base64.b64decode(draft["manifest_base64"]), issued)).decode()
        if profiler is not None:
            profiler.enable()
        cpu_started = time.process_time()
        started = time.perf_counter()
        signed = client.post(
            f"/api/v1/filings/{draft['id']}/signature",
            json.dumps({"signature_base64": signature}),
            content_type="application/json",
        )
        if signed.status_code != 200 or signed.json()["status"] != "registered":
            raise SystemExit(f"bench: signature answered {signed.status_code}: {signed.content[:300]!r}")
        elapsed = time.perf_counter() - started
        cpu["sign"] += time.process_time() - cpu_started
        if profiler is not None:
            profiler.disable()
        return server, elapsed

    def commit_batch() -> float:
        started = time.perf_counter()
        distribution_actions.commit_in_batches([Case(pk=pk) for pk in registered])
        registered.clear()
        return time.perf_counter() - started

    for body in bodies[:3]:
        one(body)  # warm-up
    commit_batch()
    steps.seconds.clear()
    steps.cpu.clear()
    cpu.update(create=0.0, sign=0.0)
    if profiler is not None:
        profiler = _profiler()  # the warm-up is not profiled
    samples = []
    wall_started = time.perf_counter()
    for n, body in enumerate(bodies[3:], start=1):
        create, sign = one(body)
        samples.append(create + sign)
        if n % BATCH == 0 or n == count:
            batch_cpu = time.process_time()
            share = commit_batch() / BATCH  # each filing of the batch bears its share
            cpu["sign"] += time.process_time() - batch_cpu
            samples[-BATCH:] = [sample + share for sample in samples[-BATCH:]]
    wall = time.perf_counter() - wall_started
    server_total = sum(samples)
    ordered = sorted(samples)
    print(
        f"  signed filings through the API: {count / server_total:.1f}/s of server time "
        f"({count / wall:.1f}/s wall, including the citizen's signing in the bench); "
        f"p50 {percentile(ordered, 50) * 1000:.1f} ms, p95 {percentile(ordered, 95) * 1000:.1f} ms per filing "
        "(target: 50/s)"
    )
    print("  where the server time goes:")
    accounted = 0.0
    for label, seconds in sorted(steps.seconds.items(), key=lambda item: -item[1]):
        if not label.startswith("  "):
            accounted += seconds
        print(f"    {label:<55} {seconds / count * 1000:6.1f} ms/filing  {100 * seconds / server_total:5.1f} %")
    rest = server_total - accounted
    print(
        f"    {'the rest (HTTP, JSON, ORM of the draft and trail)':<55} {rest / count * 1000:6.1f} ms/filing  "
        f"{100 * rest / server_total:5.1f} %"
    )
    total_cpu = cpu["create"] + cpu["sign"]
    rest_cpu = total_cpu - sum(seconds for label, seconds in steps.cpu.items() if not label.startswith("  "))
    print(
        f"  application CPU per filing (process time, steadier than wall time on a shared machine): "
        f"{total_cpu / count * 1000:.1f} ms ({cpu['create'] / count * 1000:.1f} ms to create the draft, "
        f"{cpu['sign'] / count * 1000:.1f} ms to verify, register and commit the draw); by step: "
        + ", ".join(
            f"{label.strip()} {seconds / count * 1000:.1f} ms"
            for label, seconds in sorted(steps.cpu.items(), key=lambda item: -item[1])
        )
        + f", the rest {rest_cpu / count * 1000:.1f} ms"
    )
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    creates: list[int] = []
    signs: list[int] = []
    with CaptureQueriesContext(connection) as queries:
        for body in bodies[:3]:
            body = {**body, "subject": f"{body['subject']} (queries)"}
            before = len(queries.captured_queries)
            created = client.post("/api/v1/filings", json.dumps(body), content_type="application/json").json()
            creates.append(len(queries.captured_queries) - before)
            manifest = base64.b64decode(created["manifest_base64"])
            signature = base64.b64encode(sign_detached(manifest, issued)).decode()
            before = len(queries.captured_queries)
            client.post(
                f"/api/v1/filings/{created['id']}/signature",
                json.dumps({"signature_base64": signature}),
                content_type="application/json",
            )
            signs.append(len(queries.captured_queries) - before)
        before = len(queries.captured_queries)
        batched = len(registered)
        commit_batch()
        per_draw = (len(queries.captured_queries) - before) / max(batched, 1)
    if os.environ.get("BENCH_SQL"):  # the statements of the three filings counted, to read them
        for query in queries.captured_queries:
            print("   ", query["sql"][:300])
    print(
        f"  SQL statements per filing: {max(creates)} to create the draft with its attachment, "
        f"{max(signs)} to verify and register, {per_draw:.0f} for its draw in a batch of {batched}"
    )
    time.sleep(1.2)
    started = time.perf_counter()
    with clock.frozen_at(clock.now() + dt.timedelta(seconds=5)):
        done, waiting = complete_pending_draws(limit=count + 10)
    elapsed = time.perf_counter() - started
    print(
        f"  draws completed afterwards, in batches as the distributor does: {done} in {elapsed:.2f} s "
        f"({done / max(elapsed, 1e-9):.0f}/s), {waiting} still pending"
    )
    per_filing = server_total / count + elapsed / max(done, 1)
    print(
        f"  with the completion of its draw, a filing takes {per_filing * 1000:.1f} ms of server time: "
        f"{1 / per_filing:.1f} signed filings registered and drawn per second of server time (target: 50/s)"
    )
    if profiler is not None:
        print("  cProfile of the server side, top 30 by own time:")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(30)
        print("  cProfile, Torelik's own functions by cumulative time:")
        stats.sort_stats("cumulative").print_stats(r"torelik/", 40)
        if os.environ.get("BENCH_PROFILE_OUT"):
            stats.dump_stats(os.environ["BENCH_PROFILE_OUT"])
        if os.environ.get("BENCH_CALLEES"):
            stats.print_callees(os.environ["BENCH_CALLEES"])
    del filing_api


def run(args: argparse.Namespace) -> None:
    from django.conf import settings

    if settings.configured:
        command = [sys.executable, "-m", "bench.filing", "--verifications", str(args.verifications)]
        command += ["--filings", str(args.filings)]
        subprocess.run([*command, *(["--profile"] if args.profile else [])], check=True)  # noqa: S603
        return
    where = database.describe(os.environ) if database.database_url(os.environ) else "a throw-away SQLite file"
    print(f"Filing: CMS verification and signed filings through the API ({where}, in a database of its own)")
    with database.throwaway_database("filing") as url, tempfile.TemporaryDirectory(prefix="torelik-bench-pki-") as pki:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django
        from django.conf import settings as django_settings
        from django.core.management import call_command

        django.setup()
        django_settings.TORELIK_PKI_DIR = Path(pki)
        django_settings.TORELIK_EDS_TRUST_DEMO_CA = True
        # Trust roots and CRL configured as in production (with only the demo CA trusted, the
        # verifier would locate them by loading the CA, private key included, on every signature).
        from torelik.identity.pki import DemoCA

        ca = DemoCA.load_or_create()
        django_settings.TORELIK_EDS_TRUST_ROOTS = [str(ca.root_path)]
        django_settings.TORELIK_EDS_CRLS = [str(ca.crl_path)]
        call_command("migrate", verbosity=0)
        code = _fill()
        _verifications(args.verifications)
        _filings(code, args.filings, args.profile)
        _pages()


def _pages(runs: int = 50) -> None:
    """What the Judicial Office's pages build per request: the draft form's court and category lists
    over the whole registry and classifier (grouped by region and kind of proceedings), the signing
    summary of a filing, and a stacked chart of as many rows as the registry has courts."""
    from django.utils import translation

    from torelik.core.charts import stacked_chart
    from torelik.courts.models import Court
    from torelik.filing.forms import DraftForm
    from torelik.filing.models import Filing, FilingKind
    from torelik.filing.summary import signing_summary

    def timed(work: Callable[[], object]) -> list[float]:
        work()  # warm up
        samples = []
        for _run in range(runs):
            started = time.perf_counter()
            work()
            samples.append((time.perf_counter() - started) * 1000)
        return sorted(samples)

    today = dt.date(2026, 12, 7)
    with translation.override("ru"):
        form = timed(lambda: str(DraftForm(kind=FilingKind.CLAIM, today=today)))
        filing = Filing.objects.filter(attachments__isnull=False).first()
        summary = timed(lambda: signing_summary(filing)) if filing is not None else []
    courts = Court.objects.count()
    rows = [(f"court {n}", [("met", float(n % 7)), ("overdue", float(n % 3)), ("running", 5.0)]) for n in range(courts)]
    chart = timed(lambda: stacked_chart(rows))

    def line(what: str, samples: list[float]) -> None:
        print(f"      {what}: p50 {percentile(samples, 50):.2f} ms, p95 {percentile(samples, 95):.2f} ms")

    print(f"  pages over {runs} runs ({courts} courts in the registry):")
    line("draft form with court and category lists", form)
    if summary:
        line("signing summary", summary)
    line(f"stacked chart of {courts} rows", chart)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.filing", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
