"""docs/methods.md, section 20: the cases the first model got wrong, scored by this one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import assess

PAGE = Path(__file__).resolve().parent.parent / "docs" / "methods.md"


def _case(hypotheses: list[str], sources: list[str], items: list[str]) -> assess.Assessment:
    lines = ["assessment: case", "title: Case", "hypotheses:"]
    lines += [f"  - {h}" for h in hypotheses]
    lines += ["sources:", *(f"  - {s}" for s in sources), "evidence:"]
    lines += [f"  - {e}" for e in items]
    return assess.loads("\n".join(lines) + "\n")


TWO = ["{id: H1, statement: One}", "{id: H2, statement: Two}"]


def _item(i: int | str, source: str, credibility: int, ratings: str, extra: str = "") -> str:
    more = f", {extra}" if extra else ""
    return (
        f"{{id: E{i}, summary: x, kind: report, source: {source}, credibility: {credibility}"
        f"{more}, ratings: {{{ratings}}}}}"
    )


CASES: dict[str, tuple[assess.Assessment, str, float]] = {}


def _cases() -> dict[str, tuple[assess.Assessment, str, float]]:
    """Each row of the page's table: the assessment, the hypothesis read, this model's figure."""
    if CASES:
        return CASES
    d = "{id: s, name: S, reliability: D}"
    CASES["40 items rated C/I from one D3 source"] = (
        _case(TWO, [d], [_item(i, "s", 3, "H1: C, H2: I") for i in range(40)]),
        "H1",
        0.664,
    )
    CASES["40 items rated C/I from 40 D3 sources"] = (
        _case(
            TWO,
            [f"{{id: s{i}, name: S, reliability: D}}" for i in range(40)],
            [_item(i, f"s{i}", 3, "H1: C, H2: I") for i in range(40)],
        ),
        "H1",
        0.998,
    )
    a, e = "{id: a, name: A, reliability: A}", "{id: e, name: E, reliability: E}"
    original = _item(1, "a", 1, "H1: CC, H2: II")
    CASES["one A1 item rated CC/II"] = (_case(TWO, [a], [original]), "H1", 0.950)
    CASES["the same, with a worthless copy"] = (
        _case(TWO, [a, e], [original, _item(2, "e", 5, "H1: CC, H2: II", "derived_from: [E1]")]),
        "H1",
        0.950,
    )
    weak = _item(1, "s", 3, "H1: CC, H2: II")
    CASES["one D3 item rated CC/II"] = (_case(TWO, [d], [weak]), "H1", 0.556)
    CASES["the same, repeated by an A1 source"] = (
        _case(TWO, [d, a], [weak, _item(2, "a", 1, "H1: CC, H2: II", "derived_from: [E1]")]),
        "H1",
        0.556,
    )
    bs = [f"{{id: b{i}, name: B, reliability: B}}" for i in range(3)]
    CASES["two B2 items rated C/I, and a third deriving from both"] = (
        _case(
            TWO,
            bs,
            [
                _item(1, "b0", 2, "H1: C, H2: I"),
                _item(2, "b1", 2, "H1: C, H2: I"),
                _item(3, "b2", 2, "H1: C, H2: I", "derived_from: [E1, E2]"),
            ],
        ),
        "H1",
        0.803,
    )
    CASES["one F1 item rated C/I"] = (
        _case(TWO, ["{id: f, name: F, reliability: F}"], [_item(1, "f", 1, "H1: C, H2: I")]),
        "H1",
        0.575,
    )
    CASES["one C1 item rated C/I"] = (
        _case(TWO, ["{id: c, name: C, reliability: C}"], [_item(1, "c", 1, "H1: C, H2: I")]),
        "H1",
        0.650,
    )
    three = [*TWO, "{id: H3, statement: Three}"]
    CASES["three hypotheses, one A1 item rated C, C, NA"] = (
        _case(three, [a], [_item(1, "a", 1, "H1: C, H2: C, H3: NA")]),
        "H3",
        0.333,
    )
    answered = [
        "{id: H1, statement: Yes, answer: 'yes'}",
        *(f"{{id: H{i}, statement: No {i}, answer: 'no'}}" for i in (2, 3, 4)),
    ]
    CASES["one yes and three no hypotheses, no evidence"] = (
        _case(answered, [a], [_item(1, "a", 1, "H1: N, H2: N, H3: N, H4: N")]),
        "H1",
        0.500,
    )
    return CASES


@pytest.mark.parametrize("name", list(_cases()))
def test_this_model(name: str) -> None:
    """Each case scores as the page's table says, to the three decimals shown."""
    assessment, hypothesis, expected = _cases()[name]
    posterior = assess.score(assessment).hypothesis(hypothesis).posterior
    assert round(posterior, 3) == expected


def test_the_page_shows_these_figures() -> None:
    """The table on the page quotes this model's figure for every case, in its order."""
    text = PAGE.read_text(encoding="utf-8")
    section = text[text.index("## 20. What changed") : text.index("## 21. ")]
    shown = [float(m) for m in re.findall(r"\| (\d\.\d{3}) \| [^|]*\|\n", section)]
    assert shown == [expected for _, _, expected in _cases().values()]


def test_the_worked_case_figures() -> None:
    """The first worked case's figures and E7's quality, then the rebuilt case's, as on the page."""
    page = PAGE.read_text(encoding="utf-8")
    root = PAGE.parent.parent
    first = assess.loads(
        (root / "tests/data/history/russia-taliban-support-v1.yaml").read_text(encoding="utf-8"),
        base_dir=root / "assessments",
        root=root,
    )
    scores = assess.score(first)
    posterior = {h.id: h.posterior for h in scores.hypotheses}
    assert (
        f'this one gives H3 {posterior["H3"]:.3f} ("roughly even chance"), H2'
        f" {posterior['H2']:.3f}, H1 {posterior['H1']:.3f} and H4 {posterior['H4']:.3f}." in page
    )
    assert assess.estimative_term(posterior["H3"]) == "roughly even chance"
    e7 = scores.item("E7")
    assert e7.quality == 0.28125
    assert "it has 0.28125." in page
    rebuilt = assess.score(assess.load(root / "assessments/russia-taliban-support.yaml", root=root))
    posterior = {h.id: h.posterior for h in rebuilt.hypotheses}
    answers = {a.answer: a.probability for a in rebuilt.answers}
    assert (
        f"This model gives it H1 {posterior['H1']:.3f}, H2 {posterior['H2']:.3f} and H3"
        f' {posterior["H3"]:.3f}: "yes" {answers["yes"]:.3f} and "no" {answers["no"]:.3f},'
        ' each "roughly even chance".' in page
    )
    assert {assess.estimative_term(p) for p in answers.values()} == {"roughly even chance"}
