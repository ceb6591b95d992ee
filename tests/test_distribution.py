"""The distributions as users get them: the name on the index, the sdist and the wheel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

from assess._version import DISTRIBUTION, VERSION

ROOT = Path(__file__).resolve().parent.parent

# What a reader is told to type: `pip install` followed by its arguments,
# up to the end of the command (a closing backtick, quote-less newline or `&&`).
_PIP_INSTALL = re.compile(r"pip install((?: +[^\s`&;)]+)+)")
_LOCAL = re.compile(r"""^['"]?(\.|\./|/|\.\.)""")


def _instructions() -> list[tuple[str, int, str]]:
    """(file, line, requirement) of every package named by a `pip install` we ship."""
    files = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    files += sorted((ROOT / "src" / "assess").rglob("*.py"))
    files += sorted(p for p in (ROOT / "src" / "assess").rglob("templates/**/*") if p.is_file())
    found = []
    for file in files:
        # Messages in the code name the constant itself.
        text = file.read_text(encoding="utf-8").replace("{DISTRIBUTION}", DISTRIBUTION)
        for number, line in enumerate(text.splitlines(), 1):
            for match in _PIP_INSTALL.finditer(line):
                for word in match.group(1).split():
                    if word.startswith("-") or _LOCAL.match(word):
                        continue
                    found.append((str(file.relative_to(ROOT)), number, word.strip("'\"")))
    return found


class TestName:
    """The distribution is called by a name that is ours, wherever users are told to install it."""

    def test_pyproject_name(self) -> None:
        """pyproject.toml names the distribution as the package's own constant does."""
        with (ROOT / "pyproject.toml").open("rb") as file:
            project = tomllib.load(file)["project"]
        assert project["name"] == DISTRIBUTION
        assert project["scripts"] == {"assess": "assess.cli:main"}

    def test_install_instructions(self) -> None:
        """Every `pip install` in the README, docs and messages names this distribution."""
        found = _instructions()
        assert any(path == "README.md" for path, *_ in found)
        assert any(path.startswith("src/") for path, *_ in found)
        wrong = [f"{p}:{n}: {w}" for p, n, w in found if re.split(r"[\[=<>]", w)[0] != DISTRIBUTION]
        assert wrong == []

    def test_instruction_scan_finds_a_foreign_name(self) -> None:
        """The scan would catch the old name (a check that cannot fail checks nothing)."""
        match = _PIP_INSTALL.search("run `pip install -q 'assess[plots]'` first")
        assert match is not None
        assert match.group(1).split() == ["-q", "'assess[plots]'"]


def _git_files(*tops: str) -> set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-z", *tops], cwd=ROOT, capture_output=True, check=True
    )
    return {name for name in listed.stdout.decode().split("\0") if name}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """An sdist, and a wheel built from that sdist, by `python -m build`."""
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        check=True,
    )
    sdist = out / f"{DISTRIBUTION.replace('-', '_')}-{VERSION}.tar.gz"
    wheel = out / f"{DISTRIBUTION.replace('-', '_')}-{VERSION}-py3-none-any.whl"
    assert sdist.is_file()
    assert wheel.is_file()
    return sdist, wheel


@pytest.mark.skipif(not (ROOT / ".git").exists(), reason="needs the git checkout")
class TestDistributions:
    """`python -m build` makes an sdist and a wheel that work away from the repository."""

    def test_metadata_passes_twine_check(self, built: tuple[Path, Path]) -> None:
        """Neither distribution's metadata has a fault `twine check --strict` finds."""
        result = subprocess.run(
            [sys.executable, "-m", "twine", "check", "--strict", *map(str, built)],
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.count("PASSED") == 2

    def test_sdist_holds_what_the_tests_need(self, built: tuple[Path, Path]) -> None:
        """Every tracked file the tests read (code, tests, docs, data, examples) is in the sdist."""
        sdist, _ = built
        with tarfile.open(sdist) as archive:
            prefix = f"{DISTRIBUTION.replace('-', '_')}-{VERSION}/"
            members = {name.removeprefix(prefix) for name in archive.getnames()}
        tops = ["src", "tests", "docs", "seeds", "assessments", "benchmarks", "examples"]
        tops += [".ci", "constraints"]
        needed = _git_files(*tops) | {"pyproject.toml", "README.md", "CHANGELOG.md"}
        assert sorted(needed - members) == []

    def test_wheel_ships_the_schema(self, built: tuple[Path, Path]) -> None:
        """The JSON Schema and the files of `assess init` are in the wheel, as in the source."""
        _, wheel = built
        with zipfile.ZipFile(wheel) as archive:
            shipped = archive.read("assess/io/schema.json")
            names = set(archive.namelist())
        assert shipped == (ROOT / "src" / "assess" / "io" / "schema.json").read_bytes()
        template = ROOT / "src" / "assess" / "io" / "templates" / "init"
        for file in template.rglob("*"):
            if file.is_file():  # what `assess init` writes ships too
                assert f"assess/{file.relative_to(ROOT / 'src' / 'assess').as_posix()}" in names

    def test_wheel_works_outside_the_repository(
        self, built: tuple[Path, Path], tmp_path: Path
    ) -> None:
        """The wheel, installed in a fresh environment, reports on a copy of the worked case."""
        _, wheel = built
        environment = tmp_path / "venv"
        venv.create(environment, with_pip=True)
        python = environment / "bin" / "python"
        clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        clean["PYTHONDONTWRITEBYTECODE"] = "1"
        subprocess.run(
            [str(python), "-m", "pip", "install", "-q", str(wheel)],
            capture_output=True,
            check=True,
            env=clean,
        )
        work = tmp_path / "work"
        for folder in ("assessments", "seeds"):
            shutil.copytree(ROOT / folder, work / folder)
        where = subprocess.run(
            [str(python), "-c", "import assess; print(assess.__file__)"],
            capture_output=True,
            text=True,
            check=True,
            cwd=work,
            env=clean,
        )
        assert Path(where.stdout.strip()).is_relative_to(environment)
        result = subprocess.run(
            [
                str(environment / "bin" / "assess"),
                "report",
                "assessments/russia-taliban-support.yaml",
                "-o",
                "report.html",
            ],
            capture_output=True,
            text=True,
            check=False,
            cwd=work,
            env=clean,
        )
        assert result.returncode == 0, result.stderr
        html = (work / "report.html").read_text(encoding="utf-8")
        assert "Is Russia materially supporting the Afghan Taliban?" in html
        # Without the plots extra, the report says how to get it, by our name.
        assert f"pip install &#39;{DISTRIBUTION}[plots]&#39;" in html


class TestSupportedVersions:
    """The lowest supported versions are written once as bounds and once as pins, alike."""

    def test_constraints_pin_every_lower_bound(self) -> None:
        """constraints/lowest.txt pins each runtime dependency at its pyproject.toml bound."""
        with (ROOT / "pyproject.toml").open("rb") as file:
            dependencies = tomllib.load(file)["project"]["dependencies"]
        bounds = {}
        for requirement in dependencies:
            name, _, version = requirement.partition(">=")
            assert version, f"{requirement!r} has no lower bound"
            bounds[name.lower()] = version
        pins = {}
        for line in (ROOT / "constraints" / "lowest.txt").read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                name, _, version = line.partition("==")
                pins[name.lower()] = version
        assert pins == bounds

    def test_ci_runs_the_lowest_versions(self) -> None:
        """.ci/run installs with the constraints file and runs the tests a second time."""
        script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        assert "-c constraints/lowest.txt" in script
        assert script.count("-m pytest") == 2
