"""The background sender of a web process: after a commit that queued messages, a thread sends them
(and keeps going while retries fall due soon), so that a request never waits for a gateway.
TORELIK_SEND_MESSAGES=off (tests) or a frozen clock leaves sending to `torelik send-messages`."""

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connection

from torelik.core import clock

logger = logging.getLogger(__name__)

# Set by NotificationsConfig.ready(): sends what is due, returns seconds until the next retry (or None).
_runner: Callable[[], float | None] | None = None
_wake = threading.Event()
_lock = threading.Lock()
_thread: threading.Thread | None = None


def set_runner(runner: Callable[[], float | None]) -> None:
    global _runner  # noqa: PLW0603 - the one process-wide sender
    _runner = runner


def kick() -> None:
    """Wake the background sender (start it if it is not running)."""
    global _thread  # noqa: PLW0603 - the one process-wide sender
    if settings.TORELIK_SEND_MESSAGES != "thread" or clock.is_frozen() or _runner is None:
        return
    with _lock:
        _wake.set()
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_loop, name="torelik-sender", daemon=True)
            _thread.start()


def _loop() -> None:
    global _thread  # noqa: PLW0603 - the one process-wide sender
    horizon = float(settings.TORELIK_SEND_RETRY_HORIZON)
    try:
        while True:
            _wake.clear()
            try:
                pause = _runner() if _runner is not None else None
            except Exception:
                logger.exception("background sender failed; `torelik send-messages` will retry")
                pause = None
            if _wake.is_set():
                continue
            if pause is None or pause > horizon:
                with _lock:
                    if not _wake.is_set():
                        _thread = None  # a kick from now on starts a new thread
                        return
                continue
            _wake.wait(timeout=max(pause, 0.05))
    finally:
        connection.close()  # this thread's own connection
