"""Running pyHanko's async API from synchronous code.

`asyncio.run` refuses to start when the calling thread already runs an event loop (Playwright's
sync API keeps one in the test thread; an ASGI server may call us from inside its loop). Then the
coroutine runs in a fresh loop on a short-lived worker thread instead.
"""

import asyncio
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")


def run_coroutine(coroutine: Coroutine[Any, Any, T]) -> T:
    """The coroutine's result, run to completion in a fresh event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="torelik-async") as pool:
        return pool.submit(asyncio.run, coroutine).result()
