"""
Read an assessment file as it was at a git revision.

``assess diff FILE --rev A --rev B`` compares two committed versions of one
file without checking either out: git prints the file's content at each
revision.  The revision is passed to git as data, never as an option (one
starting with ``-`` is refused), and git runs with a fixed locale and no
pager so that its messages can be shown as they are.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Final

from assess.errors import ReadError
from assess.io.files import TooLargeError

#: How long git may take to print one file.
TIMEOUT: Final = 60.0


def _git(name: str, directory: Path, *arguments: str) -> bytes:
    """What git prints for ``arguments``; a ReadError naming ``name`` when git fails."""
    environment = dict(os.environ, LC_ALL="C", GIT_PAGER="cat", GIT_TERMINAL_PROMPT="0")
    try:
        done = subprocess.run(  # noqa: S603 -- fixed program, revision checked by the caller
            ["git", "-C", str(directory), *arguments],  # noqa: S607
            capture_output=True,
            env=environment,
            timeout=TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise ReadError(name, "git is not installed (needed for --rev)") from None
    except subprocess.TimeoutExpired:
        raise ReadError(name, f"git did not answer within {TIMEOUT:g} seconds") from None
    except OSError as error:
        raise ReadError(name, f"cannot run git: {error.strerror or error}") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = message[-1] if message else f"git exited with status {done.returncode}"
        raise ReadError(name, reason.removeprefix("fatal: "))
    return done.stdout


def read_at_revision(file: str, revision: str, limit: int) -> bytes:
    """
    The bytes of ``file`` at git ``revision`` (a commit, tag, branch, ``HEAD~2``...).

    Git is asked for the blob's size first, so that a file over ``limit``
    bytes is refused without being read; the blob is then read by its object
    id, which names the same bytes however the revision moves meanwhile.

    Raises:
        ReadError: The revision or the file at it does not exist, the file is
            not in a git repository, git is not installed, or the file is
            larger than ``limit`` bytes (:class:`~assess.io.files.TooLargeError`).
    """
    name = f"{file}@{revision}"
    if not revision or revision.startswith("-") or any(c in revision for c in "\0\n:"):
        raise ReadError(name, f"not a git revision: {revision!r}")
    path = Path(file)
    spec = f"{revision}:./{path.name}"
    blob = _git(name, path.parent, "rev-parse", spec).decode().strip()
    size = int(_git(name, path.parent, "cat-file", "-s", blob).decode().strip() or 0)
    if size > limit:
        raise TooLargeError(name, f"is larger than {limit} bytes ({size} bytes at {revision})")
    return _git(name, path.parent, "cat-file", "blob", blob)
