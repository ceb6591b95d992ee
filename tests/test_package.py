"""The package as users meet it: API surface, version, start-up, README and shipped files."""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

import assess
from assess._version import DISTRIBUTION

ROOT = Path(__file__).resolve().parent.parent


class TestPublicApi:
    """A small public API re-exported from assess/__init__.py."""

    def test_all_is_sorted_and_complete(self) -> None:
        """__all__ is sorted without a name twice, every name resolves, dir() shows exactly it."""
        assert list(assess.__all__) == sorted(set(assess.__all__))
        for name in assess.__all__:
            assert getattr(assess, name) is not None
        assert dir(assess) == list(assess.__all__)

    def test_unknown_attribute(self) -> None:
        """A name the package does not have is an AttributeError."""
        with pytest.raises(AttributeError, match="no attribute 'nope'"):
            _ = assess.nope

    def test_version_matches_metadata(self) -> None:
        """__version__ is the installed distribution's version."""
        assert assess.__version__ == importlib.metadata.version(DISTRIBUTION)

    def test_import_is_light(self) -> None:
        """`import assess` loads neither PyYAML nor numpy."""
        code = "import sys, assess; print(sorted({'yaml', 'numpy'} & set(sys.modules)))"
        result = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        assert result.stdout.strip() == "[]"


class TestShippedFiles:
    """What the repository ships is valid and where the design card puts it."""

    def test_seeds_are_the_five_source_documents(self) -> None:
        """seeds/ holds the five founding documents."""
        assert len(list((ROOT / "seeds").glob("*.txt"))) == 5

    def test_shipped_assessments_are_valid(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Every assessment under assessments/ loads without a problem."""
        monkeypatch.chdir(ROOT)
        files = sorted((ROOT / "assessments").glob("*.yaml"))
        assert files
        for file in files:
            assessment = assess.load(file.relative_to(ROOT))
            assert len(assessment.hypotheses) >= 2
            assert assessment.evidence
            quoted = [e for e in assessment.evidence if e.quote]
            assert quoted, "the worked assessment quotes its documents"


def run_python_blocks(page: Path) -> str:
    """Run every ```python block of a Markdown page in order; return what they printed."""
    text = page.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert blocks, f"{page.name} has no Python example"
    out = io.StringIO()
    namespace: dict[str, object] = {}
    with contextlib.redirect_stdout(out):
        for block in blocks:
            exec(compile(block, page.name, "exec"), namespace)  # noqa: S102 -- our own docs
    return out.getvalue()


class TestReadme:
    """The examples in the README and the docs run as written."""

    def test_python_example(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Every ```python block in README.md runs from the repository root."""
        monkeypatch.chdir(ROOT)
        printed = run_python_blocks(ROOT / "README.md")
        assert "Is Russia materially supporting the Afghan Taliban?" in printed
        assert "sha256:" in printed
        assert "error: id: 'H 3' is not a valid id" in printed

    def test_format_reference_example(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The Python example in docs/format.md runs and prints what the page says."""
        monkeypatch.chdir(tmp_path)
        printed = run_python_blocks(ROOT / "docs" / "format.md")
        assert "reliability cannot be judged" in printed
        assert "quote not found in document 'w1-interview'" in printed

    def test_setup_commands(self) -> None:
        """The README holds the two set-up commands, and .ci/run runs the test one exactly."""
        text = (ROOT / "README.md").read_text(encoding="utf-8")
        commands = re.findall(r"```sh\n(python3 -m venv .*?)\n```", text)
        assert len(commands) == 2
        main_job, tests = commands
        assert "assess report assessments/russia-taliban-support.yaml" in main_job
        assert tests.endswith("python -m pytest")
        assert tests in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
