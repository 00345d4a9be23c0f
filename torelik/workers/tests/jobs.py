"""Tasks of the engine's own tests; a worker process started by a test imports them by their path.
Their effects are files in TORELIK_TEST_JOBS_DIR, so that a test can count them across processes."""

import contextlib
import datetime as dt
import os
import time
from pathlib import Path

from torelik.workers.background import background, periodic

calls: list[str] = []


@background(label="flaky", attempts=3, backoff=2.0)
def flaky(name: str) -> str:
    """Fails while `calls` holds fewer than three entries for `name`."""
    calls.append(name)
    if calls.count(name) < 3:
        raise RuntimeError(f"{name}: not yet")
    return name


@background(label="always failing", attempts=2, backoff=1.0)
def always_failing() -> None:
    raise ValueError("this task never succeeds")


@background(label="sweep", coalesce=True)
def sweep(area: str) -> int:
    calls.append(area)
    return len(calls)


def _directory() -> Path:
    return Path(os.environ["TORELIK_TEST_JOBS_DIR"])


@background(label="mark", attempts=5, backoff=0.5)
def mark(name: str, pause: float = 0.0) -> None:
    """Writes `started-<name>-<pid>`, sleeps `pause` seconds, then writes `done-<name>` once (by key)."""
    directory = _directory()
    (directory / f"started-{name}-{os.getpid()}").touch()
    time.sleep(pause)
    with contextlib.suppress(FileExistsError):
        (directory / f"done-{name}").open("x").close()


@periodic("tests.hourly", every=dt.timedelta(hours=1))
@background(label="hourly", attempts=5, backoff=0.5)
def hourly() -> None:
    """The hour's job: marks the hour as run (once, by key), after a pause the test may kill it in."""
    hour = dt.datetime.now(tz=dt.UTC).strftime("%Y%m%d%H")
    mark.call(f"hour-{hour}", pause=float(os.environ.get("TORELIK_TEST_JOB_PAUSE", "0")))
