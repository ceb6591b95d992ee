"""
How assessments and results show themselves in Jupyter and other notebooks.

Each renderer turns one kind of object into blocks (a title, sentences,
tables), which one template per markup writes as HTML or Markdown, escaping
every value.  Hypotheses appear with their statements and labels, not as
bare ids.  Importing this module registers the renderers with
:mod:`assess.model.display`, which the objects' ``_repr_html_`` and
``_repr_markdown_`` ask; the package imports it on the first display.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from assess.methods.language import estimative_term
from assess.model import display as _display
from assess.views.reporting import _num, _pct, _render, _scores_view

if TYPE_CHECKING:
    from collections.abc import Callable

    from assess.analysis import Analysis
    from assess.history.diff import Diff
    from assess.history.timeline import Timeline
    from assess.methods.calibration import Calibration
    from assess.methods.scoring import Scores
    from assess.model import Assessment

__all__ = ["render"]

Block = dict[str, Any]


# A block is told by its keys, not by a value: a title, a sentence or a table.
def _title(text: str) -> Block:
    return {"title": text}


def _text(text: str) -> Block:
    return {"text": text}


def _table(header: list[str], rows: list[list[str]]) -> Block:
    return {"header": header, "rows": rows}


def _name(scores: Scores, hypothesis: str) -> str:
    """``H1 (label)``, or the id when the hypothesis has no label."""
    labels = dict(zip(scores.matrix.hypotheses, scores.labels, strict=False))
    label = labels.get(hypothesis)
    return hypothesis if label is None else f"{hypothesis} ({label})"


def _statement(scores: Scores, hypothesis: str) -> str:
    statements = dict(zip(scores.matrix.hypotheses, scores.statements, strict=False))
    return statements.get(hypothesis, "")


def _bottom_line(scores: Scores, confidence: str | None) -> str:
    leader = scores.ranking[0]
    text = (
        f"{_name(scores, leader.id)} is the leading hypothesis: it is"
        f" {estimative_term(leader.posterior)} ({_pct(leader.posterior)})."
    )
    if confidence is not None:
        text += f" Confidence in this judgement is {confidence}."
    return text


def _hypotheses(scores: Scores, analysis: Analysis | None = None) -> Block:
    """The hypotheses by rank, with their statements, posteriors and terms (and bands)."""
    header = ["Rank", "Hypothesis", "Statement", "Posterior", "Likelihood"]
    if analysis is not None:
        header += ["Stability", "5-95%"]
    rows = []
    for h in scores.ranking:
        row = [
            str(h.rank),
            _name(scores, h.id),
            _statement(scores, h.id),
            _num(h.posterior),
            estimative_term(h.posterior),
        ]
        if analysis is not None:
            stability, (low, _, high) = analysis.sensitivity.of(h.id)
            row += [_pct(stability), f"{_num(low)}-{_num(high)}"]
        rows.append(row)
    return _table(header, rows)


def _matrix(scores: Scores) -> Block:
    """The ratings, the most diagnostic items first, hypotheses by rank."""
    view = _scores_view(scores, scores.assessment)
    rows = [
        [row["id"], row["db"], *(cell["text"] for cell in row["cells"])] for row in view["rows"]
    ]
    return _table(["Item", "dB", *view["columns"]], rows)


def _assessment(assessment: Assessment) -> list[Block]:
    from assess.analysis import analyse  # noqa: PLC0415 -- scored when it is displayed

    analysis = analyse(assessment)
    blocks = [_title(assessment.title)]
    if assessment.question:
        blocks.append(_text(assessment.question))
    return blocks + _analysis(analysis, title=False)


def _scores(scores: Scores) -> list[Block]:
    return [
        _title(scores.assessment),
        _text(_bottom_line(scores, None)),
        _hypotheses(scores),
        _matrix(scores),
    ]


def _analysis(analysis: Analysis, *, title: bool = True) -> list[Block]:
    scores = analysis.scores
    blocks = [_title(scores.assessment)] if title else []
    blocks += [
        _text(_bottom_line(scores, analysis.confidence.level)),
        _hypotheses(scores, analysis),
    ]
    if scores.answers:
        rows = []
        for answer in scores.answers:
            _, (low, _, high) = analysis.sensitivity.of_answer(answer.answer)
            rows.append(
                [
                    answer.answer,
                    ", ".join(_name(scores, h) for h in answer.hypotheses),
                    _num(answer.probability),
                    estimative_term(answer.probability),
                    f"{_num(low)}-{_num(high)}",
                ]
            )
        blocks.append(_table(["Answer", "Hypotheses", "Probability", "Likelihood", "5-95%"], rows))
    if analysis.flags:
        rows = [[flag.subject, flag.reason] for flag in analysis.flags]
        blocks.append(_table(["Flag", "Why"], rows))
    blocks.append(_matrix(scores))
    return blocks


def _timeline(timeline: Timeline) -> list[Block]:
    scores = timeline.steps[-1].analysis.scores  # the last step is the whole assessment
    header = ["Date", "Items", "Leader", *(_name(scores, h) for h in timeline.hypotheses)]
    rows = [
        [
            step.label,
            ", ".join(step.items),
            _name(scores, step.leader),
            *(_num(p) for p in step.posterior),
            step.confidence,
        ]
        for step in timeline.steps
    ]
    legend = [[_name(scores, h), _statement(scores, h)] for h in timeline.hypotheses]
    return [
        _title(f"{timeline.assessment}: the evidence date by date"),
        _table([*header, "Confidence"], rows),
        _table(["Hypothesis", "Statement"], legend),
    ]


def _diff(diff: Diff) -> list[Block]:
    after = diff.after.scores
    names = {h: _name(after, h) for h in after.matrix.hypotheses}
    before_names = {h: _name(diff.before.scores, h) for h in diff.before.scores.matrix.hypotheses}
    names = {**before_names, **names}
    blocks = [
        _title(f"{diff.old_name} \N{RIGHTWARDS ARROW} {diff.new_name}"),
        _text(
            f"Leader: {names[diff.leader_before]} \N{RIGHTWARDS ARROW} {names[diff.leader_after]}."
            f" Confidence: {diff.confidence_before} \N{RIGHTWARDS ARROW} {diff.confidence_after}."
        ),
    ]
    rows = []
    for shift in diff.hypotheses:
        statement = _statement(after, shift.id) or _statement(diff.before.scores, shift.id)
        before = "-" if shift.before is None else _num(shift.before.posterior)
        now = "-" if shift.after is None else _num(shift.after.posterior)
        change = shift.posterior_change
        rows.append(
            [names[shift.id], statement, before, now, "-" if change is None else f"{change:+.3f}"]
        )
    blocks.append(_table(["Hypothesis", "Statement", "Before", "After", "Change"], rows))
    if diff.changes:
        rows = [
            [change.block, change.id, change.status, ", ".join(f.field for f in change.fields)]
            for change in diff.changes
        ]
        blocks.append(_table(["Block", "Entry", "Status", "Fields"], rows))
    elif diff.same_content:
        blocks.append(_text("The two versions have the same content (the same digest)."))
    return blocks


def _calibration(calibration: Calibration) -> list[Block]:
    blocks = [_title(f"Calibration over {len(calibration.resolved)} resolved assessments")]
    rows = [
        [
            r.assessment,
            r.outcome,
            _num(r.outcome_posterior),
            r.leader,
            "yes" if r.leader_correct else "no",
            _num(r.brier),
            _num(r.log_score),
        ]
        for r in calibration.resolved
    ]
    header = ["Assessment", "Outcome", "P(outcome)", "Leader", "Leader right", "Brier", "Log score"]
    blocks.append(_table(header, rows))
    if calibration.mean_brier is not None and calibration.mean_log_score is not None:
        blocks.append(
            _text(
                f"Mean Brier score {_num(calibration.mean_brier)}, mean log score"
                f" {_num(calibration.mean_log_score)}."
            )
        )
    if calibration.too_few:
        blocks.append(_text("Too few resolved assessments for a track record."))
    if calibration.unresolved:
        blocks.append(_text(f"Not resolved, skipped: {', '.join(calibration.unresolved)}."))
    return blocks


_BLOCKS: dict[str, Callable[[Any], list[Block]]] = {
    "Assessment": _assessment,
    "Scores": _scores,
    "Analysis": _analysis,
    "Timeline": _timeline,
    "Diff": _diff,
    "Calibration": _calibration,
}


def render(obj: Any, fmt: str) -> str:
    """
    An assessment or a result as HTML (``fmt`` ``"html"``) or Markdown, for a notebook.

    .. versionadded:: 0.1
    """
    blocks = _BLOCKS[type(obj).__name__](obj)
    return _render(f"notebook.{'html' if fmt == 'html' else 'md'}.j2", {"blocks": blocks})


for _kind in _BLOCKS:
    _display.register(_kind, "html", functools.partial(render, fmt="html"))
    _display.register(_kind, "markdown", functools.partial(render, fmt="markdown"))
