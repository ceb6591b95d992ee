"""
Results as pandas DataFrames, labelled by hypothesis, item and line ids.

pandas is the optional ``pandas`` extra, imported only when a frame is
asked for; without it these functions raise :class:`~assess.MissingExtraError`
naming the extra.  The frames are built from the immutable results, so they
are copies: changing one changes nothing in ``assess``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assess.model import display

if TYPE_CHECKING:
    from types import ModuleType

    from assess.analysis import Analysis
    from assess.methods.scoring import Scores

__all__ = ["EXTRA", "analysis_frames", "hypotheses_frame", "matrix_frame"]

EXTRA = "pandas"
"""The optional extra these frames need."""


def _pandas() -> ModuleType:
    """pandas, or an error that names the extra to install."""
    from assess._extras import load_extra  # noqa: PLC0415

    return load_extra("pandas", extra=EXTRA, needed_by="DataFrames need")


def hypotheses_frame(scores: Scores) -> Any:
    """
    One row per hypothesis, in declaration order, indexed by its id.

    Columns: ``answer`` (when the hypotheses declare answers), ``prior``,
    ``inconsistency``, ``weighted_inconsistency``, ``log_likelihood``,
    ``posterior`` and ``rank``.

    .. versionadded:: 0.1
    """
    pd = _pandas()
    rows: dict[str, list[Any]] = {}
    if any(answer is not None for answer in scores.matrix.answers):
        rows["answer"] = list(scores.matrix.answers)
    for name in ("prior", "inconsistency", "weighted_inconsistency", "log_likelihood"):
        rows[name] = [getattr(h, name) for h in scores.hypotheses]
    rows["posterior"] = [h.posterior for h in scores.hypotheses]
    rows["rank"] = [h.rank for h in scores.hypotheses]
    index = pd.Index([h.id for h in scores.hypotheses], name="hypothesis")
    return pd.DataFrame(rows, index=index)


def matrix_frame(scores: Scores) -> Any:
    """
    The ACH matrix: items by hypotheses, each cell its rating as written.

    A cell several analysts rated holds their ratings joined by ``/``
    (``C/I``); an unrated cell holds ``NA``.  Indexed by item id (``evidence``)
    with a column per hypothesis id (``hypothesis``), in declaration order.

    .. versionadded:: 0.1
    """
    from assess.methods.scoring import CODES  # noqa: PLC0415

    pd = _pandas()
    matrix = scores.matrix
    names = {code: rating.value for rating, code in CODES.items()}
    cells = [[names[int(code)] for code in row] for row in matrix.codes.tolist()]
    for row, column, votes in zip(
        matrix.team_rows.tolist(),
        matrix.team_cols.tolist(),
        matrix.team_codes.tolist(),
        strict=True,
    ):
        cells[row][column] = "/".join(names[v] for v in votes if v >= 0)
    return pd.DataFrame(
        cells,
        index=pd.Index(matrix.evidence, name="evidence"),
        columns=pd.Index(matrix.hypotheses, name="hypothesis"),
    )


def analysis_frames(analysis: Analysis) -> dict[str, Any]:
    """
    An analysis as three frames, by what they describe.

    - ``hypotheses``: :func:`hypotheses_frame` with each hypothesis's
      ``stability`` (its share of the Monte Carlo draws it leads), the 5th,
      50th and 95th percentiles of its posterior (``p5``, ``p50``, ``p95``)
      and its ICD 203 ``term``;
    - ``lines``: one row per line of reporting, indexed by its id: ``members``
      (how many items), ``quality``, ``fidelity``, ``tempering``, and what
      leaving it out does: ``leader_posterior_change``, ``leader_changes``
      and ``new_leader``;
    - ``flags``: one row per flag: ``code``, ``subject`` and ``reason``.

    .. versionadded:: 0.1
    """
    pd = _pandas()
    scores = analysis.scores
    frame = hypotheses_frame(scores)
    sensitivity = analysis.sensitivity
    frame["stability"] = [sensitivity.of(h)[0] for h in frame.index]
    for k, name in enumerate(("p5", "p50", "p95")):
        frame[name] = [sensitivity.of(h)[1][k] for h in frame.index]
    terms = analysis.estimative()
    frame["term"] = [terms[h] for h in frame.index]
    pins = {pin.line: pin for pin in analysis.linchpins}
    lines = pd.DataFrame(
        {
            "members": [len(line.members) for line in scores.lines],
            "quality": [line.quality for line in scores.lines],
            "fidelity": [line.fidelity for line in scores.lines],
            "tempering": [line.tempering for line in scores.lines],
            "leader_posterior_change": [
                pins[line.id].leader_posterior_change for line in scores.lines
            ],
            "leader_changes": [pins[line.id].leader_changes for line in scores.lines],
            "new_leader": [pins[line.id].new_leader for line in scores.lines],
        },
        index=pd.Index([line.id for line in scores.lines], name="line"),
    )
    flags = pd.DataFrame(
        {
            "code": [flag.code for flag in analysis.flags],
            "subject": [flag.subject for flag in analysis.flags],
            "reason": [flag.reason for flag in analysis.flags],
        }
    )
    return {"hypotheses": frame, "lines": lines, "flags": flags}


display.register("Scores", "pandas", hypotheses_frame)
display.register("Scores", "matrix-pandas", matrix_frame)
display.register("Analysis", "pandas", analysis_frames)
