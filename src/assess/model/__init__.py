"""
The model layer: the typed assessment, its checks and its canonical form.

Nothing here imports from ``assess`` but :mod:`assess.errors` (and this
package's own modules).  ``assess.model`` names the classes of
:mod:`assess.model.assessment`; the package's other modules are
:mod:`~assess.model.checks` (the cross-checks an assessment runs when built),
:mod:`~assess.model.coherence` (coherence of stated probabilities),
:mod:`~assess.model.canonical` (canonical data and the digest),
:mod:`~assess.model.frozenmap` and :mod:`~assess.model.display` (the
registry through which the views show results in notebooks).
"""

from __future__ import annotations

from assess.model.assessment import (
    DEFAULT_CREDIBILITY_VALUES,
    DEFAULT_FIDELITY,
    DEFAULT_LIKELIHOODS,
    DEFAULT_RELIABILITY_VALUES,
    AnalystRatings,
    Assessment,
    Assumption,
    AssumptionStatus,
    Collection,
    ConfidenceRule,
    Credibility,
    Dependence,
    Document,
    Evidence,
    FrozenMap,
    Hypothesis,
    Indicator,
    IndicatorStatus,
    Kind,
    Outcome,
    Rating,
    Ratings,
    Relevance,
    Reliability,
    Scoring,
    Source,
)

__all__ = [
    "DEFAULT_CREDIBILITY_VALUES",
    "DEFAULT_FIDELITY",
    "DEFAULT_LIKELIHOODS",
    "DEFAULT_RELIABILITY_VALUES",
    "AnalystRatings",
    "Assessment",
    "Assumption",
    "AssumptionStatus",
    "Collection",
    "ConfidenceRule",
    "Credibility",
    "Dependence",
    "Document",
    "Evidence",
    "FrozenMap",
    "Hypothesis",
    "Indicator",
    "IndicatorStatus",
    "Kind",
    "Outcome",
    "Rating",
    "Ratings",
    "Relevance",
    "Reliability",
    "Scoring",
    "Source",
]
