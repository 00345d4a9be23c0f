"""Where a public read's time goes, in process: for each address, the mean of N requests through the
whole WSGI handler (every middleware, the URL resolver, the view), split into the middleware (and
handler) around the view, the view's own Python, the rendering (templates, or the JSON renderer of
the API), and the database (statements and their time). Run by bench.public_reads in a child
process with the server's settings (`python -m bench.public_profile PATH...`), after a few warm-up
requests, so that what is kept per process is kept here too.

Timers: a database execute wrapper (the connection's health check counted as one statement); the
resolved view wrapped (its time includes its rendering and statements); Django's template `render` and
ninja's renderer wrapped. "middleware" is the request's time outside the view (the handler, the
resolver and the middleware chain, both ways).
"""

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Timings:
    total: float = 0.0
    view: float = 0.0
    render: float = 0.0
    queries: float = 0.0
    statements: int = 0
    status: int = 0
    size: int = 0
    cookies: list[str] = field(default_factory=list)


_current: list[Timings] = []


def _timed(attribute: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not _current:
            return function(*args, **kwargs)
        timings = _current[-1]
        started, queried = time.perf_counter(), timings.queries
        try:
            return function(*args, **kwargs)
        finally:
            spent = time.perf_counter() - started
            if attribute == "render":  # a template's lazy querysets run while it renders: counted as queries
                spent -= timings.queries - queried
            setattr(timings, attribute, getattr(timings, attribute) + spent)

    wrapper.__wrapped__ = function  # type: ignore[attr-defined]
    return wrapper


def _instrument() -> None:
    """Wrap the view resolution, template rendering and ninja's renderer with the timers."""
    from django.template.backends.django import Template
    from django.urls.resolvers import ResolverMatch, URLResolver
    from ninja.renderers import JSONRenderer

    Template.render = _timed("render", Template.render)  # type: ignore[method-assign]
    JSONRenderer.render = _timed("render", JSONRenderer.render)  # type: ignore[method-assign]
    resolve = URLResolver.resolve

    def resolving(self: URLResolver, path: str) -> ResolverMatch:
        match = resolve(self, path)
        if getattr(match.func, "_profiled", False):
            return match
        timed = _timed("view", match.func)
        timed._profiled = True  # type: ignore[attr-defined]
        match.func = timed
        return match

    URLResolver.resolve = resolving  # type: ignore[method-assign]
    # The connection's health check (`SELECT 1` at a request's first statement, CONN_HEALTH_CHECKS) is a
    # round trip to the database too, outside the execute wrappers.
    from django.db import connections

    wrapper = type(connections["default"])
    is_usable = wrapper.is_usable

    def checking(self: Any) -> bool:
        started = time.perf_counter()
        try:
            return bool(is_usable(self))
        finally:
            if _current:
                _current[-1].queries += time.perf_counter() - started
                _current[-1].statements += 1

    wrapper.is_usable = checking  # type: ignore[method-assign]


def _statement(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    started = time.perf_counter()
    try:
        return execute(sql, params, many, context)
    finally:
        if _current:
            _current[-1].queries += time.perf_counter() - started
            _current[-1].statements += 1


@contextmanager
def _measuring(timings: Timings) -> Iterator[None]:
    _current.append(timings)
    try:
        yield
    finally:
        _current.pop()


def _start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], object]:
    return lambda _data: None


def profile(path: str, *, requests: int, warm: int) -> Timings:
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import RequestFactory

    handler = WSGIHandler()
    environ = dict(RequestFactory().get(path, HTTP_HOST="127.0.0.1").environ)
    environ.pop("HTTP_COOKIE", None)  # a visitor's read
    sum_ = Timings()
    for index in range(warm + requests):
        timings = Timings()
        with connection.execute_wrapper(_statement), _measuring(timings):
            started = time.perf_counter()
            response = handler(dict(environ), _start_response)
            body = b"".join(response)
            timings.total = time.perf_counter() - started
        response.close()
        if index < warm:
            continue
        for name in ("total", "view", "render", "queries", "statements"):
            setattr(sum_, name, getattr(sum_, name) + getattr(timings, name))
        sum_.status = response.status_code
        sum_.size = len(body)
        sum_.cookies = sorted(response.cookies)
    for name in ("total", "view", "render", "queries"):
        setattr(sum_, name, getattr(sum_, name) / requests)
    sum_.statements = round(sum_.statements / requests)
    return sum_


HEADER = ("address", "status", "total ms", "middleware ms", "view ms", "render ms", "queries", "queries ms", "cookies")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.public_profile", description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warm", type=int, default=20)
    args = parser.parse_args(argv)
    # Run by its file (bench.public_reads), its own folder is not a package root: modules come from PYTHONPATH.
    here = Path(__file__).resolve().parent
    sys.path[:] = [entry for entry in sys.path if Path(entry or ".").resolve() != here]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import bench.public_wsgi  # noqa: F401 - Django set up as the bench's server is, with /bench/bare

    _instrument()
    from bench.latency import format_table

    rows = []
    for path in args.paths:
        t = profile(path, requests=args.requests, warm=args.warm)
        view_own = t.view - t.render - t.queries
        rows.append(
            [
                path,
                str(t.status),
                f"{t.total * 1000:.2f}",
                f"{(t.total - t.view) * 1000:.2f}",
                f"{view_own * 1000:.2f}",
                f"{t.render * 1000:.2f}",
                str(t.statements),
                f"{t.queries * 1000:.2f}",
                ",".join(t.cookies) or "none",
            ]
        )
    print(format_table(HEADER, rows))
    print(
        f"(mean of {args.requests} requests after {args.warm} warm-up ones, in one process through the WSGI handler; "
        "`view ms` is the view's own Python without its rendering and statements)"
    )
    sys.stdout.flush()


if __name__ == "__main__":
    main()
