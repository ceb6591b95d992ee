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

#: How long git may take to print one file.
TIMEOUT: Final = 60.0


def read_at_revision(file: str, revision: str) -> bytes:
    """
    The bytes of ``file`` at git ``revision`` (a commit, tag, branch, ``HEAD~2``...).

    Raises:
        ReadError: The revision or the file at it does not exist, the file is
            not in a git repository, or git is not installed.
    """
    name = f"{file}@{revision}"
    if not revision or revision.startswith("-") or any(c in revision for c in "\0\n:"):
        raise ReadError(name, f"not a git revision: {revision!r}")
    path = Path(file)
    environment = dict(os.environ, LC_ALL="C", GIT_PAGER="cat", GIT_TERMINAL_PROMPT="0")
    try:
        done = subprocess.run(  # noqa: S603 -- fixed program, revision checked above
            ["git", "-C", str(path.parent), "cat-file", "blob", f"{revision}:./{path.name}"],  # noqa: S607
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
