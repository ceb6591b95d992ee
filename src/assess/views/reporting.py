"""
Confidence reports: Markdown, HTML and JSON from one view of an analysis.

:func:`view` turns an assessment and its analysis into plain data in which
every number is already formatted; the Jinja2 templates only lay it out (with
``StrictUndefined``, and every value escaped by default: autoescaping for
HTML, and for Markdown a ``finalize`` hook that escapes all but the few
pieces that filters build as Markdown).  Nothing machine-specific enters a
report -- no clock, host or absolute path -- so the same file and version
always give the same bytes, and :func:`check` can tell whether a committed
report is stale.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import posixpath
import re
import struct
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, overload
from urllib.parse import quote

import attrs

from assess._version import DISTRIBUTION
from assess.io.files import write_atomic
from assess.methods.scoring import CODES
from assess.model import AnalystRatings, Rating

if TYPE_CHECKING:
    from collections.abc import Mapping

    import jinja2

    from assess.analysis import Analysis
    from assess.history.timeline import Timeline
    from assess.methods.scoring import Scores
    from assess.model import Assessment

__all__ = [
    "FORMATS",
    "PLOT_FORMATS",
    "Report",
    "build",
    "check",
    "command_line",
    "report",
    "view",
    "write_atomic",
]

FORMATS: Final = ("markdown", "html", "json", "pdf")
SUFFIX: Final = {"markdown": ".md", "html": ".html", "json": ".json", "pdf": ".pdf"}
#: What ``plots=`` may say: no plots, SVG (``True`` too), or PNG for slides.
PLOT_FORMATS: Final = ("svg", "png")
_MARKER = re.compile(r"assess-report digest=(sha256:[0-9a-f]{64}) version=(\S+)")
# Characters with a meaning anywhere in a line of CommonMark or GitHub's
# Markdown (emphasis, code, links, tables, headings, strikethrough, math).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|#~$])")
# What opens a block when it starts a line or follows a list marker: a bullet
# (-, +), a setext underline (=) or a thematic break (---), and an ordered
# list's number; signs of numbers ("-0.5", "+.25") open nothing.
_MD_BLOCK_START = re.compile(r"^(?:[-+=](?![0-9.])|[0-9]{1,9}(?=[.)](?:\s|$)))")
# Links are made only to these schemes; anything else (javascript:, data:,
# file:, vbscript:) is shown as text.
_LINK_SCHEMES = re.compile(r"(?:https?://|mailto:)[^\s]+", re.IGNORECASE | re.ASCII)
_PLOTS: Final = ("posterior", "matrix", "tornado", "timeline")
_RATING_OF_CODE: Final = {code: rating.value for rating, code in CODES.items()}


def _version() -> str:
    from assess._version import VERSION  # noqa: PLC0415 -- a constant, not metadata: fast

    return VERSION


# --------------------------------------------------------------------------- view


def _pct(p: float) -> str:
    return f"{p:.0%}" if p >= 0.01 or p == 0 else "<1%"


def _num(value: float, places: int = 3) -> str:
    text = f"{value:.{places}f}"
    return "0" if float(text) == 0 else text


def _cell_text(cell: object) -> str:
    if isinstance(cell, AnalystRatings):
        votes = cell.informative()
        return "/".join(r.value for r in votes.values()) if votes else "NA"
    return str(getattr(cell, "value", cell))


def _cell_class(text: str) -> str:
    return {"CC": "cc", "C": "c", "N": "n", "NA": "na", "I": "i", "II": "ii"}.get(text, "mixed")


def _table(values: Mapping[Any, float]) -> str:
    """A grade or rating table in one line: ``A 1, B 0.75, ...``."""
    return ", ".join(f"{getattr(k, 'value', k)} {v:g}" for k, v in values.items())


def _method(assessment: Assessment, analysis: Analysis) -> list[str]:
    """The settings every figure of the report depends on, one per line (docs/methods.md)."""
    settings = assessment.scoring
    sensitivity = analysis.sensitivity
    rule = analysis.confidence.rule
    dependence = settings.dependence
    rho = "\u03c1"  # the design effect's correlation
    return [
        (
            f"Reliability values: {_table(settings.reliability_values)};"
            f" credibility values: {_table(settings.credibility_values)}"
        ),
        f"Relay fidelity: {_table(settings.fidelity)}",
        (
            f"Likelihoods: {_table(settings.likelihoods)}; an NA cell takes the item's"
            " prior-weighted mean log-likelihood"
        ),
        (
            f"Shared sources (Kish's design effect): {rho} {dependence.same_source:g} within"
            f" a source, {dependence.same_party:g} across a party's sources"
        ),
        f"Priors: {analysis.scores.priors_rule}",
        (
            f"Monte Carlo: {sensitivity.draws:,} draws, seed {sensitivity.seed},"
            f" perturbation {sensitivity.perturbation:g}, prior concentration"
            f" {settings.prior_concentration:g}, likelihood jitter {settings.likelihood_jitter:g}"
        ),
        f"Disputed at an analysts' SD of {settings.dispute:g} or more",
        (
            f"Confidence rule: high needs {rule.high_weight:g} dB, {rule.high_support} parties,"
            f" at most {rule.high_interested_share:.0%} interested weight and"
            f" {rule.high_stability:.0%} stability; moderate {rule.moderate_weight:g} dB,"
            f" {rule.moderate_support} parties, {rule.moderate_interested_share:.0%} and"
            f" {rule.moderate_stability:.0%}"
        ),
    ]


def view(assessment: Assessment, analysis: Analysis, *, command: str) -> dict[str, Any]:
    """
    Everything a report shows, as plain data with numbers already formatted.

    Args:
        assessment: The assessment.
        analysis: Its analysis (:func:`assess.analyse`).
        command: The command that regenerates the report.

    .. versionadded:: 0.1
    """
    from assess.methods.indicators import observed_as_evidence  # noqa: PLC0415
    from assess.methods.language import estimative_term  # noqa: PLC0415 -- report-only

    written = assessment
    # The report lists items beside the scores' rows, where observed indicators are items.
    assessment = observed_as_evidence(written)
    scores = analysis.scores
    ranking = scores.ranking
    leader = ranking[0]
    statements = {h.id: h.statement for h in assessment.hypotheses}
    labels = {h.id: h.label for h in assessment.hypotheses}
    stability = dict(
        zip(analysis.sensitivity.hypotheses, analysis.sensitivity.stability, strict=True)
    )
    bands = dict(
        zip(analysis.sensitivity.hypotheses, analysis.sensitivity.percentiles, strict=True)
    )
    disputed = {(d.item, d.hypothesis) for d in analysis.disputed}
    items = {e.id: e for e in assessment.evidence}
    sources = {s.id: s for s in assessment.sources}
    documents = {d.id: d for d in assessment.documents}
    by_diagnosticity = sorted(
        range(len(scores.evidence)), key=lambda i: (-round(scores.evidence[i].diagnosticity, 12), i)
    )
    confidence = analysis.confidence
    answer_bands = {a.answer: a for a in _answer_bands(analysis)}
    answers = [
        {
            "answer": a.answer,
            "hypotheses": ", ".join(a.hypotheses),
            "prior": _num(a.prior),
            "probability": _pct(a.probability),
            "term": estimative_term(a.probability),
            "band": answer_bands[a.answer].band if a.answer in answer_bands else "",
            "stability": answer_bands[a.answer].stability if a.answer in answer_bands else "",
        }
        for a in sorted(scores.answers, key=lambda a: -a.probability)
    ]
    return {
        "id": assessment.id,
        "title": assessment.title,
        "question": assessment.question or assessment.title,
        "as_of": assessment.as_of.isoformat() if assessment.as_of else None,
        "analysts": list(assessment.analysts),
        "leader": {
            "id": leader.id,
            "statement": statements[leader.id],
            "label": labels[leader.id],
            "posterior": _pct(leader.posterior),
            "term": estimative_term(leader.posterior),
        },
        "answers": answers,
        "confidence": {
            "level": confidence.level,
            "reasons": list(confidence.reasons),
            "supporting": list(confidence.supporting_lines),
            "runner_up": confidence.runner_up,
            "weight_db": _num(confidence.weight_db, 1),
            "sources": confidence.sources,
            "parties": confidence.parties,
            "interested_share": f"{confidence.interested_share:.0%}",
        },
        "priors": scores.priors_rule,
        "hypotheses": [
            {
                "rank": h.rank,
                "id": h.id,
                "statement": statements[h.id],
                "label": labels[h.id],
                "prior": _num(h.prior),
                "posterior": _num(h.posterior),
                "term": estimative_term(h.posterior),
                "inconsistency": f"{h.inconsistency:g}",
                "weighted": _num(h.weighted_inconsistency),
                "stability": f"{stability[h.id]:.1%}",
                "band": f"{_num(bands[h.id][0])}\N{EN DASH}{_num(bands[h.id][2])}",
            }
            for h in ranking
        ],
        "columns": [h.id for h in ranking],
        "rows": [
            {
                "id": scores.evidence[i].id,
                "summary": items[scores.evidence[i].id].summary,
                "db": _num(scores.evidence[i].diagnosticity, 2),
                "cells": [
                    {
                        "text": (text := _cell_text(items[scores.evidence[i].id].cell(h.id))),
                        "class": _cell_class(text),
                        "disputed": (scores.evidence[i].id, h.id) in disputed,
                    }
                    for h in ranking
                ],
            }
            for i in by_diagnosticity
        ],
        "linchpins": [
            {
                "members": list(p.members),
                "new_leader": p.new_leader,
                "change": f"{p.leader_posterior_change:+.3f}",
            }
            for p in analysis.linchpins
            if p.leader_changes
        ],
        "flags": [
            {"code": f.code, "subject": f.subject, "reason": f.reason} for f in analysis.flags
        ],
        "warnings": [w.message for w in analysis.warnings],
        "weight_of_evidence": _weight_view(analysis, [h.id for h in ranking]),
        "outcome": _outcome_view(assessment, analysis),
        "key_evidence": _key_evidence(assessment, analysis),
        "change": _change_view(written, analysis),
        "disputed": [
            {
                "item": d.item,
                "hypothesis": d.hypothesis,
                "ratings": ", ".join(f"{a} {r}" for a, r in d.ratings),
                "spread": _num(d.spread, 2),
            }
            for d in analysis.disputed
        ],
        "analyst_views": [
            {"analyst": v.analyst, "ranking": " > ".join(v.ranking)} for v in analysis.analysts
        ],
        "repeated": [
            {
                "id": line.id,
                "members": list(line.members),
                "links": [
                    f"{e} repeats {', '.join(items[e].derived_from)}"
                    for e in line.members
                    if items[e].derived_from
                ],
                "fidelity": _num(line.fidelity),
                "quality": _num(line.quality),
            }
            for line in scores.lines
            if len(line.members) > 1
        ],
        "tempered": [
            {
                "id": line.id,
                "source": items[line.id].source,
                "tempering": _num(line.tempering),
            }
            for line in scores.lines
            if line.tempering < 1
        ],
        "relayed": [
            {
                "id": e.id,
                "relays": ", ".join(e.via)
                or (documents[e.document].source or "" if e.document else ""),
                "quality": _num(scores.item(e.id).quality),
            }
            for e in assessment.evidence
            if scores.matrix.relays[scores.matrix.evidence.index(e.id)]
        ],
        "lines": {"count": len(scores.evidence), "independent": len(scores.lines)},
        "sources": [
            {
                "id": s.id,
                "name": s.name,
                "grade": s.reliability.value,
                "label": s.reliability.label,
                "interested": "yes" if s.interested else "no",
                "notes": s.notes or "",
            }
            for s in assessment.sources
        ],
        "evidence": [
            {
                "id": e.id,
                "summary": e.summary,
                "date": e.date.isoformat() if e.date else "",
                "kind": e.kind.value,
                "source": sources[e.source].name,
                "grade": f"{sources[e.source].reliability.value}{int(e.credibility)}",
                "quality": _num(record.quality),
                "quote": e.quote or "",
                "document": e.document or "",
                "notes": e.notes or "",
            }
            for e, record in zip(assessment.evidence, scores.evidence, strict=True)
        ],
        "documents": [
            {
                "id": d.id,
                "title": d.title or d.path,
                "source": sources[d.source].name if d.source else "",
                "date": d.date.isoformat() if d.date else "",
                "path": d.path,
                "url": d.url or "",
            }
            for d in assessment.documents
        ],
        "assumptions": [
            {
                "id": a.id,
                "statement": a.statement,
                "status": a.status.value,
                "hypotheses": ", ".join(a.hypotheses),
            }
            for a in assessment.assumptions
        ],
        "coherence": [
            {"who": who, "total": _num(c.total, 4), "message": c.message}
            for who, c in analysis.coherence
        ],
        "method": _method(assessment, analysis),
        "provenance": {
            "digest": scores.digest,
            "version": _version(),
            "command": command,
        },
        "na": Rating.NA.value,
    }


# --------------------------------------------------------------------------- rendering


class _Markdown(str):
    """
    Text that is Markdown already, made by one of the filters below from escaped parts.

    The Markdown templates escape every value they output (``_finalize``)
    except these, so a value a template forgets to mark is shown as text,
    never read as markup.
    """

    __slots__ = ()


def _markdown(text: object) -> str:
    """
    Escape text for Markdown: shown as it is, on one line, with no markup and no raw HTML.

    Runs of whitespace (line breaks included) become one space, so the text
    stays in its line, paragraph or table cell.  ``&``, ``<`` and ``>`` become
    character references, which no CommonMark construct reads as a tag,
    comment or autolink; every character that makes emphasis, code, a link,
    a table cell, a heading, strikethrough or math is backslash-escaped; and
    so is a start that would open a list, a setext heading or a thematic
    break, wherever the text lands (a value after ``- `` starts a block too).
    """
    value = " ".join(str(text).split())
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = _MD_SPECIAL.sub(r"\\\1", value)
    return _MD_BLOCK_START.sub(_escape_block_start, value, count=1)


def _escape_block_start(match: re.Match[str]) -> str:
    opener = match.group()
    # "-", "+" or "=" is escaped itself; a list number by escaping the "." or ")" after it.
    return f"\\{opener}" if opener in {"-", "+", "="} else f"{opener}\\"


def _finalize(value: object) -> str:
    """What a Markdown template outputs for ``{{ value }}``: the value escaped, unless Markdown."""
    return value if isinstance(value, _Markdown) else _markdown(value)


def _anchor(text: object) -> _Markdown:
    """A fragment id from an id: lowercase letters, digits and '-'."""
    return _Markdown(re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x")


def _code(text: object) -> _Markdown:
    """
    Text as an inline code span, letter for letter (a path, a command) on one line.

    Inside a code span nothing is markup and backslashes are literal, so the
    text is not escaped; line breaks become spaces (a blank line would end
    the paragraph and leave the rest outside the span), and the fence is one
    backtick longer than any run of backticks in the text.
    """
    value = re.sub(r"[^\S ]", " ", str(text))
    longest = max((len(run) for run in re.findall("`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value[:1] in {"`", " "} or value[-1:] in {"`", " "} else ""
    return _Markdown(f"{fence}{pad}{value}{pad}{fence}")


def _destination(name: object) -> _Markdown:
    """
    A file name beside the report as a link destination, percent-encoded.

    Spaces and brackets then hold, and nothing in it can make a scheme
    (``:``) or another host (``//``).
    """
    return _Markdown(quote(str(name), safe=""))


def _link(url: object) -> _Markdown:
    r"""
    A URL as a link when it is http, https or mailto; any other URL as escaped text.

    A ``javascript:``, ``data:`` or ``file:`` URL, or one holding whitespace or
    control characters (which browsers drop, so ``java\nscript:`` would
    still run), never becomes a link.  The destination is percent-encoded
    where CommonMark or HTML would read a character, and ``&`` is escaped so
    that nothing in it is read as a character reference.
    """
    text = str(url)
    shown = _markdown(text)
    if not (_LINK_SCHEMES.fullmatch(text) and text.isprintable()):
        return _Markdown(shown)
    destination = quote(text, safe="!#$%&'()*+,/:;=?@[]~").replace("&", "\\&")
    return _Markdown(f"[{shown}](<{destination}>)")


def _bytecode_cache(markup: str) -> jinja2.BytecodeCache | None:
    """
    Compiled templates cached in the user's cache directory, when it can be written.

    Compiling the report templates costs more than everything else a report
    does; the cache keeps that to the first run after an upgrade.  It lives
    in the user's own directory (never a shared temporary one, whose files
    another user could plant), and only holds compiled templates, never output.
    The cache is a convenience: with no home directory, or one that cannot be
    written, templates are compiled on every run and nothing is said.
    """
    import jinja2  # noqa: PLC0415

    class Cache(jinja2.FileSystemBytecodeCache):
        """A cache that is skipped, not fatal, when its files cannot be read or written."""

        def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            try:
                super().load_bytecode(bucket)
            except OSError:
                bucket.reset()  # compile instead

        def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
            # A directory that exists but cannot be written (read-only, another
            # user's, a full disk) only costs the time that compiling takes.
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            # Compiled code depends on the environment (Markdown's calls its
            # finalize hook), so each markup keys its own entries.
            return super().get_cache_key(f"{markup}:{name}", filename)

    home = _cache_home()
    if home is None:
        return None
    directory = home / "assess" / f"templates-{_version()}"
    try:
        directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return Cache(str(directory))


def _cache_home() -> Path | None:
    """
    The user's cache directory: ``$XDG_CACHE_HOME``, else ``~/.cache``; ``None`` without a home.

    As the XDG Base Directory specification says, a relative ``XDG_CACHE_HOME``
    is ignored; so is a relative home, which would put the cache in whatever
    directory the command runs in.
    """
    configured = os.environ.get("XDG_CACHE_HOME", "")
    if Path(configured).is_absolute():
        return Path(configured)
    try:
        home = Path.home()
    except RuntimeError:  # no $HOME, and no entry in the password database either
        return None
    return home / ".cache" if home.is_absolute() else None


def _environment(markup: str) -> jinja2.Environment:
    """
    The templates of one markup, ``html`` or ``markdown``, each escaping every value by default.

    HTML autoescapes.  Markdown escapes every ``{{ value }}`` in its
    ``finalize`` hook, as autoescaping does for HTML, so that a new field
    cannot forget it; only the filters that build Markdown from escaped parts
    (``code``, ``link``, ``destination``, ``anchor``) output anything else.
    """
    import jinja2  # noqa: PLC0415 -- only reports need templates

    markdown = markup == "markdown"
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("assess.views", "templates"),
        bytecode_cache=_bytecode_cache(markup),
        undefined=jinja2.StrictUndefined,
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        finalize=_finalize if markdown else None,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["anchor"] = _anchor
    if markdown:
        environment.filters.update(code=_code, destination=_destination, link=_link)
    return environment


def _render(template: str, data: Mapping[str, Any]) -> str:
    """Render ``report.md.j2`` or another template in the environment its suffix names."""
    markup = "markdown" if template.endswith(".md.j2") else "html"
    return _environment(markup).get_template(template).render(**data)


@attrs.frozen
class Report:
    """
    A rendered report and the files that go beside it (plots of a Markdown report).

    A PDF report keeps the HTML it was printed from in ``text`` and its bytes
    in ``pdf``; :attr:`content` is what to write either way.

    .. versionadded:: 0.1
    """

    text: str
    command: str
    attachments: Mapping[str, str | bytes] = attrs.field(factory=dict)
    pdf: bytes | None = None

    @property
    def content(self) -> str | bytes:
        """The report's file content: the PDF's bytes, or the text."""
        return self.text if self.pdf is None else self.pdf


@attrs.frozen
class _AnswerBand:
    answer: str
    band: str
    stability: str


def _answer_bands(analysis: Analysis) -> list[_AnswerBand]:
    """Each answer's 5-95% band and stability in the Monte Carlo, formatted."""
    s = analysis.sensitivity
    return [
        _AnswerBand(
            answer,
            f"{_num(bands[0])}\N{EN DASH}{_num(bands[2])}",
            f"{stability:.1%}",
        )
        for answer, stability, bands in zip(
            s.answers, s.answer_stability, s.answer_percentiles, strict=True
        )
    ]


def _weight_view(analysis: Analysis, columns: list[str]) -> dict[str, Any]:
    """Subjective-logic opinions and Dempster-Shafer belief, hypotheses in rank order."""
    opinion = {o.id: o for o in analysis.opinions}
    evidence = analysis.dempster_shafer
    belief = {} if evidence is None else {b.id: b for b in evidence.hypotheses}

    def pair(low: float | None, high: float | None) -> str:
        return "undefined" if low is None or high is None else f"{_num(low)}\N{EN DASH}{_num(high)}"

    return {
        "opinions": [
            {
                "id": h,
                "posterior": _num(opinion[h].posterior),
                "projected": _num(opinion[h].projected),
                "belief": _num(opinion[h].opinion.belief),
                "disbelief": _num(opinion[h].opinion.disbelief),
                "uncertainty": _num(opinion[h].opinion.uncertainty),
                "positive": _num(opinion[h].positive, 2),
                "negative": _num(opinion[h].negative, 2),
            }
            for h in columns
        ],
        "dempster_shafer": None
        if evidence is None
        else {
            "conflict": evidence.conflict_text if evidence.near_total else _num(evidence.conflict),
            "high": evidence.high_conflict,
            "defined": evidence.defined,
            "threshold": f"{evidence.conflict_threshold:g}",
            "rows": [
                {
                    "id": h,
                    "dempster": pair(belief[h].belief, belief[h].plausibility),
                    "yager": pair(belief[h].yager_belief, belief[h].yager_plausibility),
                }
                for h in columns
            ],
        },
    }


#: Lines of reporting the summary names as moving the conclusion most.
KEY_LINES: Final = 5


def _key_evidence(assessment: Assessment, analysis: Analysis) -> list[dict[str, str]]:
    """
    The lines that move the leader against the runner-up most, with their originals' grades.

    Each line's weight of evidence in decibans (``assess.analysis.line_weights``),
    largest first by size, ties by id; a line that weighs nothing is left out.
    """
    from assess.analysis import line_weights  # noqa: PLC0415
    from assess.methods.scoring import NON_DIAGNOSTIC  # noqa: PLC0415

    scores = analysis.scores
    leader, runner = scores.ranking[0].id, scores.ranking[1].id  # every assessment has two
    weights = line_weights(scores, leader, runner)
    items = {e.id: e for e in assessment.evidence}
    grades = {s.id: s.reliability.value for s in assessment.sources}
    lines = [
        (float(w), line.id)
        for w, line in zip(weights.tolist(), scores.lines, strict=True)
        if abs(w) > NON_DIAGNOSTIC
    ]
    lines.sort(key=lambda wl: (-abs(wl[0]), wl[1]))
    return [
        {
            "id": line,
            "summary": items[line].summary,
            "grade": f"{grades[items[line].source]}{int(items[line].credibility)}",
            "db": f"{abs(w):.2f}",
            "favours": leader if w > 0 else runner,
            "against": runner if w > 0 else leader,
        }
        for w, line in lines[:KEY_LINES]
    ]


#: Pending indicators a report shows in "What would change this judgement"; JSON has them all.
SHOWN_INDICATORS: Final = 5
#: Existing lines shown per discriminator in a report.
SHOWN_SEPARATING_LINES: Final = 3


def _factor(value: float) -> str:
    """An odds factor as times 1.25, or divided by 1.25 when it favours the second of the pair."""
    return (
        f"\N{MULTIPLICATION SIGN}{value:.2f}" if value >= 1 else f"\N{DIVISION SIGN}{1 / value:.2f}"
    )


def _change_view(assessment: Assessment, analysis: Analysis) -> dict[str, Any] | None:
    """What would change the judgement: indicators to collect, and what separates the leaders."""
    plan = analysis.collection
    if plan is None:
        return None
    indicators = [
        {
            "id": v.id,
            "description": v.description,
            "gain": _num(v.expected_information_gain),
            "p_seen": _num(v.p_observed),
            "p_change": _num(v.p_leader_changes),
            "if_seen": _num(dict(v.if_observed)[plan.leader]),
            "if_absent": _num(dict(v.if_absent)[plan.leader]),
            "answer_by": (v.answer_by or "") + (" (overdue)" if v.overdue else ""),
        }
        for v in plan.indicators[:SHOWN_INDICATORS]
    ]
    unseat = None
    if plan.unseat is not None:
        u = plan.unseat
        unseat = {
            "leader": u.leader,
            "challenger": u.challenger,
            "observations": [
                f"{i} {'seen' if o == 'observed' else 'looked for and not found'}"
                for i, o in u.observations
            ],
            "leader_after": _num(u.leader_after),
            "challenger_after": _num(u.challenger_after),
        }
    separate = []
    for d in plan.discriminators:
        strong = [h for h, r in d.pattern if r == "CC"]
        weak = [h for h, r in d.pattern if r == "II"]
        separate.append(
            {
                "first": d.first,
                "second": d.second,
                "answers": d.between == "answers",
                "grade": d.grade,
                "strong": ", ".join(strong),
                "weak": ", ".join(weak),
                "others": len(strong) + len(weak) < len(d.pattern),
                "probability": _num(d.probability),
                "if_for": _num(d.if_for),
                "if_against": _num(d.if_against),
                "lines": [
                    f"{x.line} ({x.grade}) {_factor(x.factor)},"
                    f" {_factor(x.full_factor)} at full quality"
                    for x in d.lines[:SHOWN_SEPARATING_LINES]
                ],
                "more": max(0, len(d.lines) - SHOWN_SEPARATING_LINES),
            }
        )
    status = {
        "observed": "seen: counted as evidence",
        "absent": "looked for and not found: counted as absence of evidence",
    }
    return {
        "leader": plan.leader,
        "pending": len(plan.indicators),
        "indicators": indicators,
        # The summary's first few: only indicators that looking for would teach something.
        "first": [
            row
            for row, v in zip(indicators, plan.indicators, strict=False)
            if v.expected_information_gain > 0
        ][:3],
        "unseat": unseat,
        "plausible": f"{plan.plausible:.0%}",
        "separate": separate,
        "settled": [
            {
                "id": i.id,
                "description": i.description,
                "status": status[i.status.value],
                "grade": f"{i.reliability.value}{int(i.credibility)}",
                "expected": ", ".join(f"{h} {r.value}" for h, r in i.expected.items()),
                "answer_by": i.answer_by.isoformat() if i.answer_by else "",
            }
            for i in assessment.indicators
            if i.status.value in status
        ],
    }


def _outcome_view(assessment: Assessment, analysis: Analysis) -> dict[str, Any] | None:
    """What happened, for a resolved assessment, and how the posteriors score against it."""
    outcome, scored = assessment.outcome, analysis.calibration
    if outcome is None or scored is None:
        return None
    return {
        "hypothesis": outcome.hypothesis,
        "statement": assessment.hypothesis(outcome.hypothesis).statement,
        "date": outcome.date.isoformat() if outcome.date else None,
        "evidence": outcome.evidence,
        "posterior": _num(scored.outcome_posterior),
        "leader_correct": scored.leader_correct,
        "brier": _num(scored.brier),
        "leader_brier": _num(scored.leader_brier),
        "log_score": _num(scored.log_score),
    }


def _timeline_view(replay: Timeline, columns: list[str]) -> dict[str, Any]:
    """The date-by-date replay as rows of formatted figures, hypotheses in rank order."""
    return {
        "columns": columns,
        "steps": [
            {
                "date": step.label,
                "added": ", ".join(step.items),
                "known": step.known,
                "posteriors": [_num(step.posteriors[h]) for h in columns],
                "leader": step.leader,
                "confidence": step.confidence,
            }
            for step in replay.steps
        ],
    }


def _plots(
    view_data: dict[str, Any],
    analysis: Analysis,
    replay: Timeline | None,
    chart_format: str,
    *,
    matrix: bool,
) -> dict[str, str | bytes] | None:
    """
    The report's charts, drawn in ``chart_format``.

    The matrix is drawn only for Markdown (``matrix``): HTML colours the
    table itself, and drawing a chart nobody sees cost the most of the four.
    """
    from assess.views import plots as charts  # noqa: PLC0415 -- matplotlib only when plotting

    if not charts.available():
        return None
    scores = analysis.scores
    ranking = scores.ranking
    labels = {h["id"]: h["label"] for h in view_data["hypotheses"]}
    pins = sorted(analysis.linchpins, key=lambda p: -abs(p.leader_posterior_change))[:10]
    form: Any = chart_format  # "svg" or "png": one of the charts' literal formats
    drawn: dict[str, str | bytes] = {
        "posterior": charts.posterior_bands(
            [h.id for h in ranking],
            [h.posterior for h in ranking],
            [analysis.sensitivity.of(h.id)[1] for h in ranking],
            labels=[labels[h.id] for h in ranking],
            format=form,
        )
    }
    if matrix:
        diagnosticity = {e.id: e.diagnosticity for e in scores.evidence}
        drawn["matrix"] = charts.matrix_heatmap(
            view_data["columns"],
            [row["id"] for row in view_data["rows"]],
            [[cell["text"] for cell in row["cells"]] for row in view_data["rows"]],
            labels=[labels[h] for h in view_data["columns"]],
            diagnosticity=[diagnosticity[row["id"]] for row in view_data["rows"]],
            format=form,
        )
    drawn["tornado"] = charts.tornado(
        ranking[0].id,
        [p.members for p in pins],
        [p.leader_posterior_change for p in pins],
        label=labels[ranking[0].id],
        format=form,
    )
    if replay is not None:
        drawn["timeline"] = charts.timeline(
            [step.label for step in replay.steps],
            replay.hypotheses,
            [[step.posteriors[h] for h in replay.hypotheses] for step in replay.steps],
            labels=[labels[h] for h in replay.hypotheses],
            format=form,
        )
    return drawn


def _matplotlib_version() -> str:
    """The matplotlib that drew the plots: their bytes depend on it, so reports say it."""
    import matplotlib as mpl  # noqa: PLC0415 -- loaded already when plots were drawn

    return str(mpl.__version__)


_TAG: Final = re.compile(r"<[^<>]*>")  # matplotlib escapes < and > in text and attributes
_ID_REFERENCE: Final = re.compile(r'(?<=\s)id="|url\(#|href="#')


def _inline(chart: str | bytes, name: str) -> str:
    """
    A chart as an element to inline in HTML.

    An SVG document loses its XML prologue and doctype and its ids are made
    unique to the chart; a PNG becomes an
    ``<img>`` with a ``data:`` URL, sized in CSS pixels (96 an inch) from the
    pixels matplotlib drew at its own resolution, so that it shows at the size
    its SVG would.
    """
    if isinstance(chart, str):
        element = chart[chart.index("<svg") :]
        # matplotlib numbers its groups per chart ("figure_1", "axes_1"), and ids
        # must be unique in a page: each chart's ids, and what refers to them,
        # get the chart's name.  Only tags are rewritten, never a label's text.
        return _TAG.sub(lambda tag: _ID_REFERENCE.sub(rf"\g<0>{name}-", tag.group()), element)
    from assess.views.plots import PNG_DPI  # noqa: PLC0415 -- drawn already, so loaded

    width, height = struct.unpack(">II", chart[16:24])  # the PNG's IHDR chunk
    scale = 96 / PNG_DPI
    data = base64.b64encode(chart).decode("ascii")
    return (
        f'<img src="data:image/png;base64,{data}" alt="{name} plot"'
        f' width="{round(width * scale)}" height="{round(height * scale)}">'
    )


def _plot_format(plots: bool | str) -> str | None:
    """The charts' format that ``plots=`` asks for, or ``None`` for no plots."""
    if plots is False:
        return None
    if plots is True:
        return "svg"
    if plots in PLOT_FORMATS:
        return str(plots)
    raise ValueError(
        f"unknown plots {plots!r}; use True, False or one of {', '.join(PLOT_FORMATS)}"
    )


def build(
    assessment: Assessment,
    analysis: Analysis,
    *,
    format: str = "markdown",  # noqa: A002 -- the documented keyword
    command: str,
    plots: bool | str = True,
    plot_stem: str | None = None,
    paper: str = "a4",
) -> Report:
    """
    Render a report.

    Args:
        assessment: The assessment.
        analysis: Its analysis.
        format: ``markdown``, ``html``, ``json`` or ``pdf`` (needs the ``pdf`` extra).
        command: The command that regenerates the report (printed in it).
        plots: ``False`` for none; ``True`` or ``"svg"`` for SVG charts,
            ``"png"`` for PNG (for slides).  Plots need the ``plots`` extra.
        plot_stem: For Markdown, the file-name stem of the plot files written
            beside the report; without it a Markdown report has no plots.
        paper: For PDF, ``"a4"`` or ``"letter"``.

    Raises:
        ValueError: An unknown format, plot format or paper.
        MissingExtraError: A PDF was asked for without the ``pdf`` extra.

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 PDF; ``plots`` may name a format; ``paper``.
    """
    if format not in FORMATS:
        raise ValueError(f"unknown report format {format!r}; use one of {', '.join(FORMATS)}")
    chart_format = _plot_format(plots)
    printer_version: str | None = None
    if format == "pdf":
        from assess.views import pdf  # noqa: PLC0415 -- WeasyPrint only for PDF

        printer_version = pdf.ready(paper)  # a bad paper or a missing extra fails before any work
    data = view(assessment, analysis, command=command)
    # Every format carries the date-by-date replay: it adds each date to
    # running sums and reuses the analysis as its last step (assess.history.timeline).
    from assess.history.timeline import timeline  # noqa: PLC0415

    replay = timeline(
        assessment,
        draws=analysis.sensitivity.draws,
        seed=analysis.sensitivity.seed,
        analysis=analysis,
    )
    data["timeline"] = _timeline_view(replay, data["columns"])
    if format == "json":
        from assess.model.canonical import to_data  # noqa: PLC0415

        document = {
            "report": {"version": data["provenance"]["version"], "command": command},
            "assessment": to_data(assessment),
            "analysis": analysis.to_json() | {"timeline": replay.to_json()},
        }
        text = json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
        return Report(text, command)
    markup = "markdown" if format == "markdown" else "html"
    # Markdown's charts are files beside it, so they need a stem to be named after.
    wanted = chart_format if markup == "html" or plot_stem is not None else None
    drawn = _plots(data, analysis, replay, wanted, matrix=markup == "markdown") if wanted else None
    attachments: dict[str, str | bytes] = {}
    data["plotted_with"] = None
    data["printed_with"] = None
    if drawn is None:
        data["plots"] = None
        data["plots_note"] = (
            f"Plots need the plots extra: pip install '{DISTRIBUTION}[plots]'."
            if wanted
            else "Plots are drawn in HTML reports and beside Markdown reports written with -o."
        )
    elif markup == "html":
        data["plots"] = {name: _inline(chart, name) for name, chart in drawn.items()}
    else:
        names: dict[str, str] = {n: f"{plot_stem}-{n}.{chart_format}" for n in _PLOTS if n in drawn}
        attachments = {names[name]: chart for name, chart in drawn.items()}
        data["plots"] = names
    if drawn is not None:
        data["plotted_with"] = _matplotlib_version()
    if printer_version is None:
        template = f"report.{'md' if markup == 'markdown' else 'html'}.j2"
        return Report(_render(template, data), command, attachments)
    from assess.views import pdf  # noqa: PLC0415 -- loaded above

    data["printed_with"] = {"weasyprint": printer_version, "paper": pdf.PAPER_NAMES[paper]}
    html = _render("report.html.j2", data)
    return Report(html, command, pdf=pdf.render(html, paper=paper))


def command_line(
    file: str,
    format: str,  # noqa: A002 -- as build
    out: str | None,
    *,
    plots: bool | str = True,
    paper: str = "a4",
) -> str:
    """
    The command that regenerates a report, with paths as given (never made absolute).

    Options left at their defaults are left out.
    """
    parts = ["assess", "report", _portable(file)]
    if format != "markdown":
        parts += ["--format", format]
    chart_format = _plot_format(plots)
    if chart_format is None:
        parts.append("--no-plots")
    elif chart_format != "svg":
        parts += ["--plot-format", chart_format]
    if format == "pdf" and paper != "a4":
        parts += ["--paper", paper]
    if out is not None:
        parts += ["-o", _portable(out)]
    return " ".join(parts)


def _portable(path: str) -> str:
    """A path as written on the command line, normalised; an absolute one keeps only its name."""
    normal = posixpath.normpath(Path(path).as_posix())
    return Path(normal).name if posixpath.isabs(normal) else normal


@overload
def report(
    assessment: Assessment,
    *,
    format: Literal["markdown", "html", "json"] = ...,
    plots: bool | str = ...,
    paper: str = ...,
) -> str: ...


@overload
def report(
    assessment: Assessment,
    *,
    format: Literal["pdf"],
    plots: bool | str = ...,
    paper: str = ...,
) -> bytes: ...


@overload
def report(
    assessment: Assessment,
    *,
    format: str = ...,
    plots: bool | str = ...,
    paper: str = ...,
) -> str | bytes: ...


def report(
    assessment: Assessment,
    *,
    format: str = "markdown",  # noqa: A002 -- the documented keyword
    plots: bool | str = False,
    paper: str = "a4",
) -> str | bytes:
    """
    A confidence report of an assessment: text for Markdown, HTML and JSON, bytes for PDF.

    Markdown from this function has no plot files; HTML and PDF inline their
    plots when ``plots`` asks for them (``True`` or ``"svg"``, or ``"png"``)
    and the ``plots`` extra is installed.  PDF needs the ``pdf`` extra and is
    printed on ``paper`` (``"a4"`` or ``"letter"``).

    .. versionadded:: 0.1
    .. versionchanged:: 0.1 PDF; ``plots`` may name a format; ``paper``.
    """
    from assess.analysis import analyse  # noqa: PLC0415

    options = [f"format={format!r}"]
    if plots is not False:
        options.append(f"plots={plots!r}")
    if format == "pdf" and paper != "a4":
        options.append(f"paper={paper!r}")
    return build(
        assessment,
        analyse(assessment),
        format=format,
        command=f"assess.report(assessment, {', '.join(options)})",
        plots=plots,
        paper=paper,
    ).content


_COLOURS: Final = {
    "cc": "#1a7f37; color: #fff",
    "c": "#6cc07e",
    "n": "#e6e6e6",
    "na": "#e6e6e6",
    "i": "#e8857a",
    "ii": "#b4261a; color: #fff",
    "mixed": "#f2d388",
}


def _scores_view(scores: Scores, title: str) -> dict[str, Any]:
    """Scores alone, for notebooks (:mod:`assess.views.notebook`): ranking and matrix."""
    from assess.methods.language import estimative_term  # noqa: PLC0415

    matrix = scores.matrix
    ranking = scores.ranking
    columns = [matrix.hypotheses.index(h.id) for h in ranking]
    teams = {
        (int(r), int(c)): "/".join(_RATING_OF_CODE[int(v)] for v in votes if v >= 0)
        for r, c, votes in zip(matrix.team_rows, matrix.team_cols, matrix.team_codes, strict=True)
    }
    order = sorted(
        range(len(scores.evidence)), key=lambda i: (-round(scores.evidence[i].diagnosticity, 12), i)
    )
    rows = []
    for i in order:
        cells = []
        for j in columns:
            text = teams.get((i, j)) or _RATING_OF_CODE[int(matrix.codes[i, j])]
            cells.append({"text": text, "colour": _COLOURS[_cell_class(text)]})
        rows.append(
            {
                "id": scores.evidence[i].id,
                "db": _num(scores.evidence[i].diagnosticity, 2),
                "cells": cells,
            }
        )
    return {
        "title": title,
        "leader": {
            "id": ranking[0].id,
            "term": estimative_term(ranking[0].posterior),
            "posterior": _pct(ranking[0].posterior),
        },
        "confidence": None,
        "hypotheses": [
            {
                "rank": h.rank,
                "id": h.id,
                "posterior": _num(h.posterior),
                "term": estimative_term(h.posterior),
                "inconsistency": f"{h.inconsistency:g}",
                "weighted": _num(h.weighted_inconsistency),
            }
            for h in ranking
        ],
        "columns": [h.id for h in ranking],
        "rows": rows,
    }


def check(existing: str, expected: str) -> str | None:
    """
    Why an existing report differs from the expected one, or ``None`` when it does not.

    Names the digest or library version when they differ, else the first differing line.
    """
    if existing == expected:
        return None
    found, wanted = _MARKER.search(existing), _MARKER.search(expected)
    if found is None and existing.lstrip().startswith("{"):
        try:
            meta = json.loads(existing)
            found_digest = meta["analysis"]["digest"]
            found_version = meta["report"]["version"]
        except (ValueError, KeyError, TypeError):
            found_digest = found_version = None
    else:
        found_digest = found.group(1) if found else None
        found_version = found.group(2) if found else None
    if wanted is not None:
        want_digest, want_version = wanted.group(1), wanted.group(2)
    else:
        meta = json.loads(expected)
        want_digest, want_version = meta["analysis"]["digest"], meta["report"]["version"]
    if found_digest != want_digest:
        return f"digest differs: the report has {found_digest}, the file is {want_digest}"
    if found_version != want_version:
        return (
            f"version differs: the report was made by assess {found_version},"
            f" this is {want_version}"
        )
    old, new = existing.splitlines(), expected.splitlines()
    for number, (a, b) in enumerate(zip(old, new, strict=False), start=1):
        if a != b:
            return f"content differs from line {number}"
    return f"content differs from line {min(len(old), len(new)) + 1}"
