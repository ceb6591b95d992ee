"""
docs/methods.md sections 8, 9, 10 and 12: every worked figure is what the code computes.

Each section's worked example is the YAML block the page shows, loaded as it stands, so the page
and this test cannot drift apart.  Figures are checked to the precision the page prints them, and
the page must print each one; the hand arithmetic in the tables (``a x b = c``) is evaluated too.
"""

from __future__ import annotations

import ast
import itertools
import math
import operator
import re
from collections.abc import Callable

import attrs
import pytest

import assess
from assess import analysis
from assess.methods import sensitivity
from helpers import SOURCE, section, shown, tables

#: The page's signs, spelt in ASCII so that the quotes below and the arithmetic are plain text.
SIGNS = str.maketrans({"\N{MINUS SIGN}": "-", "\N{MULTIPLICATION SIGN}": "*"})
#: Draws enough for the figures that do not depend on the Monte Carlo.
FEW = 50


def prose(number: int) -> str:
    """A section without its YAML block, its signs in ASCII (x as *, for the arithmetic)."""
    text = section(number, SOURCE)
    return re.sub(r"```yaml\n.*?```", "", text, flags=re.DOTALL).translate(SIGNS)


def example_text(number: int) -> str:
    """The YAML of a section's worked example."""
    [block] = re.findall(r"```yaml\n(.*?)```", section(number, SOURCE), flags=re.DOTALL)
    return str(block)


def example(number: int) -> assess.Assessment:
    """A section's worked example, loaded."""
    return assess.loads(example_text(number))


def table(number: int, first: str) -> list[list[str]]:
    """The table of a section whose first header cell is ``first``."""
    [found] = [t for t in tables(prose(number)) if t[0][0] == first]
    return found


def printed(number: int, figure: str, value: float) -> None:
    """The section prints ``figure``, and ``value`` rounds to it."""
    assert figure in prose(number), f"section {number} does not print {figure}"
    assert shown(figure, value), f"{value} is not {figure}"


def percent(share: float) -> str:
    """A share as the command line prints it: 60.2%."""
    return f"{share:.1%}"


_OPERATORS: dict[type[ast.operator], Callable[[float, float], float]] = {
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Pow: operator.pow,
}


def _evaluate(node: ast.expr) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.left), _evaluate(node.right))
    raise AssertionError(f"not arithmetic: {ast.dump(node)}")


def arithmetic(expression: str) -> float:
    """The value of the page's plain arithmetic: numbers, x, /, +, -, ^ and brackets."""
    python = expression.translate(SIGNS).replace("^", "**")
    return _evaluate(ast.parse(python, mode="eval").body)


def worked(cell: str) -> float:
    """A table cell ``EXPRESSION = VALUE``: the expression's value, checked against VALUE."""
    expression, value = cell.rsplit(" = ", 1)
    result = arithmetic(expression)
    assert shown(value, result), f"{cell}: {expression} is {result}"
    return result


def posteriors(a: assess.Assessment) -> dict[str, float]:
    """Each hypothesis's posterior."""
    return {h.id: h.posterior for h in assess.score(a).hypotheses}


def without(a: assess.Assessment, *items: str) -> assess.Assessment:
    """The assessment without some items."""
    return attrs.evolve(a, evidence=[e for e in a.evidence if e.id not in items])


def normalised(values: list[float]) -> list[float]:
    """Values divided by their sum."""
    total = math.fsum(values)
    return [v / total for v in values]


# ------------------------------------------------------------------ section 8


class TestLinchpins:
    """Section 8: leave one line out, with the other lines of its source re-tempered."""

    def test_heading_and_rule(self) -> None:
        """The section speaks of lines, and states the re-tempering."""
        text = prose(8)
        assert text.startswith("## 8. Linchpins: leave one line out")
        assert "cluster" not in text
        assert "Leaving a line out is not subtracting its contribution." in text
        assert "1 / (1 + (n - 2) rho_source)" in text.replace("\N{GREEK SMALL LETTER RHO}", "rho")

    def test_lines_and_tempering(self) -> None:
        """Three lines, each at q = 0.75; the drone's two tempered by 5/6."""
        s = assess.score(example(8))
        assert [(line.id, line.members) for line in s.lines] == [
            ("E1", ("E1",)),
            ("E2", ("E2",)),
            ("E3", ("E3", "E4")),
        ]
        assert [line.quality for line in s.lines] == [0.75, 0.75, 0.75]
        assert [line.tempering for line in s.lines] == pytest.approx([5 / 6, 5 / 6, 1.0])
        assert "q = 1.0 * 0.75 = 0.75" in prose(8)
        for rating, value in (("CC", 0.8375), ("C", 0.725), ("N", 0.5), ("I", 0.275)):
            ell = 0.75 * assess.Scoring().likelihoods[assess.Rating(rating)] + 0.25 * 0.5
            assert ell == pytest.approx(value)
            assert f"l({rating}) = {value}" in prose(8).replace("\N{SCRIPT SMALL L}", "l")

    def test_table(self) -> None:
        """Each row's arithmetic, normalised, is the posterior of the file without that line."""
        a = example(8)
        rows = table(8, "lines")
        assert rows[0] == ["lines", "H1", "H2", "H3", "leader", "P(H1)"]
        left_out = {"all": (), "without E1": ("E1",), "without E2": ("E2",)}
        left_out["without E3 (+E4)"] = ("E3", "E4")
        assert [row[0] for row in rows[1:]] == list(left_out)
        for label, *cells, leader, p1 in rows[1:]:
            products = normalised([worked(cell) for cell in cells])
            again = assess.score(without(a, *left_out[label]))
            assert [h.posterior for h in again.hypotheses] == pytest.approx(products, abs=1e-12)
            assert again.ranking[0].id == leader
            assert shown(p1, again.hypothesis("H1").posterior)

    def test_linchpins(self) -> None:
        """E1 is the linchpin; the changes are those the page prints."""
        a = example(8)
        result = assess.analyse(a, draws=FEW)
        p = posteriors(a)
        for h, figure in (("H1", "0.502002"), ("H2", "0.233254"), ("H3", "0.264744")):
            printed(8, figure, p[h])
        pins = {pin.line: pin for pin in result.linchpins}
        assert list(pins) == ["E1", "E2", "E3"]
        assert pins["E3"].members == ("E3", "E4")
        assert [line for line, pin in pins.items() if pin.leader_changes] == ["E1"]
        assert pins["E1"].new_leader == "H3"
        assert (pins["E2"].new_leader, pins["E3"].new_leader) == ("H1", "H1")
        for line, figure, short in (
            ("E1", "-0.194680", "-0.195"),
            ("E2", "-0.095941", "-0.096"),
            ("E3", "+0.179985", "+0.180"),
        ):
            change = pins[line].leader_posterior_change
            printed(8, figure, change)
            assert f"{change:+.3f}" == short
            assert short in prose(8)
        printed(8, "0.385356", posteriors(without(a, "E1"))["H3"])

    def test_each_record_is_rescoring(self) -> None:
        """A record is the file re-scored without the line, not its contribution subtracted."""
        a = example(8)
        s = assess.score(a)
        for pin in sensitivity.linchpins(s):
            again = assess.score(without(a, *pin.members))
            change = again.hypothesis("H1").posterior - s.hypothesis("H1").posterior
            assert change == pytest.approx(pin.leader_posterior_change, abs=1e-12)

    def test_subtracting_alone(self) -> None:
        """Subtracting E1's tempered contribution, E2 left at 5/6, would give P(H1) = 0.284951."""
        s = assess.score(example(8))
        [e1] = [c for c in sensitivity.line_contributions(s) if c.line == "E1"]
        logs = [h.log_likelihood - c for h, c in zip(s.hypotheses, e1.log_likelihood, strict=True)]
        naive = normalised([math.exp(v) for v in logs])
        printed(8, "0.284951", naive[0])
        assert naive == pytest.approx(
            normalised([0.725 ** (5 / 6) * 0.275, 0.275 ** (5 / 6) * 0.725, 0.5 ** (5 / 6) * 0.5])
        )


# ------------------------------------------------------------------ section 9


class TestMonteCarlo:
    """Section 9: grades per source, F over A-E, drawn priors and table, per-factor stability."""

    def test_settings_and_defaults(self) -> None:
        """The defaults and keys the page states."""
        text = prose(9)
        defaults = assess.Scoring()
        assert (defaults.draws, defaults.seed, defaults.perturbation) == (10_000, 0, 0.2)
        assert "(default 10,000, `scoring.draws`, at most 10,000,000)" in text
        assert "(default p = 0.2, `scoring.perturbation`)" in text
        assert "(default seed 0, `scoring.seed`)" in text
        assert defaults.prior_concentration == 50.0
        assert "c = `scoring.prior_concentration` (default 50, finite and above 0)" in text
        assert defaults.likelihood_jitter == 0.1
        assert "j = `scoring.likelihood_jitter` (default 0.1, in [0, 1); 0 keeps the table)" in text
        printed(9, "0.070", math.sqrt(0.5 * 0.5 / (defaults.prior_concentration + 1)))
        table_ = [defaults.likelihoods[assess.Rating(r)] for r in ("CC", "C", "N", "I", "II")]
        room = [defaults.likelihood_jitter * min(v, 1 - v) for v in table_]
        assert room == pytest.approx([0.005, 0.02, 0.05, 0.02, 0.005])
        assert "0.005, 0.02, 0.05, 0.02 and 0.005" in text
        assert sensitivity.FACTORS == ("ratings", "grades", "priors", "likelihoods")

    def test_point_estimate(self) -> None:
        """The blog's F weighs as D: q = 0.1875 against the police's 0.375."""
        a = example(9)
        s = assess.score(a)
        assert [h.prior for h in s.hypotheses] == [0.5, 0.25, 0.25]
        assert [line.quality for line in s.lines] == [0.375, 0.1875, 0.1875]
        assert [line.tempering for line in s.lines] == pytest.approx([1.0, 5 / 6, 5 / 6])
        for h, figure in (("H1", "0.552367"), ("H2", "0.254634"), ("H3", "0.193000")):
            printed(9, figure, s.hypothesis(h).posterior)
        [yes] = [x for x in s.answers if x.answer == "yes"]
        printed(9, "0.552", yes.probability)

    def test_each_grade_of_the_blog(self) -> None:
        """Scored with the blog at each grade, H1 leads for C, D, E and H2 for A, B."""
        a = example(9)
        text = prose(9)
        expected = {"A": "H2", "B": "H2", "C": "H1", "D": "H1", "E": "H1"}
        for grade, leader in expected.items():
            blog = attrs.evolve(a.sources[1], reliability=grade)
            s = assess.score(attrs.evolve(a, sources=[a.sources[0], blog]))
            top = s.ranking[0]
            assert top.id == leader
            assert f"{grade} ({top.posterior:.3f})" in text
            if grade == "C":
                [no] = [x for x in s.answers if x.answer == "no"]
                assert f'"no" ({no.probability:.3f})' in text
                assert no.probability > s.hypothesis("H1").posterior
        assert sum(leader == "H1" for leader in expected.values()) == 3
        assert "about 3/5 of the draws" in text

    def test_figures_of_seed_0(self) -> None:
        """The per-factor, per-hypothesis and per-answer figures of seed 0, 10,000 draws."""
        result = assess.analyse(example(9))
        mc = result.sensitivity
        assert (mc.draws, mc.seed, mc.perturbation, mc.jitter) == (10_000, 0, 0.0, 0.0)
        assert mc.leader == "H1"
        [head, row] = table(9, "factor moving alone")
        assert head[1:] == ["ratings", "grades", "priors", "likelihood table"]
        assert row[1:] == [percent(s) for s in mc.factor_stability]
        assert row[1:] == ["100.0%", "60.2%", "99.0%", "100.0%"]
        # A factor that does not move keeps the leader in every draw.
        assert (mc.factor("ratings"), mc.factor("likelihoods")) == (1.0, 1.0)
        assert mc.most_sensitive == "grades"
        assert "The conclusion is most sensitive to the grades." in prose(9)
        assert any("most sensitive to the sources' grades" in r for r in result.confidence.reasons)
        text = prose(9)
        for h, figure in (("H1", "69.4%"), ("H2", "30.5%"), ("H3", "0.1%")):
            assert percent(mc.of(h)[0]) == figure
            assert f"{h} in {figure}" in text or f"{h} leads in {figure}" in text
        _, (low, _, high) = mc.of("H1")
        assert f"{low:.3f}\N{EN DASH}{high:.3f}" == "0.277\N{EN DASH}0.666"
        assert "0.277\N{EN DASH}0.666" in text
        yes, _ = mc.of_answer("yes")
        assert percent(yes) == "45.2%"
        assert "the higher in only 45.2% of the draws" in text

    def test_grades_alone_near_three_fifths(self) -> None:
        """F is drawn evenly over A-E: the grades alone keep H1 in about 3 of 5 draws."""
        mc = assess.analyse(example(9)).sensitivity
        assert abs(mc.factor("grades") - 3 / 5) < 4 * math.sqrt(0.24 / mc.draws)

    def test_same_seed_same_figures(self) -> None:
        """The same seed gives the same figures bit for bit; seed 1 gives those the page prints."""
        a = example(9)
        first = assess.analyse(a).sensitivity.to_json()
        assert assess.analyse(a).sensitivity.to_json() == first
        other = assess.analyse(a, seed=1).sensitivity
        assert percent(other.factor("grades")) == "59.3%"
        assert percent(other.of("H1")[0]) == "68.4%"
        assert "seed 1 gives 59.3% for the grades and 68.4% overall" in prose(9)

    def test_item_by_item_would_be_19_of_25(self) -> None:
        """
        Had the blog's grade moved item by item, H1 would lead in 19 of the 25 pairs.

        Each item gets a blog of its own, both in one party with rho_party = 0.2, so that
        each line keeps the tempering 5/6 it has from one source; the grades then vary
        independently.
        """
        a = example(9)
        police, blog = a.sources
        scoring = attrs.evolve(
            a.scoring, dependence=attrs.evolve(a.scoring.dependence, same_party=0.2)
        )

        def split(g2: str, g3: str) -> assess.Assessment:
            blogs = [
                attrs.evolve(blog, id=f"blog-{item}", reliability=grade, party="blog")
                for item, grade in (("E2", g2), ("E3", g3))
            ]
            items = [
                e if e.id == "E1" else attrs.evolve(e, source=f"blog-{e.id}") for e in a.evidence
            ]
            return attrs.evolve(a, sources=[police, *blogs], evidence=items, scoring=scoring)

        same = assess.score(split("F", "F"))
        assert [line.tempering for line in same.lines] == pytest.approx([1.0, 5 / 6, 5 / 6])
        assert [h.posterior for h in same.hypotheses] == pytest.approx(
            list(posteriors(a).values()), abs=1e-12
        )
        leads = sum(
            assess.score(split(g2, g3)).ranking[0].id == "H1"
            for g2, g3 in itertools.product("ABCDE", repeat=2)
        )
        assert leads == 19
        assert "19 of the 25 equally likely pairs of grades, 76%, instead of 3 of 5" in prose(9)


# ------------------------------------------------------------------ section 10


class TestConfidence:
    """Section 10: weight of evidence, parties, interested share, stability, assumptions."""

    def test_rule_table(self) -> None:
        """The thresholds and keys of the rule are the defaults of scoring.confidence."""
        rule = assess.Scoring().confidence
        rows = {row[0]: row[1:] for row in table(10, "level")[1:]}
        assert rows["high"] == [
            f"\N{GREATER-THAN OR EQUAL TO} {rule.high_weight:g} dB (`high_weight`)",
            f"\N{GREATER-THAN OR EQUAL TO} {rule.high_support} (`high_support`)",
            f"\N{LESS-THAN OR EQUAL TO} {rule.high_interested_share:g} (`high_interested_share`)",
            f"\N{GREATER-THAN OR EQUAL TO} {rule.high_stability:g} (`high_stability`)",
            "passes",
        ]
        assert rows["moderate"] == [
            f"\N{GREATER-THAN OR EQUAL TO} {rule.moderate_weight:g} dB (`moderate_weight`)",
            f"\N{GREATER-THAN OR EQUAL TO} {rule.moderate_support} (`moderate_support`)",
            (
                f"\N{LESS-THAN OR EQUAL TO} {rule.moderate_interested_share:g}"
                " (`moderate_interested_share`)"
            ),
            f"\N{GREATER-THAN OR EQUAL TO} {rule.moderate_stability:g} (`moderate_stability`)",
            "not needed",
        ]
        assert (rule.high_weight, rule.moderate_weight) == (20.0, 10.0)
        assert (rule.high_support, rule.moderate_support) == (3, 2)
        assert (rule.high_interested_share, rule.moderate_interested_share) == (0.25, 0.5)
        assert (rule.high_stability, rule.moderate_stability) == (0.9, 0.7)

    def test_every_rating_pair_counts(self) -> None:
        """C against N from an A1 source is 2.04 dB."""
        printed(10, "2.04", 10 * math.log10(0.8 / 0.5))

    def test_odds(self) -> None:
        """10 and 20 dB from even odds between two hypotheses give 0.91 and 0.99."""
        for db, figure in ((10, "0.91"), (20, "0.99")):
            odds = 10 ** (db / 10)
            printed(10, figure, odds / (1 + odds))

    def test_posteriors_and_tempering(self) -> None:
        """H1 leads, H2 is the runner-up; the wire's lines count 5/6, the government's 2/3."""
        s = assess.score(example(10))
        for h, figure in (("H1", "0.879428"), ("H2", "0.062890"), ("H3", "0.057681")):
            printed(10, figure, s.hypothesis(h).posterior)
        assert [h.id for h in s.ranking] == ["H1", "H2", "H3"]
        assert [line.tempering for line in s.lines] == pytest.approx(
            [5 / 6, 5 / 6, 1, 2 / 3, 2 / 3, 1]
        )

    def test_line_weights(self) -> None:
        """Each row of the table is the line's quality, likelihoods, tempering and weight."""
        s = assess.score(example(10))
        weights = analysis.line_weights(s, "H1", "H2")
        rows = table(10, "line")
        assert [row[0] for row in rows[1:]] == [line.id for line in s.lines]
        for row, line, weight in zip(rows[1:], s.lines, weights, strict=True):
            _, q, ell1, ell2, db, t, shown_weight = row
            assert shown(q, line.quality)
            [item] = [e for e in example(10).evidence if e.id == line.id]
            for ell, rating in ((float(ell1), "H1"), (float(ell2), "H2")):
                cell = item.ratings[rating]
                assert isinstance(cell, assess.Rating)
                likelihood = assess.Scoring().likelihoods[cell]
                assert ell == pytest.approx(line.quality * likelihood + (1 - line.quality) / 2)
            assert shown(db.translate(SIGNS), 10 * math.log10(float(ell1) / float(ell2)))
            assert arithmetic(t) == pytest.approx(line.tempering)
            assert shown(shown_weight.translate(SIGNS), float(weight))

    def test_inputs_and_level(self) -> None:
        """W = 11.4562 dB, 4 sources, 3 parties, share 0.191, stability 1: moderate."""
        result = assess.analyse(example(10))
        c = result.confidence
        assert (c.leader, c.runner_up, c.level) == ("H1", "H2", "moderate")
        printed(10, "11.4562", c.weight_db)
        assert "(printed 11.5)" in prose(10)
        weight_reason = "the weight of evidence for H1 over H2 is 11.5 dB"
        assert any(r.startswith(weight_reason) for r in c.reasons)
        assert (c.sources, c.parties) == (4, 3)
        assert "four sources" in prose(10)
        assert "three parties" in prose(10)
        assert c.supporting_lines == ("E1", "E2", "E3", "E4", "E5")
        weights = analysis.line_weights(result.scores, "H1", "H2")
        supporting = math.fsum(w for w in weights if w > 0)
        printed(10, "12.7689", supporting)
        printed(10, "2.4387", weights[3] + weights[4])
        printed(10, "0.191", c.interested_share)
        assert c.interested_share == pytest.approx((weights[3] + weights[4]) / supporting)
        assert any(r.startswith("19% of the weight for H1") for r in c.reasons)
        assert c.stability == 1.0
        assert c.assumptions_pass
        assert "the confidence is **moderate**" in prose(10)
        self_serving = {f.subject for f in result.flags if f.code == "self-serving"}
        assert self_serving == {"E4", "E5"}

    def test_without_the_party(self) -> None:
        """Without `party:`, W = 12.6755 dB from four parties, share 0.262: still moderate."""
        text = example_text(10).replace(", party: government", "")
        c = assess.analyse(assess.loads(text), draws=2000).confidence
        printed(10, "12.6755", c.weight_db)
        assert c.parties == 4
        assert "four parties" in prose(10)
        printed(10, "0.262", c.interested_share)
        assert c.interested_share > assess.Scoring().confidence.high_interested_share
        assert arithmetic("3.6581 / 13.9883") == pytest.approx(c.interested_share, abs=1e-4)
        assert "3.6581 / 13.9883 = 0.262" in prose(10)
        assert c.level == "moderate"


# ------------------------------------------------------------------ section 12


class TestFlags:
    """Section 12: self-serving by direction, interested lines, weak linchpins."""

    def test_codes(self) -> None:
        """The table lists the three codes, in the new names."""
        rows = table(12, "code")
        assert [row[0] for row in rows[1:]] == [
            "`self-serving`",
            "`interested-line`",
            "`weak-linchpin`",
        ]
        assert "cluster" not in prose(12)

    def test_old_threshold_could_not_fire(self) -> None:
        """A D3 item offers at most 0.98 dB, below the first model's 3 dB."""
        q = 0.25 * 0.5
        best = 10 * math.log10((q * 0.95 + (1 - q) / 2) / (q * 0.05 + (1 - q) / 2))
        printed(12, "0.98", best)
        assert "10 log10(0.55625 / 0.44375) = 0.98 dB" in prose(12)
        assert best < analysis.SELF_SERVING_DB

    def test_lines_and_qualities(self) -> None:
        """Four lines, none tempered; qualities 0.125, 0.1875, 0.125, 0.375."""
        s = assess.score(example(12))
        assert [(line.id, line.members) for line in s.lines] == [
            ("E1", ("E1", "E2")),
            ("E3", ("E3",)),
            ("E4", ("E4",)),
            ("E5", ("E5",)),
        ]
        assert [line.quality for line in s.lines] == [0.125, 0.1875, 0.125, 0.375]
        assert [line.tempering for line in s.lines] == [1.0, 1.0, 1.0, 1.0]

    def test_table(self) -> None:
        """Each row's arithmetic, normalised, is the posterior of the file without those lines."""
        a = example(12)
        rows = table(12, "lines")
        left_out = {"all": (), "without E1 (+E2)": ("E1", "E2"), "without E4": ("E4",)}
        assert [row[0] for row in rows[1:]] == list(left_out)
        for label, *cells, leader in rows[1:]:
            products = normalised([worked(cell) for cell in cells])
            again = assess.score(without(a, *left_out[label]))
            assert [h.posterior for h in again.hypotheses] == pytest.approx(products, abs=1e-12)
            assert again.ranking[0].id == leader
        p = posteriors(a)
        for h, figure in (("H1", "0.382655"), ("H2", "0.399737"), ("H3", "0.217607")):
            printed(12, figure, p[h])
        printed(12, "0.387708", posteriors(without(a, "E1", "E2"))["H2"])
        printed(12, "0.375698", posteriors(without(a, "E4"))["H2"])

    def test_flags(self) -> None:
        """Self-serving and interested-line on E1, weak-linchpin on E1 and E4, nothing on E3."""
        a = example(12)
        result = assess.analyse(a, draws=FEW)
        assert [(f.code, f.subject) for f in result.flags] == [
            ("self-serving", "E1"),
            ("interested-line", "E1"),
            ("weak-linchpin", "E1"),
            ("weak-linchpin", "E4"),
        ]
        [serving] = [f for f in result.flags if f.code == "self-serving"]
        assert "favours H2, H3 over H1, with the leader H2" in serving.reason
        assert "adds 0.34 dB to H2 against H1" in serving.reason
        printed(12, "3.98", 10 * math.log10(0.5 / 0.2))
        printed(12, "0.34", 10 * math.log10(0.5 / (0.125 * 0.2 + 0.875 * 0.5)))
        pins = {pin.line: pin for pin in result.linchpins}
        assert [line for line, pin in pins.items() if pin.leader_changes] == ["E1", "E4"]
        assert {pins["E1"].new_leader, pins["E4"].new_leader} == {"H1"}

    def test_flags_change_no_score(self) -> None:
        """The same file with no source interested scores the same; its flags differ."""
        a = example(12)
        plain = attrs.evolve(a, sources=[attrs.evolve(s, interested=False) for s in a.sources])
        assert posteriors(plain) == posteriors(a)
        codes = {f.code for f in assess.analyse(plain, draws=FEW).flags}
        assert codes == {"weak-linchpin"}
