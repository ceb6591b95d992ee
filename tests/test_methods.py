"""docs/methods.md: its worked example is what the code computes."""

from __future__ import annotations

import math
import re
from pathlib import Path

import attrs

import assess

PAGE = Path(__file__).resolve().parent.parent / "docs" / "methods.md"


def worked_example() -> assess.Assessment:
    """The YAML of the page's worked example, loaded."""
    text = PAGE.read_text(encoding="utf-8")
    [block] = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    return assess.loads(block)


def test_worked_example_figures() -> None:
    """Every figure the page derives by hand is what score() returns, to the digits shown."""
    s = assess.score(worked_example())
    h1, h2 = s.hypotheses
    assert (h1.inconsistency, h2.inconsistency) == (0, 5)
    assert round(h2.weighted_inconsistency, 6) == 1.295495
    assert round(h1.log_likelihood, 6) == -1.095492
    assert round(h2.log_likelihood, 6) == -2.052921
    assert round(h1.posterior, 6) == 0.722607
    assert round(h2.posterior, 6) == 0.277393
    assert (h1.rank, h2.rank) == (1, 2)
    e1, e2, e3 = s.evidence
    assert (e1.quality, round(e1.weight, 6)) == (0.5625, 0.795495)
    assert round(e1.diagnosticity, 3) == 3.051
    assert round(e2.diagnosticity, 3) == round(e3.diagnosticity, 3) == 1.107
    assert (e2.cluster, e3.cluster, e3.cluster_size) == ("E2", "E2", 2)


def test_worked_example_text_matches() -> None:
    """The numbers quoted in the page's prose are the ones the test above pins."""
    text = PAGE.read_text(encoding="utf-8")
    for figure in ["0.66875", "0.33125", "3.051", "0.3875", "1.107", "1.295495", "0.722607"]:
        assert figure in text


def test_counting_the_copy_twice() -> None:
    """The page's counterfactual: without the derived_from link, H1's posterior is 0.770709."""
    a = worked_example()
    unlinked = attrs.evolve(a.evidence[2], derived_from=())
    b = attrs.evolve(a, evidence=(*a.evidence[:2], unlinked))
    h1 = assess.score(b).hypotheses[0]
    assert round(h1.log_likelihood, 6) == -1.788639
    assert math.isclose(round(h1.posterior, 6), 0.770709)
