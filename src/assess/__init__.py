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
from assess.model import display as _display

if TYPE_CHECKING:
    from assess.analysis import Analysis, analyse
    from assess.history.diff import Diff, diff
    from assess.history.timeline import Timeline, timeline
    from assess.io.dump import dump
    from assess.io.loading import load, loads, verify_documents
    from assess.methods.calibration import Calibration, calibrate
    from assess.methods.collection import Plan, collect
    from assess.methods.language import estimative_term
    from assess.methods.scoring import EvidenceScore, HypothesisScore, Scores, ScoreWarning, score
    from assess.model.canonical import digest, to_data
    from assess.model.coherence import check_coherence, project_to_simplex
    from assess.views.reporting import report

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
# them through assess.model.display, and this top level says where they are.
_display.provide("assess.views.notebook")
_display.provide("assess.views.frames")

_LAZY = {
    "Analysis": "assess.analysis",
    "analyse": "assess.analysis",
    "Calibration": "assess.methods.calibration",
    "calibrate": "assess.methods.calibration",
    "Plan": "assess.methods.collection",
    "collect": "assess.methods.collection",
    "Diff": "assess.history.diff",
    "diff": "assess.history.diff",
    "Timeline": "assess.history.timeline",
    "timeline": "assess.history.timeline",
    "check_coherence": "assess.model.coherence",
    "project_to_simplex": "assess.model.coherence",
    "estimative_term": "assess.methods.language",
    "report": "assess.views.reporting",
    "digest": "assess.model.canonical",
    "dump": "assess.io.dump",
    "to_data": "assess.model.canonical",
    "load": "assess.io.loading",
    "loads": "assess.io.loading",
    "verify_documents": "assess.io.loading",
    "score": "assess.methods.scoring",
    "Scores": "assess.methods.scoring",
    "ScoreWarning": "assess.methods.scoring",
    "HypothesisScore": "assess.methods.scoring",
    "EvidenceScore": "assess.methods.scoring",
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
