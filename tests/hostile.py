"""
Running the command line on hostile input, as a user would, in a process of its own.

Each hostile case pins what a user sees (exit status and message), what it
cost (CPU seconds and peak memory of the process) and that nothing the user
had changed.  The seconds are the process's own CPU time, not the wall clock,
so a machine busy with other work does not make a case look slow.  The
process runs under an address-space limit, so a case that regresses into a
runaway allocation fails the test instead of the machine.
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

#: The launcher writes the process's peak resident memory (KiB) to the descriptor
#: that ``ASSESS_PEAK_FD`` names, so that stdout and stderr stay the user's.  It
#: reads VmHWM, the high-water mark of this program's own memory: Linux carries
#: ru_maxrss across exec, so that figure would count the forking test process.
_LAUNCHER = """
import os, re, resource, sys
from assess import cli
def peak():
    try:
        with open("/proc/self/status") as status:
            return re.search(r"VmHWM:\\s*(\\d+)", status.read()).group(1)
    except (OSError, AttributeError):
        return str(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
try:
    status = cli.main(sys.argv[1:])
finally:
    sys.stdout.flush()
    sys.stderr.flush()
    with os.fdopen(int(os.environ["ASSESS_PEAK_FD"]), "w") as out:
        out.write(peak())
raise SystemExit(status)
"""

#: Address space a hostile case may map before the kernel refuses it.
MEMORY_LIMIT_MIB = 4096


@dataclass(frozen=True)
class Outcome:
    """What one run of the command line did."""

    status: int
    stdout: str
    stderr: str
    #: CPU time (user and system) of the process, in seconds.
    seconds: float
    peak_mib: float


def run_hostile(
    *argv: str,
    cwd: Path,
    timeout: float = 60.0,
    env: Mapping[str, str] | None = None,
    stdin: bytes = b"",
) -> Outcome:
    """Run ``assess ARGV`` in ``cwd`` in a fresh interpreter; return what it did and cost."""

    def limit() -> None:  # pragma: no cover - runs in the child
        size = MEMORY_LIMIT_MIB * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    read, write = os.pipe()
    peak = os.fdopen(read)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    try:
        result = subprocess.run(
            [sys.executable, "-c", _LAUNCHER, *argv],
            cwd=cwd,
            input=stdin,
            capture_output=True,
            timeout=timeout,
            env={**os.environ, **(env or {}), "ASSESS_PEAK_FD": str(write)},
            pass_fds=(write,),
            preexec_fn=limit,
            check=False,
        )
    except BaseException:
        peak.close()
        raise
    finally:
        os.close(write)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    with peak:
        kib = peak.read().strip()
    return Outcome(
        status=result.returncode,
        stdout=result.stdout.decode("utf-8", "replace"),
        stderr=result.stderr.decode("utf-8", "replace"),
        seconds=seconds,
        peak_mib=int(kib) / 1024 if kib else float("nan"),
    )


def snapshot(root: Path) -> dict[str, tuple[str, int, str]]:
    """
    Every entry under ``root``: its kind, size and, for a regular file, its SHA-256.

    FIFOs, sockets and devices are listed by kind only and never opened.
    """
    found: dict[str, tuple[str, int, str]] = {}
    for path in sorted(root.rglob("*")):
        info = path.lstat()
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = ("link", 0, str(path.readlink()))
        elif path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            found[name] = ("file", info.st_size, digest)
        elif path.is_dir():
            found[name] = ("dir", 0, "")
        else:
            found[name] = ("other", 0, "")
    return found
