"""Every file matrix writes goes through `write_file` (or `create_new`, for a file that is never
replaced), and no output is ever one of a command's inputs.

A file is written beside its target under a hidden temporary name, flushed to disk and renamed
over the target: a reader never sees half a file, and a failure (a full disk, an exception in the
writer, Ctrl-C) leaves the old file as it was and no temporary behind. New files get the
permissions the user's umask gives any file they save, except secrets (`PRIVATE`).

`Inputs` is what a command reads (the plan, the store and its journal files, the returns), so an
output pointed at any of them, under any name or link, is refused before anything is written.
"""

from __future__ import annotations

import errno
import io
import os
import secrets
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, cast

from matrix.errors import MatrixError
from matrix.i18n import phrase

SHARED = 0o666
"""Files for people (matrices, reports, exports, feedback): the umask says who may read them."""
PRIVATE = 0o600
"""Secrets, such as a signing key: the owner only, whatever the umask."""
STORE_FILES = {
    "": "input.store",
    "-wal": "input.store_wal",
    "-shm": "input.store_shm",
    "-journal": "input.store_journal",
}
"""SQLite keeps a store's pending changes beside it under these suffixes."""
DISK_FULL = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
"""No space, a file larger than allowed, a quota reached."""


class StandardOutput:
    """Standard output as the target of what a command writes (`-o -`, or no `-o` where the output
    is one stream, as csvkit and sqlite-utils do). The writer runs into memory first and the bytes
    go out in one piece, so a failure prints nothing half-made; binary formats are never sent to a
    terminal; CSV has no byte-order mark there (the mark is for Excel opening a file, and tools
    reading a pipe would take it for data)."""

    def __str__(self) -> str:
        return "standard output"

    def __repr__(self) -> str:
        return "STDOUT"

    def write(
        self, write: Callable[[IO[Any]], object], *, encoding: str | None, newline: str | None
    ) -> None:
        stream = sys.stdout
        if encoding is None and stream.isatty():
            raise MatrixError("error.stdout_binary")
        buffer = io.BytesIO()
        if encoding is None:
            write(buffer)
        else:
            text = io.TextIOWrapper(
                buffer, encoding="utf-8" if encoding == "utf-8-sig" else encoding, newline=newline
            )
            write(text)
            text.flush()
            text.detach()
        try:
            stream.flush()
            binary = getattr(stream, "buffer", None)
            if binary is None:  # a text-only stream stood in for stdout: text formats only
                stream.write(buffer.getvalue().decode(encoding or "utf-8"))
            else:
                binary.write(buffer.getvalue())
                binary.flush()
        except BrokenPipeError:
            _quiet_stdout()
            raise MatrixError("error.stdout_closed") from None


def _quiet_stdout() -> None:
    """After a reader closed the pipe, Python's own flush at exit would complain once more."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        pass


STDOUT = StandardOutput()
"""The one standard output target."""

Target = str | Path | StandardOutput
"""Where an output goes: a file, or standard output."""


def write_file(
    path: Target,
    write: Callable[[IO[Any]], object],
    *,
    encoding: str | None = None,
    newline: str | None = None,
    mode: int = SHARED,
    inputs: Inputs | None = None,
) -> Path | StandardOutput:
    """Write `path` atomically with `write(stream)`: a binary stream, or text with `encoding`.

    A symlink is followed (the file it names is replaced, the link kept). MatrixError, on one line,
    when the file cannot be written or would overwrite one of `inputs`. `STDOUT` gets the whole
    output at once, when the writer has finished."""
    if isinstance(path, StandardOutput):
        path.write(write, encoding=encoding, newline=newline)
        return path
    path = Path(path)
    if inputs is not None:
        inputs.refuse(path)
    target = Path(os.path.realpath(path))
    if target.exists() and not target.is_file():
        what = phrase("file.kind.folder" if target.is_dir() else "file.kind.special")
        raise MatrixError("error.output_not_a_file", path=path, what=what)
    temporary: Path | None = None
    output: _Output | None = None
    try:
        temporary, output = _create_temporary(target, mode)
        stream = cast(IO[bytes], output)  # a raw binary file, which typeshed does not call IO
        if encoding is None:
            write(stream)
        else:
            text = io.TextIOWrapper(
                cast(io.BufferedWriter, stream), encoding=encoding, newline=newline
            )
            write(text)
            text.flush()
            text.detach()
        output.finish()
        os.replace(temporary, target)
        temporary = None
        _sync_folder(target.parent)
    except OSError as exc:
        raise MatrixError("error.cannot_write", path=path, reason=describe(exc)) from None
    finally:
        if temporary is not None:
            if output is not None:
                output.discard()
            temporary.unlink(missing_ok=True)
    return path


def write_text(
    path: Target, text: str, *, mode: int = SHARED, inputs: Inputs | None = None
) -> Path | StandardOutput:
    return write_file(
        path, lambda out: out.write(text), encoding="utf-8", newline="\n", mode=mode, inputs=inputs
    )


def create_new(path: str | Path, data: bytes, *, mode: int = SHARED) -> bool:
    """Write `data` to `path` only if no file is there: False, untouched, when one is (another
    process may have made it a moment ago). For a file that must never be replaced, such as a
    key; nothing is left on failure. OSError as raised, so the caller can say what to do."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return True


OS_REASONS = {
    errno.ENOENT: "os.not_found",
    errno.EACCES: "os.permission",
    errno.EPERM: "os.permission",
    errno.EROFS: "os.read_only",
    errno.EISDIR: "os.is_folder",
    errno.ENOTDIR: "os.not_folder",
    errno.EEXIST: "os.exists",
    errno.EBUSY: "os.busy",
    errno.ENAMETOOLONG: "os.name_too_long",
    errno.EIO: "os.io",
}
"""Failures common enough to say in the user's language; others keep the system's own words."""


class DescribedOSError(OSError):
    """An OSError that says what failed in the catalogue's words (`reason`, a phrase)."""

    def __init__(self, code: int, reason: dict[str, object]):
        super().__init__(code, os.strerror(code))
        self.reason = reason


def describe(exc: OSError) -> dict[str, object] | str:
    """The reason, as a message parameter: in words, with what to do when the disk is full."""
    if isinstance(exc, DescribedOSError):
        return exc.reason
    if exc.errno in DISK_FULL:
        return phrase("os.disk_full", detail=exc.strerror or str(exc))
    if exc.errno in OS_REASONS:
        return phrase(OS_REASONS[exc.errno])
    return exc.strerror or str(exc)


READ = "input.read"


class Inputs:
    """The files (and folders) a command reads, and any the project cannot lose; `refuse` stops an
    output from being any of them, compared by resolved path and, for files that exist, by device
    and inode (hard links)."""

    def __init__(
        self,
        *,
        plan: str | Path | None = None,
        store: str | Path | None = None,
        returns: Iterable[str | Path] = (),
    ) -> None:
        self._files: list[tuple[Path, str, str]] = []
        self._folders: list[tuple[Path, str]] = []
        if plan is not None:
            self.add(plan, "input.plan")
        if store is not None:
            self.add_store(store)
        self.add_returns(returns)

    def add(self, path: str | Path, what: str, why: str = READ) -> Inputs:
        """`path`, named `what` in a refusal, with `why` it must not be written over (both
        catalogue keys)."""
        self._files.append((Path(path), what, why))
        return self

    def add_store(self, path: str | Path) -> Inputs:
        for suffix, what in STORE_FILES.items():
            self.add(f"{path}{suffix}", what)
        return self

    def add_returns(self, paths: Iterable[str | Path]) -> Inputs:
        for path in map(Path, paths):
            if path.is_dir():
                self._folders.append((path, "input.returns_folder"))
            else:
                self.add(path, "input.return")
        return self

    def refuse(self, target: Target) -> None:
        """MatrixError when writing `target` would overwrite an input (standard output never
        does)."""
        if isinstance(target, StandardOutput):
            return
        target = Path(target)
        for path, what, why in self._files:
            if _same_file(target, path):
                same = os.path.abspath(target) == os.path.abspath(path)
                raise MatrixError(
                    "error.output_is_input" if same else "error.output_is_input_at",
                    target=target,
                    what=phrase(what),
                    path=path,
                    why=phrase(why),
                )

    def refuse_folder(self, folder: str | Path, what: str) -> None:
        """MatrixError when `folder` is, or is inside, a folder being read: `what` (a catalogue
        key) written there would be read back as input next time."""
        resolved = Path(os.path.realpath(folder))
        for path, role in self._folders:
            read = Path(os.path.realpath(path))
            if resolved == read or read in resolved.parents:
                raise MatrixError(
                    "error.output_in_returns",
                    folder=folder,
                    role=phrase(role),
                    path=path,
                    what=phrase(what),
                )


def _same_file(a: Path, b: Path) -> bool:
    try:
        if os.path.samefile(a, b):
            return True
    except OSError:  # one of them does not exist (yet): only its path can say
        pass
    return os.path.realpath(a) == os.path.realpath(b)


class _Output(io.RawIOBase):
    """The temporary file as the writer sees it. Once the write has failed it swallows
    everything: a half-built zip archive (openpyxl, xlsxwriter) still holds it and writes its
    central directory when it is garbage-collected, which would otherwise print "Exception ignored
    in ZipFile.__del__" on a full disk. Closing is ours to do, not the writer's."""

    def __init__(self, fd: int) -> None:
        super().__init__()
        self._file = os.fdopen(fd, "wb")
        self._live = True
        self._position = 0
        """Where the writer believes it is, once writes go nowhere: a zip archive computes its
        directory's offsets from it."""

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def write(self, data) -> int:  # any bytes-like, as BufferedWriter takes
        if self._live:
            return self._file.write(data)
        size = memoryview(data).nbytes
        self._position += size
        return size

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if self._live:
            return self._file.seek(offset, whence)
        self._position = offset if whence == os.SEEK_SET else self._position + offset
        return self._position

    def tell(self) -> int:
        return self._file.tell() if self._live else self._position

    def truncate(self, size: int | None = None) -> int:
        return self._file.truncate(size) if self._live else self._position

    def flush(self) -> None:
        if self._live:
            self._file.flush()

    def close(self) -> None:
        """Writers may close what they were given; the file stays open until `finish`."""

    def finish(self) -> None:
        """Everything on disk before the rename, so a crash never leaves a renamed empty file."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._live = False
        self._file.close()

    def discard(self) -> None:
        try:
            self._position = self._file.tell()
        except (OSError, ValueError):
            pass
        self._live = False
        try:
            self._file.close()  # closes the descriptor even when flushing what is left fails
        except OSError:
            pass


def _create_temporary(target: Path, mode: int) -> tuple[Path, _Output]:
    """A new hidden file beside `target` (so the rename stays on one file system), created with
    `mode` less the umask. Hidden, so a folder of returns never lists a leftover as a return."""
    if not target.parent.is_dir():
        raise DescribedOSError(errno.ENOENT, phrase("os.not_found_named", path=target.parent))
    while True:
        temporary = target.with_name(f".{target.name[:200]}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(
                temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode
            )
        except FileExistsError:
            continue
        return temporary, _Output(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every system can open a folder for that."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
