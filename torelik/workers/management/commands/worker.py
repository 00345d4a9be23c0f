"""`torelik worker`: run tasks from the database queue and the periodic jobs (ADR 0042). Run as many as
the load needs, on as many machines; SIGTERM (or Ctrl-C) lets the task under way finish."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from torelik.workers.runner import Worker, signals_stop


class Command(BaseCommand):
    help = "Run background tasks and the scheduled jobs until stopped (SIGTERM finishes the task under way)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--queues", default="", help="comma-separated queues to take tasks from (default: all)")
        parser.add_argument("--poll", type=float, default=None, help="seconds between looks at an empty queue")
        parser.add_argument("--max-tasks", type=int, default=None, help="stop after this many tasks")
        parser.add_argument("--burst", action="store_true", help="stop once the queue is empty")
        parser.add_argument("--worker-id", default=None, help="this worker's id (default: host-pid-random)")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = Worker(
            queues=[q for q in options["queues"].split(",") if q],
            poll=options["poll"],
            worker_id=options["worker_id"],
            max_tasks=options["max_tasks"],
            burst=options["burst"],
        )
        with signals_stop(worker):
            worker.run()
        self.stdout.write(f"worker {worker.id}: {worker.done} tasks")
