"""Registering filings through the case API, and opening a large case file.

(a) `POST /api/v1/cases`: a paper filing (two parties, a one-page PDF, a different PDF each time)
    from 1 and from 4 concurrent clients, each logged in (through the login page) as the clerk of
    the court: registrations per second and latency.
(b) Opening a case with 200 journal events and 100 documents as its judge, so that every opening
    also writes a row of the access log: `GET /api/v1/cases/{number}`, its journal
    `GET /api/v1/cases/{number}/events`, and the HTML case page `/ru/cases/{number}/`: p50/p95.
(c) The floor under (a), under gunicorn: the same body from the same logged-in clients to
    `POST /bench/floor` (bench/floor_wsgi.py), which authenticates, checks CSRF, parses the body
    and inserts one row: what this machine's server costs per request before any registration work.

Everything runs in a database of its own, thrown away afterwards: a new SQLite file in a temporary
TORELIK_VAR_DIR, or, when DATABASE_URL names a PostgreSQL server, a new database on that server.
`torelik migrate` builds it; a child process (`python -m bench.cases --prepare FILE`) creates the
court, its clerk and judge, the category and the large case through the application's own actions.
The server is bench.server's (`torelik runserver --noreload`, or gunicorn when installed), DEBUG
off, on a free loopback port; nothing but loopback is ever contacted.
"""

import argparse
import contextlib
import io
import itertools
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path

import httpx

from bench import database
from bench.latency import LatencySummary, format_table
from bench.server import (
    PROJECT_DIR,
    BenchError,
    ServerKind,
    bench_environment,
    gunicorn_installed,
    run_torelik,
    running_server,
    running_worker,
)
from torelik.core.identifiers import check_digit

REGISTRATION_TARGET = "≥ 100/s on PostgreSQL"
FLOOR_APP = "bench.floor_wsgi:application"
PAGE_TARGET = "p95 < 100 ms"
REQUEST_TIMEOUT_S = 30.0
BARRIER_TIMEOUT_S = 60.0
PREPARE_TIMEOUT_S = 600.0
LANGUAGE = "ru"
# Public test identifiers (shared/domain/kazakhstan.md): parties, and the people behind the staff accounts.
CLAIMANT_IIN = "871008401427"
COMPANY_BIN = "940140000385"
CLERK_IIN = "680503450037"
JUDGE_IIN = "791028302728"
CATEGORY_CODE = "142030000100000000"  # labour disputes
HEADER = ("request", "clients", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "target")


@dataclass(frozen=True)
class Fixture:
    """What the prepare step created, as the benchmark needs it."""

    court: str
    category: str
    clerk: str
    judge: str
    password: str
    number: str
    events: int
    documents: int


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("case file API")
    group.add_argument("--case-registrations", type=int, default=500, help="registrations per client count (500)")
    group.add_argument("--case-clients", default="1,4", help="concurrent registering clients, comma-separated (1,4)")
    group.add_argument("--case-reads", type=int, default=300, help="openings of the large case per row (300)")
    group.add_argument("--case-read-clients", default="1,4", help="concurrent reading clients (1,4)")
    group.add_argument("--case-seconds", type=float, default=30.0, help="time cap per row (30)")
    group.add_argument("--case-events", type=int, default=200, help="journal events of the large case (200)")
    group.add_argument("--case-documents", type=int, default=100, help="documents of the large case (100)")


def pdf(text: str) -> bytes:
    """A minimal valid one-page PDF (A4, Helvetica) saying `text` (ASCII), with its cross-reference table."""
    escaped = text.encode("ascii", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    content = b"BT /F1 12 Tf 72 760 Td (" + escaped + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%b\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%b\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# The prepare step: a child process with Django set up on the bench's database.


def prepare(output: Path, *, events: int, documents: int) -> None:
    """Create the court, its staff, the category and the large case; write a Fixture to `output`."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    from torelik.cases.actions import (
        DocumentInput,
        PartyInput,
        add_document,
        change_status,
        record_assignment,
        register_case,
    )
    from torelik.cases.models import CaseEvent, CaseStatus, PartyRole
    from torelik.courts.models import CaseCategory, Court, CourtKind, Judge, ProceedingType, Specialisation, StaffRole
    from torelik.identity.models import Person, User

    court_code = next(
        code for code in (f"{n:04d}" for n in range(9999, 999, -1)) if not Court.objects.filter(code=code).exists()
    )
    court = Court.objects.create(
        code=court_code,
        kind=CourtKind.DISTRICT,
        name_kk="Бенчмарк аудандық соты",
        name_ru="Районный суд для замеров",
        name_en="Benchmark District Court",
        search_text=f"{court_code} benchmark",
    )
    category, _created = CaseCategory.objects.get_or_create(
        code=CATEGORY_CODE,
        defaults={
            "name_kk": "Еңбек даулары",
            "name_ru": "Трудовые споры",
            "name_en": "Labour disputes",
            "proceeding_type": ProceedingType.CIVIL,
            "specialisation": Specialisation.CIVIL,
        },
    )
    password = secrets.token_urlsafe(18)

    def staff(iin: str, role: StaffRole, surname: str) -> tuple[User, Person]:
        person, _new = Person.objects.get_or_create(iin=iin, defaults={"surname": surname, "given_name": "Bench"})
        user = User.objects.create_user(username=f"bench.{role}.{court_code}", password=password, person=person)
        user.positions.create(court=court, role=role)
        return user, person

    clerk, _clerk_person = staff(CLERK_IIN, StaffRole.CLERK, "Clerk")
    judge_user, judge_person = staff(JUDGE_IIN, StaffRole.JUDGE, "Judge")
    judge = Judge.objects.create(person=judge_person, court=court)
    case = register_case(
        court=court,
        proceeding_type=ProceedingType.CIVIL,
        category_code=category.code,
        parties=[
            PartyInput(role=PartyRole.CLAIMANT, iin=CLAIMANT_IIN, surname="Сейткалиева", given_name="Айгуль"),
            PartyInput(role=PartyRole.DEFENDANT, bin=COMPANY_BIN, organisation_name='ТОО "Алатау Строй"'),
        ],
        documents=[
            DocumentInput(document_type="claim", title="Claim", filename="claim.pdf", content=io.BytesIO(pdf("claim")))
        ],
        actor=clerk,
    )
    for index in range(1, documents):
        add_document(
            case=case,
            document=DocumentInput(
                document_type="petition",
                title=f"Petition {index}",
                filename=f"petition-{index}.pdf",
                content=io.BytesIO(pdf(f"petition {index} of case {case.number}")),
            ),
            actor=clerk,
        )
    record_assignment(case=case, judge=judge, actor=None, data={"bench": True})
    for status in (CaseStatus.ACCEPTED, CaseStatus.IN_PREPARATION, CaseStatus.SCHEDULED):
        change_status(case=case, to=status, actor=judge_user)
    while CaseEvent.objects.filter(case=case).count() < events:
        change_status(case=case, to=CaseStatus.SCHEDULED, actor=judge_user, reason="hearing postponed")
    fixture = Fixture(
        court=court.code,
        category=category.code,
        clerk=clerk.username,
        judge=judge_user.username,
        password=password,
        number=case.number,
        events=CaseEvent.objects.filter(case=case).count(),
        documents=case.documents.count(),
    )
    output.write_text(json.dumps(asdict(fixture)), encoding="utf-8")


def run_prepare(env: dict[str, str], *, events: int, documents: int) -> tuple[Fixture, float]:
    """`python -m bench.cases --prepare FILE` in the bench's environment; its fixture and seconds."""
    with tempfile.TemporaryDirectory(prefix="torelik-bench-cases-") as directory:
        output = Path(directory) / "fixture.json"
        command = [sys.executable, "-m", "bench.cases", "--prepare", str(output)]
        command += ["--case-events", str(events), "--case-documents", str(documents)]
        started = time.perf_counter()
        result = subprocess.run(
            command,
            cwd=PROJECT_DIR,
            env={"DJANGO_SETTINGS_MODULE": "config.settings.local", **env},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=PREPARE_TIMEOUT_S,
            check=False,
        )
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            output_tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
            raise BenchError(f"preparing the case data failed ({result.returncode}):\n{output_tail}")
        return Fixture(**json.loads(output.read_text(encoding="utf-8"))), elapsed


@contextlib.contextmanager
def own_database() -> Iterator[dict[str, str]]:
    """The environment of a server over a new, empty database and files directory (removed on exit)."""
    with tempfile.TemporaryDirectory(prefix="torelik-bench-cases-var-") as var_dir:
        env = bench_environment({"TORELIK_VAR_DIR": var_dir, "TORELIK_DEBUG": "false"})
        env.pop("TORELIK_FILES_DIR", None)
        url = database.database_url(env)
        if url is not None and database.is_postgresql(url):
            with database.empty_postgresql_database(url) as empty_url:
                env["DATABASE_URL"] = empty_url
                yield env
        else:
            yield env


# Clients


def _client(base_url: str, *, keep_alive: bool) -> httpx.Client:
    # trust_env=False: never through a proxy named in the environment, only straight to loopback.
    headers = {"Accept-Language": LANGUAGE, **({} if keep_alive else {"Connection": "close"})}
    return httpx.Client(base_url=base_url, timeout=REQUEST_TIMEOUT_S, trust_env=False, headers=headers)


def log_in(client: httpx.Client, username: str, password: str) -> str:
    """Log in through the login page as a person would; the CSRF token for the API's writes."""
    login = f"/{LANGUAGE}/accounts/login/"
    client.get(login).raise_for_status()
    token = client.cookies.get("csrftoken")
    if not token:
        raise BenchError("the login page set no CSRF cookie")
    response = client.post(login, data={"username": username, "password": password, "csrfmiddlewaretoken": token})
    if response.status_code != 302 or "sessionid" not in client.cookies:
        raise BenchError(f"logging in as {username} failed ({response.status_code})")
    fresh: str | None = client.cookies.get("csrftoken")  # Django rotates the token at login
    return fresh or token


def claimant_iin(index: int) -> str:
    """A valid IIN of a different claimant for each registration (born 8 October 1987, a woman of
    the 20th century): the same company sued by many people, as a court office sees it."""
    for serial in range(index * 3, index * 3 + 3):
        first_eleven = f"8710084{serial % 10000:04d}"
        digit = check_digit(first_eleven)
        if digit is not None:
            return f"{first_eleven}{digit}"
    return CLAIMANT_IIN


def filing(fixture: Fixture, index: int = 0) -> str:
    return json.dumps(
        {
            "court": fixture.court,
            "proceeding_type": "civil",
            "category": fixture.category,
            "subject": "О взыскании задолженности по договору подряда",
            "claim_amount": "1500000",
            "consent_sms": True,
            "parties": [
                {"role": "claimant", "iin": claimant_iin(index), "surname": "Сейткалиева", "given_name": "Айгуль"},
                {"role": "defendant", "bin": COMPANY_BIN, "organisation_name": 'ТОО "Алатау Строй"'},
            ],
            "documents": [{"document_type": "claim", "title": "Исковое заявление", "file": "claim", "page_count": 1}],
        },
        ensure_ascii=False,
    )


Request = Callable[[httpx.Client, str, int], bool]  # (client, csrf token, index) -> succeeded


def measure(
    base_url: str,
    fixture: Fixture,
    *,
    username: str,
    send: Request,
    requests: int,
    clients: int,
    seconds: float,
    keep_alive: bool,
) -> LatencySummary:
    """Up to `requests` requests made by `send` from `clients` logged-in threads, stopping after `seconds`."""
    counter = itertools.count()
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    samples: list[list[float]] = [[] for _ in range(clients)]
    errors = [0] * clients
    failures: list[BaseException] = []
    deadline = [time.perf_counter() + BARRIER_TIMEOUT_S + seconds]

    def work(worker: int) -> None:
        with _client(base_url, keep_alive=keep_alive) as client:
            try:
                token = log_in(client, username, fixture.password)
            except (BenchError, httpx.HTTPError) as error:
                failures.append(error)
                ready.abort()
                return
            try:
                ready.wait(timeout=BARRIER_TIMEOUT_S)
            except threading.BrokenBarrierError:
                return  # another client could not log in: the main thread reports it
            while True:
                with lock:
                    index = next(counter)
                if index >= requests or time.perf_counter() > deadline[0]:
                    return
                started = time.perf_counter()
                try:
                    ok = send(client, token, index)
                except httpx.HTTPError:
                    ok = False
                elapsed = time.perf_counter() - started
                if ok:
                    samples[worker].append(elapsed)
                else:
                    errors[worker] += 1

    threads = [threading.Thread(target=work, args=(worker,), daemon=True) for worker in range(clients)]
    for thread in threads:
        thread.start()
    try:
        ready.wait(timeout=BARRIER_TIMEOUT_S)
    except threading.BrokenBarrierError as error:
        for thread in threads:
            thread.join(timeout=REQUEST_TIMEOUT_S)
        raise BenchError(f"the clients could not log in: {failures}") from error
    started = time.perf_counter()
    deadline[0] = started + seconds
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return LatencySummary.of([s for worker in samples for s in worker], errors=sum(errors), wall_seconds=wall)


_claimants = itertools.count()  # a new claimant for every registration of every row


def registration(
    fixture: Fixture, pdfs: Sequence[bytes], *, path: str = "/api/v1/cases", extra: dict[str, str] | None = None
) -> Request:
    """A paper claim with a new claimant each time, posted to `path`: the case API, or the floor
    (bench.floor_wsgi, which also reads the case's number, given in `extra`)."""

    def send(client: httpx.Client, token: str, index: int) -> bool:
        body = filing(fixture, next(_claimants))
        if extra:
            body = json.dumps(json.loads(body) | extra, ensure_ascii=False)
        response = client.post(
            path,
            data={"data": body},
            files={"claim": (f"claim-{index}.pdf", pdfs[index % len(pdfs)], "application/pdf")},
            headers={"X-CSRFToken": token},
        )
        return response.status_code == 201

    return send


def reading(path: str) -> Request:
    def send(client: httpx.Client, token: str, index: int) -> bool:
        response = client.get(path)
        return response.status_code == 200

    return send


def _row(label: str, clients: int, result: LatencySummary, target: str) -> list[str]:
    return [
        label,
        str(clients),
        str(result.requests),
        str(result.errors),
        f"{result.requests_per_second:.1f}",
        f"{result.p50_ms:.1f}",
        f"{result.p95_ms:.1f}",
        f"{result.p99_ms:.1f}",
        f"{result.max_ms:.1f}",
        target,
    ]


DRAWN = "SELECT count(*) FROM distribution_draw WHERE status = 'drawn'"
DRAW_WAIT_S = 120.0


def _drawn_row(env: dict[str, str], clients: int, result: LatencySummary, before: int) -> str:
    """Registrations that have their judge: the worker beside the server commits draws in batches and
    draws them after the beacon's round (ADR 0042). The row's cases per second until the last one is drawn."""
    waited = time.perf_counter()
    done = 0
    while time.perf_counter() - waited < DRAW_WAIT_S:
        done = database.count(env, DRAWN) - before
        if done >= result.requests:
            break
        time.sleep(0.05)
    seconds = result.wall_seconds + time.perf_counter() - waited
    return (
        f"  {clients} client(s): {done} of {result.requests} registrations drawn {seconds:.1f} s after the row "
        f"began: {done / seconds:.1f} registered and drawn per second"
    )


def _counts(text: str) -> list[int]:
    return [int(n) for n in text.split(",") if n.strip()]


def run(args: argparse.Namespace) -> None:
    server_choice = getattr(args, "server", "auto")
    keep_alive = bool(getattr(args, "keep_alive", False))
    kind: ServerKind = (
        "gunicorn" if server_choice == "gunicorn" or (server_choice == "auto" and gunicorn_installed()) else "runserver"
    )
    print("== Case file API: registrations and opening a large case")
    with own_database() as env:
        print(f"database: {database.describe(env)}, new and empty, dropped afterwards")
        migrate_s = run_torelik(["migrate", "--no-input", "-v", "0"], env=env)
        fixture, prepare_s = run_prepare(env, events=args.case_events, documents=args.case_documents)
        print(
            f"setup: `torelik migrate` {migrate_s:.1f} s; court {fixture.court}, its clerk and judge, and case "
            f"{fixture.number} with {fixture.events} events and {fixture.documents} documents in {prepare_s:.1f} s"
        )
        print(
            f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, Django {version('django')}; "
            "the clients share these CPUs with the server"
        )
        pdfs = [pdf(f"Statement of claim no. {n}") for n in range(max(args.case_registrations, 1))]

        def registering(base_url: str, clients: int, send: Request) -> LatencySummary:
            return measure(
                base_url,
                fixture,
                username=fixture.clerk,
                send=send,
                requests=args.case_registrations,
                clients=clients,
                seconds=args.case_seconds,
                keep_alive=keep_alive,
            )

        with running_server(env=env, kind=kind) as server, running_worker(env=env):
            print(f"server: {kind} on {server.base_url}, TORELIK_DEBUG=false, and one `torelik worker` (the draws)")
            connections = "kept alive, one per client" if keep_alive else "a new one per request (connect included)"
            print(f"connections: {connections}")
            rows: list[list[str]] = []
            drawn: list[str] = []
            drawn_before = database.count(env, DRAWN)
            for clients in _counts(args.case_clients):
                result = registering(server.base_url, clients, registration(fixture, pdfs))
                rows.append(_row("POST /api/v1/cases (1-page PDF)", clients, result, REGISTRATION_TARGET))
                drawn.append(_drawn_row(env, clients, result, drawn_before))
                drawn_before += result.requests
            reads = [
                ("GET /api/v1/cases/{number}", f"/api/v1/cases/{fixture.number}"),
                ("GET /api/v1/cases/{number}/events", f"/api/v1/cases/{fixture.number}/events?limit=200"),
                (f"GET /{LANGUAGE}/cases/{{number}}/ (HTML)", f"/{LANGUAGE}/cases/{fixture.number}/"),
            ]
            with _client(server.base_url, keep_alive=keep_alive) as probe:
                log_in(probe, fixture.judge, fixture.password)
                present = {label: probe.get(path).status_code for label, path in reads}
            for label, path in reads:
                if present[label] != 200:
                    print(f"skipped {label}: it answers {present[label]} here")
                    continue
                for clients in _counts(args.case_read_clients):
                    result = measure(
                        server.base_url,
                        fixture,
                        username=fixture.judge,
                        send=reading(path),
                        requests=args.case_reads,
                        clients=clients,
                        seconds=args.case_seconds,
                        keep_alive=keep_alive,
                    )
                    rows.append(_row(label, clients, result, PAGE_TARGET))
        if kind == "gunicorn":
            # The floor: the same server, login and body, doing one INSERT instead of a registration.
            with running_server(env=env, kind=kind, app=FLOOR_APP) as server:
                floor = registration(fixture, pdfs, path="/bench/floor", extra={"case": fixture.number})
                for clients in _counts(args.case_clients):
                    result = registering(server.base_url, clients, floor)
                    rows.append(_row("POST /bench/floor (1 INSERT)", clients, result, "the floor"))
        print(format_table(HEADER, rows))
        print("\n".join(drawn))
        print(
            f"(up to {args.case_registrations} registrations / {args.case_reads} openings or {args.case_seconds:g} s "
            "per row; every client logs in through the login page first, untimed; a registration stores a new "
            "PDF and writes the case, its parties, document, counter and journal; each opening by the judge "
            f"writes an access-log row; measured at {time.strftime('%Y-%m-%d %H:%M')}); the floor "
            "(bench/floor_wsgi.py): the same server, middleware, login, CSRF and body, but one INSERT in place of "
            "the registration: the least any registration costs here"
        )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cases", description=__doc__)
    add_arguments(parser)
    parser.add_argument(
        "--server",
        choices=["auto", "runserver", "gunicorn"],
        default="auto",
        help="the HTTP server: gunicorn when it is installed, else `torelik runserver` (auto)",
    )
    parser.add_argument("--keep-alive", action="store_true", help="reuse each client's connection")
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)  # the child process's step
    args = parser.parse_args(argv)
    if args.prepare is not None:
        prepare(args.prepare, events=args.case_events, documents=args.case_documents)
        return
    try:
        run(args)
    except BenchError as error:
        raise SystemExit(f"bench: {error}") from error


if __name__ == "__main__":
    main()
