"""Fixtures shared by every context's tests: strict skips in CI and the real browser."""

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Playwright's sync API keeps an event loop running in the test thread, and Django then refuses
# ORM calls from it (database setup and flush around browser tests). No test here is async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TORELIK_CHROMIUM", "/usr/bin/chromium")
# Without the background-networking flags Chromium floods the closed network (shared/recipes.md).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def skip_or_fail(reason: str) -> None:
    """Skip a test whose real component is missing here; in CI (TORELIK_STRICT_TESTS) fail instead,
    because `.ci/run` installs and starts every component and a skip there hides a broken setup."""
    if os.environ.get("TORELIK_STRICT_TESTS"):
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    # Session-scoped fixtures are set up before `browser_ready`, so the check is made here too.
    if not chromium_available():
        skip_or_fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def browser_ready() -> None:
    """Use in browser tests: skips (or fails in CI) when Chromium is not installed."""
    if not chromium_available():
        skip_or_fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")


# Every transactional test here also asks for `serialized_rollback=True`. A transactional test without it
# ends with a flush that recreates the content types under new ids; a later test that restores the
# serialized database then collides with them (IntegrityError on django_content_type).


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    """Django's cache (per process: LocMemCache) starts empty for every test, so that nothing one test
    kept (a seal's verdict, a timetable's body) answers another's request."""
    from django.core.cache import cache  # noqa: PLC0415 - Django is set up by pytest-django first

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _own_post_simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Each test's simulated postal operator starts with no items: barcodes restart at serial 1 in every
    test's database, and the operator must not remember another test's letter under the same barcode."""
    from django.conf import settings  # noqa: PLC0415 - Django is set up by pytest-django first

    before = settings.TORELIK_POST_SIMULATOR_DIR
    settings.TORELIK_POST_SIMULATOR_DIR = str(tmp_path_factory.mktemp("post-simulator"))
    yield
    settings.TORELIK_POST_SIMULATOR_DIR = before


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts and ends in the default language: a request through the test client leaves
    the language of its URL active in the test's thread (LocaleMiddleware does not put it back), and
    the next test's gettext answered in Kazakh."""
    from django.utils import translation  # noqa: PLC0415

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _migration_data_back(request: pytest.FixtureRequest) -> None:
    """A transactional test finds the reference data the migrations load (document types, the MCI, term
    rules, the working calendar) even when an earlier transactional test on the same worker flushed
    the tables (a draft saved in a browser test answered 500: no MCI known)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction", marker.args[0] if marker.args else False):
        return
    request.getfixturevalue("transactional_db")
    from torelik.demo.tests.migration_data import put_back_migration_data  # noqa: PLC0415 - Django set up first

    put_back_migration_data()


@pytest.fixture(autouse=True)
def _forget_the_court_registry() -> Iterator[None]:
    """Each test builds its own registry: the per-process answers (torelik.courts.registry) start empty."""
    from torelik.courts import registry
    from torelik.hearings import board

    registry.forget()
    board.forget()
    yield
    registry.forget()
    board.forget()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A transactional test without `serialized_rollback` flushes the database with post_migrate, which
    makes the content types again under new ids; the next test of the worker that restores the
    serialized data then fails on them (as CI did on SQLite, only when xdist put the two together)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            raise pytest.UsageError(f"{item.nodeid}: django_db(transaction=True) needs serialized_rollback=True")


def _flush_waiting_for_the_live_server(original: Any) -> Any:
    """A browser test ends while the live server's thread may still answer the page's last request; on
    SQLite's shared in-memory database that request's read lock makes the test's flush fail ("database
    table is locked", seen in CI) and the next test then starts on the old rows. The flush runs in one
    transaction, so it is tried again for a few seconds until the request is done."""

    def teardown(self: Any) -> None:
        from django.core.management.base import CommandError  # noqa: PLC0415 - Django is set up by now

        deadline = time.monotonic() + 10
        while True:
            try:
                original(self)
            except CommandError as error:
                if "locked" not in str(error.__cause__ or "") or time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
            else:
                return

    return teardown


def _one_request_at_a_time(original: Any) -> Any:
    """On SQLite's in-memory database the live server's request threads share the test's one connection
    (Django's `connections_override`): two requests at once (a page's poll beside a download) then ran
    statements on it together, and a commit failed with "SQL statements in progress" (seen in CI),
    leaving the connection in a transaction whose lock failed every later test of the worker. The
    views run one at a time there; the responses are still sent by their threads."""

    def create_server(self: Any, connections_override: Any = None) -> Any:
        server = original(self, connections_override=connections_override)
        if not connections_override or all(c.vendor != "sqlite" for c in connections_override.values()):
            return server
        lock = threading.Lock()
        set_app = server.set_app

        def set_serial_app(app: Any) -> None:
            def serial(environ: Any, start_response: Any) -> Any:
                with lock:
                    return app(environ, start_response)

            set_app(serial)

        server.set_app = set_serial_app
        return server

    return create_server


def pytest_configure(config: pytest.Config) -> None:
    from django.test import testcases  # noqa: PLC0415 - pytest-django has configured Django by now

    create = "_create_server"  # the live server thread's own hook (not typed in the stubs)
    live = testcases.LiveServerThread
    setattr(live, create, _one_request_at_a_time(getattr(live, create)))

    name = "_fixture_teardown"  # Django's own hook around each transactional test (not typed in the stubs)
    setattr(
        testcases.TransactionTestCase,
        name,
        _flush_waiting_for_the_live_server(getattr(testcases.TransactionTestCase, name)),
    )
