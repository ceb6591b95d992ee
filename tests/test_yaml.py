"""Reading YAML safely and by YAML 1.2 rules."""

from __future__ import annotations

import resource
import time
from collections.abc import Iterator
from typing import cast

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import assess
from assess.io import yaml_reader as _yaml
from assess.model import assessment as model

TOO_DEEP = f"nesting deeper than {_yaml.MAX_DEPTH} levels is not allowed"
BACKENDS = {"libyaml": getattr(yaml, "CSafeLoader", None), "python": yaml.SafeLoader}


@pytest.fixture(params=sorted(BACKENDS))
def backend(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Run a test with each YAML parser PyYAML offers: its C libyaml and pure Python."""
    loader = BACKENDS[request.param]
    if loader is None:  # pragma: no cover - PyYAML built without libyaml
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(_yaml, "_Loader", loader)
    return str(request.param)


def _first_too_deep(text: str) -> tuple[int, int]:
    """Line and column of the first collection that goes one level past the cap."""
    index = [i for i, c in enumerate(text) if c in "[{"][_yaml.MAX_DEPTH]
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


VALID = """\
assessment: a
title: T
hypotheses:
  - {id: H1, statement: S1}
  - {id: H2, statement: S2}
"""


def problems(text: str | bytes) -> list[tuple[int | None, int | None, str, str]]:
    """(line, column, path, message) of every problem in ``text``."""
    with pytest.raises(assess.InputError) as caught:
        assess.loads(text)
    return [(p.line, p.column, p.path, p.message) for p in caught.value.problems]


class TestYaml12Scalars:
    """Plain scalars resolve by the YAML 1.2 core schema, never by YAML 1.1's."""

    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("NO", "NO"),
            ("no", "no"),
            ("off", "off"),
            ("On", "On"),
            ("yes", "yes"),
            ("y", "y"),
            ("1:20", "1:20"),
            ("1_000", "1_000"),
            ("2018-02-01", "2018-02-01"),
            ("true", True),
            ("False", False),
            ("null", None),
            ("~", None),
            ("", None),
            ("12", 12),
            ("-3", -3),
            ("012", 12),
            ("0o17", 15),
            ("0x1F", 31),
            ("0.5", 0.5),
            (".5", 0.5),
            ("1e5", 100000.0),
            ("-.inf", float("-inf")),
        ],
    )
    def test_plain_scalars(self, text: str, value: object) -> None:
        """Each plain scalar resolves to the YAML 1.2 core type, or stays text."""
        resolved = _yaml.resolve_plain(text)
        assert resolved == value
        assert type(resolved) is type(value)

    def test_nan(self) -> None:
        """.nan is a float NaN."""
        resolved = _yaml.resolve_plain(".nan")
        assert isinstance(resolved, float)
        assert resolved != resolved  # noqa: PLR0124 -- NaN is the one value unequal to itself

    def test_quoted_numbers_stay_text(self) -> None:
        """A quoted '0.5' is text, so a prior written so is refused, not converted."""
        text = VALID.replace("{id: H1, statement: S1}", "{id: H1, statement: S1, prior: '0.5'}")
        assert problems(text)[0] == (
            4,
            36,
            "hypotheses[0].prior",
            "expected a number, got the string '0.5'",
        )

    def test_yes_is_refused_where_a_boolean_is_wanted(self) -> None:
        """`interested: yes` is text under YAML 1.2, and is refused rather than guessed."""
        text = VALID + "sources:\n  - {id: s, name: N, reliability: A, interested: yes}\n"
        assert problems(text) == [
            (7, 50, "sources[0].interested", "expected true or false, got the string 'yes'")
        ]

    def test_norway_stays_text(self) -> None:
        """A title of NO is the text 'NO', not false."""
        assert assess.loads(VALID.replace("title: T", "title: NO")).title == "NO"


class TestHostileInput:
    """Bombs, deep nesting and unsafe tags are refused quickly, without a crash."""

    def test_alias_bomb(self) -> None:
        """The billion-laughs alias bomb (under 1 KB) is refused at its first alias."""
        lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
        lines += [f"a{i}: &a{i} [{','.join(['*a' + str(i - 1)] * 9)}]" for i in range(1, 10)]
        bomb = "\n".join(lines) + "\n"
        assert len(bomb.encode()) < 1024
        start = time.perf_counter()
        found = problems(bomb)
        assert time.perf_counter() - start < 1.0
        assert (1, 5, "a0", "anchors (&a0) are not allowed; write the value out") in found
        assert any(m.startswith("aliases (*a0) are not allowed") for *_, m in found)

    def test_merge_key_bomb(self) -> None:
        """Merge keys with aliases (exponential inside PyYAML's constructor) are refused."""
        lines = ["a0: &a0 {x: 1}"]
        lines += [f"a{i}: &a{i} {{<<: [*a{i - 1}, *a{i - 1}]}}" for i in range(1, 40)]
        start = time.perf_counter()
        found = problems("\n".join(lines))
        assert time.perf_counter() - start < 1.0
        assert any("anchors" in m for *_, m in found)

    def test_merge_key_without_alias(self) -> None:
        """A merge key is refused even with an inline mapping: keys must be written out."""
        found = problems(VALID + "<<: {question: Q}\n")
        assert found == [(6, 1, "", "merge keys (<<) are not allowed; write the keys out")]

    @pytest.mark.usefixtures("backend")
    @pytest.mark.parametrize("opening", ["[", "{a: ", "[\n", "{a: [\n"])
    def test_deep_nesting(self, opening: str) -> None:
        """
        A 100 KB document nested 50,000 levels deep is refused in under a second.

        Each backend is tried: libyaml from PyYAML 6.0.3 on refuses flow
        nesting past 1,000 levels itself, before our cap is reached.
        """
        depth = 50_000
        closing = "".join({"[": "]", "{": "}"}.get(c, "") for c in reversed(opening))
        text = opening * depth + "x" + closing * depth
        assert len(text.encode()) >= 100_000
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        found = problems(text)
        assert time.perf_counter() - start < 1.0
        # Peak memory grows by far less than the 50,000-level tree would need.
        grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        assert grown_kib < 50_000
        assert [m for *_, m in found] == [TOO_DEEP]
        assert found[0][:2] == _first_too_deep(text)

    @pytest.mark.usefixtures("backend")
    @pytest.mark.parametrize("depth", [_yaml.MAX_DEPTH, 999, 1_000, 1_001, 1_500])
    def test_depth_around_libyaml_limit(self, depth: int) -> None:
        """On either side of libyaml's own limit, the message and position are ours."""
        found = problems("a: " + "[" * depth + "x" + "]" * depth + "\n")
        # The root mapping is the first level, so the 64th bracket is one too many.
        path = "a" + "[0]" * (_yaml.MAX_DEPTH - 1)
        assert found == [(1, 4 + _yaml.MAX_DEPTH - 1, path, TOO_DEEP)]

    @pytest.mark.parametrize(
        ("cap", "expected"),
        [
            # Our cap below the parser's limit: reported where the file passes our cap.
            (50, (2, 5 + 48, "k" + "[0]" * 49, "nesting deeper than 50 levels is not allowed")),
            # Our cap above it: still our message, at the spot the parser refused.
            (200, (2, 5 + 98, "", "nesting deeper than 200 levels is not allowed")),
        ],
    )
    def test_stricter_parser_refusal_is_translated(
        self,
        monkeypatch: pytest.MonkeyPatch,
        cap: int,
        expected: tuple[int, int, str, str],
    ) -> None:
        """
        Whatever depth the parser refuses at, the user meets our message, never its own.

        A parser refusing at 100 levels, earlier than any libyaml does today,
        stands in for the next version.
        """
        real_parse = yaml.parse

        def stricter(text: str, Loader: type) -> Iterator[yaml.Event]:  # noqa: N803
            depth = 0
            for event in real_parse(text, Loader=Loader):
                depth += isinstance(event, yaml.CollectionStartEvent)
                depth -= isinstance(event, yaml.CollectionEndEvent)
                if depth > 100:
                    mark = cast("yaml.Mark", event.start_mark)
                    raise yaml.scanner.ScannerError(
                        "while increasing flow level", mark, "exceeded maximum nesting depth", mark
                    )
                yield event

        monkeypatch.setattr(yaml, "parse", stricter)
        monkeypatch.setattr(_yaml, "MAX_DEPTH", cap)
        assert problems("k:\n  - " + "[" * 300 + "]" * 300 + "\n") == [expected]

    @pytest.mark.usefixtures("backend")
    def test_deep_block_nesting(self) -> None:
        """Deep block sequences ('- - - ...') are cut off at the same depth."""
        text = "".join("  " * i + "-\n" for i in range(2_000))
        found = problems(text)
        path = "[0]" * _yaml.MAX_DEPTH
        assert found == [(_yaml.MAX_DEPTH + 1, 2 * _yaml.MAX_DEPTH + 1, path, TOO_DEEP)]

    @pytest.mark.parametrize(
        "tag", ["!!python/object/apply:os.system ['true']", "!!python/name:os.system", "!!str x"]
    )
    def test_explicit_tags(self, tag: str) -> None:
        """Explicit tags, and above all !!python ones, are refused and never constructed."""
        found = problems(VALID + f"question: {tag}\n")
        refusals = [f for f in found if f[3].startswith("explicit tags (!!")]
        assert [f[:3] for f in refusals] == [(6, 11, "question")]

    def test_size_cap(self) -> None:
        """A file above the size limit is refused before it is parsed."""
        big = b"#" * (assess.io.loading.MAX_BYTES + 1)
        assert problems(big) == [
            (1, 1, "", f"the file is larger than {assess.io.loading.MAX_BYTES} bytes")
        ]

    def test_second_document(self) -> None:
        """A file holds one document: a second is refused."""
        found = problems(VALID + "---\n" + VALID)
        assert found == [(6, 1, "", "a file holds one YAML document; found a second")]

    def test_not_utf8(self) -> None:
        """Bytes that are not UTF-8 are refused with their position."""
        assert problems(b"title: caf\xe9\n") == [
            (1, 11, "", "the file is not UTF-8 text (byte 0xe9)")
        ]

    def test_control_character(self) -> None:
        """A control character YAML forbids is refused with its position."""
        found = problems("title: a\x07b\n")
        assert found[0][:2] == (1, 9)
        assert "not allowed in YAML" in found[0][3]


class TestDuplicateKeys:
    """Duplicate keys are refused, naming both lines."""

    def test_top_level(self) -> None:
        """A repeated top-level key names its first and second line."""
        found = problems(VALID + "title: Again\n")
        assert found == [(6, 1, "title", "duplicate key 'title': first at line 2, again at line 6")]

    def test_nested(self) -> None:
        """A repeated key in a nested flow mapping is found too."""
        text = VALID.replace("{id: H1, statement: S1}", "{id: H1, statement: S1, id: H3}")
        assert problems(text) == [
            (
                4,
                29,
                "hypotheses[0].id",
                "duplicate key 'id': first at line 4, again at column 29 of the same line",
            )
        ]


class TestNeverATraceback:
    """Whatever the text, loading raises nothing but the library's own InputError."""

    @given(st.text(max_size=300))
    @settings(max_examples=300)
    def test_random_text(self, text: str) -> None:
        """Random text either loads or raises InputError."""
        try:
            assess.loads(text)
        except assess.InputError as error:
            found = error.problems
        else:
            return
        assert found

    @given(
        st.lists(
            st.sampled_from(
                [
                    "assessment: a\n",
                    "title: t\n",
                    "hypotheses:\n",
                    "  - id: H1\n",
                    "    statement: s\n",
                    "    prior: 0.5\n",
                    "  - {id: H2, statement: s2}\n",
                    "evidence:\n",
                    "  - id: E1\n",
                    "    ratings: {H1: C}\n",
                    "    derived_from: [E1]\n",
                    "sources: []\n",
                    "- x\n",
                    "&a x: *a\n",
                    "  ? [a]\n  : b\n",
                    "{\n",
                    "'\n",
                    "\t- x\n",
                    "key: !tag v\n",
                ]
            ),
            max_size=12,
        )
    )
    @settings(max_examples=300)
    def test_random_fragments(self, fragments: list[str]) -> None:
        """Shuffled fragments of real and broken files load or raise InputError."""
        try:
            assess.loads("".join(fragments))
        except assess.InputError as error:
            found = error.problems
        else:
            return
        assert found
        for problem in found:
            assert problem.line is None or problem.line >= 1


class TestLongIntegers:
    """An integer of more than MAX_INTEGER_DIGITS digits is never converted, whatever its length."""

    CAP = model.MAX_INTEGER_DIGITS

    def test_at_the_cap_is_an_integer(self) -> None:
        """An integer of exactly MAX_INTEGER_DIGITS digits is read as an integer."""
        assert _yaml.resolve_plain("9" * self.CAP) == 10**self.CAP - 1

    @pytest.mark.parametrize(
        ("text", "digits", "negative"),
        [
            ("1" * 641, 641, False),
            ("-" + "1" * 5000, 5000, True),
            ("+" + "1" * 5000, 5000, False),
            ("0x" + "f" * 641, 641, False),
            ("0o" + "7" * 5000, 5000, False),
        ],
    )
    def test_past_the_cap_stands_in(self, text: str, digits: int, *, negative: bool) -> None:
        """Past the cap, a BadNumber stands in, counting the digits that were written."""
        assert _yaml.resolve_plain(text) == model.BadNumber.integer(digits, negative=negative)

    def test_leading_zeros_do_not_count(self) -> None:
        """5,000 leading zeros before 12 are still 12: what it is worth decides, not its width."""
        assert _yaml.resolve_plain("-" + "0" * 5000 + "12") == -12

    def test_a_million_digits_cost_nothing(self) -> None:
        """Resolving a million-digit integer is immediate: its digits are counted, not converted."""
        start = time.perf_counter()
        resolved = _yaml.resolve_plain("7" * 1_000_000)
        assert time.perf_counter() - start < 0.5
        assert resolved == model.BadNumber.integer(1_000_000)

    def test_quoted_stays_text(self) -> None:
        """Quoted digits are text: a 5,000-digit string is a valid note."""
        text = VALID + f"sources:\n  - {{id: s, name: N, reliability: A, notes: '{'7' * 5000}'}}\n"
        assert assess.loads(text).sources[0].notes == "7" * 5000

    def test_unquoted_in_text_is_a_type_problem(self) -> None:
        """Unquoted, it is an integer where text belongs, refused as `notes: 12` is."""
        text = VALID + f"sources:\n  - {{id: s, name: N, reliability: A, notes: {'7' * 5000}}}\n"
        assert problems(text) == [
            (7, 45, "sources[0].notes", "expected text, got an integer of 5000 digits")
        ]

    def test_canonical_form_quotes_digits(self) -> None:
        """Canonical form quotes a text of 5,000 digits, so that it reads back as text."""
        text = VALID + f"sources:\n  - {{id: s, name: N, reliability: A, notes: '{'7' * 5000}'}}\n"
        loaded = assess.loads(text)
        assert assess.loads(assess.dump(loaded)) == loaded


#: The line breaks YAML (and both of PyYAML's parsers) count.
BREAKS = {"LF": "\n", "CR": "\r", "CRLF": "\r\n", "NEL": "\x85", "LS": "\u2028"}


def _numbered(newline: str, bad_line: int, bad: str) -> str:
    """A valid file of 14 lines ending in ``newline``, with ``bad`` at the end of one line."""
    lines = [
        "assessment: a",
        "title: T",
        "hypotheses:",
        "  - id: H1",
        "    statement: S1",
        "  - id: H2",
        "    statement: S2",
        "sources:",
        "  - id: s",
        "    name: N",
        "    reliability: B",
        "    interested: false",
        "    notes: a note",
        "",
    ]
    lines[bad_line - 1] += bad
    return newline.join(lines)


class TestLineEnds:
    """Lines are counted as YAML counts them, so CR, CR LF and LF files report the same places."""

    @pytest.mark.parametrize("newline", sorted(BREAKS))
    def test_position(self, newline: str) -> None:
        """`position` counts every YAML line break, CR LF as one."""
        text = BREAKS[newline].join(["ab", "cd", "ef"])
        assert _yaml.position(text, text.index("f")) == (3, 2)
        assert _yaml.lines(text) == ["ab", "cd", "ef"]

    def test_form_feed_ends_no_line(self) -> None:
        """A form feed is no YAML line break, though str.splitlines splits there."""
        assert _yaml.lines("a\x0cb\nc") == ["a\x0cb", "c"]

    @pytest.mark.usefixtures("backend")
    @pytest.mark.parametrize("newline", sorted(BREAKS))
    def test_control_character(self, newline: str) -> None:
        """A control character on line 13 is reported on line 13, and that line is echoed."""
        text = _numbered(BREAKS[newline], 13, " \x07")
        with pytest.raises(assess.InputError) as caught:
            assess.loads(text)
        (problem,) = caught.value.problems
        assert (problem.line, problem.column) == (13, 19)
        assert problem.source_line == "    notes: a note \x07"

    @pytest.mark.usefixtures("backend")
    @pytest.mark.parametrize("newline", sorted(BREAKS))
    def test_bad_value(self, newline: str) -> None:
        """A wrong value on line 12 is reported there, and the line shown is line 12."""
        text = _numbered(BREAKS[newline], 12, "x").replace("false", "1e999")
        with pytest.raises(assess.InputError) as caught:
            assess.loads(text)
        (problem,) = caught.value.problems
        assert (problem.line, problem.column, problem.path) == (12, 17, "sources[0].interested")
        assert problem.source_line == "    interested: 1e999x"

    @pytest.mark.parametrize("newline", sorted(BREAKS))
    def test_syntax_error(self, newline: str) -> None:
        """A syntax error's line is the parser's, and the echoed line is the same line."""
        text = _numbered(BREAKS[newline], 10, ": [")
        with pytest.raises(assess.InputError) as caught:
            assess.loads(text)
        (problem,) = caught.value.problems
        assert problem.line is not None
        assert problem.source_line == _yaml.lines(text)[problem.line - 1]
        assert problem.line >= 10

    @pytest.mark.parametrize("newline", ["\n", "\r", "\r\n"])
    @pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"])
    def test_not_utf8(self, newline: str, bom: bytes) -> None:
        """A byte that is not UTF-8 on line 13 is reported there, a byte-order mark or not."""
        data = bom + _numbered(newline, 13, " caf\xe9").encode("latin-1")
        assert problems(data) == [(13, 22, "", "the file is not UTF-8 text (byte 0xe9)")]
