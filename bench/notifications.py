"""Notifications: messages queued per second (each in its own transaction, as causes commit them,
and many in one), messages handed to the gateway per second through the console backend and through
a real Kannel (bearerbox + smsbox + fakesmsc, started like the test fixture, with delivery reports to
a local receiver), and the query plans of the sender's due query and the statistics at scale.

The data is synthetic, in a database of its own dropped afterwards (a temporary SQLite file, or a new
database on the PostgreSQL server of DATABASE_URL). Run alone: `python -m bench.notifications`.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from bench import database


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("notifications")
    group.add_argument("--queue-messages", type=int, default=3000, help="messages queued for the queue rate")
    group.add_argument("--kannel-messages", type=int, default=3000, help="SMS handed to Kannel")
    group.add_argument("--kannel-concurrency", type=int, default=32, help="parallel sendsms requests")
    group.add_argument("--explain-rows", type=int, default=1_000_000, help="rows for the EXPLAINs (PostgreSQL)")


class _DlrCounter(ThreadingHTTPServer):
    """Kannel's delivery reports land here (a big listen backlog: smsbox opens hundreds of connections)."""

    request_queue_size = 1024
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _DlrHandler)
        self.count = 0
        self.lock = threading.Lock()


class _DlrHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        server: Any = self.server
        with server.lock:
            server.count += 1
        self.send_response(200)
        self.send_header("content-length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's signature
        return


def _queue(count: int, prefix: str, *, one_transaction: bool) -> float:
    from django.db import transaction

    from torelik.notifications.actions import enqueue
    from torelik.notifications.models import Template

    payload = {
        "court": "Алматы қаласы Медеу ауданының соты",
        "date": "03.03.2027",
        "time": "10:00",
        "role": "жауапкер",
        "case_number": "7599-27-00-2/215",
        "code": "482913",
        "url": "https://torelik.kz/s/7Q2K9",
    }

    def one(n: int) -> None:
        enqueue(
            template=Template.HEARING_SUMMONS,
            language="kk",
            payload=payload,
            phone=f"+7701{n % 10_000_000:07d}",
            cause=f"{prefix}:{n}",
        )

    started = time.perf_counter()
    if one_transaction:
        with transaction.atomic():
            for n in range(count):
                one(n)
    else:
        for n in range(count):
            with transaction.atomic():
                one(n)
    return count / (time.perf_counter() - started)


def _queue_codes(count: int) -> None:
    from django.db import transaction

    from torelik.notifications.actions import enqueue
    from torelik.notifications.models import Template

    with transaction.atomic():
        for n in range(count):
            enqueue(
                template=Template.CONFIRMATION_CODE,
                language="ru",
                payload={"code": f"{n % 1_000_000:06d}", "purpose": "ЦОН"},
                phone=f"+7705{n % 10_000_000:07d}",
                cause=f"bench-code:{n}",
            )


def _console(count: int) -> None:
    from torelik.notifications.gateways import ConsoleSmsBackend
    from torelik.notifications.sender import send_due_messages

    with tempfile.TemporaryDirectory(prefix="torelik-bench-sms-") as directory:
        backend = ConsoleSmsBackend(str(Path(directory) / "sms.log"))
        started = time.perf_counter()
        report = send_due_messages(backend=backend)
        seconds = time.perf_counter() - started
    print(
        f"  console backend: {report.sent} of {count} messages handed over and recorded in {seconds:.2f} s: "
        f"{report.sent / seconds:,.0f}/s"
    )


def _kannel(args: argparse.Namespace) -> None:
    from django.test import override_settings

    from torelik.notifications import kannel_harness
    from torelik.notifications.gateways import GatewayError, KannelSmsBackend, OutgoingSms
    from torelik.notifications.models import Message, MessageStatus
    from torelik.notifications.sender import send_due_messages

    if not kannel_harness.installed():
        print("  Kannel: not installed (apt-get install kannel kannel-extras): skipped")
        return
    receiver = _DlrCounter()
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    gateway = kannel_harness.start()
    try:
        dlr = f"http://127.0.0.1:{receiver.server_address[1]}/dlr"
        with override_settings(
            TORELIK_SEND_CONCURRENCY=args.kannel_concurrency,
            TORELIK_KANNEL_URL=gateway.sendsms_url,
            TORELIK_KANNEL_USER=kannel_harness.USER,
            TORELIK_KANNEL_PASSWORD=kannel_harness.PASSWORD,
            TORELIK_DLR_URL=dlr,
            TORELIK_DLR_TOKEN="bench",  # noqa: S106 - the local receiver checks nothing
        ):
            backend = KannelSmsBackend()
            # Warm up the connections, and the raw rate of sendsms alone (no database).
            sms = [
                OutgoingSms(message_id=f"raw-{n}", to=f"+7702{n:07d}", text=f"Torelik тест {n}") for n in range(1000)
            ]
            from concurrent.futures import ThreadPoolExecutor

            def hand(one: OutgoingSms) -> bool:
                try:
                    backend.send(one)
                except GatewayError:
                    return False
                return True

            with ThreadPoolExecutor(max_workers=args.kannel_concurrency) as pool:
                started = time.perf_counter()
                accepted = sum(pool.map(hand, sms))
                raw = len(sms) / (time.perf_counter() - started)
            print(
                f"  Kannel sendsms alone (1-segment UCS-2, dlr-mask=31, {args.kannel_concurrency} parallel): "
                f"{raw:,.0f}/s ({len(sms) - accepted} refused)"
            )
            Message.objects.filter(status=MessageStatus.QUEUED).delete()
            _queue_codes(args.kannel_messages)
            before = receiver.count
            started = time.perf_counter()
            codes = send_due_messages(backend=backend, concurrency=args.kannel_concurrency)
            code_seconds = time.perf_counter() - started
            while receiver.count < before + 2 * codes.sent and time.perf_counter() - started < 60:
                time.sleep(0.05)
            code_reports = time.perf_counter() - started
            print(
                f"  Kannel backend, 1-segment codes: {codes.sent} of {args.kannel_messages} claimed, handed over "
                f"({args.kannel_concurrency} parallel) and recorded in {code_seconds:.2f} s: "
                f"{codes.sent / code_seconds:,.0f}/s (target >= 500/s); every delivery report back after "
                f"{code_reports:.2f} s"
            )
            _queue(args.kannel_messages, "bench-kannel", one_transaction=True)
            before = receiver.count
            started = time.perf_counter()
            report = send_due_messages(backend=backend, concurrency=args.kannel_concurrency)
            seconds = time.perf_counter() - started
            expected = before + 2 * report.sent
            deadline = time.monotonic() + 60
            while receiver.count < expected and time.monotonic() < deadline:
                time.sleep(0.05)
            all_reports = time.perf_counter() - started
            backend.close()
        segments = Message.objects.filter(cause__startswith="bench-kannel").values_list("segments", flat=True)[:1]
        print(
            f"  Kannel backend, summonses: {report.sent} of {args.kannel_messages} SMS (UCS-2, {segments[0]} segments "
            f"each) claimed, handed over in parallel ({args.kannel_concurrency}) and recorded in {seconds:.2f} s: "
            f"{report.sent / seconds:,.0f}/s (target >= 500/s); all {receiver.count - before} delivery reports "
            f"back after {all_reports:.2f} s"
        )
        received = len(gateway.received_sms())
        print(f"  fakesmsc received {received} SMS (joined parts) in total")
    finally:
        kannel_harness.cleanup(gateway)
        receiver.shutdown()


EXPLAIN_SQL = """
INSERT INTO notifications_message (public_id, created_at, updated_at, recipient_phone, recipient_email,
  recipient_name, language, channel, template, payload, subject, text, status, attempts, next_attempt_at,
  expires_at, provider_id, segments, cost, cause, court_id, case_id, fallback_of_id, resend_of_id,
  resent_by_id, queued_at, handed_at, sent_at, delivered_at, failed_at, last_error)
SELECT gen_random_uuid(), t, t, '+7701' || lpad((n %% 10000000)::text, 7, '0'), '', '', 'kk', 'sms',
  'hearing_summons', '{}'::jsonb, '', 'bench', CASE WHEN n %% 1000 = 0 THEN 'queued' WHEN n %% 97 = 0 THEN 'failed'
  ELSE 'delivered' END, 1, CASE WHEN n %% 1000 = 0 THEN t + interval '30 seconds' END, t + interval '3 days', '', 3,
  12.00, 'explain:' || n, (ARRAY[%s, %s])[1 + n %% 2], NULL, NULL, NULL, NULL, t, t, t, t, NULL, ''
FROM (SELECT n, now() - (n || ' seconds')::interval * 3 AS t FROM generate_series(1, %s) AS n) AS rows
"""


def _explain(rows: int) -> None:
    import datetime as dt

    from django.db import connection
    from django.db.models import Count

    from torelik.core import clock
    from torelik.notifications.models import Message
    from torelik.notifications.queries import due_messages

    if connection.vendor != "postgresql":
        plan = due_messages(clock.now())[:200].explain()
        print(f"  due query plan (SQLite; run with DATABASE_URL=postgresql://… for the 10M-row figures): {plan}")
        return
    from torelik.courts.tests.factories import CourtFactory

    courts = [CourtFactory.create(code="9901").pk, CourtFactory.create(code="9902").pk]
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(EXPLAIN_SQL, [*courts, rows])
        cursor.execute("ANALYZE notifications_message")
    print(f"  inserted {rows:,} synthetic rows with generate_series in {time.perf_counter() - started:.1f} s")
    now = clock.now()
    due = due_messages(now)[:200]
    print("  due query (LIMIT 200, the sender's batch):")
    print("    " + due.explain(analyze=True).replace("\n", "\n    "))
    day = Message.objects.filter(queued_at__gte=now - dt.timedelta(days=1), queued_at__lt=now)
    for label, rows_of in (("all courts", day), ("one court", day.filter(court_id__in=courts[:1]))):
        print(f"  statistics of {label} for a day (grouped by court):")
        grouped = rows_of.values("court_id").annotate(n=Count("id")).order_by()
        print("    " + grouped.explain(analyze=True).replace("\n", "\n    "))


def run(args: argparse.Namespace) -> None:
    from django.conf import settings

    if settings.configured:
        command = [sys.executable, "-m", "bench.notifications", "--queue-messages", str(args.queue_messages)]
        command += ["--kannel-messages", str(args.kannel_messages), "--explain-rows", str(args.explain_rows)]
        subprocess.run([*command, "--kannel-concurrency", str(args.kannel_concurrency)], check=True)  # noqa: S603
        return
    print("== notifications (outbox, console and Kannel gateways)")
    with database.throwaway_database("notifications") as url:
        os.environ["DATABASE_URL"] = url
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", verbosity=0)
        print(f"  database: {database.describe({'DATABASE_URL': url})}")
        each = _queue(args.queue_messages, "bench-each", one_transaction=False)
        batch = _queue(args.queue_messages, "bench-batch", one_transaction=True)
        print(
            f"  queued (render, count segments, insert): {each:,.0f}/s one transaction each, "
            f"{batch:,.0f}/s {args.queue_messages} in one transaction"
        )
        _console(2 * args.queue_messages)
        _kannel(args)
        _explain(args.explain_rows)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.notifications", description=__doc__)
    add_arguments(parser)
    run(parser.parse_args(argv))


if __name__ == "__main__":
    main()
