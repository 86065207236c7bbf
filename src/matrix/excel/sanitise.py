"""A returned workbook's bytes made fit for openpyxl, which annotates a copy of it.

openpyxl parses with expat, which stops at the first character XML 1.0 forbids (`&#x7;`), and it
keeps a Python object per styled cell, so formatting dragged down 100,000 rows costs it a
gigabyte and minutes. The copy it reads has neither: forbidden characters are removed from every
part, and rows holding nothing but formatting after a sheet's last row of data are dropped. The
office's own file is never touched, and the annotated copy loses nothing it can see.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from matrix.excel.safety.sheets import (
    CHARACTER_REFERENCE,
    NONCHARACTER,
    has_forbidden_characters,
    is_forbidden_reference,
)
from matrix.excel.safety.sniff import read_file

_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\r")
_PREFIX = rb"(?:[\w.-]+:)?"
_ROWS = re.compile(
    rb"(?P<bare><%(p)srow\b[^>]*/>|<%(p)srow\b[^>]*>(?:\s*<%(p)sc\b[^>]*/>)*\s*</%(p)srow>)"
    rb"|<%(p)srow\b.*?</%(p)srow>" % {b"p": _PREFIX},
    re.DOTALL,
)
"""A row holding only self-closing (empty, styled) cells, or any other row."""
_WORKSHEET = re.compile(r"xl/worksheets/[^/]+\.xml")


def sanitised_copy(path: Path) -> io.BytesIO:
    """The workbook at `path` (a regular file, read once) as openpyxl can load it. Raises
    `Refused` or OSError when it cannot be read."""
    source = zipfile.ZipFile(io.BytesIO(read_file(path, str(path))))
    copy = io.BytesIO()
    with source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".xml") and has_forbidden_characters(data):
                data = without_forbidden_characters(data)
            if _WORKSHEET.fullmatch(info.filename):
                data = without_trailing_formatting(data)
            target.writestr(info, data)
    copy.seek(0)
    return copy


def without_forbidden_characters(xml: bytes) -> bytes:
    """`xml` without the characters XML 1.0 forbids, as bytes or as character references."""
    xml = NONCHARACTER.sub(b"", xml.translate(None, _CONTROL_BYTES))
    return CHARACTER_REFERENCE.sub(
        lambda match: b"" if is_forbidden_reference(match) else match[0], xml
    )


def without_trailing_formatting(xml: bytes) -> bytes:
    """Worksheet `xml` without the rows after its last row of data that hold only formatting."""
    data_end = rows_end = None
    for match in _ROWS.finditer(xml):
        rows_end = match.end()
        if match.lastgroup != "bare":
            data_end = rows_end
    if rows_end is None or data_end == rows_end:
        return xml
    cut = data_end if data_end is not None else xml.find(b">", xml.find(b"sheetData")) + 1
    return xml[:cut] + xml[rows_end:]
