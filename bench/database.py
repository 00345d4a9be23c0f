"""Which database a measurement runs against, and empty throw-away databases for the cold start.

The embedded default is an SQLite file under TORELIK_VAR_DIR; when DATABASE_URL is set the
benchmarks measure that PostgreSQL server instead, as `make run` and `make test` would use it.
"""

import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import sql

from bench.server import PROJECT_DIR


def database_url(env: Mapping[str, str]) -> str | None:
    url = env.get("DATABASE_URL", "").strip()
    return url or None


def is_postgresql(url: str) -> bool:
    return urlsplit(url).scheme in {"postgres", "postgresql", "pgsql", "postgis"}


def describe(env: Mapping[str, str]) -> str:
    """The database named by `env`, without any password."""
    url = database_url(env)
    if url is None:
        var_dir = Path(env.get("TORELIK_VAR_DIR") or PROJECT_DIR / "var")
        return f"SQLite {var_dir / 'torelik.sqlite3'} (embedded default)"
    parts = urlsplit(url)
    engine = "PostgreSQL" if is_postgresql(url) else parts.scheme
    host = parts.hostname or "local socket"
    port = f":{parts.port}" if parts.port else ""
    return f"{engine} {host}{port}/{parts.path.lstrip('/')} (DATABASE_URL)"


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _libpq_url(url: str) -> str:
    # dj-database-url accepts scheme aliases that libpq does not.
    parts = urlsplit(url)
    return urlunsplit(("postgresql", parts.netloc, parts.path, parts.query, parts.fragment))


@contextmanager
def empty_postgresql_database(url: str) -> Iterator[str]:
    """A new, empty database on the server of `url` (same credentials); its URL, dropped on exit."""
    name = f"torelik_bench_{os.getpid()}_{int(time.time())}"
    admin_url = _libpq_url(_with_database(url, "postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield _with_database(url, name)
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@contextmanager
def throwaway_database(name: str) -> Iterator[str]:
    """The URL of a new, empty database for one benchmark: on the PostgreSQL server of DATABASE_URL
    when it names one (dropped afterwards), else an SQLite file in a temporary directory."""
    url = database_url(os.environ)
    if url is not None and is_postgresql(url):
        with empty_postgresql_database(url) as fresh:
            yield fresh
        return
    with tempfile.TemporaryDirectory(prefix=f"torelik-bench-{name}-") as directory:
        yield f"sqlite:///{Path(directory) / 'bench.sqlite3'}"


def count(env: Mapping[str, str], query: str) -> int:
    """The integer a one-value SQL query answers in the database of `env` (a server's own database,
    read beside it): on PostgreSQL through psycopg, else in the SQLite file under TORELIK_VAR_DIR."""
    url = database_url(env)
    if url is not None and is_postgresql(url):
        with psycopg.connect(_libpq_url(url), autocommit=True) as connection:
            row = connection.execute(query).fetchone()
    else:
        var_dir = Path(env.get("TORELIK_VAR_DIR") or PROJECT_DIR / "var")
        with closing(sqlite3.connect(var_dir / "torelik.sqlite3", timeout=30)) as connection:
            row = connection.execute(query).fetchone()
    return int(row[0]) if row is not None else 0


def measured_apart(name: str, title: str, argv: list[str], measure: Callable[[], None]) -> None:
    """Run a context's bench in a database and file store of its own. From `make bench`'s process (Django
    configured already) a fresh interpreter runs `python -m bench.<name> *argv`; in that interpreter a
    throw-away database is made on the server `DATABASE_URL` names (SQLite otherwise), migrated, and
    `measure` runs against it, then both are removed."""
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    from django.conf import settings  # noqa: PLC0415

    if settings.configured:
        subprocess.run([sys.executable, "-m", f"bench.{name}", *argv], check=True)  # noqa: S603
        return
    print(title)
    with (
        throwaway_database(name) as url,
        tempfile.TemporaryDirectory(prefix=f"torelik-bench-{name}-files-") as files,
    ):
        os.environ["DATABASE_URL"] = url
        os.environ["TORELIK_FILES_DIR"] = files
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        import django  # noqa: PLC0415
        from django.core.management import call_command  # noqa: PLC0415

        django.setup()
        call_command("migrate", verbosity=0)
        measure()
