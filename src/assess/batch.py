"""
Many assessments at once: one record per file, on one machine or on a cluster.

:func:`score_file` analyses one file and returns a plain, JSON-ready record
(its id, digest, leader, answers and confidence, or its problems).  It is a
pure function of the file and its arguments, defined at module level, so
it pickles: ``assess batch`` maps it over a pool of processes, and Dask maps
it over a cluster the same way::

    import dask.bag
    from assess.batch import score_file

    records = dask.bag.from_sequence(paths, npartitions=64).map(score_file).compute()

An invalid or unreadable file gives a record that says why; it never stops
the run.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from assess.errors import InputError, ReadError
from assess.io.files import MAX_BYTES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator

__all__ = ["score_file", "score_files"]


def score_file(
    path: str | os.PathLike[str],
    *,
    root: str | os.PathLike[str] | None = None,
    max_bytes: int = MAX_BYTES,
    draws: int | None = None,
    seed: int | None = None,
) -> dict[str, Any]:
    """
    Load and analyse one assessment file: a record for a JSON line.

    Args:
        path: The assessment file.
        root: Documents must lie inside this directory (default: the current
            directory, as :func:`assess.load`).
        max_bytes: The largest file read.
        draws: Monte Carlo draws (default: the file's ``scoring.draws``).
        seed: Monte Carlo seed (default: the file's ``scoring.seed``).

    Returns:
        ``file`` and ``valid``; for a valid file ``assessment`` (its id),
        ``digest``, ``leader`` (``id``, ``label``, ``posterior``, ``term``),
        ``answers`` (each ``answer`` and ``probability``; empty without
        answers), ``confidence`` (its level) and ``warnings`` (their codes);
        for an invalid one ``problems`` (as ``assess validate --format json``
        gives them), and for one that cannot be read ``error``.

    .. versionadded:: 0.1
    """
    from assess.analysis import analyse  # noqa: PLC0415 -- numpy only when scoring
    from assess.io.loading import load  # noqa: PLC0415
    from assess.model.canonical import digest  # noqa: PLC0415

    name = os.fspath(path)
    try:
        assessment = load(path, root=root, max_bytes=max_bytes)
        analysis = analyse(assessment, draws=draws, seed=seed)
    except InputError as error:
        return {"file": name, "valid": False, "problems": [p.to_json() for p in error.problems]}
    except ReadError as error:
        return {"file": name, "valid": False, "error": error.reason}
    scores = analysis.scores
    leader = scores.ranking[0]
    label = next(h.label for h in assessment.hypotheses if h.id == leader.id)
    return {
        "file": name,
        "valid": True,
        "assessment": assessment.id,
        "digest": digest(assessment),
        "leader": {
            "id": leader.id,
            "label": label,
            "posterior": leader.posterior,
            "term": analysis.estimative()[leader.id],
        },
        "answers": [
            {"answer": answer.answer, "probability": answer.probability}
            for answer in scores.answers
        ],
        "confidence": analysis.confidence.level,
        "warnings": [warning.code for warning in analysis.warnings],
    }


def score_files(
    paths: Iterable[str | os.PathLike[str]],
    *,
    jobs: int = 1,
    **options: Any,
) -> Iterator[dict[str, Any]]:
    """
    :func:`score_file` over many files, in ``jobs`` processes, records in the order given.

    With ``jobs`` 1 the files are scored in this process.  ``options`` are
    :func:`score_file`'s keywords.

    .. versionadded:: 0.1
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    listed = list(paths)
    work: Callable[[str | os.PathLike[str]], dict[str, Any]] = _Bound(options)
    if jobs == 1 or len(listed) < 2:
        yield from map(work, listed)
        return
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 -- only in parallel

    # Chunks of files per task: few enough round trips, small enough to balance.
    chunk = max(1, min(64, len(listed) // (jobs * 8)))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        yield from pool.map(work, listed, chunksize=chunk)


class _Bound:
    """:func:`score_file` with its keywords fixed: picklable, unlike a closure."""

    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options

    def __call__(self, path: str | os.PathLike[str]) -> dict[str, Any]:
        return score_file(path, **self.options)
