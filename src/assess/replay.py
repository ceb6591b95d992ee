"""
Replay an assessment in the order its evidence became known.

:func:`timeline` orders the dated evidence by date and analyses the
assessment as it stood after each date: the undated items first (they have
no place in time, so they are the background every later date adds to),
then each date's items together.  Each step is a full :func:`assess.analyse`
of the evidence known so far, so the last step is the assessment itself,
with exactly its scores, leader and confidence level.

A ``derived_from`` or ``confirmed_by`` link to an item not yet known is
left out of a step (the repeat stands alone until its original appears); items keep their
file order inside every step, which is what makes the last step identical
to the full analysis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

from assess._table import aligned
from assess.analysis import analyse
from assess.language import estimative_term

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from assess.analysis import Analysis
    from assess.model import Assessment, Evidence

__all__ = ["Step", "Timeline", "timeline"]


@attrs.frozen(eq=False)
class Step:
    """
    The assessment after one date: ``date`` is None for the undated items.

    ``items`` are the items added at this step, in file order; ``known`` is
    how many items the step's analysis rests on.

    .. versionadded:: 0.1
    """

    date: dt.date | None
    items: tuple[str, ...]
    known: int
    analysis: Analysis

    @property
    def label(self) -> str:
        """The step's date as text, or "undated"."""
        return "undated" if self.date is None else self.date.isoformat()

    @property
    def posteriors(self) -> dict[str, float]:
        """Each hypothesis's posterior, in declaration order."""
        return {h.id: h.posterior for h in self.analysis.scores.hypotheses}

    @property
    def leader(self) -> str:
        """The leading hypothesis."""
        return self.analysis.confidence.leader

    @property
    def confidence(self) -> str:
        """The confidence level of the leading hypothesis."""
        return self.analysis.confidence.level

    def to_json(self) -> dict[str, object]:
        """The step as JSON-ready data."""
        leader = self.analysis.scores.hypothesis(self.leader)
        return {
            "date": None if self.date is None else self.date.isoformat(),
            "items": list(self.items),
            "known": self.known,
            "posteriors": self.posteriors,
            "leader": self.leader,
            "estimative": estimative_term(leader.posterior),
            "confidence": self.confidence,
        }


@attrs.frozen(eq=False)
class Timeline:
    """
    The steps of a replay, undated items first, then date by date.

    .. versionadded:: 0.1
    """

    assessment: str
    hypotheses: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def undated(self) -> tuple[str, ...]:
        """The items without a date (the first step's, if it has no date)."""
        if self.steps and self.steps[0].date is None:
            return self.steps[0].items
        return ()

    def to_json(self) -> dict[str, object]:
        """The replay as JSON-ready data: ``{"steps": [...]}`` and what it replays."""
        return {
            "assessment": self.assessment,
            "hypotheses": list(self.hypotheses),
            "undated": list(self.undated),
            "steps": [step.to_json() for step in self.steps],
        }


def _known(evidence: Sequence[Evidence], ids: set[str]) -> tuple[Evidence, ...]:
    """The known items in file order, links to unknown items left out."""
    kept = []
    for item in evidence:
        if item.id not in ids:
            continue
        links = tuple(link for link in item.derived_from if link in ids)
        confirming = tuple(link for link in item.confirmed_by if link in ids)
        unchanged = links == item.derived_from and confirming == item.confirmed_by
        kept.append(
            item if unchanged else attrs.evolve(item, derived_from=links, confirmed_by=confirming)
        )
    return tuple(kept)


def timeline(
    assessment: Assessment,
    *,
    draws: int | None = None,
    seed: int | None = None,
    analysis: Analysis | None = None,
) -> Timeline:
    """
    Replay an assessment date by date.

    Args:
        assessment: The assessment.
        draws: Monte Carlo draws per step (default: ``scoring.draws``).
        seed: Monte Carlo seed (default: ``scoring.seed``); every step uses
            the same seed, as its own :func:`assess.analyse` would.
        analysis: The assessment's own analysis with the same ``draws`` and
            ``seed``, when the caller has it: the last step reuses it
            instead of analysing the whole assessment again.

    Returns:
        The steps: undated items first (when there are any), then each date
        in order; none when the assessment has no evidence.

    .. versionadded:: 0.1
    """
    dates: list[dt.date] = sorted({i.date for i in assessment.evidence if i.date is not None})
    groups: list[tuple[dt.date | None, tuple[str, ...]]] = []
    undated = tuple(item.id for item in assessment.evidence if item.date is None)
    if undated:
        groups.append((None, undated))
    groups.extend(
        (date, tuple(item.id for item in assessment.evidence if item.date == date))
        for date in dates
    )
    known: set[str] = set()
    steps = []
    for date, items in groups:
        known.update(items)
        evidence = _known(assessment.evidence, known)
        if len(evidence) < len(assessment.evidence):
            state = analyse(attrs.evolve(assessment, evidence=evidence), draws=draws, seed=seed)
        else:
            state = analysis or analyse(assessment, draws=draws, seed=seed)
        steps.append(Step(date, items, len(evidence), state))
    return Timeline(
        assessment=assessment.id,
        hypotheses=tuple(h.id for h in assessment.hypotheses),
        steps=tuple(steps),
    )


def chart(result: Timeline) -> str:
    """
    The posteriors over the steps as an SVG chart (needs the ``plots`` extra).

    .. versionadded:: 0.1
    """
    from assess import plots  # noqa: PLC0415 -- matplotlib only when drawing

    return plots.timeline(
        [step.label for step in result.steps],
        result.hypotheses,
        [[step.posteriors[h] for h in result.hypotheses] for step in result.steps],
    )


def render_timeline(result: Timeline) -> str:
    """
    The replay as a table for a terminal: one row per step.

    .. versionadded:: 0.1
    """
    if not result.steps:
        return f"{result.assessment}: no evidence to replay\n"
    head = ["after", "items", *result.hypotheses, "leader", "confidence"]
    rows = [head]
    for step in result.steps:
        posteriors = step.posteriors
        rows.append(
            [
                step.label,
                f"+{len(step.items)} ({step.known})",
                *(f"{posteriors[h]:.3f}" for h in result.hypotheses),
                step.leader,
                step.confidence,
            ]
        )
    lines = aligned(rows)
    lines.append("")
    lines.extend(f"{step.label}: {', '.join(step.items)}" for step in result.steps)
    return "\n".join(lines) + "\n"
