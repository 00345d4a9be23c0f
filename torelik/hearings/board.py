"""The public board of a court's day (the timetable's JSON, iCalendar and page), kept per process.

The body is kept in the cache under the version of the day's hearings (`queries.timetable_version`: a
scheduling, postponement or cancellation moves it) for at most TIMETABLE_CACHE_SECONDS; in front of it
each process keeps the last board it served per address and reads the version again at most every
TORELIK_TIMETABLE_CHECK_SECONDS (2 s; 0 in tests), so that a repeated read, and a `304` on its ETag,
touches no database in between (ADR 0079). Proxies keep the board for TIMETABLE_MAX_AGE_SECONDS (30 s).
"""

import datetime as dt
import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from torelik.courts.models import Court
from torelik.hearings import queries

# Bounds what the version cannot see: a judge or a category renamed, or a change whose transaction
# commits after a later one was read (the version is the count and the latest save, not the commit).
TIMETABLE_CACHE_SECONDS = 60
# What a proxy or a client may keep the board without asking: short, a hearing may be moved this morning.
TIMETABLE_MAX_AGE_SECONDS = 30
MAX_BOARDS = 2000  # courts x days x languages x formats read lately; bounded all the same


@dataclass(frozen=True)
class Board:
    body: bytes
    etag: str


_lock = threading.Lock()
_seen: dict[str, tuple[float, Board]] = {}


def board(key: str, *, court: Court, day: dt.date, build: Callable[[], bytes]) -> Board:
    """The board kept under `key` (court, day, language, format or page), built when its version moved."""
    now = time.monotonic()
    with _lock:
        seen = _seen.get(key)
    if seen is not None and now - seen[0] < float(settings.TORELIK_TIMETABLE_CHECK_SECONDS):
        return seen[1]
    version = queries.timetable_version(court=court, day=day)
    cache_key = f"torelik:timetable:{key}:{version}"
    body: bytes | None = cache.get(cache_key)
    if body is None:
        body = build()
        cache.set(cache_key, body, TIMETABLE_CACHE_SECONDS)
    found = seen[1] if seen is not None and seen[1].body == body else Board(body, _etag(body))
    with _lock:
        if len(_seen) >= MAX_BOARDS:
            _seen.clear()
        _seen[key] = (now, found)
    return found


def _etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def forget() -> None:
    with _lock:
        _seen.clear()
