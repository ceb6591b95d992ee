"""
The scores as a terminal table.

Hypotheses are columns in rank order, items are rows by diagnosticity, and
the per-hypothesis figures come underneath.

Numbers are rounded here for reading; ``--format json`` has them in full.
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING

from assess.methods.calibration import TRACK_RECORD
from assess.methods.collection import SHOWN_LINES
from assess.methods.scoring import CODES

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

    from assess.analysis import Analysis
    from assess.history.diff import Diff, HypothesisShift, Plain
    from assess.history.timeline import Timeline
    from assess.methods.calibration import Calibration
    from assess.methods.collection import Discriminator, Plan
    from assess.methods.scoring import Scores

_RATING_OF_CODE = {code: rating.value for rating, code in CODES.items()}

# ANSI styles: consistent ratings green, inconsistent red, neutral dim.
_STYLE = {"CC": "1;32", "C": "32", "N": "2", "NA": "2", "I": "31", "II": "1;31"}
_BOLD = "1"


def use_colour(stream: IO[str], choice: str) -> bool:
    """Colour for ``always``; for ``auto`` only on a terminal, unless NO_COLOR or TERM=dumb."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _paint(text: str, style: str | None, colour: bool) -> str:
    return f"\x1b[{style}m{text}\x1b[0m" if colour and style else text


def _views(analysis: Analysis, columns: list[str]) -> list[tuple[str, list[str]]]:
    """Footer rows for the opinions and the Dempster-Shafer intervals, by hypothesis."""
    opinion = {o.id: o for o in analysis.opinions}
    rows = [
        ("", ["" for _ in columns]),
        ("opinion: belief", [f"{opinion[h].opinion.belief:.3f}" for h in columns]),
        ("disbelief", [f"{opinion[h].opinion.disbelief:.3f}" for h in columns]),
        ("uncertainty", [f"{opinion[h].opinion.uncertainty:.3f}" for h in columns]),
        ("projected", [f"{opinion[h].projected:.3f}" for h in columns]),
    ]
    evidence = analysis.dempster_shafer
    if evidence is not None:
        belief = {b.id: b for b in evidence.hypotheses}

        def interval(low: float | None, high: float | None) -> str:
            return "-" if low is None or high is None else f"{low:.2f}-{high:.2f}"

        rows += [
            (
                f"Bel-Pl, Dempster (K {evidence.conflict_text})",
                [interval(belief[h].belief, belief[h].plausibility) for h in columns],
            ),
            (
                "Bel-Pl, Yager",
                [interval(belief[h].yager_belief, belief[h].yager_plausibility) for h in columns],
            ),
        ]
    return rows


def render(
    scores: Scores, *, title: str, colour: bool = False, analysis: Analysis | None = None
) -> str:
    """
    The scores as a fixed-width table (with ANSI colour when ``colour``).

    With ``analysis``, the footer also has each hypothesis's subjective-logic
    opinion and its Dempster-Shafer belief-plausibility intervals.
    """
    matrix = scores.matrix
    columns = [h.id for h in scores.ranking]
    column_index = [matrix.hypotheses.index(h) for h in columns]
    order = sorted(
        range(len(scores.evidence)),
        key=lambda i: (-round(scores.evidence[i].diagnosticity, 12), i),
    )
    teams = {
        (int(r), int(c)): [_RATING_OF_CODE[int(v)] for v in votes if v >= 0]
        for r, c, votes in zip(matrix.team_rows, matrix.team_cols, matrix.team_codes, strict=True)
    }
    head = ["item", "quality", "weight", "line", "temper", "dB"]
    tempering = {x.id: x.tempering for x in scores.lines}
    rows: list[list[tuple[str, str | None]]] = []
    for i in order:
        record = scores.evidence[i]
        cells: list[tuple[str, str | None]] = [
            (record.id, None),
            (f"{record.quality:.3f}", None),
            (f"{record.weight:.3f}", None),
            (record.line if record.line_size > 1 else "-", None),
            (f"{tempering[record.id]:.3f}" if record.id in tempering else "-", None),
            (f"{record.diagnosticity:.2f}", None),
        ]
        for j in column_index:
            team = teams.get((i, j))
            if team is not None:  # several analysts: their ratings, in analyst order
                cells.append(("/".join(team), None))
                continue
            rating = _RATING_OF_CODE[int(matrix.codes[i, j])]
            cells.append(("." if rating == "NA" else rating, _STYLE[rating]))
        rows.append(cells)
    by_id = {h.id: h for h in scores.hypotheses}
    footer = [
        ("inconsistency", [f"{by_id[h].inconsistency:g}" for h in columns]),
        ("weighted inconsistency", [f"{by_id[h].weighted_inconsistency:.3f}" for h in columns]),
        ("log-likelihood", [f"{by_id[h].log_likelihood:.3f}" for h in columns]),
        ("prior", [f"{by_id[h].prior:.3f}" for h in columns]),
        ("posterior", [f"{by_id[h].posterior:.3f}" for h in columns]),
        ("rank", [str(by_id[h].rank) for h in columns]),
    ]
    if analysis is not None:
        footer += _views(analysis, columns)
    fixed = len(head)
    widths = [len(label) for label in head] + [len(h) for h in columns]
    for cells in rows:
        widths = [max(w, len(text)) for w, (text, _) in zip(widths, cells, strict=True)]
    for _, values in footer:
        for k, value in enumerate(values):
            widths[fixed + k] = max(widths[fixed + k], len(value))
    label_width = max(sum(widths[:fixed]) + 2 * (fixed - 1), *(len(label) for label, _ in footer))
    widths[0] += label_width - (sum(widths[:fixed]) + 2 * (fixed - 1))

    def line(cells: list[tuple[str, str | None]]) -> str:
        parts = []
        for k, (text, style) in enumerate(cells):
            padded = text.ljust(widths[k]) if k < fixed else text.rjust(widths[k])
            parts.append(_paint(padded, style, colour))
        return "  ".join(parts).rstrip()

    leader = columns[0] if columns else ""
    out = [title, "priors: " + scores.priors_rule, ""]
    out.append(
        line(
            [(label, None) for label in head]
            + [(h, _BOLD if h == leader else None) for h in columns]
        )
    )
    out.extend(line(cells) for cells in rows)
    out.append("")
    for label, values in footer:
        text = "  ".join(
            [label.ljust(label_width)] + [v.rjust(widths[fixed + k]) for k, v in enumerate(values)]
        )
        out.append(text.rstrip())
    if scores.answers:
        out += ["", *_answers_table(scores)]
    return "\n".join(out) + "\n"


def _answers_table(scores: Scores) -> list[str]:
    """Each answer's prior and probability, and the hypotheses that make it true."""
    width = max(len("answer"), *(len(a.answer) for a in scores.answers))
    lines = [f"{'answer'.ljust(width)}  prior  probability  hypotheses"]
    lines.extend(
        f"{a.answer.ljust(width)}  {a.prior:.3f}  {a.probability:11.3f}  " + ", ".join(a.hypotheses)
        for a in sorted(scores.answers, key=lambda a: -a.probability)
    )
    return lines


def conclusion(
    analysis: Analysis, question: str | None = None, labels: Mapping[str, str] | None = None
) -> str:
    """
    The bottom line: the answer, the leader, then confidence, in separate sentences.

    With answers declared, the question comes first with each answer's
    probability; then the leading hypothesis, with its label when ``labels``
    has one; ICD 203 keeps a likelihood term and a confidence level out of
    one sentence.
    """
    from assess.methods.language import estimative_term  # noqa: PLC0415 -- with analysis only

    scores = analysis.scores
    leader = scores.ranking[0]
    confidence = analysis.confidence
    lines = []
    if scores.answers:
        # The question first, answered by its answers' probabilities (ICD 203 terms).
        ranked = sorted(scores.answers, key=lambda a: -a.probability)
        told = "; ".join(
            f"{a.answer} is {estimative_term(a.probability)} ({a.probability:.0%})" for a in ranked
        )
        lines.append(f"{question} {told[0].upper()}{told[1:]}." if question else f"{told}.")
    label = (labels or {}).get(leader.id)
    named = leader.id if label is None else f"{leader.id} ({label})"
    lines += [
        (
            f"{named} is the leading hypothesis: it is {estimative_term(leader.posterior)}"
            f" ({leader.posterior:.0%})."
        ),
        f"Confidence in this judgement is {confidence.level}.",
    ]
    lines += [f"  - {reason}" for reason in confidence.reasons]
    pins = [p for p in analysis.linchpins if p.leader_changes]
    if pins:
        lines.append(
            "Linchpins (the leader changes without them): "
            + ", ".join(
                f"{_line_name(p.line, p.members)} ({p.new_leader} would lead)" for p in pins
            )
        )
    for cell in analysis.disputed:
        votes = ", ".join(f"{a} {r}" for a, r in cell.ratings)
        lines.append(f"Disputed: {cell.item} on {cell.hypothesis} ({votes}; SD {cell.spread:.2f})")
    for view in analysis.analysts:
        lines.append(f"{view.analyst} alone ranks: {' > '.join(view.ranking)}")
    return "\n".join(lines) + "\n"


def render_sensitivity(
    analysis: Analysis,
    *,
    title: str,
    question: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """Stability, posterior bands and linchpins as a table."""
    from assess.methods.language import estimative_term  # noqa: PLC0415 -- with analysis only

    s = analysis.sensitivity
    scores = analysis.scores
    head = ["hypothesis", "posterior", "term", "stability", "p05", "p50", "p95"]
    rows = []
    for h in scores.ranking:
        stability, (p05, p50, p95) = s.of(h.id)
        rows.append(
            [
                h.id,
                f"{h.posterior:.3f}",
                estimative_term(h.posterior),
                f"{stability:.1%}",
                f"{p05:.3f}",
                f"{p50:.3f}",
                f"{p95:.3f}",
            ]
        )
    widths = [max(len(r[k]) for r in [head, *rows]) for k in range(len(head))]
    lines = [
        title,
        (
            f"{s.draws:,} draws, seed {s.seed}: each rating and each source's grade moves with"
            f" probability {s.perturbation:g}, F and 6 are drawn over A-E and 1-5, "
            + (
                "the priors stay"
                if s.concentration is None
                else f"the priors are drawn with concentration {s.concentration:g}"
            )
            + f", the likelihood table moves by up to {s.jitter:.0%}"
        ),
        "",
        "  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip(),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    if s.factors:
        lines.append("")
        lines.append(f"{s.leader} leads when only one factor moves:")
        lines.extend(
            f"  {factor:<12} {share:.1%}"
            for factor, share in zip(s.factors, s.factor_stability, strict=True)
        )
    if s.answers:
        lines.append("")
        answer_rows = [["answer", "probability", "term", "stability", "p05", "p50", "p95"]]
        for answer in scores.answers:
            share, (a05, a50, a95) = s.of_answer(answer.answer)
            answer_rows.append(
                [
                    answer.answer,
                    f"{answer.probability:.3f}",
                    estimative_term(answer.probability),
                    f"{share:.1%}",
                    f"{a05:.3f}",
                    f"{a50:.3f}",
                    f"{a95:.3f}",
                ]
            )
        lines.extend(aligned(answer_rows))
    lines.append("")
    lines.append("leave one line out:")
    for pin in analysis.linchpins:
        mark = "LINCHPIN" if pin.leader_changes else "        "
        lines.append(
            f"  {mark} {_line_name(pin.line, pin.members):<20} leader {pin.new_leader},"
            f" change in {scores.ranking[0].id}'s posterior {pin.leader_posterior_change:+.3f}"
        )
    lines.append("")
    return "\n".join(lines) + "\n" + conclusion(analysis, question, labels)


def _factor(value: float) -> str:
    """An odds factor as ``x1.25``, or ``/1.25`` when it favours the second of the pair."""
    return f"x{value:.2f}" if value >= 1 else f"/{1 / value:.2f}"


def render_collect(plan: Plan, *, title: str) -> str:
    """What to collect next: pending indicators by gain, the unseating set, the discriminators."""
    lines = [
        title,
        f"leader {plan.leader}, runner-up {plan.runner_up or '-'};"
        f" entropy {plan.entropy:.3f} bits"
        + ("" if plan.answers_entropy is None else f", of the answers {plan.answers_entropy:.3f}"),
        "",
    ]
    if plan.indicators:
        answers = plan.answers_entropy is not None
        head = ["indicator", "gain", *(["answers gain"] if answers else [])]
        head += ["P(seen)", "P(leader changes)", f"P({plan.leader}) if seen", "if absent", "by"]
        rows = [head]
        for v in plan.indicators:
            leader_seen = dict(v.if_observed)[plan.leader]
            leader_absent = dict(v.if_absent)[plan.leader]
            by = v.answer_by or "-"
            rows.append(
                [
                    v.id,
                    f"{v.expected_information_gain:.3f}",
                    *([f"{v.answers_information_gain or 0.0:.3f}"] if answers else []),
                    f"{v.p_observed:.3f}",
                    f"{v.p_leader_changes:.3f}",
                    f"{leader_seen:.3f}",
                    f"{leader_absent:.3f}",
                    f"{by} OVERDUE" if v.overdue else by,
                ]
            )
        lines.append("pending indicators, by expected information gain (bits):")
        lines.extend(f"  {row}" for row in aligned(rows))
        lines.append("")
        if plan.unseat is None:
            lines.append(
                f"no set of plausible outcomes (each at least {plan.plausible:.0%} likely) of the"
                f" pending indicators would unseat {plan.leader}"
            )
        else:
            u = plan.unseat
            steps = ", ".join(f"{i} {o}" for i, o in u.observations)
            lines.append(
                f"fewest plausible outcomes that would unseat {u.leader}: {steps};"
                f" then {u.challenger} {u.challenger_after:.3f}, {u.leader} {u.leader_after:.3f}"
            )
    else:
        lines.append("no pending indicators: declare some under 'indicators' to rank them")
    for d in plan.discriminators:
        lines.append("")
        lines.append(
            f"to separate {d.first} from {d.second} ({d.between}): a report graded {d.grade}"
            f" rated {_pattern(d)} would move P({d.first}) from {d.probability:.3f}"
            f" to {d.if_for:.3f}; rated the other way, to {d.if_against:.3f}"
        )
        if not d.lines:
            lines.append("  no line of reporting separates them yet")
            continue
        lines.append("  lines that already do, odds now and at full quality:")
        rows = [
            [f"{s.line} ({s.grade})", _factor(s.factor), f"{_factor(s.full_factor)} at full"]
            for s in d.lines[:SHOWN_LINES]
        ]
        lines.extend(f"    {row}" for row in aligned(rows))
        if len(d.lines) > SHOWN_LINES:
            lines.append(f"    ... and {len(d.lines) - SHOWN_LINES} more")
    return "\n".join(lines) + "\n"


def _pattern(d: Discriminator) -> str:
    """``CC under H3 and II under H2`` (N elsewhere)."""
    strong = [h for h, r in d.pattern if r == "CC"]
    weak = [h for h, r in d.pattern if r == "II"]
    rest = " (N elsewhere)" if len(strong) + len(weak) < len(d.pattern) else ""
    return f"CC under {', '.join(strong)} and II under {', '.join(weak)}{rest}"


def _line_name(line: str, members: Sequence[str]) -> str:
    """A line by its root, with its repeats: ``E3 (+E10)``."""
    repeats = [m for m in members if m != line]
    return f"{line} (+{', +'.join(repeats)})" if repeats else line


def render_calibration(result: Calibration) -> str:
    """The calibration of resolved assessments: one row each, the means, Murphy's terms, bins."""
    if not result.resolved:
        skipped = ", ".join(result.unresolved) or "none given"
        return f"no resolved assessments (without an outcome: {skipped})\n"
    head = [
        "assessment",
        "as of",
        "outcome",
        "p(outcome)",
        "leader",
        "Brier",
        "leader Brier",
        "log score",
    ]
    rows = [head]
    for r in result.resolved:
        mark = "right" if r.leader_correct else "wrong"
        rows.append(
            [
                r.assessment,
                r.as_of.isoformat() if r.as_of else "-",
                r.outcome,
                f"{r.outcome_posterior:.3f}",
                f"{r.leader} {r.leader_posterior:.3f} {mark}",
                f"{r.brier:.3f}",
                f"{r.leader_brier:.3f}",
                f"{r.log_score:.3f}",
            ]
        )
    assert result.mean_brier is not None  # noqa: S101 -- set whenever something is resolved
    assert result.mean_leader_brier is not None  # noqa: S101
    assert result.mean_log_score is not None  # noqa: S101
    rows.append(
        [
            "mean",
            "",
            "",
            "",
            "",
            f"{result.mean_brier:.3f}",
            f"{result.mean_leader_brier:.3f}",
            f"{result.mean_log_score:.3f}",
        ]
    )
    lines = aligned(rows)
    right = sum(r.leader_correct for r in result.resolved)
    lines.append("")
    lines.append(f"leader right in {right} of {len(result.resolved)}")
    lines.extend(_calibration_notes(result))
    if result.unresolved:
        lines.append(f"without an outcome, skipped: {', '.join(result.unresolved)}")
    d = result.decomposition
    if d is not None:
        lines.append(
            f"Murphy's decomposition of {d.count} binary forecasts (every hypothesis's posterior):"
        )
        lines.append(
            f"  Brier {d.brier:.4f} = reliability {d.reliability:.4f} - resolution"
            f" {d.resolution:.4f} + uncertainty {d.uncertainty:.4f}"
            f" + within-bin {d.within_bin_variance - 2 * d.within_bin_covariance:+.4f}"
        )
    table = result.reliability
    bins = [["forecast", "count", "mean forecast", "observed"]]
    for lo, hi, n, f, o in zip(
        table.lower,
        table.upper,
        table.count,
        table.mean_forecast,
        table.observed_frequency,
        strict=True,
    ):
        shown = n > 0
        bins.append(
            [
                f"{lo:.1f}-{hi:.1f}",
                str(int(n)),
                f"{f:.3f}" if shown else "-",
                f"{o:.3f}" if shown else "-",
            ]
        )
    lines.append("")
    lines.append("reliability diagram (observed frequency per forecast bin):")
    lines.extend(aligned(bins))
    return "\n".join(lines) + "\n"


def _calibration_notes(result: Calibration) -> list[str]:
    """The caveats docs/methods.md (section 17) says the text output prints, and when."""
    notes = []
    if result.too_few:
        count = len(result.resolved)
        cases = "1 resolved assessment is" if count == 1 else f"{count} resolved assessments are"
        notes.append(
            f"note: {cases} fewer than {TRACK_RECORD}: the figures illustrate how the scores"
            " work and are no track record"
        )
    if result.never_wrong:
        notes.append(
            "note: every leader was the outcome: cases whose leaders are all right cannot show"
            " overconfidence; check that each was written as of its date, without hindsight"
        )
    return notes


def aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows of text cells as left-aligned columns two spaces apart."""
    widths = [max(len(row[k]) for row in rows) for k in range(len(rows[0]))]
    return [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def _describe(value: Plain) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, list):
        return "[" + ", ".join(value) + "]"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _short(value: Plain, width: int = 60) -> str:
    text = " ".join(_describe(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _change_lines(result: Diff) -> list[str]:
    """One line per added, removed or changed entry, then its changed fields."""
    lines: list[str] = []
    for entry in result.changes:
        lines.append(f"{entry.status} {entry.block} {entry.id}")
        if entry.status == "changed":
            lines.extend(f"  {f.field}: {_short(f.old)} -> {_short(f.new)}" for f in entry.fields)
        elif entry.status == "added" and entry.block == "evidence":
            ratings = [f for f in entry.fields if f.field.startswith("ratings.")]
            if ratings:
                cells = ", ".join(f"{f.field[8:]} {_describe(f.new)}" for f in ratings)
                lines.append(f"  ratings: {cells}")
    lines.extend(f"changed {f.field}: {_short(f.old)} -> {_short(f.new)}" for f in result.settings)
    lines.extend(f"reordered {block} (no effect on any score)" for block in result.reordered)
    return lines or ["no change to any field"]


def _shift_row(shift: HypothesisShift) -> tuple[str, ...]:
    b, a = shift.before, shift.after
    change = shift.posterior_change
    return (
        shift.id,
        f"{_num(b.posterior if b else None)} -> {_num(a.posterior if a else None)}",
        "" if change is None else f"{change:+.3f}",
        f"{b.rank if b else '-'} -> {a.rank if a else '-'}",
        f"{b.term if b else '-'} -> {a.term if a else '-'}",
        f"{_pct(b.stability if b else None)} -> {_pct(a.stability if a else None)}",
    )


def render_diff(result: Diff) -> str:
    """
    The comparison as text for a terminal.

    .. versionadded:: 0.1
    """
    lines = [f"{result.old_name} -> {result.new_name}"]
    if result.same_content:
        lines.append(f"same content ({result.old_digest})")
    else:
        lines.append(f"{result.old_digest} -> {result.new_digest}")
    lines.append("")
    lines.extend(_change_lines(result))
    lines.append("")
    rows: list[tuple[str, ...]] = [
        ("hypothesis", "posterior", "change", "rank", "term", "stability")
    ]
    rows.extend(_shift_row(h) for h in result.hypotheses)
    lines.extend(aligned(rows))
    lines.append("")
    lines.append(f"leader: {result.leader_before} -> {result.leader_after}")
    lines.append(f"confidence: {result.confidence_before} -> {result.confidence_after}")
    gained = ", ".join(result.linchpins_gained) or "none"
    lost = ", ".join(result.linchpins_lost) or "none"
    lines.append(f"linchpins gained: {gained}; lost: {lost}")
    return "\n".join(lines) + "\n"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


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
