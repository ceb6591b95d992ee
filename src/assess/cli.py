"""
The ``assess`` command line.

``main(argv)`` returns the exit status instead of exiting, so tests call it
directly.  Exit statuses: 0 success; 1 an input has problems; 2 usage or I/O
error; 3 internal error (a bug in assess).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Final, NoReturn, cast

from assess.errors import AssessError, InputError, MissingExtraError, Problem, ReadError
from assess.io import files as _files
from assess.io.files import TooLargeError, WriteRefusedError

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping, Sequence

    from assess.analysis import Analysis
    from assess.methods.scoring import ScoreWarning
    from assess.model import Assessment
    from assess.views.reporting import Report

__all__ = ["EXIT_INPUT", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "main"]

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

_SUFFIXES = (".yaml", ".yml")

#: The formats that a file's suffix names, for each option that takes its format from it.
_REPORT_SUFFIXES = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".pdf": "pdf",
}
_EXPORT_SUFFIXES = {".csv": "csv", ".tsv": "tsv", ".achz": "achz"}
_PLOT_SUFFIXES = {".svg": "svg", ".png": "png"}


class _UsageError(Exception):
    """The command line itself is wrong."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that writes to our streams and never exits by itself."""

    def __init__(self, *args: Any, out: IO[str], err: IO[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._out = out
        self._err = err

    def _print_message(self, message: str, file: Any = None) -> None:
        if not message:
            return
        if file is None or file is sys.stdout:
            self._out.write(message)
        elif file is sys.stderr:
            self._err.write(message)
        else:
            file.write(message)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            self._err.write(message)
        raise _Exit(status)

    def error(self, message: str) -> NoReturn:
        raise _UsageError(message)


class _Exit(Exception):  # noqa: N818 -- control flow, not an error
    """``--help`` or ``--version`` finished with this status."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def _version() -> str:
    from assess._version import VERSION  # noqa: PLC0415 -- a constant, not metadata: fast

    return VERSION


def _parser(out: IO[str], err: IO[str]) -> _Parser:
    parser = _Parser(
        prog="assess",
        description="Weigh evidence for competing hypotheses, reproducibly.",
        out=out,
        err=err,
    )
    parser.add_argument("--version", action="version", version=f"assess {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    validate = commands.add_parser(
        "validate",
        help="check assessment files and report every problem",
        description=(
            "Check assessment files. Every problem is reported as FILE:LINE:COL with the field's"
            " path. Exit status 0: all valid; 1: problems; 2: usage or I/O error."
        ),
        out=out,
        err=err,
    )
    _add_files(validate)
    _add_limits(validate)
    validate.add_argument(
        "--format",
        type=_text_alias,
        choices=("text", "json", "sarif", "github"),
        default="text",
        help=(
            "text to read (default), json, sarif (SARIF 2.1.0, for code scanning) or github"
            " (GitHub Actions annotations); 'table' means text"
        ),
    )
    score = commands.add_parser(
        "score",
        help="score an assessment: ACH matrix, weights, lines of reporting, posteriors",
        description=(
            "Score an assessment: Heuer's inconsistency, weighted inconsistency, Bayesian"
            " posteriors and diagnosticity (docs/methods.md). Warnings go to stderr."
        ),
        out=out,
        err=err,
    )
    _add_input(score)
    _add_text_format(score, "text, a table to read (default), or json with full precision")
    score.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the table: auto (only on a terminal), always or never",
    )
    sensitivity = commands.add_parser(
        "sensitivity",
        help="how sure: linchpins, Monte Carlo stability and the confidence level",
        description=(
            "Perturb the ratings, each source's grades, the priors and the likelihood table"
            " many times and re-score, remove each line of reporting in turn, and derive the"
            " confidence level (docs/methods.md)."
        ),
        out=out,
        err=err,
    )
    _add_input(sensitivity)
    _add_draws(sensitivity)
    _add_text_format(sensitivity)
    collect = commands.add_parser(
        "collect",
        help="what to collect next: pending indicators by expected information gain",
        description=(
            "Rank the pending indicators by expected information gain (bits), with the chance"
            " of seeing each, the chance it changes the leader and the posteriors after each"
            " outcome; the fewest plausible outcomes that would unseat the leader; and, for the"
            " leader and runner-up and each pair of answers, the kind of report that would"
            " separate them and the lines that already do (docs/methods.md)."
        ),
        out=out,
        err=err,
    )
    _add_input(collect)
    _add_text_format(collect, "text, a table to read (default), or json (assess-collect/1)")
    report = commands.add_parser(
        "report",
        help="write a reproducible confidence report (Markdown, HTML, JSON or PDF)",
        description=(
            "Write a confidence report. The same file and version give the same bytes;"
            " --check OUT exits 1 when OUT is stale."
        ),
        out=out,
        err=err,
    )
    _add_input(report)
    report.add_argument(
        "--format",
        choices=("markdown", "html", "json", "pdf"),
        help="report format (default: from the suffix of OUT, else markdown); pdf needs -o",
    )
    target = report.add_mutually_exclusive_group()
    target.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically)")
    target.add_argument(
        "--check", metavar="OUT", help="exit 0 if OUT is up to date, 1 if it is stale"
    )
    _add_drawing(report)
    diff = commands.add_parser(
        "diff",
        help="what changed between two versions of an assessment, and what it did",
        description=(
            "Compare two versions: hypotheses, sources, documents, evidence and assumptions"
            " added, removed or changed field by field, and each hypothesis's posterior, rank,"
            " estimative term and stability before and after, the leader, the confidence level"
            " and linchpins gained and lost. Give two files, or one file and --rev A [--rev B]"
            " to read it at git revisions (one --rev: that revision against the file as it is)."
        ),
        out=out,
        err=err,
    )
    diff.add_argument("files", nargs="+", metavar="FILE", help="OLD NEW, or one FILE with --rev")
    diff.add_argument(
        "--rev",
        action="append",
        default=[],
        metavar="REV",
        help="a git revision of FILE (commit, tag, branch, HEAD~1); give one or two",
    )
    _add_limits(diff)
    _add_text_format(diff)
    _add_draws(diff)
    timeline = commands.add_parser(
        "timeline",
        help="replay the evidence date by date: posteriors, leader and confidence after each date",
        description=(
            "Replay the assessment in date order: undated items first, then each date's items;"
            " after each step every hypothesis's posterior, the leader and the confidence level."
            " The last step is the full assessment."
        ),
        out=out,
        err=err,
    )
    _add_input(timeline)
    _add_text_format(timeline)
    timeline.add_argument(
        "--plot",
        metavar="OUT",
        help="also draw the posteriors over time to OUT.svg or OUT.png (plots extra)",
    )
    _add_draws(timeline)
    calibrate = commands.add_parser(
        "calibrate",
        help="score resolved assessments against their outcomes (Brier, log score, reliability)",
        description=(
            "Score every assessment with an outcome block against what happened: the"
            " multi-category Brier score, the leader's binary Brier score, the log score, Murphy's"
            " decomposition and a reliability diagram (docs/methods.md). Assessments without an"
            " outcome are listed and skipped."
        ),
        out=out,
        err=err,
    )
    _add_files(calibrate)
    _add_limits(calibrate)
    _add_text_format(calibrate)
    calibrate.add_argument(
        "--plot",
        metavar="OUT",
        help="also draw the reliability diagram to OUT.svg or OUT.png (plots extra)",
    )
    export = commands.add_parser(
        "export",
        help="write the matrix as CSV or TSV, or the assessment as a PARC ACH .achz file",
        description=(
            "Export the ACH matrix as CSV or TSV (to standard output or -o), or the assessment as"
            " a PARC ACH 2.0.x .achz file (-o required). What PARC cannot show is kept in its"
            " notes; the notes printed on stderr say what changes (docs/interchange.md)."
        ),
        out=out,
        err=err,
    )
    _add_input(export)
    export.add_argument(
        "--format",
        choices=("csv", "tsv", "achz"),
        help=(
            "csv or tsv (the matrix) or achz (PARC ACH); default: from the suffix of OUT, else csv"
        ),
    )
    export.add_argument("-o", "--output", metavar="OUT", help="write to OUT (atomically)")
    export.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    imports = commands.add_parser(
        "import",
        help="make an assessment file from a PARC ACH .achz file, or bring back CSV ratings",
        description=(
            "Import a PARC ACH 2.0.x .achz file as a new assessment (FILE.achz -o NEW.yaml), or"
            " ratings edited in a spreadsheet back into an assessment (RATINGS.csv --into"
            " FILE.yaml -o NEW.yaml). A new file is always written, in canonical form: comments"
            " and layout of the original are not carried over. What was mapped or defaulted is"
            " printed on stderr."
        ),
        out=out,
        err=err,
    )
    imports.add_argument("file", metavar="FILE", help="a .achz file, or a .csv/.tsv of ratings")
    imports.add_argument(
        "--into", metavar="FILE.yaml", help="the assessment the ratings table was exported from"
    )
    imports.add_argument("-o", "--output", metavar="NEW.yaml", required=True, help="the new file")
    imports.add_argument("--force", action="store_true", help="overwrite NEW.yaml if it exists")
    imports.add_argument(
        "--replace-team-cells",
        action="store_true",
        help="let a single rating replace a cell of analysts' ratings",
    )
    _add_limits(imports)
    batch = commands.add_parser(
        "batch",
        help="analyse every assessment in files or folders: one JSON line each",
        description=(
            "Analyse every assessment file given, or found under the folders given, in"
            " parallel processes, and write one JSON line per file in the order of the files:"
            " its id, digest, leader, answers and confidence, or its problems. An invalid file"
            " is reported and skipped; it never stops the run. Exit status 0: all valid;"
            " 1: some have problems; 2: some cannot be read."
        ),
        out=out,
        err=err,
    )
    _add_files(batch)
    _add_limits(batch)
    batch.add_argument(
        "--jobs", type=_jobs, default=1, metavar="N", help="processes to run (default: 1)"
    )
    batch.add_argument("-o", "--output", metavar="OUT", help="write the lines to OUT (atomically)")
    _add_draws(batch)
    watch = commands.add_parser(
        "watch",
        help="revalidate, and regenerate the report, on every save",
        description=(
            "Check FILE, and write its report to OUT when -o is given, then again on every"
            " save of FILE or of a document it quotes. Prints the problems, or the leader,"
            " the answers' probabilities and the confidence with what each was before."
            " Stop with Ctrl-C. Needs the watch extra."
        ),
        out=out,
        err=err,
    )
    _add_input(watch)
    watch.add_argument("-o", "--output", metavar="OUT", help="write the report to OUT")
    _add_drawing(watch)
    init = commands.add_parser(
        "init",
        help="start a new assessment from a commented example",
        description=(
            "Write a new assessment to start from into DIR (default: the current directory):"
            " assessment.yaml, a commented example with two hypotheses, one source, one"
            " document and one quoted item; assessment.schema.json, the schema its first line"
            " names for editors; and docs/council-notice.txt, the document it quotes. Nothing"
            " is overwritten without --force, and nothing is written if any file exists."
        ),
        out=out,
        err=err,
    )
    init.add_argument("folder", nargs="?", default=".", metavar="DIR", help="the new folder")
    init.add_argument("--force", action="store_true", help="overwrite files that exist")
    commands.add_parser(
        "schema",
        help="print the JSON Schema of the file format, for editors",
        description=(
            "Print the draft-07 JSON Schema of the assessment file format: keys, types, required"
            " keys and grades with their meanings, for editors that use the YAML language server"
            " (docs/format.md, 'Editor support')."
        ),
        out=out,
        err=err,
    )
    return parser


def _add_drawing(command: argparse.ArgumentParser) -> None:
    """How a report's plots are drawn and its PDF printed: for report and watch."""
    drawing = command.add_mutually_exclusive_group()
    drawing.add_argument("--no-plots", action="store_true", help="leave the plots out")
    drawing.add_argument(
        "--plot-format",
        choices=("svg", "png"),
        default="svg",
        help="draw the plots as SVG (default) or as PNG, for slides",
    )
    command.add_argument(
        "--paper",
        choices=("a4", "letter"),
        default="a4",
        help="the paper a PDF report is printed on (default: a4)",
    )


def _add_files(command: argparse.ArgumentParser) -> None:
    """One or more assessment files or directories."""
    command.add_argument(
        "files", nargs="+", metavar="FILE", help="assessment files, or directories of *.yaml files"
    )


def _add_text_format(
    command: argparse.ArgumentParser, what: str = "text, a table to read (default), or json"
) -> None:
    """--format for commands that print text for people or JSON."""
    command.add_argument(
        "--format",
        type=_text_alias,
        choices=("text", "json"),
        default="text",
        help=f"{what}; 'table' means text",
    )


def _text_alias(value: str) -> str:
    """
    ``table`` is ``text``: the word several commands once used for their text format.

    The type conversion runs before argparse checks the choices, so the usage
    line shows only ``text`` and ``json`` while both words are accepted.
    """
    return "text" if value == "table" else value


def _format_of(path: str, suffixes: Mapping[str, str], option: str, *, override: bool) -> str:
    """
    The format that the suffix of an output file names, or a usage error naming the formats.

    Args:
        path: The file, as given.
        suffixes: Each known suffix (lowercase, with its dot) and its format.
        option: The option that gave the file, for the message.
        override: Whether the command has a --format option, for the message.
    """
    suffix = Path(path).suffix
    fmt = suffixes.get(suffix.lower())
    if fmt is not None:
        return fmt
    formats: dict[str, list[str]] = {}
    for known, name in suffixes.items():
        formats.setdefault(name, []).append(known)
    named = [f"{name} ({', '.join(known)})" for name, known in formats.items()]
    listed = f"{', '.join(named[:-1])} or {named[-1]}" if len(named) > 1 else named[0]
    what = f"unknown suffix {suffix!r}" if suffix else "no suffix"
    hint = "; or give --format" if override else ""
    raise _UsageError(f"{option} {path}: {what}: the formats are {listed}{hint}")


def _add_draws(command: argparse.ArgumentParser) -> None:
    """Monte Carlo settings for commands that analyse."""
    command.add_argument(
        "--draws", type=_positive, metavar="N", help="Monte Carlo draws (default: scoring.draws)"
    )
    command.add_argument(
        "--seed", type=_natural, metavar="S", help="random seed (default: scoring.seed)"
    )


_ROOT_HELP = "documents must lie inside DIR (default: the current directory)"


def _add_input(command: argparse.ArgumentParser) -> None:
    """The arguments every command that reads one assessment takes."""
    command.add_argument("file", metavar="FILE", help="the assessment file")
    _add_limits(command)


def _add_limits(command: argparse.ArgumentParser) -> None:
    """Where documents may lie, and how large a file may be read."""
    command.add_argument("--root", metavar="DIR", help=_ROOT_HELP)
    command.add_argument(
        "--max-bytes",
        type=_byte_count,
        default=_files.MAX_BYTES,
        metavar="N",
        help=f"read assessment files of at most N bytes (default: {_files.MAX_BYTES}, 64 MiB)",
    )


def _byte_count(text: str) -> int:
    value = _natural(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number of bytes of at least 1, got {text!r}")
    return value


def _positive(text: str) -> int:
    from assess.model.assessment import MAX_DRAWS  # noqa: PLC0415

    value = _natural(text)
    if not 1 <= value <= MAX_DRAWS:
        raise argparse.ArgumentTypeError(
            f"expected a number of draws from 1 to {MAX_DRAWS}, got {text!r}"
        )
    return value


def _jobs(text: str) -> int:
    value = _natural(text)
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"expected a number of processes of at least 1, got {text!r}"
        )
    return value


def _natural(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a number of at least 0, got {text!r}")
    return value


def _expand(paths: Sequence[str]) -> Iterator[tuple[str, str | None]]:
    """Each file to check, or a directory's error; directories give their *.yaml files."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found, unreadable = _assessment_files(path)
            for directory, reason in unreadable:
                yield str(directory), reason
            if not found and not unreadable:
                yield given, "no *.yaml or *.yml files in this directory"
            for file in found:
                yield str(file), None
        else:
            yield given, None


def _assessment_files(top: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """
    The ``*.yaml`` and ``*.yml`` files under ``top``, sorted, and the unreadable folders.

    The walk keeps its own stack, so a tree of any depth is walked without
    recursion, and it does not follow links to folders, so a link cannot
    make it loop.
    """
    found: list[Path] = []
    unreadable: list[tuple[Path, str]] = []
    stack = [top]
    while stack:
        directory = stack.pop()
        try:
            with os.scandir(directory) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(Path(entry.path))
                    elif Path(entry.name).suffix in _SUFFIXES and entry.is_file():
                        found.append(Path(entry.path))
        except OSError as error:
            unreadable.append((directory, f"cannot read this folder: {error.strerror or error}"))
    return sorted(found), unreadable


def _validate(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess.io.loading import load  # noqa: PLC0415
    from assess.model.canonical import digest  # noqa: PLC0415 -- keep start-up light

    results: list[dict[str, Any]] = []
    checked: list[tuple[str, Sequence[Problem], str | None]] = []
    status = EXIT_OK
    for file, missing in _expand(args.files):
        entry: dict[str, Any] = {"file": file, "valid": False, "problems": []}
        results.append(entry)
        if missing is not None:
            entry["error"] = missing
            checked.append((file, (), missing))
            status = max(status, EXIT_USAGE)
            if args.format == "text":
                err.write(f"assess: error: {file}: {missing}\n")
            continue
        try:
            assessment = load(file, root=args.root, max_bytes=args.max_bytes)
        except InputError as error:
            entry["problems"] = [p.to_json() for p in error.problems]
            checked.append((file, error.problems, None))
            status = max(status, EXIT_INPUT)
            if args.format == "text":
                _print_problems(error.problems, err)
            continue
        except ReadError as error:
            entry["error"] = error.reason
            checked.append((file, (), error.reason))
            status = max(status, EXIT_USAGE)
            if args.format == "text":
                err.write(f"assess: error: {error}\n")
            continue
        entry.update(
            valid=True,
            digest=digest(assessment),
            hypotheses=len(assessment.hypotheses),
            evidence=len(assessment.evidence),
        )
        if args.format == "text":
            out.write(
                f"{file}: ok: {len(assessment.hypotheses)} hypotheses,"
                f" {len(assessment.evidence)} evidence items, {entry['digest']}\n"
            )
    if args.format == "json":
        json.dump({"files": results, "valid": status == EXIT_OK}, out, indent=2, sort_keys=True)
        out.write("\n")
    elif args.format == "sarif":
        from assess.views.ci import sarif  # noqa: PLC0415

        _json(sarif(checked, version=_version()), out)
    elif args.format == "github":
        from assess.views.ci import github  # noqa: PLC0415

        out.write(github(checked))
    else:
        count = sum(len(r["problems"]) for r in results)
        if count:
            broken = sum(1 for r in results if r["problems"])
            err.write(
                f"{count} problem{'s' if count != 1 else ''} in {broken}"
                f" file{'s' if broken != 1 else ''}\n"
            )
    return status


#: Problems printed per file; past them, how many more there are.
MAX_SHOWN_PROBLEMS: Final = 100


def _print_problems(problems: Sequence[object], err: IO[str]) -> None:
    """The first :data:`MAX_SHOWN_PROBLEMS` problems, then how many were left out."""
    for problem in problems[:MAX_SHOWN_PROBLEMS]:
        err.write(f"{problem}\n")
    if len(problems) > MAX_SHOWN_PROBLEMS:
        err.write(f"... and {len(problems) - MAX_SHOWN_PROBLEMS} more problems\n")


def _problems(error: InputError, name: str, err: IO[str]) -> int:
    """Print the problems of an input and how many there were; the status for it."""
    _print_problems(error.problems, err)
    count = len(error.problems)
    err.write(f"{count} problem{'s' if count != 1 else ''} in {name}\n")
    return EXIT_INPUT


def _load_one(file: str, args: argparse.Namespace, err: IO[str]) -> Assessment | int:
    """Load one file (``--root``, ``--max-bytes``), or print why not and return the status."""
    from assess.io.loading import load  # noqa: PLC0415 -- keep start-up light

    try:
        return load(file, root=args.root, max_bytes=args.max_bytes)
    except InputError as error:
        return _problems(error, file, err)
    except ReadError as error:
        err.write(f"assess: error: {error}\n")
        return EXIT_USAGE


def _load_revision(
    file: str, revision: str, args: argparse.Namespace, err: IO[str]
) -> Assessment | int:
    """Load one file as it was at a git revision, or print why not and return the status."""
    from assess.history.revisions import read_at_revision  # noqa: PLC0415
    from assess.io.loading import loads  # noqa: PLC0415

    name = f"{file}@{revision}"
    try:
        data = read_at_revision(file, revision, args.max_bytes)
        return loads(
            data, name=name, base_dir=Path(file).parent, root=args.root, max_bytes=args.max_bytes
        )
    except InputError as error:
        return _problems(error, name, err)
    except ReadError as error:
        err.write(f"assess: error: {error}\n")
        return EXIT_USAGE


def _diff(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess.history.diff import diff  # noqa: PLC0415 -- numpy only when scoring
    from assess.views.tables import render_diff  # noqa: PLC0415

    files, revisions = args.files, args.rev
    if revisions:
        if len(files) != 1 or len(revisions) > 2:
            raise _UsageError("with --rev give one FILE and one or two revisions")
        names = [f"{files[0]}@{rev}" for rev in revisions]
        versions = [_load_revision(files[0], rev, args, err) for rev in revisions]
        if len(revisions) == 1:
            names.append(files[0])
            versions.append(_load_one(files[0], args, err))
    else:
        if len(files) != 2:
            raise _UsageError("give two files (OLD NEW), or one FILE with --rev")
        names = list(files)
        versions = [_load_one(file, args, err) for file in files]
    old, new = versions
    if isinstance(old, int) or isinstance(new, int):
        return max(v for v in versions if isinstance(v, int))
    result = diff(old, new, old_name=names[0], new_name=names[1], draws=args.draws, seed=args.seed)
    if args.format == "json":
        _json(result.to_json(), out)
    else:
        out.write(render_diff(result))
    return EXIT_OK


def _timeline(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess.history.timeline import timeline  # noqa: PLC0415
    from assess.views.tables import render_timeline  # noqa: PLC0415

    plot = _plot_format(args.plot)
    assessment = _load_one(args.file, args, err)
    if isinstance(assessment, int):
        return assessment
    if plot is not None and not _plots_or_error(err):
        return EXIT_USAGE
    result = timeline(assessment, draws=args.draws, seed=args.seed)
    if args.format == "json":
        _json(result.to_json(), out)
    else:
        out.write(f"{assessment.id}: {assessment.title}\n")
        out.write(render_timeline(result))
    if plot is not None:
        from assess.views import plots  # noqa: PLC0415

        return _write_file(args.plot, plots.timeline_chart(result, format=plot), err)
    return EXIT_OK


def _plot_format(path: str | None) -> str | None:
    """The format --plot asks for (from its suffix), or ``None`` when it is not given."""
    return None if path is None else _format_of(path, _PLOT_SUFFIXES, "--plot", override=False)


def _plots_or_error(err: IO[str]) -> bool:
    """Whether matplotlib is there for --plot; if not, say so."""
    from assess.views import plots  # noqa: PLC0415 -- matplotlib itself only when drawing

    if plots.available():
        return True
    from assess._version import DISTRIBUTION  # noqa: PLC0415

    err.write(f"assess: error: --plot needs matplotlib: pip install '{DISTRIBUTION}[plots]'\n")
    return False


def _calibrate(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess.methods.calibration import calibrate  # noqa: PLC0415
    from assess.views import tables as _table  # noqa: PLC0415

    plot = _plot_format(args.plot)
    if plot is not None and not _plots_or_error(err):
        return EXIT_USAGE
    loaded, status = [], EXIT_OK
    for file, problem in _expand(args.files):
        if problem is not None:
            err.write(f"assess: error: {file}: {problem}\n")
            status = max(status, EXIT_USAGE)
            continue
        assessment = _load_one(file, args, err)
        if isinstance(assessment, int):
            status = max(status, assessment)
        else:
            loaded.append(assessment)
    if status != EXIT_OK:
        return status
    result = calibrate(loaded)
    if args.format == "json":
        _json(result.to_json(), out)
    else:
        out.write(_table.render_calibration(result))
    if plot is not None:
        from assess.views import plots  # noqa: PLC0415

        bins = result.reliability
        drawn = (bins.mean_forecast.tolist(), bins.observed_frequency.tolist(), bins.count.tolist())
        chart: str | bytes = (
            plots.reliability_diagram(*drawn, format="png")
            if plot == "png"
            else plots.reliability_diagram(*drawn)
        )
        return _write_file(args.plot, chart, err)
    return EXIT_OK


def _free(path: str, force: bool) -> None:
    """Refuse to overwrite an existing file unless forced."""
    if not force and Path(path).exists():
        raise _UsageError(f"{path} exists; use --force to overwrite it")


def _write_file(path: str, content: str | bytes, err: IO[str]) -> int:
    try:
        _files.write_atomic(path, content)
    except WriteRefusedError as error:
        err.write(f"assess: error: {error}\n")
        return EXIT_USAGE
    except OSError as error:
        err.write(f"assess: error: cannot write {path}: {error.strerror or error}\n")
        return EXIT_USAGE
    err.write(f"wrote {path}\n")
    return EXIT_OK


def _export(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    fmt = args.format or (
        _format_of(args.output, _EXPORT_SUFFIXES, "-o", override=True) if args.output else "csv"
    )
    if fmt == "achz" and args.output is None:
        raise _UsageError("--format achz writes a binary file: give -o OUT.achz")
    if args.output is not None:
        _free(args.output, args.force)
    assessment = _load_one(args.file, args, err)
    if isinstance(assessment, int):
        return assessment
    content: str | bytes
    if fmt == "achz":
        from assess.io import parc  # noqa: PLC0415

        content = parc.export_achz(assessment)
        for notice in parc.export_notices(assessment):
            err.write(f"note: {notice}\n")
    else:
        from assess.io.tabular import export_table  # noqa: PLC0415

        content = export_table(assessment, "," if fmt == "csv" else "\t")
    if args.output is None:
        assert isinstance(content, str)  # noqa: S101 -- achz needs -o, checked above
        out.write(content)
        return EXIT_OK
    return _write_file(args.output, content, err)


def _import(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:  # noqa: ARG001
    from assess.io.dump import dump  # noqa: PLC0415

    is_achz = Path(args.file).suffix.lower() == ".achz"
    if is_achz and args.into is not None:
        raise _UsageError("--into is for a table of ratings; a .achz file is a whole assessment")
    if not is_achz and args.into is None:
        raise _UsageError(
            "a table of ratings goes back --into the assessment it came from (or give a .achz file)"
        )
    _free(args.output, args.force)
    try:
        if is_achz:
            from assess.io.parc import MAX_ACHZ_BYTES, import_achz  # noqa: PLC0415

            imported = import_achz(_files.read_regular(args.file, MAX_ACHZ_BYTES), name=args.file)
        else:
            from assess.io.tabular import MAX_TABLE_BYTES, import_ratings  # noqa: PLC0415

            data = _files.read_regular(args.file, MAX_TABLE_BYTES)

            original = _load_one(args.into, args, err)
            if isinstance(original, int):
                return original
            imported = import_ratings(
                data, original, name=args.file, replace_team_cells=args.replace_team_cells
            )
    except InputError as error:
        return _problems(error, args.file, err)
    except ReadError as error:
        err.write(f"assess: error: {error}\n")
        return EXIT_USAGE
    for notice in imported.notices:
        err.write(f"note: {notice}\n")
    if not is_achz:
        err.write(
            f"note: {args.output} is written from the assessment's canonical form:"
            f" the comments and layout of {args.into} are not carried over\n"
        )
    return _write_file(args.output, dump(imported.assessment), err)


def _batch(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess.batch import score_files  # noqa: PLC0415 -- keep start-up light

    entries = list(_expand(args.files))
    scored = score_files(
        [file for file, missing in entries if missing is None],
        jobs=args.jobs,
        root=args.root,
        max_bytes=args.max_bytes,
        draws=args.draws,
        seed=args.seed,
    )
    progress = err.isatty()
    counts = {"valid": 0, "with problems": 0, "unreadable": 0}
    lines: list[str] = []
    for done, (file, missing) in enumerate(entries, 1):
        # Records come in the order of the files; a path that is not there has one too.
        record = (
            next(scored) if missing is None else {"file": file, "valid": False, "error": missing}
        )
        kind = (
            "valid" if record["valid"] else "unreadable" if "error" in record else "with problems"
        )
        counts[kind] += 1
        line = json.dumps(record, sort_keys=True, ensure_ascii=False, allow_nan=False) + "\n"
        if args.output is None:
            out.write(line)
        else:
            lines.append(line)
        if progress:
            err.write(f"\r{done} of {len(entries)} files")
    if progress:
        err.write("\n")
    summary = ", ".join(f"{count} {kind}" for kind, count in counts.items())
    err.write(f"{len(entries)} files: {summary}\n")
    if args.output is not None:
        status = _write_file(args.output, "".join(lines), err)
        if status != EXIT_OK:
            return status
    if counts["unreadable"]:
        return EXIT_USAGE
    return EXIT_INPUT if counts["with problems"] else EXIT_OK


def _watch(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess import watch  # noqa: PLC0415 -- watchfiles only when watching
    from assess.analysis import analyse  # noqa: PLC0415

    watch.ready()  # a missing extra is named before anything else is done
    fmt = None
    if args.output is not None:
        fmt = _format_of(args.output, _REPORT_SUFFIXES, "-o", override=False)
        if fmt == "pdf":
            from assess.views import pdf  # noqa: PLC0415 -- WeasyPrint only for PDF

            pdf.ready(args.paper)
    before: watch.Figures | None = None
    watched = {Path(args.file)}  # the file and its documents: it grows as documents are added

    def not_valid() -> None:
        out.write(f"{_shown(args.file)}: not valid; the report was not updated\n")
        out.flush()

    def check() -> None:
        nonlocal before
        assessment = _load_one(args.file, args, err)
        if isinstance(assessment, int):
            not_valid()
            return
        base = Path(args.file).parent
        watched.update(base / document.path for document in assessment.documents)
        try:
            analysis = analyse(assessment)
        except InputError as error:  # more draws than the Monte Carlo budget allows
            _problems(error, _shown(args.file), err)
            not_valid()
            return
        now = watch.figures(assessment, analysis)
        if fmt is not None and args.output is not None:
            built = _build_report(assessment, analysis, args, fmt, args.output)
            if _write_report(Path(args.output), built, err) != EXIT_OK:
                return
        verb = "report updated" if fmt is not None else "checked"
        out.write(f"{verb}: {watch.changes(before, now)}\n")
        out.flush()
        before = now

    check()
    try:
        while True:
            folders = {path.resolve().parent for path in watched}
            for _ in watch.saves(watched):
                check()
                if {path.resolve().parent for path in watched} != folders:
                    break  # a document in a folder not yet watched: watch anew
    except KeyboardInterrupt:
        return EXIT_OK


def _init(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess.io.scaffold import ASSESSMENT, files  # noqa: PLC0415 -- keep start-up light

    folder = Path(args.folder)
    if folder.exists() and not folder.is_dir():
        raise _UsageError(f"{args.folder}: not a directory")
    targets = {folder.joinpath(*name.split("/")): text for name, text in files().items()}
    for path in targets:  # every target first: nothing is written if one is refused
        _free(str(path), args.force)
    for path, text in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        status = _write_file(str(path), text, err)
        if status != EXIT_OK:
            return status
    out.write(f"next: assess validate {folder / ASSESSMENT}\n")
    return EXIT_OK


def _schema(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:  # noqa: ARG001
    from assess.io.schema import text  # noqa: PLC0415 -- keep start-up light

    out.write(text())
    return EXIT_OK


def _score(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess.analysis import analyse  # noqa: PLC0415
    from assess.views import tables as _table  # noqa: PLC0415 -- numpy only for commands that score

    assessment = _load_one(args.file, args, err)
    if isinstance(assessment, int):
        return assessment
    analysis = analyse(assessment)
    if args.format == "json":
        _json(analysis.to_json(), out)
    else:
        title = f"{assessment.id}: {assessment.title}"
        colour = _table.use_colour(out, args.color)
        out.write(_table.render(analysis.scores, title=title, colour=colour, analysis=analysis))
        question = assessment.question or assessment.title
        out.write("\n" + _table.conclusion(analysis, question, _labels(assessment)))
    _warn(analysis, err, args)
    return EXIT_OK


def _labels(assessment: Assessment) -> dict[str, str]:
    """Each labelled hypothesis's label, by id."""
    return {h.id: h.label for h in assessment.hypotheses if h.label is not None}


def _sensitivity(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess.analysis import analyse  # noqa: PLC0415
    from assess.views import tables as _table  # noqa: PLC0415 -- numpy only for commands that score

    assessment = _load_one(args.file, args, err)
    if isinstance(assessment, int):
        return assessment
    analysis = analyse(assessment, draws=args.draws, seed=args.seed)
    if args.format == "json":
        data = analysis.to_json()
        keep = ("assessment", "digest", "sensitivity", "linchpins", "confidence", "flags")
        _json({key: data[key] for key in keep}, out)
    else:
        title = f"{assessment.id}: {assessment.title}"
        question = assessment.question or assessment.title
        out.write(
            _table.render_sensitivity(
                analysis, title=title, question=question, labels=_labels(assessment)
            )
        )
    _warn(analysis, err, args)
    return EXIT_OK


def _collect(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess.methods.collection import collect  # noqa: PLC0415
    from assess.methods.scoring import score  # noqa: PLC0415
    from assess.views import tables as _table  # noqa: PLC0415 -- numpy only for commands that score

    assessment = _load_one(args.file, args, err)
    if isinstance(assessment, int):
        return assessment
    scores = score(assessment)
    plan = collect(assessment, scores=scores)
    if args.format == "json":
        _json(plan.to_json(), out)
    else:
        out.write(_table.render_collect(plan, title=f"{assessment.id}: {assessment.title}"))
    _warnings([w for w in scores.warnings if w.code == "indicator-overdue"], err, args)
    return EXIT_OK


def _report(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    from assess.analysis import analyse  # noqa: PLC0415

    target = args.output or args.check
    option = "-o" if args.output else "--check"
    fmt = args.format or (
        _format_of(target, _REPORT_SUFFIXES, option, override=True) if target else "markdown"
    )
    if fmt == "pdf" and target is None:
        raise _UsageError("a PDF report is written to a file: give -o OUT")
    if fmt == "pdf":
        from assess.views import pdf  # noqa: PLC0415 -- WeasyPrint only for PDF

        pdf.ready(args.paper)  # a missing extra is named before the file is even read
    assessment = _load_one(args.file, args, err)
    if isinstance(assessment, int):
        return assessment
    if args.output is not None:
        _files.check_target(args.output)  # before the analysis, and before any plot is written
    built = _build_report(assessment, analyse(assessment), args, fmt, target)
    if args.check:
        return _check_report(Path(args.check), built, out, err)
    if args.output is None:
        out.write(built.text)
        return EXIT_OK
    return _write_report(Path(args.output), built, err)


def _build_report(
    assessment: Assessment,
    analysis: Analysis,
    args: argparse.Namespace,
    fmt: str,
    target: str | None,
) -> Report:
    """The report ``assess report`` builds, with the command that regenerates it."""
    from assess.views import reporting as report  # noqa: PLC0415 -- Jinja2 only for reports

    stem = Path(target).stem if target and fmt == "markdown" else None
    plots: bool | str = False if args.no_plots else args.plot_format
    return report.build(
        assessment,
        analysis,
        format=fmt,
        # A file name that is not UTF-8 is shown with escapes, as on the terminal.
        command=report.command_line(
            _shown(args.file), fmt, target and _shown(target), plots=plots, paper=args.paper
        ),
        plots=plots,
        plot_stem=stem,
        paper=args.paper,
    )


def _write_report(destination: Path, built: Report, err: IO[str]) -> int:
    """The report and its plot files, each checked before any is written, then written."""
    written = {destination.parent / name: chart for name, chart in built.attachments.items()}
    written[destination] = built.content
    try:
        for path in written:  # every target is checked before any is written
            _files.check_target(path)
        for path, content in written.items():
            _files.write_atomic(path, content)
    except WriteRefusedError as error:
        err.write(f"assess: error: {error}\n")
        return EXIT_USAGE
    except OSError as error:
        err.write(f"assess: error: cannot write {destination}: {error.strerror or error}\n")
        return EXIT_USAGE
    err.write(f"wrote {destination}\n")
    return EXIT_OK


#: ``--check`` reads at most this many times the report's size, and at least CHECK_FLOOR bytes.
CHECK_FACTOR: Final = 4
CHECK_FLOOR: Final = 1 << 20


def _check_report(path: Path, built: Report, out: IO[str], err: IO[str]) -> int:
    from assess.views import reporting as report  # noqa: PLC0415

    files = {path: built.content} | {path.parent / n: t for n, t in built.attachments.items()}
    stale = False
    for file, expected in files.items():
        if not file.exists():
            err.write(f"{file}: missing\n")
            stale = True
            continue
        # A stale report may be longer than the new one, but not by far: a
        # file many times its size differs from it, and need not be read whole.
        wanted = expected.encode("utf-8") if isinstance(expected, str) else expected
        limit = max(CHECK_FACTOR * len(wanted), CHECK_FLOOR)
        try:
            found = _files.read_regular(file, limit)
            # A text report is compared as text, to name the line where it differs.
            existing = found.decode("utf-8") if isinstance(expected, str) else found
        except TooLargeError:
            existing = None
        except ReadError as error:
            err.write(f"assess: error: {error}\n")
            return EXIT_USAGE
        except UnicodeDecodeError as error:
            err.write(f"assess: error: cannot read {file}: {error}\n")
            return EXIT_USAGE
        if existing is None:
            reason: str | None = f"content differs (the file is over {limit} bytes)"
        elif file == path and isinstance(existing, str) and isinstance(expected, str):
            reason = report.check(existing, expected)
        else:
            reason = None if existing == expected else "content differs"
        if reason is not None:
            err.write(f"{file}: stale: {reason}\n")
            stale = True
    if stale:
        err.write(f"regenerate with: {built.command}\n")
        return EXIT_INPUT
    out.write(f"{path}: up to date\n")
    return EXIT_OK


def _json(data: object, out: IO[str]) -> None:
    json.dump(data, out, indent=2, sort_keys=True, allow_nan=False)
    out.write("\n")


def _warn(analysis: Analysis, err: IO[str], args: argparse.Namespace) -> None:
    """Warnings and flags to stderr; a warning about a place in the file starts FILE:LINE:COL."""
    _warnings(analysis.warnings, err, args)
    for flag in analysis.flags:
        err.write(f"flag: {flag.subject}: {flag.reason}\n")


def _warnings(warnings: Sequence[ScoreWarning], err: IO[str], args: argparse.Namespace) -> None:
    """Each warning on stderr, placed in ``args.file`` by one reading of it."""
    file: str = args.file
    text = None
    if any(w.parts for w in warnings):
        with contextlib.suppress(ReadError, UnicodeDecodeError):
            text = _files.read_regular(file, args.max_bytes).decode("utf-8-sig")
    places: list[tuple[int, int] | None] = [None] * len(warnings)
    if text is not None:
        from assess.io.loading import locate_all  # noqa: PLC0415

        # One reading of the file for every warning, however many there are.
        places = locate_all(text, [w.parts for w in warnings])
    for warning, place in zip(warnings, places, strict=True):
        where = place if warning.parts else None
        prefix = f"{file}:{where[0]}:{where[1]}: " if where is not None else ""
        err.write(f"{prefix}warning: {warning.message}\n")


def _over_budget(error: InputError, args: argparse.Namespace, err: IO[str]) -> int:
    """
    Draws past the Monte Carlo budget: ``--draws`` is a usage error, ``scoring.draws`` bad input.

    The file's setting is shown at its place in the file, as warnings are.
    """
    from assess.analysis import BudgetError  # noqa: PLC0415 -- loaded: it raised the error

    if not isinstance(error, BudgetError):
        err.write(f"assess: error: {error}\n")
        return EXIT_INPUT
    if error.option:
        err.write(
            f"assess: error: --draws {error.draws}: {error.reason};"
            f" give --draws {error.most} or fewer\n"
        )
        return EXIT_USAGE
    file: str | None = getattr(args, "file", None)
    problem = error.problems[0]
    if file is not None:
        from assess.io.loading import locate  # noqa: PLC0415
        from assess.io.yaml_reader import lines  # noqa: PLC0415

        with contextlib.suppress(AssessError, UnicodeDecodeError):
            text = _files.read_regular(file, args.max_bytes).decode("utf-8-sig")
            where = locate(text, problem.parts)
            line, column = where if where is not None else (None, None)
            source = lines(text)[line - 1] if line is not None else None
            problem = Problem(problem.message, problem.parts, file, line, column, source)
    return _problems(InputError([problem]), file or " and ".join(args.files), err)


_COMMANDS = {
    "validate": _validate,
    "score": _score,
    "sensitivity": _sensitivity,
    "collect": _collect,
    "report": _report,
    "diff": _diff,
    "timeline": _timeline,
    "calibrate": _calibrate,
    "export": _export,
    "import": _import,
    "schema": _schema,
    "init": _init,
    "batch": _batch,
    "watch": _watch,
}


def _shown(name: str) -> str:
    """A file name as text: undecodable bytes and control characters escaped."""
    from assess.views.terminal import inert  # noqa: PLC0415

    return inert(name)


def _check_root(root: str | None) -> None:
    """``--root`` must name a folder: otherwise every document would lie outside it."""
    if root is not None and not Path(root).is_dir():
        raise _UsageError(f"--root {root}: no such directory")


def _inert(stream: IO[str]) -> IO[str]:
    """``stream`` behind the terminal filter (:mod:`assess.views.terminal`)."""
    from assess.views.terminal import InertStream  # noqa: PLC0415

    return cast("IO[str]", InertStream(stream))


def _writes_document(args: argparse.Namespace) -> bool:
    """
    Whether the command prints a document (a report, a table export) to stdout.

    A document piped to a file keeps its exact text, as ``-o`` writes it; on
    a terminal it is filtered like everything else.  JSON needs no filter:
    it is printed with every control character escaped.
    """
    return args.command in {"report", "export"} and getattr(args, "output", None) is None


def main(
    argv: Sequence[str] | None = None,
    *,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """
    Run the ``assess`` command line.

    Args:
        argv: The arguments after the program name (default: ``sys.argv[1:]``).
        stdout: Where results go (default: ``sys.stdout``).
        stderr: Where diagnostics go (default: ``sys.stderr``).

    Returns:
        The exit status.

    .. versionadded:: 0.1
    """
    out = sys.stdout if stdout is None else stdout
    # Everything written for people passes through one filter: text from a
    # file never reaches the terminal as control sequences.
    err = _inert(sys.stderr if stderr is None else stderr)
    parser = _parser(out, err)
    try:
        args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
        if not _writes_document(args) or out.isatty():
            out = _inert(out)
        _check_root(getattr(args, "root", None))
        if args.command is None:
            parser.print_usage(err)
            err.write("assess: error: a command is required (try 'assess validate FILE')\n")
            return EXIT_USAGE
        with _files.recording_reads():
            return _COMMANDS[args.command](args, out, err)
    except _Exit as done:
        return done.status
    except BrokenPipeError:
        # The reader went away (``assess ... | head``): nothing more to say.
        # Point stdout at nothing so that the interpreter's final flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        if stdout is None:
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_USAGE
    except _UsageError as error:
        parser.print_usage(err)
        err.write(f"assess: error: {error}\n")
        return EXIT_USAGE
    except WriteRefusedError as error:
        err.write(f"assess: error: {error}\n")
        return EXIT_USAGE
    except InputError as error:  # past loading, only the analysis raises one: its budget
        return _over_budget(error, args, err)
    except MissingExtraError as error:  # the command needs an extra that is not installed
        err.write(f"assess: error: {error}\n")
        return EXIT_USAGE
    except AssessError as error:  # pragma: no cover - every command handles its own
        err.write(f"assess: error: {error}\n")
        return EXIT_INPUT
    except Exception as error:  # noqa: BLE001 -- the last line of defence: no tracebacks
        err.write(
            f"assess: internal error: {type(error).__name__}: {error}\n"
            f"This is a bug in assess {_version()}. Please report it with the command"
            " and the input that caused it.\n"
        )
        return EXIT_INTERNAL
