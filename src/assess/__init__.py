"""
assess: weigh evidence for competing hypotheses, reproducibly.

Declare an assessment in YAML (or build it in Python), check it, and score
it.  The public API is what ``__all__`` lists; everything else is private.
Modules that need PyYAML or numpy are imported on first use, so
``import assess`` stays fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from assess import _display
from assess.errors import AssessError, InputError, MissingExtraError, Problem, ReadError
from assess.model import (
    AnalystRatings,
    Assessment,
    Assumption,
    AssumptionStatus,
    Collection,
    Credibility,
    Document,
    Evidence,
    Hypothesis,
    Indicator,
    IndicatorStatus,
    Kind,
    Outcome,
    Rating,
    Relevance,
    Reliability,
    Scoring,
    Source,
)

if TYPE_CHECKING:
    from assess.analysis import Analysis, analyse
    from assess.calibration import Calibration, calibrate
    from assess.canonical import digest, dump, to_data
    from assess.coherence import check_coherence, project_to_simplex
    from assess.collection import Plan, collect
    from assess.compare import Diff, diff
    from assess.language import estimative_term
    from assess.loading import load, loads, verify_documents
    from assess.replay import Timeline, timeline
    from assess.reporting import report
    from assess.scoring import EvidenceScore, HypothesisScore, Scores, ScoreWarning, score

__all__ = [
    "Analysis",
    "AnalystRatings",
    "AssessError",
    "Assessment",
    "Assumption",
    "AssumptionStatus",
    "Calibration",
    "Collection",
    "Credibility",
    "Diff",
    "Document",
    "Evidence",
    "EvidenceScore",
    "Hypothesis",
    "HypothesisScore",
    "Indicator",
    "IndicatorStatus",
    "InputError",
    "Kind",
    "MissingExtraError",
    "Outcome",
    "Plan",
    "Problem",
    "Rating",
    "ReadError",
    "Relevance",
    "Reliability",
    "ScoreWarning",
    "Scores",
    "Scoring",
    "Source",
    "Timeline",
    "__version__",
    "analyse",
    "calibrate",
    "check_coherence",
    "collect",
    "diff",
    "digest",
    "dump",
    "estimative_term",
    "load",
    "loads",
    "project_to_simplex",
    "report",
    "score",
    "timeline",
    "to_data",
    "verify_documents",
]

# The views render assessments and results in notebooks; the model asks for
# them through assess._display, and this top level says where they are.
_display.provide("assess.notebook")

_LAZY = {
    "Analysis": "assess.analysis",
    "analyse": "assess.analysis",
    "Calibration": "assess.calibration",
    "calibrate": "assess.calibration",
    "Plan": "assess.collection",
    "collect": "assess.collection",
    "Diff": "assess.compare",
    "diff": "assess.compare",
    "Timeline": "assess.replay",
    "timeline": "assess.replay",
    "check_coherence": "assess.coherence",
    "project_to_simplex": "assess.coherence",
    "estimative_term": "assess.language",
    "report": "assess.reporting",
    "digest": "assess.canonical",
    "dump": "assess.canonical",
    "to_data": "assess.canonical",
    "load": "assess.loading",
    "loads": "assess.loading",
    "verify_documents": "assess.loading",
    "score": "assess.scoring",
    "Scores": "assess.scoring",
    "ScoreWarning": "assess.scoring",
    "HypothesisScore": "assess.scoring",
    "EvidenceScore": "assess.scoring",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from assess._version import VERSION  # noqa: PLC0415 -- only when asked

        return VERSION
    raise AttributeError(f"module 'assess' has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)
