"""docs/methods.md section 21: the worked example, by hand, by the code and on the page."""

from __future__ import annotations

import math
import re

import pytest

import assess
from helpers import section, shown

SECTION = 21


def page() -> str:
    """Section 21 without its YAML block."""
    return re.sub(r"```yaml\n.*?```", "", section(SECTION), flags=re.DOTALL)


def example() -> assess.Assessment:
    """The section's worked example, loaded."""
    [block] = re.findall(r"```yaml\n(.*?)```", section(SECTION), flags=re.DOTALL)
    return assess.loads(block)


def printed(figure: str, value: float) -> None:
    """The section prints ``figure``, and ``value`` rounds to it."""
    assert figure in page(), f"section {SECTION} does not print {figure}"
    assert shown(figure, value), f"{value} is not {figure}"


def cascade(quality: float, likelihood: float) -> float:
    """Schum's cascade, section 1: q L + (1 - q) / 2."""
    return quality * likelihood + (1 - quality) * 0.5


def normalised(weights: list[float]) -> list[float]:
    """Weights divided by their sum."""
    total = sum(weights)
    return [w / total for w in weights]


def entropy(p: list[float]) -> float:
    """Shannon entropy in bits, 0 log 0 as 0."""
    return -sum(x * math.log2(x) for x in p if x > 0)


# The hand arithmetic of the page, from the default tables (section 1).
L = {"CC": 0.95, "C": 0.80, "N": 0.50, "I": 0.20, "II": 0.05}
B2 = 0.75 * 0.75
C3 = 0.5 * 0.5
A2 = 1.0 * 0.75
PRIORS = [0.5, 0.25, 0.25]  # two answers: even over them, then within "no"
E1 = [cascade(B2, L[r]) for r in ("C", "C", "I")]
K1_ABSENT = [1 - 0.5 * cascade(B2, L[r]) for r in ("C", "N", "I")]
K2_SEEN = [cascade(C3, L[r]) for r in ("CC", "I", "N")]
POSTERIOR = normalised(
    [p * e * k2 * k1 for p, e, k2, k1 in zip(PRIORS, E1, K2_SEEN, K1_ABSENT, strict=True)]
)


def outcomes(seen: list[float], detection: float) -> tuple[float, list[float], list[float]]:
    """P(seen), and the posteriors after seeing it and after not finding it."""
    p_seen = detection * sum(p * s for p, s in zip(POSTERIOR, seen, strict=True))
    if_seen = normalised([p * s for p, s in zip(POSTERIOR, seen, strict=True)])
    if_absent = normalised([p * (1 - detection * s) for p, s in zip(POSTERIOR, seen, strict=True)])
    return p_seen, if_seen, if_absent


def gain(p_seen: float, if_seen: list[float], if_absent: list[float]) -> float:
    """H(p) less the expected entropy after looking."""
    return entropy(POSTERIOR) - p_seen * entropy(if_seen) - (1 - p_seen) * entropy(if_absent)


K3 = [cascade(A2, L[r]) for r in ("CC", "C", "II")]
K4 = [cascade(B2, L[r]) for r in ("I", "CC", "II")]


class TestPosterior:
    """The posterior with K2 seen and K1 not found, as the page's product table gives it."""

    def test_by_hand_and_by_the_code(self) -> None:
        """Prior x E1 x K2 x (1 - d l(K1)), normalised, is the code's posterior and the page's."""
        scores = assess.score(example())
        for figure, hand, code in zip(
            ("0.608144", "0.237734", "0.154122"),
            POSTERIOR,
            (h.posterior for h in scores.hypotheses),
            strict=True,
        ):
            assert code == pytest.approx(hand, abs=1e-12)
            printed(figure, hand)

    def test_the_absence_moves_it(self) -> None:
        """Without K1 the page's figures: the absence was least expected under H3."""
        without = normalised([p * e * k2 for p, e, k2 in zip(PRIORS, E1, K2_SEEN, strict=True)])
        for figure, value in zip(("0.6455", "0.2240", "0.1305"), without, strict=True):
            printed(figure, value)

    def test_entropies(self) -> None:
        """H(p) and the answers' entropy."""
        plan = assess.collect(example())
        assert plan.entropy == pytest.approx(entropy(POSTERIOR), abs=1e-12)
        printed("1.3449", entropy(POSTERIOR))
        answers = [POSTERIOR[0], POSTERIOR[1] + POSTERIOR[2]]
        assert plan.answers_entropy == pytest.approx(entropy(answers), abs=1e-12)
        printed("0.9660", entropy(answers))


class TestValueOfLooking:
    """K3 and K4: P(seen), the posteriors after each outcome, and the gains."""

    @pytest.mark.parametrize(
        ("indicator", "seen", "detection", "figures"),
        [
            ("K3", K3, 0.8, ("0.5654", "0.7207", "0.4618", "0.1120", "0.0501")),
            ("K4", K4, 0.5, ("0.2093", "0.4813", "0.6417", "0.0360", "0.0127")),
        ],
    )
    def test_outcomes_and_gain(
        self, indicator: str, seen: list[float], detection: float, figures: tuple[str, ...]
    ) -> None:
        """The hand figures are the code's and the page's."""
        [value] = [v for v in assess.collect(example()).indicators if v.id == indicator]
        p_seen, if_seen, if_absent = outcomes(seen, detection)
        hand_gain = gain(p_seen, if_seen, if_absent)
        yes = [[x[0], x[1] + x[2]] for x in (POSTERIOR, if_seen, if_absent)]
        answers_gain = entropy(yes[0]) - p_seen * entropy(yes[1]) - (1 - p_seen) * entropy(yes[2])
        assert value.p_observed == pytest.approx(p_seen, abs=1e-12)
        assert [p for _, p in value.if_observed] == pytest.approx(if_seen, abs=1e-12)
        assert [p for _, p in value.if_absent] == pytest.approx(if_absent, abs=1e-12)
        assert value.expected_information_gain == pytest.approx(hand_gain, abs=1e-12)
        assert value.answers_information_gain == pytest.approx(answers_gain, abs=1e-12)
        for figure, number in zip(
            figures, (p_seen, if_seen[0], if_absent[0], hand_gain, answers_gain), strict=True
        ):
            printed(figure, number)

    def test_ranking_and_overdue(self) -> None:
        """K3 ranks first; K4 is overdue; neither outcome of either changes the leader."""
        plan = assess.collect(example())
        assert [v.id for v in plan.indicators] == ["K3", "K4"]
        assert [v.overdue for v in plan.indicators] == [False, True]
        assert [v.p_leader_changes for v in plan.indicators] == [0.0, 0.0]


class TestUnseat:
    """K3 not found and K4 seen are the fewest outcomes that put H2 above H1."""

    def test_gaps_and_offers(self) -> None:
        """The page's gaps and offers, by hand."""
        printed("0.9393", math.log(POSTERIOR[0] / POSTERIOR[1]))
        printed("1.3727", math.log(POSTERIOR[0] / POSTERIOR[2]))
        printed("0.8214", math.log(K4[1] / K4[0]))
        printed("0.2412", math.log((1 - 0.8 * K3[1]) / (1 - 0.8 * K3[0])))
        printed("0.9694", math.log((1 - 0.8 * K3[2]) / (1 - 0.8 * K3[0])))
        printed("0.0493", math.log((1 - 0.5 * K4[2]) / (1 - 0.5 * K4[0])))

    def test_the_code_agrees(self) -> None:
        """The plan names the same outcomes and the same posteriors after them."""
        unseat = assess.collect(example()).unseat
        assert unseat is not None
        assert unseat.observations == (("K3", "absent"), ("K4", "observed"))
        after = normalised(
            [p * (1 - 0.8 * k3) * k4 for p, k3, k4 in zip(POSTERIOR, K3, K4, strict=True)]
        )
        assert (unseat.challenger, unseat.leader) == ("H2", "H1")
        assert unseat.challenger_after == pytest.approx(after[1], abs=1e-12)
        assert unseat.leader_after == pytest.approx(after[0], abs=1e-12)
        printed("0.4302", after[1])
        printed("0.3804", after[0])


class TestDiscriminators:
    """A B2 report rated CC and II between the pair; the lines that already separate them."""

    def test_the_leading_pair(self) -> None:
        """H1 against H2: 0.7714 for, 0.3696 against; K2 by 1.4412, 4.75 at full quality."""
        first = assess.collect(example()).discriminators[0]
        report = [cascade(B2, L[r]) for r in ("CC", "II", "N")]
        against = [cascade(B2, L[r]) for r in ("II", "CC", "N")]
        if_for = normalised([p * x for p, x in zip(POSTERIOR, report, strict=True)])[0]
        if_against = normalised([p * x for p, x in zip(POSTERIOR, against, strict=True)])[0]
        assert (first.first, first.second) == ("H1", "H2")
        assert first.if_for == pytest.approx(if_for, abs=1e-12)
        assert first.if_against == pytest.approx(if_against, abs=1e-12)
        printed("0.7714", if_for)
        printed("0.3696", if_against)
        [line] = first.lines
        assert line.line == "K2"
        assert line.factor == pytest.approx(K2_SEEN[0] / K2_SEEN[1], abs=1e-12)
        assert line.full_factor == pytest.approx(L["CC"] / L["I"], abs=1e-12)
        printed("1.4412", line.factor)

    def test_the_answers(self) -> None:
        """Yes against no: within "no" the likelihoods are averaged with the priors as weights."""
        answers = assess.collect(example()).discriminators[1]
        assert (answers.between, answers.first, answers.second) == ("answers", "yes", "no")
        report = [cascade(B2, L[r]) for r in ("CC", "II", "II")]
        against = [cascade(B2, L[r]) for r in ("II", "CC", "CC")]
        if_for = normalised([p * x for p, x in zip(POSTERIOR, report, strict=True)])[0]
        if_against = normalised([p * x for p, x in zip(POSTERIOR, against, strict=True)])[0]
        assert answers.if_for == pytest.approx(if_for, abs=1e-12)
        assert answers.if_against == pytest.approx(if_against, abs=1e-12)
        printed("0.8256", if_for)
        printed("0.3372", if_against)
        factors = {x.line: x.factor for x in answers.lines}
        assert factors["E1"] == pytest.approx(E1[0] / ((E1[1] + E1[2]) / 2), abs=1e-12)
        assert factors["K2"] == pytest.approx(
            K2_SEEN[0] / ((K2_SEEN[1] + K2_SEEN[2]) / 2), abs=1e-12
        )
        printed("1.3375", factors["E1"])
        printed("1.3243", factors["K2"])
