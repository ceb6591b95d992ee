"""docs/methods.md sections 1-7: every table, figure and worked number is what the code computes."""

from __future__ import annotations

import math
import re
from collections.abc import Callable

import attrs
import numpy as np
import pytest

import assess
from assess.methods import scoring
from assess.model import (
    DEFAULT_CREDIBILITY_VALUES,
    DEFAULT_FIDELITY,
    DEFAULT_LIKELIHOODS,
    DEFAULT_RELIABILITY_VALUES,
    ConfidenceRule,
    Dependence,
    Scoring,
)
from helpers import section, shown, tables
from reference import reference

# A decimal as the page writes it, not part of an id such as H1.
DECIMAL = re.compile(r"(?<![\w.])-?\d+\.\d+")


def grade_table(text: str, header: str) -> dict[str, float]:
    """The two-row table whose first header cell is ``header``, as grade -> value."""
    [table] = [t for t in tables(text) if t[0][0] == header]
    keys, values = table
    return {k: float(v) for k, v in zip(keys[1:], values[1:], strict=True)}


def worked_example() -> assess.Assessment:
    """The YAML of section 6's worked example, loaded."""
    [block] = re.findall(r"```yaml\n(.*?)```", section(6), flags=re.DOTALL)
    return assess.loads(block)


def scored() -> assess.Scores:
    """The worked example, scored."""
    return assess.score(worked_example())


def prose(number: int) -> str:
    """A section without its YAML block."""
    return re.sub(r"```yaml\n.*?```", "", section(number), flags=re.DOTALL)


def row_log_likelihoods(s: assess.Scores) -> dict[str, list[float]]:
    """The engine's ln l of each line's root, per hypothesis, NA cells filled."""
    m = s.matrix
    roots = [m.evidence.index(line.id) for line in s.lines]
    values = scoring.row_log_likelihoods(
        m.codes[roots], np.array([line.quality for line in s.lines]), m.likelihoods, m.priors
    )
    return {line.id: values[i].tolist() for i, line in enumerate(s.lines)}


def likelihood(s: assess.Scores, line_id: str, hypothesis: str) -> float:
    """The report-adjusted likelihood of a root's cell at its line's quality."""
    j = [h.id for h in s.hypotheses].index(hypothesis)
    return math.exp(row_log_likelihoods(s)[line_id][j])


def line(s: assess.Scores, line_id: str) -> scoring.LineScore:
    """One line of the scores by id."""
    [found] = [x for x in s.lines if x.id == line_id]
    return found


# ------------------------------------------------------------------ section 1


class TestGradeValues:
    """Section 1: the grade, fidelity and likelihood tables are the code's defaults."""

    def test_reliability_and_credibility(self) -> None:
        """The page's value tables are DEFAULT_RELIABILITY_VALUES and DEFAULT_CREDIBILITY_VALUES."""
        text = section(1)
        assert grade_table(text, "reliability") == {
            k.value: v for k, v in DEFAULT_RELIABILITY_VALUES.items()
        }
        assert grade_table(text, "credibility") == {
            str(int(k)): v for k, v in DEFAULT_CREDIBILITY_VALUES.items()
        }

    def test_cannot_be_judged(self) -> None:
        """F weighs as D and 6 as 4, on the page and in an item's quality."""
        text = section(1)
        assert "in the point estimate F weighs as D and 6 as 4" in text
        reliability = grade_table(text, "reliability")
        credibility = grade_table(text, "credibility")
        assert (reliability["F"], credibility["6"]) == (reliability["D"], credibility["4"])
        assert quality("F", 6) == quality("D", 4)

    def test_first_model_comparison(self) -> None:
        """With the first model's 0.5 for F, F1 weighed as C1 and F3 twice D3."""
        first = assess.Scoring(reliability_values={"F": 0.5}, credibility_values={6: 0.5})
        assert "an F1 item weighed as much as a C1 item and F3 twice as much as D3" in section(1)
        assert quality("F", 1, first) == quality("C", 1, first)
        assert quality("F", 3, first) == 2 * quality("D", 3, first)

    def test_tables_are_configurable(self) -> None:
        """``scoring.reliability_values`` and ``scoring.credibility_values`` change the values."""
        rules = assess.Scoring(reliability_values={"B": 0.6}, credibility_values={2: 0.5})
        assert math.isclose(quality("B", 2, rules), 0.3)

    def test_fidelity(self) -> None:
        """The relay table is DEFAULT_FIDELITY; a chain's fidelity is the product of its relays'."""
        assert grade_table(section(1), "relay's reliability") == {
            k.value: v for k, v in DEFAULT_FIDELITY.items()
        }
        assert math.isclose(quality("A", 1, relays="BCD"), 0.9 * 0.75 * 0.5)
        assert math.isclose(quality("A", 1, assess.Scoring(fidelity={"B": 0.4}), relays="B"), 0.4)

    def test_likelihoods(self) -> None:
        """The table is DEFAULT_LIKELIHOODS: C against I is 4 : 1, CC against II 19 : 1."""
        text = section(1)
        assert grade_table(text, "rating") == {k.value: v for k, v in DEFAULT_LIKELIHOODS.items()}
        assert "C against I is 4 : 1 and CC against II 19 : 1" in text
        table = grade_table(text, "rating")
        assert math.isclose(table["C"] / table["I"], 4)
        assert math.isclose(table["CC"] / table["II"], 19)

    def test_relevance(self) -> None:
        """A root's weight is its relevance, 1/sqrt 2, 1 or sqrt 2, times its line's quality."""
        assert "1/sqrt2 for `low`, 1 for `medium` and sqrt2 for `high`" in section(1)
        for relevance, factor in [
            ("low", 1 / math.sqrt(2)),
            ("medium", 1.0),
            ("high", math.sqrt(2)),
        ]:
            a = one_item("B", 2, relevance=relevance)
            [e] = assess.score(a).evidence
            assert math.isclose(e.weight, factor * 0.75 * 0.75)

    def test_schum_cascade(self) -> None:
        """The cascade q L + (1 - q) 0.5: a worthless report is 0.5 everywhere, a perfect one L."""
        assert "l(e, h) = q * L(rating(e, h)) + (1 - q) * 0.5" in section(1)
        for grade, q in [("A", 1.0), ("B", 0.75), ("E", 0.0)]:
            s = assess.score(one_item(grade, 1))
            for h, rating in [("H1", "C"), ("H2", "I")]:
                want = q * DEFAULT_LIKELIHOODS[assess.Rating(rating)] + (1 - q) * 0.5
                assert math.isclose(s.hypothesis(h).log_likelihood, math.log(want))


def one_item(
    grade: str,
    credibility: int,
    rules: assess.Scoring | None = None,
    *,
    relays: str = "",
    relevance: str = "medium",
) -> assess.Assessment:
    """One item rated C/I from a source of ``grade``, through relays of the given grades."""
    return assess.Assessment(
        id="x",
        title="t",
        hypotheses=[assess.Hypothesis(id=h, statement="s") for h in ("H1", "H2")],
        sources=[
            assess.Source(id="origin", name="n", reliability=grade),
            *(
                assess.Source(id=f"relay-{i}", name="n", reliability=r)
                for i, r in enumerate(relays)
            ),
        ],
        evidence=[
            assess.Evidence(
                id="E1",
                summary="s",
                kind="report",
                source="origin",
                credibility=credibility,
                relevance=relevance,
                via=[f"relay-{i}" for i in range(len(relays))],
                ratings={"H1": "C", "H2": "I"},
            )
        ],
        scoring=assess.Scoring() if rules is None else rules,
    )


def quality(
    grade: str, credibility: int, rules: assess.Scoring | None = None, *, relays: str = ""
) -> float:
    """The report quality the engine gives one item."""
    [e] = assess.score(one_item(grade, credibility, rules, relays=relays)).evidence
    return e.quality


# ------------------------------------------------------------------ section 3


def lines_from(sources: int, per_source: int, party: str | None = None) -> assess.Assessment:
    """C/I items from sources graded D, credibility 3: ``per_source`` from each."""
    return assess.Assessment(
        id="x",
        title="t",
        hypotheses=[assess.Hypothesis(id=h, statement="s") for h in ("H1", "H2")],
        sources=[
            assess.Source(id=f"s{j}", name="n", reliability="D", party=party)
            for j in range(sources)
        ],
        evidence=[
            assess.Evidence(
                id=f"E{j}-{i}",
                summary="s",
                kind="report",
                source=f"s{j}",
                credibility=3,
                ratings={"H1": "C", "H2": "I"},
            )
            for j in range(sources)
            for i in range(per_source)
        ],
    )


def worth(a: assess.Assessment) -> float:
    """How many lines' worth the assessment's lines carry together: the sum of their factors."""
    return math.fsum(x.tempering for x in assess.score(a).lines)


class TestDependenceDefaults:
    """Section 3: the defaults of ``scoring.dependence`` and the figures the page gives for them."""

    def test_defaults(self) -> None:
        """rho_source = 0.2 and rho_party = 0.5 are Dependence's defaults."""
        text = section(3)
        assert "rho_source = 0.2" in text
        assert "rho_party = 0.5" in text
        assert (Dependence().same_source, Dependence().same_party) == (0.2, 0.5)

    def test_one_source(self) -> None:
        """Two lines from one source count 1.67 and forty 4.5, never five (1/rho)."""
        assert "(two count 1.67), and forty count 4.5, at most five" in section(3)
        assert shown("1.67", worth(lines_from(1, 2)))
        assert shown("4.5", worth(lines_from(1, 40)))
        assert worth(lines_from(1, 10_000)) < 5

    def test_forty_from_d3(self) -> None:
        """Forty C/I items from one D3 source give 0.66; counted as independent, 0.998."""
        assert "forty C/I items from one D3 source give P = 0.66, not the 0.998" in section(3)
        forty = lines_from(1, 40)
        assert shown("0.66", assess.score(forty).hypotheses[0].posterior)
        independent = attrs.evolve(
            forty, scoring=assess.Scoring(dependence=Dependence(same_source=0.0, same_party=0.0))
        )
        assert shown("0.998", assess.score(independent).hypotheses[0].posterior)

    def test_one_party(self) -> None:
        """Two officials of one government count 1.33, any number at most 2."""
        assert "two officials of one government count 1.33, and any number of them at most 2" in (
            section(3)
        )
        assert shown("1.33", worth(lines_from(2, 1, party="government")))
        assert worth(lines_from(1000, 1, party="government")) < 2


class TestPriorsAndAnswers:
    """Section 3: priors even over the answers, then within each answer."""

    def test_priors_unpack(self) -> None:
        """One "yes" and three "no" hypotheses: uniform priors start "no" at 75%, answers at 50%."""
        assert '"no" starts at 75%' in section(3)
        hypotheses = [
            assess.Hypothesis(id=f"H{j}", statement="s", answer="yes" if j == 0 else "no")
            for j in range(4)
        ]
        a = assess.Assessment(id="x", title="t", hypotheses=hypotheses)
        s = assess.score(a)
        assert {x.answer: x.prior for x in s.answers} == {"yes": 0.5, "no": 0.5}
        plain = assess.score(
            attrs.evolve(a, hypotheses=[attrs.evolve(h, answer=None) for h in hypotheses])
        )
        assert math.fsum(h.prior for h in plain.hypotheses[1:]) == 0.75

    def test_split_within_an_answer(self) -> None:
        """Splitting one of an answer's two hypotheses moves it: "yes" 0.5 becomes 0.565."""
        text = section(3)
        assert 'one A1 item rated CC, II and N gives "yes" 0.5' in text
        assert 'split A in two and "yes" becomes 0.565' in text

        def yes(ratings: dict[str, str]) -> float:
            a = assess.Assessment(
                id="x",
                title="t",
                hypotheses=[
                    assess.Hypothesis(id=h, statement="s", answer="no" if h == "C" else "yes")
                    for h in ratings
                ],
                sources=[assess.Source(id="s", name="n", reliability="A")],
                evidence=[
                    assess.Evidence(
                        id="E1",
                        summary="s",
                        kind="report",
                        source="s",
                        credibility=1,
                        ratings=ratings,
                    )
                ],
            )
            [answer] = [x for x in assess.score(a).answers if x.answer == "yes"]
            return answer.probability

        assert shown("0.5", yes({"A": "CC", "B": "II", "C": "N"}))
        assert shown("0.565", yes({"A": "CC", "A2": "CC", "B": "II", "C": "N"}))


# ------------------------------------------------------------------ section 5


WARNING_CASES: dict[str, Callable[[], assess.Assessment]] = {}


def _case(
    code: str,
) -> Callable[[Callable[[], assess.Assessment]], Callable[[], assess.Assessment]]:
    def register(build: Callable[[], assess.Assessment]) -> Callable[[], assess.Assessment]:
        WARNING_CASES[code] = build
        return build

    return register


def _two(*evidence: assess.Evidence, priors: bool = False, **fields: object) -> assess.Assessment:
    return assess.Assessment(
        id="x",
        title="t",
        hypotheses=[
            assess.Hypothesis(id=h, statement="s", prior=0.5 if priors else None)
            for h in ("H1", "H2")
        ],
        sources=[
            assess.Source(id="s", name="n", reliability="A"),
            assess.Source(id="gov", name="n", reliability="B", interested=True),
        ],
        evidence=evidence,
        **fields,  # type: ignore[arg-type]
    )


def _item(item_id: str, ratings: dict[str, str], **fields: object) -> assess.Evidence:
    fields.setdefault("source", "s")
    return assess.Evidence(id=item_id, summary="s", kind="report", ratings=ratings, **fields)  # type: ignore[arg-type]


@_case("uniform-priors")
def _uniform_priors() -> assess.Assessment:
    return _two(_item("E1", {"H1": "C", "H2": "I"}))


@_case("unpacked-question")
def _unpacked() -> assess.Assessment:
    return attrs.evolve(
        _two(), hypotheses=[assess.Hypothesis(id=f"H{j}", statement="s") for j in range(3)]
    )


@_case("ach-bayes-disagree")
def _disagree() -> assess.Assessment:
    # One weak strike against H1 (an interested source, credibility 6), two strong items for it.
    return _two(
        _item("E1", {"H1": "I", "H2": "N"}, credibility=6, source="gov"),
        *(_item(f"E{i}", {"H1": "CC", "H2": "N"}, credibility=1) for i in range(2, 4)),
        priors=True,
    )


@_case("unrated-hypothesis")
def _unrated() -> assess.Assessment:
    return _two(_item("E1", {"H1": "C"}))


@_case("non-diagnostic")
def _non_diagnostic() -> assess.Assessment:
    return _two(_item("E1", {"H1": "C", "H2": "C"}))


@_case("repeat-rated-differently")
def _repeat() -> assess.Assessment:
    return _two(_item("E1", {"H1": "C", "H2": "I"}), _item("E2", {"H1": "C"}, derived_from=["E1"]))


@_case("mixed-line")
def _mixed() -> assess.Assessment:
    return _two(
        _item("E1", {"H1": "C", "H2": "I"}, source="gov"),
        _item("E2", {"H1": "C", "H2": "I"}, derived_from=["E1"]),
    )


@_case("unlinked-confirmation")
def _unlinked() -> assess.Assessment:
    return _two(_item("E1", {"H1": "C", "H2": "I"}, credibility=1))


@_case("retired-setting")
def _retired() -> assess.Assessment:
    rule = ConfidenceRule(support_quality=0.75)
    return _two(_item("E1", {"H1": "C", "H2": "I"}), scoring=Scoring(confidence=rule))


@_case("indicator-overdue")
def _overdue() -> assess.Assessment:
    late = assess.Indicator(
        id="K1",
        description="d",
        expected={"H1": "C", "H2": "I"},
        reliability="B",
        credibility=2,
        answer_by="2024-01-01",
    )
    return _two(_item("E1", {"H1": "C", "H2": "I"}), as_of="2024-06-01", indicators=[late])


class TestWarnings:
    """Section 5: every warning in the page's table is one the code gives, and no other."""

    def test_table_lists_the_cases(self) -> None:
        """The page's codes are the ones with a case here."""
        [table] = [t for t in tables(section(5)) if t[0] == ["code", "when"]]
        codes = [row[0].strip("`") for row in table[1:]]
        assert sorted(codes) == sorted(WARNING_CASES)

    @pytest.mark.parametrize("code", sorted(WARNING_CASES))
    def test_case_warns(self, code: str) -> None:
        """Each case draws its warning."""
        assert code in {w.code for w in assess.score(WARNING_CASES[code]()).warnings}

    def test_no_other_codes(self) -> None:
        """Across the cases and the worked example, the code gives only the page's warnings."""
        found = {w.code for build in WARNING_CASES.values() for w in assess.score(build()).warnings}
        found |= {w.code for w in scored().warnings}
        assert found <= set(WARNING_CASES)


# ------------------------------------------------------------------ section 6


def example_figures(s: assess.Scores) -> dict[str, float]:
    """Every decimal section 6 prints, as the code computes it."""
    e1, e4, e5 = (line(s, x) for x in ("E1", "E4", "E5"))
    prior = {h.id: h.prior for h in s.hypotheses}
    posterior = {h.id: h.posterior for h in s.hypotheses}
    answers = {x.answer: x.probability for x in s.answers}
    credibility = {int(k): v for k, v in DEFAULT_CREDIBILITY_VALUES.items()}
    table = {k.value: v for k, v in DEFAULT_LIKELIHOODS.items()}
    return {
        # Priors, and the grade values the page multiplies.
        "0.5": prior["H1"],
        "0.25": prior["H2"],
        "0.75": credibility[2],
        # E1's line: E1's route is the wire (B), E2's the paper (C), as independent routes.
        "0.9": e1.channels[0],
        "0.975": e1.fidelity,
        "0.365625": e1.quality,
        "0.8": table["C"],
        "0.634375": 1 - e1.quality,
        "0.6096875": likelihood(s, "E1", "H1"),
        "0.3903125": likelihood(s, "E1", "H3"),
        # E3, E4, E5.
        "0.6125": likelihood(s, "E3", "H1"),
        "0.575": likelihood(s, "E3", "H2"),
        "0.425": likelihood(s, "E3", "H3"),
        "0.125": e4.quality,
        "0.5375": likelihood(s, "E4", "H2"),
        "0.0625": e5.quality,
        "0.51875": likelihood(s, "E5", "H2"),
        "-0.680876": row_log_likelihoods(s)["E5"][2],
        # Tempering.
        "0.2": Dependence().same_source,
        "0.833333": e1.tempering,
        "0.666667": e4.tempering,
        # The table and the answers.
        "-1.745042": s.hypothesis("H1").log_likelihood,
        "-1.724935": s.hypothesis("H2").log_likelihood,
        "-2.364863": s.hypothesis("H3").log_likelihood,
        "0.562058": posterior["H1"],
        "0.286737": posterior["H2"],
        "0.151205": posterior["H3"],
        "0.437942": answers["no state supply"],
    }


class TestWorkedExample:
    """Section 6: the worked example, figure by figure."""

    def test_every_decimal_is_checked(self) -> None:
        """Every decimal in the section's prose and table is one the next test checks."""
        printed = set(DECIMAL.findall(prose(6)))
        assert printed == set(example_figures(scored()))

    def test_figures(self) -> None:
        """Each printed decimal is what the code computes, to the digits shown."""
        s = scored()
        for figure, value in example_figures(s).items():
            assert shown(figure, value), (figure, value)
        # Figures printed once but standing for two things.
        assert line(s, "E3").quality == 0.25
        assert DEFAULT_RELIABILITY_VALUES[assess.Reliability.C] == 0.5  # the police
        assert DEFAULT_FIDELITY[assess.Reliability.C] == 0.75  # the paper, a relay
        assert line(s, "E1").channels[1] == 0.75  # E2's route: the paper alone
        assert DEFAULT_FIDELITY[assess.Reliability.B] == 0.9  # the wire

    def test_priors(self) -> None:
        """Two answers start at 1/2 each: H1 = 0.5, H2 = H3 = 0.25."""
        assert "H1 = 0.5, H2 = H3 = 0.25" in section(6)
        s = scored()
        assert [h.prior for h in s.hypotheses] == [0.5, 0.25, 0.25]
        assert [(x.answer, x.hypotheses, x.prior) for x in s.answers] == [
            ("state supply", ("H1",), 0.5),
            ("no state supply", ("H2", "H3"), 0.5),
        ]

    def test_lines(self) -> None:
        """E1 and its repeat E2 are one line; E3, E4 and E5 are lines of their own."""
        s = scored()
        assert [(x.id, x.members) for x in s.lines] == [
            ("E1", ("E1", "E2")),
            ("E3", ("E3",)),
            ("E4", ("E4",)),
            ("E5", ("E5",)),
        ]
        assert [e.line for e in s.evidence] == ["E1", "E1", "E3", "E4", "E5"]
        assert s.item("E2").weight == 0

    def test_table(self) -> None:
        """The table's log-likelihoods and posteriors, and H1's sum written out, are the code's."""
        [table] = [t for t in tables(section(6)) if t[0] == ["", "H1", "H2", "H3"]]
        rows = {row[0]: row[1:] for row in table[1:]}
        s = scored()
        for j, h in enumerate(s.hypotheses):
            assert shown(rows["log-likelihood"][j].split("=")[-1].strip(), h.log_likelihood)
            assert shown(rows["posterior"][j], h.posterior)
        written = re.fullmatch(
            r"([\d.]+) \(ln ([\d.]+) \+ ln ([\d.]+)\) \+ ([\d.]+) \(ln ([\d.]+) \+ ln ([\d.]+)\)"
            r" = (-[\d.]+)",
            rows["log-likelihood"][0],
        )
        assert written is not None
        t1, a1, b1, t2, a2, b2, total = written.groups()
        by_hand = float(t1) * (math.log(float(a1)) + math.log(float(b1))) + float(t2) * (
            math.log(float(a2)) + math.log(float(b2))
        )
        assert shown(total, by_hand)

    def test_answers(self) -> None:
        """The answers' probabilities are the sums of their hypotheses' posteriors."""
        text = section(6)
        assert '"state supply" has probability 0.562058 and "no state supply" 0.437942' in text
        s = scored()
        [state, other] = s.answers
        assert shown("0.562058", state.probability)
        assert shown("0.437942", other.probability)
        assert math.isclose(
            other.probability, s.hypotheses[1].posterior + s.hypotheses[2].posterior
        )

    def test_repeat_adds_within_the_grades(self) -> None:
        """E2 raises its line's fidelity from 0.9 to 0.975, never past the police's grades."""
        assert "E2 adds to its line's fidelity, from 0.9 to 0.975" in section(6)
        a = worked_example()
        alone = attrs.evolve(a, evidence=[e for e in a.evidence if e.id != "E2"])
        assert line(assess.score(alone), "E1").fidelity == 0.9
        e1 = line(scored(), "E1")
        assert e1.quality <= e1.originator_quality == 0.5 * 0.75

    def test_reference_agrees(self) -> None:
        """The pure-Python reference gives the same figures as the code."""
        s, want = scored(), reference(worked_example())
        for h in s.hypotheses:
            assert math.isclose(h.posterior, want.hypotheses[h.id].posterior, rel_tol=1e-12)
            assert math.isclose(
                h.log_likelihood, want.hypotheses[h.id].log_likelihood, rel_tol=1e-12
            )
        for x in s.lines:
            assert math.isclose(x.quality, want.lines[x.id].quality, rel_tol=1e-12)

    def test_page_names_its_test(self) -> None:
        """The page says which test checks it."""
        assert "`tests/test_methods.py` checks this page against the code" in section(6)


# ------------------------------------------------------------------ section 7


class TestHowItIsComputed:
    """Section 7: the matrix is int8 and a repeat's row counts only in Heuer's count."""

    def test_int8_matrix(self) -> None:
        """The matrix of ratings is an int8 array, items by hypotheses."""
        s = scored()
        assert s.matrix.codes.dtype == np.int8
        assert s.matrix.codes.shape == (5, 3)

    def test_repeat_row(self) -> None:
        """E2's row weighs nothing, yet its I against H3 counts in Heuer's inconsistency."""
        s = scored()
        assert s.arrays.weight[1] == 0
        assert s.hypothesis("H3").inconsistency == 3
