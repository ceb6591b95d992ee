"""
The example scripts run as written, so that they cannot rot.

``examples/*.py`` run as scripts from the repository root, and what they print has the shape
their docstrings promise.
The README's and the docs' commands and Python are replayed by ``tests/test_docs.py``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import assess
from assess.methods.language import bands

ROOT = Path(__file__).resolve().parent.parent
WORKED = "assessments/russia-taliban-support.yaml"
ICD203 = "|".join(re.escape(band.term) for band in bands("icd203"))


def run_script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run an example script from the repository root with this interpreter."""
    return subprocess.run(
        [sys.executable, str(Path("examples") / name), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


class TestBuildAndScore:
    """examples/build_and_score.py builds an assessment in code and scores it."""

    def test_prints_ranking_and_confidence(self) -> None:
        """It exits 0 and prints the ranking with ICD 203 terms, then the confidence and why."""
        result = run_script("build_and_score.py")
        assert result.returncode == 0, result.stderr
        lines = result.stdout.splitlines()
        ranked = [
            line.split()[:2]
            for line in lines
            if re.fullmatch(rf"\s+[123]  H[123]  .+\s+0\.\d{{3}}  ({ICD203})", line)
        ]
        assert [rank for rank, _ in ranked] == ["1", "2", "3"]
        assert sorted(hypothesis for _, hypothesis in ranked) == ["H1", "H2", "H3"]
        assert re.search(
            rf"^H[123] is the leading hypothesis: it is ({ICD203}) \(\d+%\)\.$",
            result.stdout,
            re.MULTILINE,
        )
        assert re.search(
            r"^Confidence in this judgement is (high|moderate|low), because:$",
            result.stdout,
            re.MULTILINE,
        )
        reasons = [line for line in lines if line.startswith("  - ")]
        # Weight of evidence, parties, interested share, stability, the most
        # sensitive factor (when one moves the lead at all) and the assumptions.
        assert len(reasons) in (5, 6)
        assert "weight of evidence" in reasons[0]
        assert "independent part" in reasons[1]
        assert "perturbed draws" in reasons[3]
        assert "key assumption" in reasons[-1]


class TestWhatIf:
    """examples/what_if.py changes one rating and compares the conclusions."""

    @staticmethod
    def check_table(stdout: str) -> None:
        """The comparison table has a row per hypothesis, then leader, confidence, linchpins."""
        hypotheses = [h.id for h in assess.load(ROOT / WORKED, root=ROOT).hypotheses]
        rows = {line.split("  ")[0]: line for line in stdout.splitlines()}
        assert rows[""].split() == ["before", "after"]
        for h in hypotheses:
            assert re.fullmatch(
                rf"{h} posterior\s+[01]\.\d{{3}} ({ICD203})\s+[01]\.\d{{3}} ({ICD203})",
                rows[f"{h} posterior"],
            )
        assert re.fullmatch(r"leader\s+\S+\s+\S+", rows["leader"])
        assert set(rows["leader"].split()[1:]) <= set(hypotheses)
        assert re.fullmatch(
            r"confidence\s+(high|moderate|low)\s+(high|moderate|low)", rows["confidence"]
        )
        assert re.fullmatch(r"leader's stability\s+[\d.]+%\s+[\d.]+%", rows["leader's stability"])
        assert rows["linchpins"].startswith("linchpins ")

    def test_default_change(self) -> None:
        """Without arguments it changes the most diagnostic item's rating and prints the table."""
        result = run_script("what_if.py")
        assert result.returncode == 0, result.stderr
        assert re.search(
            r"^What if \S+ were rated (CC|C|N|I|II|NA) against \S+ instead of (CC|C|N|I|II|NA)\?$",
            result.stdout,
            re.MULTILINE,
        )
        self.check_table(result.stdout)

    def test_chosen_change(self) -> None:
        """--item, --hypothesis and --rating name the change, and the question repeats it."""
        assessment = assess.load(ROOT / WORKED, root=ROOT)
        item = next(
            e
            for e in assessment.evidence
            if isinstance(e.cell(assessment.hypotheses[0].id), assess.Rating)
        )
        hypothesis = assessment.hypotheses[0].id
        old = item.rating(hypothesis)
        new = "II" if old != assess.Rating.II else "CC"
        result = run_script(
            "what_if.py", "--item", item.id, "--hypothesis", hypothesis, "--rating", new
        )
        assert result.returncode == 0, result.stderr
        assert f"What if {item.id} were rated {new} against {hypothesis} instead of {old}?" in (
            result.stdout
        )
        self.check_table(result.stdout)

    def test_unknown_item(self) -> None:
        """An item the assessment does not have is a usage error: exit 2, a message on stderr."""
        result = run_script("what_if.py", "--item", "nope", "--hypothesis", "H1", "--rating", "C")
        assert result.returncode == 2
        assert result.stdout == ""
        assert "no evidence item with id 'nope'" in result.stderr
