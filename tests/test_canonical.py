"""Canonical YAML, canonical data and the content digest."""

from __future__ import annotations

import json
import re

import attrs
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import assess
from strategies import assessments

SMALL = """\
assessment: small
title: A small assessment
hypotheses:
  - id: H1
    statement: One thing happened.
  - id: H2
    statement: Another thing happened.
sources:
  - id: s1
    name: A source
    reliability: B
evidence:
  - id: E1
    summary: Something was seen.
    kind: physical
    source: s1
    credibility: 2
    ratings: {H1: C, H2: I}
"""


class TestRoundTrip:
    """load(dump(a)) == a: the canonical YAML holds the whole assessment."""

    @given(assessments())
    @settings(max_examples=150)
    def test_dump_then_load_is_identity(self, assessment: assess.Assessment) -> None:
        """Every valid assessment survives a trip through canonical YAML unchanged."""
        assert assess.loads(assess.dump(assessment)) == assessment

    @given(assessments())
    def test_dump_is_a_fixed_point(self, assessment: assess.Assessment) -> None:
        """Dumping what was loaded from a dump gives the same bytes."""
        text = assess.dump(assessment)
        assert assess.dump(assess.loads(text)) == text

    @given(assessments())
    def test_digest_survives_round_trip(self, assessment: assess.Assessment) -> None:
        """The digest depends on content only, so a round trip keeps it."""
        assert assess.digest(assess.loads(assess.dump(assessment))) == assess.digest(assessment)


class TestDigest:
    """The digest changes with any change of content and with nothing else."""

    def test_form(self) -> None:
        """A digest is 'sha256:' and 64 hex digits."""
        assert re.fullmatch(r"sha256:[0-9a-f]{64}", assess.digest(assess.loads(SMALL)))

    def test_comments_formatting_and_key_order_do_not_count(self) -> None:
        """Comments, flow versus block style and key order leave the digest alone."""
        reordered = """\
# A comment that changes nothing
title: "A small assessment"   # quoted now
assessment: small
evidence:
  - ratings:
      H2: I
      H1: C
    credibility: 2
    source: s1
    kind: physical
    summary: Something was seen.
    id: E1
sources: [{reliability: B, name: A source, id: s1}]
hypotheses:
  - {statement: One thing happened., id: H1}
  - statement: Another thing happened.
    id: H2
"""
        assert assess.digest(assess.loads(reordered)) == assess.digest(assess.loads(SMALL))

    def test_explicit_defaults_do_not_count(self) -> None:
        """Writing defaults out (medium relevance, NA, a default likelihood) changes nothing."""
        explicit = (
            SMALL.replace("    credibility: 2\n", "    credibility: 2\n    relevance: medium\n")
            .replace("{H1: C, H2: I}", "{H1: C, H2: I, H3: NA}")
            .replace("  - id: H2\n", "  - id: H3\n    statement: Neither.\n  - id: H2\n")
        )
        baseline = SMALL.replace(
            "  - id: H2\n", "  - id: H3\n    statement: Neither.\n  - id: H2\n"
        )
        explicit += "scoring:\n  likelihoods: {CC: 0.95}\n"
        assert assess.digest(assess.loads(explicit)) == assess.digest(assess.loads(baseline))

    def test_integer_and_float_priors_are_one_value(self) -> None:
        """A prior written 1 and one written 1.0 digest the same (they are equal)."""
        a = assess.Hypothesis(id="H", statement="s", prior=1)
        b = assess.Hypothesis(id="H", statement="s", prior=1.0)
        assert a == b
        assert isinstance(a.prior, float)

    @given(assessments(), st.data())
    def test_any_change_of_content_changes_the_digest(
        self, assessment: assess.Assessment, data: st.DataObject
    ) -> None:
        """Changing the title, a statement or a rating changes the digest."""
        before = assess.digest(assessment)
        which = data.draw(st.sampled_from(["title", "statement", "source-grade"]))
        if which == "title":
            changed = attrs.evolve(assessment, title=assessment.title + "!")
        elif which == "statement":
            first = assessment.hypotheses[0]
            hypotheses = (attrs.evolve(first, statement=first.statement + "!"),)
            changed = attrs.evolve(assessment, hypotheses=hypotheses + assessment.hypotheses[1:])
        else:
            source = assessment.sources[0]
            grade = assess.Reliability("A" if source.reliability != "A" else "B")
            sources = (attrs.evolve(source, reliability=grade), *assessment.sources[1:])
            changed = attrs.evolve(assessment, sources=sources)
        assert assess.digest(changed) != before


class TestOutcome:
    """The outcome block is content when given, and invisible when not."""

    def test_no_outcome_keeps_the_digest(self) -> None:
        """An assessment without an outcome digests exactly as before the block existed."""
        # The digest of SMALL computed before Outcome was added to the model.
        before = "sha256:9413c97a71ac5539830da8b151ffa2e187ed0b5572461b0ef4889377ed8760f0"
        assert assess.digest(assess.loads(SMALL)) == before
        assert "outcome" not in assess.to_data(assess.loads(SMALL))

    def test_outcome_is_content(self) -> None:
        """Adding an outcome, or changing any of its fields, changes the digest."""
        resolved = SMALL + "outcome: {hypothesis: H2, date: 2019-05-01, evidence: A report.}\n"
        digests = {
            assess.digest(assess.loads(text))
            for text in (
                SMALL,
                resolved,
                resolved.replace("H2, date", "H1, date"),
                resolved.replace("2019-05-01", "2019-05-02"),
                resolved.replace("A report.", "Another report."),
                resolved.replace(" date: 2019-05-01,", ""),
            )
        }
        assert len(digests) == 6

    def test_outcome_is_written_last_in_key_order(self) -> None:
        """Canonical YAML writes the outcome last, its keys as hypothesis, date, evidence."""
        text = SMALL + "outcome: {evidence: A report., date: '2019-05-01', hypothesis: H2}\n"
        dumped = assess.dump(assess.loads(text))
        assert dumped.endswith(
            "outcome:\n  hypothesis: H2\n  date: 2019-05-01\n  evidence: A report.\n"
        )
        assert assess.to_data(assess.loads(text))["outcome"] == {
            "hypothesis": "H2",
            "date": "2019-05-01",
            "evidence": "A report.",
        }


class TestCanonicalText:
    """What the canonical YAML looks like."""

    def test_documented_key_order_and_defaults_omitted(self) -> None:
        """Keys come in the documented order; defaults are left out; ratings stay on one line."""
        text = assess.dump(assess.loads(SMALL))
        assert text.splitlines()[:3] == [
            "assessment: small",
            "title: A small assessment",
            "hypotheses:",
        ]
        assert "relevance" not in text
        assert "scoring" not in text
        assert "    ratings: {H1: C, H2: I}" in text or "  ratings: {H1: C, H2: I}" in text

    def test_ratings_follow_hypothesis_order(self) -> None:
        """Ratings are written in the order the hypotheses are declared."""
        text = assess.dump(assess.loads(SMALL.replace("{H1: C, H2: I}", "{H2: I, H1: C}")))
        assert "ratings: {H1: C, H2: I}" in text

    def test_words_yaml_1_1_would_misread_are_quoted(self) -> None:
        """Text such as NO, 1e5 or 0o17 is quoted so that every YAML reader keeps it text."""
        for word in ["NO", "yes", "off", "1e5", "0o17", "1:20", "null", "~", "0.5"]:
            a = assess.loads(SMALL.replace("title: A small assessment", f"title: '{word}'"))
            text = assess.dump(a)
            assert yaml.safe_load(text)["title"] == word
            assert assess.loads(text).title == word

    def test_to_data_is_json_ready(self) -> None:
        """to_data gives plain JSON types, dates as YYYY-MM-DD."""
        a = assess.loads(
            SMALL.replace("    credibility: 2\n", "    credibility: 2\n    date: 2016-12-09\n")
        )
        data = assess.to_data(a)
        assert data["evidence"][0]["date"] == "2016-12-09"
        assert data["evidence"][0]["credibility"] == 2
        assert json.loads(json.dumps(data)) == data
