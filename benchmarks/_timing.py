"""Timing shared by the benchmark scripts."""

from __future__ import annotations

import gc
import math
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence


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


def interleaved(
    runs: Sequence[Callable[[], object]],
    rounds: int,
    per_round: Sequence[int] | None = None,
    *,
    collect: bool = True,
) -> list[float]:
    """
    The fastest time of each of ``runs``, timed in turns, round after round, in seconds.

    This machine is a shared virtual one whose speed drifts for seconds at a
    time.  Timed in a block of its own, a run could fall wholly in a slow or a
    fast spell that what it is compared with missed; in turns, both sample the
    same spells.  Each round times ``per_round[k]`` runs of ``runs[k]`` (one
    of each when not given); ``collect`` is :func:`best`'s.
    """
    counts = per_round if per_round is not None else [1] * len(runs)
    fastest = [math.inf] * len(runs)
    for _ in range(rounds):
        for k, (run, count) in enumerate(zip(runs, counts, strict=True)):
            fastest[k] = min(fastest[k], best(run, count, collect=collect))
    return fastest
