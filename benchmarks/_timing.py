"""Timing shared by the benchmark scripts."""

from __future__ import annotations

import gc
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable


def best(run: Callable[[], object], repeat: int, *, collect: bool = True) -> float:
    """
    The fastest of ``repeat`` runs, in seconds (the least disturbed by the machine).

    With ``collect=False`` the cyclic garbage collector is off while each run
    is timed, as :mod:`timeit` does.  Code that builds many objects pays for
    collections in proportion to the live objects of the whole process, so a
    comparison is honest only with the collector treated the same on both
    sides; scripts that compare object-building code print both settings.
    """
    times = []
    enabled = gc.isenabled()
    for _ in range(repeat):
        if not collect:
            gc.collect()  # each run starts from the same heap, and none collects mid-run
            gc.disable()
        try:
            start = time.perf_counter()
            run()
            times.append(time.perf_counter() - start)
        finally:
            if enabled:
                gc.enable()
    return min(times)
