"""Background workers (ADR 0042) on the database of DATABASE_URL (PostgreSQL; SQLite serialises the
workers' writes): tasks per second through the engine with 1, 2 and 4 `torelik worker` processes; the
time from a registration's commit to its judge being drawn by a worker (local beacon, one round a
second); SMS handed to a real Kannel per second through a worker, beside the sender run in-process as
before (the floor of the same run). Run alone: `python -m bench.workers`.
"""

import argparse
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

from bench import database
from bench.latency import percentile
from bench.server import PROJECT_DIR

WORKER = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('worker', *__import__('sys').argv[1:])"
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("workers")
    group.add_argument("--worker-tasks", type=int, default=3000, help="tasks run for the rate per worker count")
    group.add_argument("--worker-counts", default="1,2,4", help="worker processes to measure with")
    group.add_argument("--judge-registrations", type=int, default=60, help="registrations timed to their judge")
    group.add_argument("--worker-sms", type=int, default=3000, help="SMS sent to Kannel through a worker")


def _start(count: int, env: dict[str, str]) -> list[subprocess.Popen[bytes]]:
    return [
        subprocess.Popen(  # noqa: S603 - this interpreter, a fixed script
            [sys.executable, "-c", WORKER, "--poll", "0.05"],
            cwd=PROJECT_DIR,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(count)
    ]


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait(condition: object, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def _alive(count: int) -> bool:
    from torelik.workers.models import WorkerProcess

    return WorkerProcess.objects.filter(stopped_at=None, lost_at=None).count() >= count


def _rate(count: int, tasks: int, env: dict[str, str]) -> float:
    from django.db import transaction
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from bench.worker_tasks import nothing
    from torelik.workers.models import WorkerProcess

    WorkerProcess.objects.all().delete()
    processes = _start(count, env)
    try:
        if not _wait(lambda: _alive(count), 60):
            raise RuntimeError("the workers did not start")
        time.sleep(1.0)  # their first look at the schedule is done
        with transaction.atomic():
            ids = [str(nothing.enqueue(n=n).id) for n in range(tasks)]
        started = time.perf_counter()
        done = DBTaskResult.objects.filter(pk__in=ids, status=TaskResultStatus.SUCCESSFUL)
        if not _wait(lambda: done.count() == tasks, 600):
            raise RuntimeError(f"only {done.count()} of {tasks} tasks ran")
        return tasks / (time.perf_counter() - started)
    finally:
        _stop(processes)


def _floor(rounds: int) -> float:
    """The database's own pace for what a task costs the engine: the same five statements (a look, a
    locked read and its update committed, the result's update) on a row of a table of our own, no engine."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_floor (id int PRIMARY KEY, status text, n int)")
        cursor.execute("INSERT INTO bench_floor SELECT g, 'READY', 0 FROM generate_series(1, %s) g", [rounds])
    started = time.perf_counter()
    for n in range(1, rounds + 1):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM bench_floor WHERE status = 'READY' LIMIT 1")
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT id FROM bench_floor WHERE id = %s FOR UPDATE SKIP LOCKED", [n])
            cursor.execute("UPDATE bench_floor SET status = 'RUNNING' WHERE id = %s", [n])
        with connection.cursor() as cursor:
            cursor.execute("UPDATE bench_floor SET status = 'SUCCESSFUL', n = n + 1 WHERE id = %s", [n])
    return rounds / (time.perf_counter() - started)


def _judges(registrations: int, env: dict[str, str]) -> list[float]:
    from django.utils import timezone

    from torelik.cases.actions import register_case
    from torelik.cases.models import Case, CaseStatus
    from torelik.cases.tests.factories import claim_document, court_office, ensure_claim_document_type
    from torelik.courts.models import JudgeSpecialisation, Specialisation
    from torelik.courts.tests.factories import JudgeFactory, next_iin
    from torelik.distribution.models import Draw
    from torelik.distribution.tests.conftest import other_parties

    ensure_claim_document_type()
    office = court_office("0215")
    for _ in range(5):
        JudgeSpecialisation.objects.create(
            judge=JudgeFactory.create(court=office.court), specialisation=Specialisation.CIVIL
        )
    processes = _start(1, env)
    committed: dict[int, float] = {}
    try:
        if not _wait(lambda: _alive(1), 60):
            raise RuntimeError("the worker did not start")
        for _ in range(registrations):
            case = register_case(
                court=office.court,
                proceeding_type="civil",
                category_code=office.category.code,
                parties=other_parties(next_iin()),
                documents=[claim_document()],
                actor=office.clerk,
            )
            committed[case.pk] = timezone.now().timestamp()
            time.sleep(0.1)  # ten a second, each drawn on its own merits
        assigned = Case.objects.filter(pk__in=list(committed), status=CaseStatus.ASSIGNED)
        _wait(lambda: assigned.count() == len(committed), 120)
    finally:
        _stop(processes)
    rows = Draw.objects.filter(case_id__in=list(committed), drawn_at__isnull=False).values_list("case_id", "drawn_at")
    drawn = {pk: moment.timestamp() for pk, moment in rows if moment is not None}
    return sorted(drawn[pk] - at for pk, at in committed.items() if pk in drawn)


def _sms(count: int, env: dict[str, str]) -> None:
    from django.db import transaction
    from django.test import override_settings

    from bench.notifications import _DlrCounter
    from torelik.notifications import kannel_harness, tasks
    from torelik.notifications.actions import enqueue
    from torelik.notifications.models import Message, MessageStatus, Template
    from torelik.notifications.sender import send_due_messages

    if not kannel_harness.installed():
        print("  Kannel: not installed (apt-get install kannel kannel-extras): skipped")
        return
    receiver = _DlrCounter()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    gateway = kannel_harness.start()
    kannel = {
        "TORELIK_SMS_BACKEND": "kannel",
        "TORELIK_KANNEL_URL": gateway.sendsms_url,
        "TORELIK_KANNEL_USER": kannel_harness.USER,
        "TORELIK_KANNEL_PASSWORD": kannel_harness.PASSWORD,
        "TORELIK_DLR_URL": f"http://127.0.0.1:{receiver.server_address[1]}/dlr",
        "TORELIK_DLR_TOKEN": "bench",
    }

    def queue(prefix: str) -> None:
        with transaction.atomic():
            for n in range(count):
                enqueue(
                    template=Template.CONFIRMATION_CODE,
                    language="ru",
                    payload={"code": f"{n:06d}", "purpose": "ЦОН"},
                    phone=f"+7705{n:07d}",
                    cause=f"{prefix}:{n}",
                )

    try:
        with override_settings(**{k: v for k, v in kannel.items() if k != "TORELIK_SMS_BACKEND"}):
            from torelik.notifications.gateways import KannelSmsBackend

            queue("bench-direct")
            backend = KannelSmsBackend()
            started = time.perf_counter()
            report = send_due_messages(backend=backend)
            direct = report.sent / (time.perf_counter() - started)
            backend.close()
        queue("bench-worker")
        processes = _start(1, {**env, **kannel})
        try:
            if not _wait(lambda: _alive(1), 60):
                raise RuntimeError("the worker did not start")
            time.sleep(1.0)
            started = time.perf_counter()
            tasks.send_messages.enqueue()
            waiting = Message.objects.filter(cause__startswith="bench-worker:", status=MessageStatus.QUEUED)
            sending = Message.objects.filter(cause__startswith="bench-worker:", status=MessageStatus.SENDING)
            _wait(lambda: not waiting.exists() and not sending.exists(), 300)
            through = count / (time.perf_counter() - started)
        finally:
            _stop(processes)
        print(
            f"  SMS to Kannel (1-segment UCS-2 codes, 32 parallel, delivery reports on): {through:,.0f}/s through "
            f"one worker (slices of 2 s), {direct:,.0f}/s by the sender in this process (the floor, same run; "
            f"session 6 measured 298/s at load 10-17)"
        )
    finally:
        kannel_harness.cleanup(gateway)
        receiver.shutdown()


def _load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


def run(args: argparse.Namespace) -> None:
    from django.conf import settings

    if settings.configured:
        command = [sys.executable, "-m", "bench.workers", "--worker-tasks", str(args.worker_tasks)]
        command += ["--worker-counts", args.worker_counts, "--judge-registrations", str(args.judge_registrations)]
        subprocess.run([*command, "--worker-sms", str(args.worker_sms)], check=True)  # noqa: S603
        return
    print("== background workers (ADR 0042)")
    print(f"  load before: {_load()} on {os.cpu_count()} CPUs")
    with database.throwaway_database("workers") as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        os.environ["TORELIK_TASKS_INLINE"] = "false"
        os.environ["TORELIK_SEND_MESSAGES"] = "off"
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        print(f"  database: {database.describe({'DATABASE_URL': url})}")
        env = {**os.environ, "DATABASE_URL": url}
        rates = {}
        for count in [int(c) for c in args.worker_counts.split(",") if c]:
            rates[count] = _rate(count, args.worker_tasks, env)
        base = rates.get(1) or next(iter(rates.values()), 1.0)
        for count, rate in rates.items():
            scaling = rate / base
            print(
                f"  {args.worker_tasks} tasks that do nothing, {count} worker(s): {rate:,.0f} tasks/s ({scaling:.2f}x)"
            )
        if rates:
            print(f"  floor, the same statements without the engine in this process: {_floor(500):,.0f} per second")
        latencies = _judges(args.judge_registrations, env) if args.judge_registrations else []
        if latencies:
            print(
                f"  registration commit -> judge drawn by a worker ({len(latencies)} of {args.judge_registrations}, "
                f"local beacon 1 s rounds): p50 {percentile(latencies, 50):.2f} s, "
                f"p95 {percentile(latencies, 95):.2f} s, max {latencies[-1]:.2f} s (target p95 < 2 s)"
            )
        _sms(args.worker_sms, env)
        print(f"  load after: {_load()}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.workers", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
