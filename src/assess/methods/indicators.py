"""
Indicators as the scoring sees them: observed ones as evidence, absent ones as terms.

An ``observed`` indicator is evidence: :func:`observed_as_evidence` adds it
to the items, with a source of its own, before anything is scored.  An
``absent`` one is absence of evidence: each hypothesis's likelihood of not
finding it is ``1 - d * P(seen | h)`` (:func:`absence_log_likelihood`).
Scoring, the timeline and the value of information
(:mod:`assess.methods.collection`) all build on these (``docs/methods.md``,
section 21).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt

from assess.model import Assessment, Evidence, IndicatorStatus, Kind, Source

if TYPE_CHECKING:
    from collections.abc import Sequence

    from assess.model import Indicator, Scoring

__all__ = [
    "absence_log_likelihood",
    "absence_terms",
    "detections",
    "observed_as_evidence",
    "overdue",
    "report_likelihoods",
]

Floats = npt.NDArray[np.float64]


# --------------------------------------------------------------------------- the model side


def observed_as_evidence(assessment: Assessment) -> Assessment:
    """
    The assessment with each observed indicator moved into its evidence.

    The item takes the indicator's id, description, ratings, credibility
    and date; its source, a source of its own under the same id, takes the
    indicator's reliability.  So an observed indicator weighs exactly as the
    same observation written as an item from an independent source.  The
    result has no observed indicators left, so a second call changes
    nothing; an assessment without any is returned as it is.

    .. versionadded:: 0.1
    """
    seen = [i for i in assessment.indicators if i.status is IndicatorStatus.OBSERVED]
    if not seen:
        return assessment
    items = tuple(
        Evidence(
            id=i.id,
            summary=i.description,
            kind=Kind.REPORT,
            source=i.id,
            credibility=i.credibility,
            date=i.date,
            ratings=dict(i.expected),
            notes=f"indicator {i.id}, observed",
        )
        for i in seen
    )
    sources = tuple(
        Source(id=i.id, name=f"the observer of indicator {i.id}", reliability=i.reliability)
        for i in seen
    )
    return attrs.evolve(
        assessment,
        sources=assessment.sources + sources,
        evidence=assessment.evidence + items,
        indicators=tuple(
            i for i in assessment.indicators if i.status is not IndicatorStatus.OBSERVED
        ),
    )


def overdue(assessment: Assessment) -> list[tuple[int, Indicator]]:
    """Pending indicators whose ``answer_by`` is before ``as_of``, with their indexes."""
    if assessment.as_of is None:
        return []
    return [
        (k, i)
        for k, i in enumerate(assessment.indicators)
        if i.status is IndicatorStatus.PENDING
        and i.answer_by is not None
        and i.answer_by < assessment.as_of
    ]


# --------------------------------------------------------------------------- arrays


def report_likelihoods(
    indicators: Sequence[Indicator], hypotheses: Sequence[str], settings: Scoring
) -> tuple[Floats, Floats]:
    """
    P(seen | h) of each indicator's report, and each report's quality.

    Schum's cascade, as for every item (``docs/methods.md``, section 1): with
    quality q = reliability value x credibility value, a report rated r
    under h arrives with probability ``q * L(r) + (1 - q) / 2``.

    Returns:
        ``(likelihood, quality)``: indicators x hypotheses, and one per indicator.
    """
    quality = np.array(
        [
            settings.reliability_values[i.reliability] * settings.credibility_values[i.credibility]
            for i in indicators
        ],
        dtype=np.float64,
    )
    table = settings.likelihoods
    ratings = np.array(
        [[table[i.expected[h]] for h in hypotheses] for i in indicators], dtype=np.float64
    ).reshape(len(indicators), len(hypotheses))
    likelihood: Floats = quality[:, None] * ratings + (1 - quality[:, None]) * 0.5
    return likelihood, quality


def detections(indicators: Sequence[Indicator], settings: Scoring) -> Floats:
    """Each indicator's chance of being seen had it occurred (its own, or the default)."""
    default = settings.collection.detection
    return np.array(
        [default if i.detection is None else i.detection for i in indicators], dtype=np.float64
    )


def _absence_rows(likelihood: Floats, detection: Floats) -> Floats:
    """Each absent indicator's ln(1 - d P(seen | h)), one row per indicator."""
    rows: Floats = np.log1p(-detection[:, None] * likelihood)
    return rows


def absence_log_likelihood(likelihood: Floats, detection: Floats) -> Floats:
    """
    Per hypothesis: the sum over absent indicators of ln(1 - d P(seen | h)).

    With ``d = 0`` an indicator adds 0 everywhere: not having looked says
    nothing.  Every likelihood is below 1, so no term is ever ln 0.
    """
    total: Floats = _absence_rows(likelihood, detection).sum(axis=0)
    return total


def absence_terms(
    indicators: Sequence[Indicator], hypotheses: Sequence[str], settings: Scoring
) -> Floats:
    """
    Each of ``indicators``' ln(1 - d P(seen | h)) from its grades and detection, a row each.

    What scoring sums into :attr:`assess.methods.scoring.Matrix.absence`, and what the
    replay adds date by date.
    """
    seen, _ = report_likelihoods(indicators, hypotheses, settings)
    return _absence_rows(seen, detections(indicators, settings))
