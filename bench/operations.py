"""Operations (issue 31), in a throw-away database (PostgreSQL when DATABASE_URL names one):

(a) a Prometheus scrape of /metrics with a loaded outbox and queue (N queued SMS, N/10 open tasks):
    p50/p95 over 50 scrapes. No target in the issue; the floor is the scrape of the process counters alone.
(b) `torelik backup` and `torelik inventory` of that database: seconds, and the dump's size.

    python -m bench.operations [--ops-messages 20000]
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench import database
from bench.latency import percentile
from bench.server import PROJECT_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ops-messages", type=int, default=20000, help="queued SMS in the outbox for (a)")


def run(args: argparse.Namespace) -> None:
    print("== operations (metrics, backup)")
    with database.throwaway_database("ops") as url, tempfile.TemporaryDirectory(prefix="torelik-bench-ops-") as var:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "TORELIK_VAR_DIR": var,
            "TORELIK_SEND_MESSAGES": "off",
        }
        print(f"database: {database.describe(env)}")
        subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.operations", "--measure", "--ops-messages", str(args.ops_messages)],
            env=env,
            cwd=PROJECT_DIR,
            check=True,
        )


def _measure(messages: int, var: Path) -> None:
    import django

    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult
    from prometheus_client import REGISTRY, generate_latest

    from torelik.notifications.models import Message

    call_command("migrate", "--no-input", verbosity=0)
    now = timezone.now()
    Message.objects.bulk_create(
        [
            Message(
                recipient_phone="+77011234567", language="kk", channel="sms", template="hearing_summons",
                text="bench", cause=f"bench:{n}", queued_at=now - dt.timedelta(seconds=n),
                expires_at=now + dt.timedelta(days=3), next_attempt_at=now,
            )
            for n in range(messages)
        ],
        batch_size=2000,
    )  # fmt: skip
    DBTaskResult.objects.bulk_create(
        [
            DBTaskResult(
                task_path=f"bench.task_{n % 7}", args_kwargs={"args": [], "kwargs": {}}, queue_name="default",
                backend_name="default", priority=0, run_after=now, exception_class_path="", traceback="",
            )
            for n in range(messages // 10)
        ],
        batch_size=2000,
    )  # fmt: skip
    client = Client()
    times, floor = [], []
    for _ in range(50):
        started = time.perf_counter()
        response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_HOST="127.0.0.1")
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"/metrics answered {response.status_code}")
        started = time.perf_counter()
        generate_latest(REGISTRY)
        floor.append(time.perf_counter() - started)
    print(
        f"(a) /metrics with {messages:,} queued SMS and {messages // 10:,} open tasks: "
        f"p50 {percentile(sorted(times), 50) * 1000:.1f} ms, p95 {percentile(sorted(times), 95) * 1000:.1f} ms "
        f"(floor, process counters only: p50 {percentile(sorted(floor), 50) * 1000:.2f} ms)"
    )
    target = var / "backup"
    started = time.perf_counter()
    call_command("backup", str(target), verbosity=0)
    backup_s = time.perf_counter() - started
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    started = time.perf_counter()
    call_command("inventory", verbosity=0)
    inventory_s = time.perf_counter() - started
    print(f"(b) torelik backup {backup_s:.1f} s ({size / 1e6:.1f} MB); torelik inventory {inventory_s:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    parser.add_argument("--measure", action="store_true")
    options = parser.parse_args()
    if options.measure:
        _measure(options.ops_messages, Path(os.environ["TORELIK_VAR_DIR"]))
    else:
        run(options)
