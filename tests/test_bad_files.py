"""
The corpus of bad assessment files: every problem reported, each where it is.

Each ``data/bad/NAME.yaml`` has a sibling ``NAME.expected`` that lists every
problem the loader must report for it, one per line, in the loader's order
(by position)::

    LINE:COL: PATH: MESSAGE
    LINE:COL: MESSAGE            (when the path is empty)

``-:-`` stands for ``LINE:COL`` when a problem has no position (an empty
file).  A YAML syntax error's message may be written ``YAML syntax error: *``,
which matches any message that starts ``YAML syntax error:``: libyaml and
PyYAML's pure-Python parser word these differently, but the line and column
are still pinned exactly.

Documents quoted by the corpus live in ``data/docs``; the corpus is loaded
with ``data`` as the root that document paths must stay inside.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import assess

DATA = Path(__file__).parent / "data"
BAD = DATA / "bad"
CASES = sorted(BAD.glob("*.yaml"))
ANY_SYNTAX_ERROR = "YAML syntax error: *"


def _position(value: int | None) -> str:
    return "-" if value is None else str(value)


def render(problem: assess.Problem) -> str:
    """A problem as a line of an ``.expected`` file."""
    where = f"{_position(problem.line)}:{_position(problem.column)}"
    what = f"{problem.path}: {problem.message}" if problem.path else problem.message
    return f"{where}: {what}"


def resolve(expected: str, actual: str | None) -> str:
    """``expected``, with a syntax-error wildcard replaced by ``actual`` when it matches."""
    if actual is not None and expected.endswith(ANY_SYNTAX_ERROR):
        prefix = expected.removesuffix("*")
        if actual.startswith(prefix):
            return actual
    return expected


def read_expected(path: Path) -> list[str]:
    """The expected problem lines of a bad file."""
    return path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()


def test_corpus_is_not_empty() -> None:
    """The corpus holds bad files, so the parametrised test below cannot pass vacuously."""
    assert CASES


def test_every_bad_file_has_its_expectations() -> None:
    """Every .yaml in the corpus has a .expected file and every .expected has its .yaml."""
    yamls = {path.stem for path in BAD.glob("*.yaml")}
    expectations = {path.stem for path in BAD.glob("*.expected")}
    assert sorted(yamls - expectations) == []
    assert sorted(expectations - yamls) == []


@pytest.mark.parametrize("path", CASES, ids=[path.stem for path in CASES])
def test_bad_file_reports_exactly_its_problems(path: Path) -> None:
    """Loading a bad file raises InputError with exactly the expected problems, in order."""
    expected = read_expected(path)
    assert expected, f"{path.with_suffix('.expected').name} lists no problems"

    with pytest.raises(assess.InputError) as raised:
        assess.load(path, root=DATA)

    problems = raised.value.problems
    actual = [render(problem) for problem in problems]
    padded = actual + [None] * (len(expected) - len(actual))
    assert actual == [resolve(line, got) for line, got in zip(expected, padded, strict=False)]
    assert {problem.file for problem in problems} == {str(path)}
