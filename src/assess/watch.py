"""
Watching an assessment while it is edited: what changed in its conclusion.

``assess watch FILE`` revalidates the file, and regenerates its report, on
every save of the file or of a document it quotes, and prints the figures a
reader looks at first (the leader, the answers' probabilities and the
confidence) beside their previous values.  Watching uses ``watchfiles``, the
optional ``watch`` extra, imported only when watching starts.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterator
    from threading import Event
    from types import ModuleType

    from assess.analysis import Analysis
    from assess.model import Assessment

__all__ = ["EXTRA", "Figures", "changes", "figures", "ready", "saves"]

EXTRA: Final = "watch"
"""The optional extra that watching needs."""


@attrs.frozen
class Figures:
    """
    The figures of a conclusion a reader looks at first.

    Attributes:
        leader: The leading hypothesis, as ``H1 (label)`` when it has a label.
        posterior: Its posterior.
        answers: Each declared answer and its probability.
        confidence: The confidence level.

    .. versionadded:: 0.1
    """

    leader: str
    posterior: float
    answers: tuple[tuple[str, float], ...]
    confidence: str


def figures(assessment: Assessment, analysis: Analysis) -> Figures:
    """
    The leader, the answers' probabilities and the confidence of an analysis.

    .. versionadded:: 0.1
    """
    leader = analysis.scores.ranking[0]
    label = next(h.label for h in assessment.hypotheses if h.id == leader.id)
    return Figures(
        leader=leader.id if label is None else f"{leader.id} ({label})",
        posterior=leader.posterior,
        answers=tuple((a.answer, a.probability) for a in analysis.scores.answers),
        confidence=analysis.confidence.level,
    )


def _moved(before: float | None, after: float) -> str:
    if before is None or f"{before:.3f}" == f"{after:.3f}":
        return f"{after:.3f}"
    return f"{before:.3f} \N{RIGHTWARDS ARROW} {after:.3f}"


def changes(before: Figures | None, after: Figures) -> str:
    """
    The figures in one line, each changed one as ``old → new`` (three decimals).

    .. versionadded:: 0.1
    """
    if before is None:
        leader = f"leader {after.leader} {after.posterior:.3f}"
    elif before.leader == after.leader:
        leader = f"leader {after.leader} {_moved(before.posterior, after.posterior)}"
    else:
        leader = f"leader {before.leader} \N{RIGHTWARDS ARROW} {after.leader} {after.posterior:.3f}"
    parts = [leader]
    if after.answers:
        earlier = dict(before.answers) if before is not None else {}
        parts.append(
            ", ".join(f"{name} {_moved(earlier.get(name), p)}" for name, p in after.answers)
        )
    if before is None or before.confidence == after.confidence:
        parts.append(f"confidence {after.confidence}")
    else:
        parts.append(f"confidence {before.confidence} \N{RIGHTWARDS ARROW} {after.confidence}")
    return "; ".join(parts)


def _watchfiles() -> ModuleType:
    """watchfiles, or an error that names the extra to install."""
    from assess._extras import load_extra  # noqa: PLC0415

    return load_extra("watchfiles", extra=EXTRA, needed_by="watching needs")


def ready() -> None:
    """
    Check that watching can start: raise :class:`~assess.MissingExtraError` if not.

    .. versionadded:: 0.1
    """
    _watchfiles()


def saves(
    files: set[Path], *, stop: Event | None = None, debounce_ms: int = 200
) -> Iterator[set[Path]]:
    """
    Each batch of saves among ``files``, as they happen, until ``stop`` is set.

    The folders holding the files are watched, not the files themselves:
    editors often save by writing a new file and renaming it over the old,
    which a watch on the old file would miss.  ``files`` is read at every
    change, so the caller may change it (a document added to the
    assessment) without restarting the watch, which could miss a save; the
    folders are those of the files when watching starts.

    .. versionadded:: 0.1
    """
    watchfiles = _watchfiles()
    folders = sorted({str(path.resolve().parent) for path in files})

    def relevant(_: object, name: str) -> bool:
        return Path(name).resolve() in {path.resolve() for path in files}

    for batch in watchfiles.watch(
        *folders,
        watch_filter=relevant,
        debounce=debounce_ms,
        step=50,
        stop_event=stop,
        recursive=False,
    ):
        yield {Path(name) for _, name in batch}
