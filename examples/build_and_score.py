"""
Build an assessment in Python, without a YAML file, and score it.

An analyst whose evidence already lives somewhere else (a case-management
system, a spreadsheet, a database of reporting) can build the assessment in
code from those records instead of writing YAML by hand.  The model checks
every field and cross-reference as the loader does, so a bad record is
refused with the same messages.  This script builds a small made-up case
(the cause of a warehouse fire), then prints the ranked hypotheses with
their likelihood in ICD 203's words and, separately, the confidence level
with the reasons that set it.

Run it from the repository root::

    python examples/build_and_score.py
"""

# ruff: noqa: INP001 -- a script run from the repository root, not a package

from __future__ import annotations

import sys
from typing import TextIO

import assess


def build() -> assess.Assessment:
    """The warehouse-fire assessment: three hypotheses, four sources, five items."""
    return assess.Assessment(
        id="warehouse-fire",
        title="What started the fire at the Dock Road warehouse?",
        question="Was the fire an accident or arson?",
        as_of="2024-06-12",
        hypotheses=[
            assess.Hypothesis(id="H1", statement="An electrical fault started the fire."),
            assess.Hypothesis(id="H2", statement="Someone set the fire deliberately."),
            assess.Hypothesis(id="H3", statement="A discarded cigarette started the fire."),
        ],
        sources=[
            # Plain values are converted: "B" becomes assess.Reliability.B.
            assess.Source(id="investigator", name="Fire service investigator", reliability="B"),
            assess.Source(id="police", name="Police incident summary", reliability="B"),
            assess.Source(
                id="owner",
                name="The warehouse's owner",
                reliability="C",
                interested=True,  # an insurance claim pays out only for an accident
            ),
            assess.Source(
                id="neighbour",
                name="A neighbour interviewed by the police",
                reliability="F",  # first contact: reliability cannot be judged
            ),
        ],
        evidence=[
            assess.Evidence(
                id="E1",
                summary="The seat of the fire was at the main distribution board.",
                kind="physical",
                source="investigator",
                credibility=2,
                relevance="high",
                ratings={"H1": "CC", "H2": "I", "H3": "I"},
            ),
            assess.Evidence(
                id="E2",
                summary="No accelerant was found in samples from the seat of the fire.",
                kind="physical",
                source="investigator",
                credibility=2,
                ratings={"H1": "C", "H2": "I", "H3": "C"},
            ),
            assess.Evidence(
                id="E3",
                summary="A neighbour saw two people leave the yard an hour before the alarm.",
                kind="testimony",
                source="neighbour",
                credibility=3,
                ratings={"H1": "N", "H2": "C", "H3": "C"},
            ),
            assess.Evidence(
                id="E4",
                summary="The police summary repeats the neighbour's sighting.",
                kind="report",
                source="police",
                credibility=3,
                derived_from=["E3"],  # one sighting told twice counts once
                ratings={"H1": "N", "H2": "C", "H3": "C"},
            ),
            assess.Evidence(
                id="E5",
                summary="The owner says the wiring was renewed in 2022.",
                kind="statement",
                source="owner",
                credibility=3,
                ratings={"H1": "I", "H2": "C", "H3": "C"},
            ),
        ],
        assumptions=[
            assess.Assumption(
                id="A1",
                statement="Nobody tampered with the distribution board before the fire.",
                status="caveated",
                hypotheses=["H1"],
                notes="The board was not examined for tool marks.",
            ),
        ],
    )


def summarise(assessment: assess.Assessment, out: TextIO) -> None:
    """Print the ranking with estimative terms, then the confidence level and its reasons."""
    analysis = assess.analyse(assessment)
    statements = {h.id: h.statement for h in assessment.hypotheses}
    ranking = analysis.scores.ranking
    out.write(f"{assessment.title}\n\n")
    out.write(f"{'rank':>4}  {'hypothesis':<44}  {'posterior':>9}  likelihood (ICD 203)\n")
    for record in ranking:
        label = f"{record.id}  {statements[record.id]}"
        term = assess.estimative_term(record.posterior)
        out.write(f"{record.rank:>4}  {label:<44}  {record.posterior:>9.3f}  {term}\n")
    leader = ranking[0]
    out.write(
        f"\n{leader.id} is the leading hypothesis:"
        f" it is {assess.estimative_term(leader.posterior)} ({leader.posterior:.0%}).\n"
    )
    # ICD 203: a likelihood and a confidence level never share a sentence.
    confidence = analysis.confidence
    out.write(f"Confidence in this judgement is {confidence.level}, because:\n")
    out.writelines(f"  - {reason}\n" for reason in confidence.reasons)
    out.write("\n")
    out.writelines(f"note: {warning.message}\n" for warning in analysis.scores.warnings)
    out.writelines(f"flag: {flag.subject}: {flag.reason}\n" for flag in analysis.flags)


def main() -> int:
    """Build the assessment, score it and print the summary; return the exit status."""
    try:
        assessment = build()
    except assess.InputError as error:
        # Every problem at once, each with its field path (no line: nothing was read).
        sys.stderr.write(f"{error}\n")
        return 1
    summarise(assessment, sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
