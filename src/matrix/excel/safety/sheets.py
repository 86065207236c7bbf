"""Scanning worksheet XML before calamine reads it: a few C-speed passes (bytes searches and
regexes with a literal start, never a Python loop per cell) over whole rows at a time.

A worksheet is refused when a cell holding a value lies beyond the template's limits
(`layout.MAX_ROWS`, `layout.MAX_COLUMNS`), or when cells leave out their reference: calamine
sizes the sheet from the cells it places, so one value at XFD1048576 would make it allocate
gigabytes. References are judged in every spelling calamine accepts (either case, any element
prefix, spaces around '='). Styled empty cells, empty rows and the `<dimension>` hint are not
data: calamine places none of them, so formatting dragged down 100,000 rows is accepted.

The same pass collects the facts calamine cannot see (error cells, protection, validations) and
notices text holding characters XML 1.0 forbids.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NoReturn

from matrix.codes import Code
from matrix.excel.addresses import column_number
from matrix.excel.layout import MAX_COLUMNS, MAX_ROWS
from matrix.excel.safety.archive import Zip, chunks, refuse_entities, scan_part
from matrix.excel.safety.facts import Refused, SheetFacts
from matrix.i18n import phrase

MAX_CARRY = 4 * 2**20
MAX_REF = 12
"""Longer than `$XFD$1048576`: no writer spells a cell of the template so."""

_PLAIN_ATTRIBUTES = bytes.maketrans(b"\t\r\n'", b'   "')
_ATTRIBUTE = rb' +[\w:.-]+ *= *"[^"<>]*"'
_FAR_CELL = re.compile(
    rb' r="((?:[A-Za-z$]{2}|[A-Za-z$]\$?\d{5}|[^"]*&)[^"]*)"'
    rb"(?!(?:%s)* *(?:/>|> *</(?:\w+:)?c>))" % _ATTRIBUTE
)
"""A reference of two letters or more, or with a row number of five digits or more (the only ones
that can lie beyond column BH or row 20,000; `_check_ref` decides), or written with character
entities, which would hide it; on an element that is not empty, so holds a value (a self-closing
cell or `<c ...></c>`, however styled, does not). Row elements' references are only digits and
never match: calamine places cells by their own reference. A regex with a literal start, so the
cells of a normal sheet cost no Python at all. A reference written with spaces around its '=' is
first rewritten by `_judge_unusual_cells`."""
_CELL_LETTERS = re.compile(r"\$?([A-Za-z]{0,3})\$?(\d+)")
_UNREFERENCED_CELL = re.compile(rb'<c(?:[>/]| (?!r="))')
"""A cell whose first attribute is not its reference (every mainstream writer puts r first)."""
_PREFIXED_CELL = re.compile(rb":c[ >/]")
_UNREFERENCED_PREFIXED_CELL = re.compile(rb'<[\w.-]+:c(?:[>/]| (?!r="))')
_REFERENCE = re.compile(rb' r *= *"')
_SPACED_REFERENCE = re.compile(rb' r(?: +=|= ) *"')
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\b([^>]*?)\bt="e"([^>]*)>(?:(?!</(?:\w+:)?c>).){0,300}?<(?:\w+:)?v>([^<]*)<',
    re.DOTALL,
)
_ERROR_CELL_REF = re.compile(rb'(?<![\w:])r="\$?([A-Za-z]{1,3})\$?(\d+)"')
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData>|<(?:[\w.-]+:)?sheetData */>")

_NOT_FORBIDDEN = bytes(b for b in range(256) if b >= 0x20 or b in b"\t\n\r")
CHARACTER_REFERENCE = re.compile(rb"&#(?:[xX]0*([0-9a-fA-F]{1,6})|0*([0-9]{1,7}));")
_ESCAPED = re.compile(rb"_x(?:00[01][0-9a-fA-F]|[fF]{3}[eEfF])_")
"""OOXML's own escape for characters XML cannot hold (`_x0007_`), which calamine decodes."""
NONCHARACTER = re.compile(rb"\xef\xbf[\xbe\xbf]")
"""U+FFFE and U+FFFF in UTF-8."""


def scan_sheet(zip_: Zip, sheet: SheetFacts) -> bool:
    """Refuse entities and values beyond the template in a worksheet, collect its tail facts, and
    say whether its text holds characters XML forbids."""
    forbidden, first = False, True
    for piece in _row_pieces(zip_, sheet):
        forbidden = _scan_piece(piece, sheet, zip_.file, first) or forbidden
        first = False
    return forbidden


def part_has_forbidden_characters(zip_: Zip, name: str) -> bool:
    """Whether a text part (the shared strings) holds characters XML forbids; entities refused."""
    found, carry = False, b""
    for chunk in scan_part(zip_, name):
        found = found or has_forbidden_characters(carry + chunk)
        carry = chunk[-16:]  # a reference cut in two by the chunk boundary
    return found


def has_forbidden_characters(data: bytes) -> bool:
    """Control characters other than tab and line ends, U+FFFE or U+FFFF: as bytes, as character
    references (`&#x7;`) or as OOXML escapes (`_x0007_`). False positives only cost a cleaning
    pass that finds nothing."""
    if data.translate(None, _NOT_FORBIDDEN):
        return True
    if b"\xef" in data and NONCHARACTER.search(data):
        return True
    if _found(data, b"_", _ESCAPED):
        return True
    return _found(data, b"&", CHARACTER_REFERENCE, is_forbidden_reference)


def _found(
    data: bytes,
    start: bytes,
    pattern: re.Pattern[bytes],
    accept: Callable[[re.Match[bytes]], bool] = lambda match: True,
) -> bool:
    """Whether `pattern` (which begins with the byte `start`) matches, and `accept` agrees.
    A one-byte search costs almost nothing, and these bytes are rare in workbook XML; the regex
    search runs only when there are many."""
    at = data.find(start)
    for _ in range(32):
        if at < 0:
            return False
        if (match := pattern.match(data, at)) and accept(match):
            return True
        at = data.find(start, at + 1)
    return any(accept(match) for match in pattern.finditer(data, at))


def is_forbidden_reference(match: re.Match[bytes]) -> bool:
    hexadecimal, decimal = match.groups()
    code = int(hexadecimal, 16) if hexadecimal else int(decimal)
    return (
        (code < 0x20 and code not in (0x9, 0xA, 0xD))
        or code in (0xFFFE, 0xFFFF)
        or 0xD800 <= code <= 0xDFFF
    )


def _row_pieces(zip_: Zip, sheet: SheetFacts) -> Iterator[bytes]:
    """The sheet's XML in pieces cut after a row (or at least a tag), so no cell is cut."""
    carry = b""
    pieces = chunks(zip_, sheet.part)  # each piece is cleared of entities by `_scan_piece`
    chunk = next(pieces, None)
    while chunk is not None:
        following = next(pieces, None)
        data = carry + chunk if carry else chunk
        if following is None:  # the last (for any real sheet, the only) chunk: no need to cut
            carry = b""
        else:
            cut = data.rfind(b"</row>")
            end = cut + len(b"</row>") if cut >= 0 else data.rfind(b">") + 1
            if end <= 0:
                if len(data) > MAX_CARRY:
                    reason = phrase("detail.no_xml", part=sheet.part)
                    raise Refused(Code.DAMAGED_FILE.issue(file=zip_.file, reason=reason))
                carry, chunk = data, following
                continue
            data, carry = data[:end], data[end:]
        yield data
        chunk = following
    if carry:
        yield carry


def _scan_piece(data: bytes, sheet: SheetFacts, file: str, first: bool) -> bool:
    """Python only runs on what the passes find."""
    refuse_entities(data, sheet.part, file)
    forbidden = has_forbidden_characters(data)
    # XML allows any whitespace around attributes and either quote; one form makes the patterns
    # below literal (and so fast) without letting <c\nr = 'xfd1048576'> slip past them
    declared = data.find(b"?>") + 2 if first else 0
    if b"\t" in data or b"\r" in data or b"'" in data or data.find(b"\n", declared) >= 0:
        data = data.translate(_PLAIN_ATTRIBUTES)
    data = _judge_unusual_cells(data, sheet, file)
    for match in _FAR_CELL.finditer(data):
        ref = match.group(1).decode("ascii", "replace")
        if "&" in ref:
            reason = phrase("detail.hidden_references", part=sheet.part)
            raise Refused(Code.DAMAGED_FILE.issue(file=file, reason=reason))
        _check_ref(ref, sheet, file)
    if b't="e"' in data:
        for match in _ERROR_CELL.finditer(data):
            if ref := _ERROR_CELL_REF.search(match.group(1) + match.group(2)):
                letters, digits = ref.groups()
                sheet.errors[f"{letters.decode().upper()}{int(digits)}"] = match.group(3).decode(
                    "utf-8", "replace"
                )
    end = data.rfind(b"</sheetData>")
    if end < 0:
        found = list(_SHEET_DATA_END.finditer(data))
        end = found[-1].start() if found else -1
    if end >= 0:  # protection and validations follow the cells
        tail = data[end:]
        sheet.protected = sheet.protected or b"sheetProtection" in tail
        sheet.validations = sheet.validations or b"dataValidation" in tail
    return forbidden


def _judge_unusual_cells(data: bytes, sheet: SheetFacts, file: str) -> bytes:
    """Refuse cells without a reference (calamine would place them by position, after the row's
    own unchecked number); `data` with references written `r = "..."` made plain when there are
    any. Only cells whose first attribute is not `r="` are looked at: none from mainstream
    writers."""
    patterns = [_UNREFERENCED_CELL]
    if _PREFIXED_CELL.search(data):  # <x:c ...>, which calamine reads as a cell too
        patterns.append(_UNREFERENCED_PREFIXED_CELL)
    spaced = False
    for pattern in patterns:
        for match in pattern.finditer(data):
            tag = data[match.start() : data.find(b">", match.start())]
            if not _REFERENCE.search(tag):
                raise Refused(
                    Code.CELLS_WITHOUT_REFERENCE.issue(file=file, sheet=sheet.name, name=sheet.name)
                )
            spaced = spaced or _SPACED_REFERENCE.search(tag) is not None
    return _SPACED_REFERENCE.sub(b' r="', data) if spaced else data


def _check_ref(ref: str, sheet: SheetFacts, file: str) -> None:
    match = _CELL_LETTERS.fullmatch(ref) if len(ref) <= MAX_REF else None
    if match is None:  # no reader would take it for a cell in the template
        _too_large(ref[: MAX_REF + 3], sheet, file)
    letters, digits = match.groups()
    if column_number(letters.upper() or "A") > MAX_COLUMNS or int(digits) > MAX_ROWS:
        _too_large(ref, sheet, file)


def _too_large(cell: str, sheet: SheetFacts, file: str) -> NoReturn:
    raise Refused(
        Code.USED_RANGE_TOO_LARGE.issue(
            file=file,
            sheet=sheet.name,
            value=cell,
            last=cell.upper(),
            name=sheet.name,
            rows=f"{MAX_ROWS:,}",
            columns=MAX_COLUMNS,
        )
    )
