"""What a file is, before anything parses it: a regular file of a size a matrix can have, read
once through one descriptor, and a zip archive rather than a legacy .xls, an encrypted package, a
CSV, a web page or a PDF renamed .xlsx.

Only regular files are read. A symlink to /dev/zero would never end, a FIFO would block until
someone writes to it, and a device or a folder is not a return: each is refused from its
`stat` before it is opened, opened without blocking, and checked again on the open descriptor
in case it was swapped in between.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from matrix.codes import Code
from matrix.excel.safety.facts import Refused
from matrix.i18n import phrase
from matrix.models.issues import Issue

MAX_FILE_BYTES = 50 * 2**20
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_KINDS = (
    (stat.S_ISDIR, "file.kind.folder"),
    (stat.S_ISFIFO, "file.kind.fifo"),
    (stat.S_ISCHR, "file.kind.device"),
    (stat.S_ISBLK, "file.kind.device"),
    (stat.S_ISSOCK, "file.kind.socket"),
)


def read_file(path: Path, file: str) -> bytes:
    """The whole file, when it is a regular file of at most MAX_FILE_BYTES; Refused otherwise."""
    with open_regular(path, file) as handle:
        if (size := os.fstat(handle.fileno()).st_size) > MAX_FILE_BYTES:
            raise Refused(_too_large(size, file))
        content = handle.read(MAX_FILE_BYTES + 1)  # a file growing as it is read stops here
    if not content:
        raise Refused(Code.FILE_EMPTY.issue(file=file))
    if len(content) > MAX_FILE_BYTES:
        raise Refused(_too_large(len(content), file))
    return content


def file_digest(path: Path) -> tuple[str, int] | None:
    """SHA-256 and size of a regular file read in pieces (one too large to scan is still
    recorded); None for anything else or a file that cannot be opened."""
    digest, size = hashlib.sha256(), 0
    try:
        with open_regular(path, str(path)) as handle:
            while chunk := handle.read(2**20):
                digest.update(chunk)
                size += len(chunk)
    except (Refused, OSError):
        return None
    return digest.hexdigest(), size


@contextmanager
def open_regular(path: Path, file: str) -> Iterator[BinaryIO]:
    """`path` opened for reading, refused unless it is a regular file both before and after
    opening. OSError when it cannot be opened."""
    _refuse_unless_regular(
        os.stat(path).st_mode, file
    )  # follows symlinks: a link to a workbook is fine
    descriptor = os.open(path, _OPEN_FLAGS)
    with os.fdopen(descriptor, "rb") as handle:
        _refuse_unless_regular(os.fstat(descriptor).st_mode, file)
        yield handle


def non_workbook_issue(content: bytes, file: str) -> Issue | None:
    """Why `content` cannot be a workbook, judged from its first bytes; None for a zip archive,
    which the archive checks then judge."""
    if content.startswith(OLE2_MAGIC):
        return _ole2_issue(content, file)
    if not content.startswith(b"PK"):  # local file header, or an empty or spanned archive
        return _not_zip_issue(content[:4096], file)
    return None


def _refuse_unless_regular(mode: int, file: str) -> None:
    if not stat.S_ISREG(mode):
        what = next((kind for test, kind in _KINDS if test(mode)), "file.kind.special")
        raise Refused(Code.NOT_A_FILE.issue(file=file, what=phrase(what)))


def _too_large(size: int, file: str) -> Issue:
    return Code.FILE_TOO_LARGE.issue(
        file=file, size=round(size / 2**20, 1), limit=MAX_FILE_BYTES // 2**20
    )


def _ole2_issue(content: bytes, file: str) -> Issue:
    """An OLE2 compound file is a legacy .xls, or an .xlsx encrypted with a password to open."""
    if "EncryptedPackage".encode("utf-16-le") in content or b"EncryptedPackage" in content:
        return Code.ENCRYPTED_WORKBOOK.issue(file=file)
    return Code.LEGACY_XLS.issue(file=file)


def _not_zip_issue(sample: bytes, file: str) -> Issue:
    lowered = sample.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if (
        lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml"))
        or b"<html" in lowered
    ):
        if b"<html" in lowered or b"<table" in lowered:
            return Code.HTML_NOT_WORKBOOK.issue(file=file)
        return Code.NOT_A_WORKBOOK.issue(file=file, what=phrase("file.kind.xml"))
    if sample.startswith(b"%PDF"):  # its header is text, so before the text check
        return Code.NOT_A_WORKBOOK.issue(file=file, what=phrase("file.kind.pdf"))
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        b"\x00" not in sample and _is_text(sample)
    ):
        return Code.CSV_NOT_WORKBOOK.issue(file=file)
    return Code.NOT_A_WORKBOOK.issue(file=file, what=phrase("file.kind.binary"))


def _is_text(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # a cut multi-byte character at the end is still text
            return all(b >= 0x20 or b in b"\t\r\n" for b in sample[:512])
    return True
