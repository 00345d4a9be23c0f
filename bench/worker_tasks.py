"""The task `bench.workers` measures the engine with: it does nothing, so the figure is the engine's
own cost (claim, run, record). Imported only once Django is set up."""

from torelik.workers.background import background


@background(label="bench: nothing")
def nothing(n: int) -> int:
    return n
