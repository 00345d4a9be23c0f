"""Cold and warm start of `make run`: `torelik migrate`, `torelik seed_demo`, then the server up to /healthz.

Cold starts from an empty database (a new SQLite file in a temporary TORELIK_VAR_DIR, or a new
database on the DATABASE_URL server); warm runs the same commands again over the database that the
cold start left. The commands are those of the Makefile's `setup` and `run` targets; creating the
virtualenv and `pip install` are not part of it.
"""

import argparse
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import version

from bench import database
from bench.latency import format_table
from bench.server import BenchError, bench_environment, run_torelik, running_server

WARM_TARGET = "under 5 s"


@dataclass(frozen=True)
class StartupRun:
    kind: str
    migrate_s: float
    seed_s: float
    server_s: float

    @property
    def total_s(self) -> float:
        return self.migrate_s + self.seed_s + self.server_s


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("make run start-up")
    group.add_argument("--cold-runs", type=int, default=1, help="cold starts, each from a new empty database (1)")
    group.add_argument("--warm-runs", type=int, default=3, help="warm starts over the last cold start's database (3)")


def start_once(kind: str, env: dict[str, str]) -> StartupRun:
    """`make setup` then `make run`'s server, stopped as soon as /healthz answers."""
    migrate_s = run_torelik(["migrate", "--no-input", "-v", "0"], env=env)
    seed_s = run_torelik(["seed_demo"], env=env)
    # `make run` starts the server with the autoreloader, so this one does too.
    with running_server(env=env, autoreload=True) as server:
        server_s = server.seconds_to_healthy
    return StartupRun(kind=kind, migrate_s=migrate_s, seed_s=seed_s, server_s=server_s)


@contextmanager
def fresh_environment() -> Iterator[dict[str, str]]:
    """The environment of `make run` over an empty database and an empty var/ directory."""
    with tempfile.TemporaryDirectory(prefix="torelik-bench-var-") as var_dir:
        env = bench_environment({"TORELIK_VAR_DIR": var_dir})
        env.pop("TORELIK_FILES_DIR", None)  # the files go under the temporary var/ too
        url = database.database_url(env)
        if url is not None and database.is_postgresql(url):
            with database.empty_postgresql_database(url) as empty_url:
                env["DATABASE_URL"] = empty_url
                yield env
        else:
            yield env


def _row(run: StartupRun) -> list[str]:
    target = WARM_TARGET if run.kind == "warm" else ""
    return [run.kind, f"{run.migrate_s:.2f}", f"{run.seed_s:.2f}", f"{run.server_s:.2f}", f"{run.total_s:.2f}", target]


def run(args: argparse.Namespace) -> None:
    print("== make run: cold and warm start")
    url = database.database_url(bench_environment())
    if url is not None and database.is_postgresql(url):
        where = f"{database.describe(bench_environment())}: a new empty database on that server for each cold start"
    else:
        where = "SQLite (embedded default): a new file in a temporary TORELIK_VAR_DIR for each cold start"
    print(f"database: {where}")
    print(
        f"machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, Django {version('django')}; "
        "the virtualenv and `pip install` are not part of it, and Python's bytecode caches are warm"
    )
    runs: list[StartupRun] = []
    for cold in range(max(1, args.cold_runs)):
        with fresh_environment() as env:
            runs.append(start_once("cold", env))
            if cold == args.cold_runs - 1 or args.cold_runs <= 1:
                runs.extend(start_once("warm", env) for _ in range(args.warm_runs))
    header = ["start", "migrate s", "seed_demo s", "server to /healthz s", "total s", "target"]
    print(format_table(header, [_row(run) for run in runs]))
    warm = [run.total_s for run in runs if run.kind == "warm"]
    if warm:
        print(f"warm total: median {statistics.median(warm):.2f} s of {len(warm)} (target {WARM_TARGET})")
    print(
        "(each step is one `torelik` process as the Makefile runs it: `migrate --no-input -v 0`, `seed_demo`, "
        "`runserver 127.0.0.1:PORT` with the autoreloader; the server time runs from its launch until "
        f"/healthz answers 200; measured at {time.strftime('%Y-%m-%d %H:%M')})"
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.startup", description=__doc__)
    add_arguments(parser)
    try:
        run(parser.parse_args(argv))
    except BenchError as error:
        raise SystemExit(f"bench: {error}") from error


if __name__ == "__main__":
    main()
