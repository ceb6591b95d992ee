"""
Reading and writing files safely: the one path every command's file I/O takes.

Reading opens without blocking and accepts only regular files, so a FIFO,
a device or a socket named as an input is refused at once instead of hanging
or streaming forever, and it reads at most a stated number of bytes.

Writing goes to a temporary file in the target's own directory, which then
replaces the target in one rename, so an error or an interruption leaves
the previous file as it was.  Before anything is created, the target is
checked: it must be a regular file or not exist yet, and it must not be one
of the files the command reads, compared by device and inode, not by name,
so that ``-o x.yaml`` can never replace the assessment it was made from.
"""

from __future__ import annotations

import contextlib
import contextvars
import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, Final

from assess.errors import AssessError, ReadError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = [
    "MAX_BYTES",
    "TooLargeError",
    "WriteRefusedError",
    "check_target",
    "read_regular",
    "recording_reads",
    "write_atomic",
]

MAX_BYTES: Final = 64 * 1024 * 1024
"""
The default cap on an assessment file, in bytes (64 MiB; ``--max-bytes`` and ``max_bytes=``).

A 100,000-item, 20-hypothesis file is about 34 MiB; it loaded in 48 s and
1.2 GB here.  At about 35 bytes of memory per byte of file, a file at the
cap takes over 2 GB.
"""

#: What ``os.open`` is given to read: never block on a FIFO, never become its terminal.
_READ_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
)
_CHUNK: Final = 1 << 20

#: The files read so far in the current :func:`recording_reads` scope.
_READS: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar(
    "assess_reads", default=None
)


@contextlib.contextmanager
def recording_reads() -> Iterator[list[str]]:
    """
    Record every file :func:`read_regular` opens inside the scope.

    A command runs in one scope, so that whatever it writes is checked
    against everything it read: the assessment, its documents, a table of
    ratings, an ``.achz`` file.
    """
    reads: list[str] = []
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


class WriteRefusedError(AssessError, OSError):
    """
    A file that a command must not write: one of its inputs, or not a regular file.

    .. versionadded:: 0.1
    """

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"refusing to write {path}: {reason}")

    def __reduce__(self) -> tuple[type[WriteRefusedError], tuple[str, str]]:
        return type(self), (self.path, self.reason)

    def __str__(self) -> str:
        return f"refusing to write {self.path}: {self.reason}"


class TooLargeError(ReadError):
    """
    A file larger than the most a command reads of it.

    .. versionadded:: 0.1
    """


def _kind(mode: int) -> str:
    """A file type in words, for a message."""
    for test, word in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    ):
        if test(mode):
            return word
    return "not a regular file"


def read_regular(path: str | os.PathLike[str], limit: int) -> bytes:
    """
    The bytes of a regular file of at most ``limit`` bytes.

    Raises:
        ReadError: When the file does not exist, is not a regular file (a
            directory, FIFO, device or socket), cannot be read, or is larger
            than ``limit`` bytes (:class:`TooLargeError`).
    """
    name = os.fspath(path)
    reads = _READS.get()
    if reads is not None:
        reads.append(name)
    try:
        descriptor = os.open(name, _READ_FLAGS)
    except FileNotFoundError:
        raise ReadError(name, "no such file") from None
    except OSError as error:
        if error.errno == errno.ENXIO:  # a FIFO with no writer, a socket
            raise ReadError(name, "is not a regular file") from None
        raise ReadError(name, f"cannot read: {error.strerror or error}") from None
    try:
        mode = os.fstat(descriptor).st_mode
        if stat.S_ISREG(mode):
            parts, size = _read_up_to(descriptor, limit)
    except OSError as error:
        raise ReadError(name, f"cannot read: {error.strerror or error}") from None
    finally:
        os.close(descriptor)
    if stat.S_ISDIR(mode):
        raise ReadError(name, "is a directory")
    if not stat.S_ISREG(mode):
        raise ReadError(name, f"is {_kind(mode)}, not a regular file")
    if size > limit:
        raise TooLargeError(name, f"is larger than {limit} bytes")
    return b"".join(parts)


def _read_up_to(descriptor: int, limit: int) -> tuple[list[bytes], int]:
    """At most ``limit + 1`` bytes from ``descriptor``, in chunks, and how many."""
    parts: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(descriptor, min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        parts.append(chunk)
        size += len(chunk)
    return parts, size


def _identity(path: str | os.PathLike[str]) -> tuple[int, int] | None:
    """A file's device and inode, following links; None when it does not exist."""
    try:
        info = Path(path).stat()
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def check_target(
    path: str | os.PathLike[str], inputs: Iterable[str | os.PathLike[str]] = ()
) -> None:
    """
    Refuse a write target that would destroy something, before anything is written.

    Args:
        path: The file to be written.
        inputs: Files the target may not be, besides those read so far in
            the current :func:`recording_reads` scope.

    Raises:
        WriteRefusedError: When the target exists and is not a regular file,
            is one of ``inputs`` (same device and inode, or the same resolved
            path), or its directory does not exist or is not a directory.
    """
    name = os.fspath(path)
    target = Path(name)
    try:
        info = target.stat()
    except FileNotFoundError:
        info = None
    except OSError as error:
        raise WriteRefusedError(name, error.strerror or str(error)) from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise WriteRefusedError(name, f"it is {_kind(info.st_mode)}, not a regular file")
    resolved = target.resolve()
    for source in [*inputs, *(_READS.get() or ())]:
        same = info is not None and _identity(source) == (info.st_dev, info.st_ino)
        if same or Path(source).resolve() == resolved:
            raise WriteRefusedError(name, f"it is {os.fspath(source)}, which this command reads")
    directory = resolved.parent
    if not directory.is_dir():
        raise WriteRefusedError(name, f"its directory {target.parent} does not exist")


def _mode_for(path: Path) -> int:
    """The mode the written file gets: the target's, or a new file's under the umask."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomic(
    path: str | os.PathLike[str],
    content: str | bytes,
    *,
    inputs: Iterable[str | os.PathLike[str]] = (),
) -> None:
    """
    Write a file whole or not at all (text as UTF-8, bytes as they are).

    The target is checked first (:func:`check_target`); the content goes to a
    temporary file in the target's own directory, which then replaces the
    target in one rename.

    Raises:
        WriteRefusedError: When the target must not be written.
        OSError: When writing fails; the previous file is left as it was.
    """
    check_target(path, inputs)
    target = Path(path)
    data = content.encode("utf-8") if isinstance(content, str) else content
    import tempfile  # noqa: PLC0415 -- only when writing, not for a report to stdout

    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 -- closed below, removed on failure
        "wb", dir=target.parent, prefix=f".{target.name}.", suffix=".tmp", delete=False
    )
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        # A temporary file is private (0600); the output gets the mode the
        # file had, or a new file's usual mode under the umask.
        Path(handle.name).chmod(_mode_for(target))
        Path(handle.name).replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(handle.name).unlink(missing_ok=True)
        raise
