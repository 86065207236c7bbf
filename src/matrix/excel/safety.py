"""Checks on an untrusted workbook file before any parser sees it.

Returned files come from every kind of office software, and a few may be hostile. Everything here
works from bytes with bounded memory: the file is read once (its size is checked first), its
type sniffed from its first bytes, zip members judged by their directory entries before being
decompressed, and parts then decompressed in large chunks and searched at C speed (bytes searches
and regexes, never a Python loop per cell) to refuse XML entities and used ranges that would make
calamine allocate gigabytes. The same pass collects the few facts calamine cannot see (sheet
states, protection, validations, error cells, the 1904 date system), so nothing else has to walk
the XML. The bytes scanned are the bytes calamine then reads (`FileScan.content`).
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from matrix.codes import Code
from matrix.excel.addresses import column_number
from matrix.excel.layout import MAX_COLUMNS, MAX_ROWS
from matrix.models.issues import Issue

MAX_FILE_BYTES = 50 * 2**20
MAX_MEMBER_BYTES = 100 * 2**20
MAX_TOTAL_BYTES = 300 * 2**20
MAX_MEMBERS = 5_000
MAX_RATIO = 200
"""Compression ratio above which a member is a bomb; real sheet XML compresses 5-50 times."""
RATIO_FLOOR = 2**20
"""Members smaller than this (uncompressed) are never judged by their ratio."""
CHUNK = 8 * 2**20
"""Parts are decompressed and searched this much at a time: whole for any real sheet, bounded for
a large one."""
MAX_CARRY = 4 * 2**20

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MACRO_CONTENT_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_ENTITY_START = re.compile(rb"<![DdEe]")
"""The start of <!DOCTYPE or <!ENTITY (either case); comments and CDATA start differently."""
_DIGITS = len(str(MAX_ROWS))
_FAR_REF = re.compile(rb' r="((?:[A-Z]{2}|[A-Z]?\d{%d}|[^"]*&)[^"]{0,30})' % _DIGITS)
"""Cell or row refs of two letters or more, or with a row number as long as MAX_ROWS or longer: the
only ones that can lie beyond column BH (MAX_COLUMNS = 60) or row MAX_ROWS; `_check_ref` decides.
Also refs written with character entities, which would hide them. A regex with a literal start,
so the cells of a normal sheet cost no Python at all."""
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')
_ERROR_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)\bt="e"([^>]*)>(?:(?!</(?:\w+:)?c>).){0,300}?<(?:\w+:)?v>([^<]*)<', re.DOTALL)
_CELL_REF = re.compile(rb'\br="([A-Z]{1,3}\d+)"')
_UNREFERENCED_CELL = re.compile(rb'<c(?:[>/]| (?!r="))')
"""A cell whose first attribute is not its reference (every mainstream writer puts r first)."""
_PLAIN_ATTRIBUTES = bytes.maketrans(b"\t\r\n'", b'   "')
_SPACED_EQUALS = re.compile(rb' r *= *"')
_SPACED = re.compile(rb'r(?: +=|= )')
"""An `r` attribute written with spaces around its '=' (after `_PLAIN_ATTRIBUTES`)."""
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
_CELL_LETTERS = re.compile(r"([A-Z]{0,3})(\d+)")


@dataclass
class SheetFacts:
    """What the zip scan learnt about one worksheet."""

    name: str
    part: str
    state: str = "visible"
    protected: bool = False
    validations: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    """A1 cell -> Excel error shown there (#REF!, #DIV/0!, ...); calamine reads these as blanks."""


@dataclass
class FileScan:
    issues: list[Issue] = field(default_factory=list)
    sheets: dict[str, SheetFacts] = field(default_factory=dict)
    date1904: bool = False
    content: bytes | None = field(default=None, repr=False)
    """The file's bytes as scanned, for a safe file: read them, not the file again, which may have
    changed since."""


@dataclass
class _Zip:
    archive: zipfile.ZipFile
    content: bytes
    file: str


class _Refused(Exception):
    """Stops the scan at the first reason to refuse the file; carries that one issue."""

    def __init__(self, issue: Issue):
        self.issue = issue


def inspect_file(path: Path) -> list[Issue]:
    """Every reason to refuse `path` before parsing it; empty when a parser may open it."""
    return scan_file(path).issues


def scan_file(path: Path) -> FileScan:
    """The safety verdict and, for a safe file, the structure facts calamine cannot see."""
    file = str(path)
    try:
        return _scan(Path(path), file)
    except _Refused as refused:
        return FileScan(issues=[refused.issue])
    except OSError as exc:
        return FileScan(issues=[Code.FILE_UNREADABLE.issue(file=file, reason=exc.strerror or str(exc))])
    except Exception as exc:  # noqa: BLE001 - zipfile, zlib and expat fail in many ways on damaged bytes
        return FileScan(issues=[Code.DAMAGED_FILE.issue(file=file, reason=f"{type(exc).__name__}: {exc}")])


def _scan(path: Path, file: str) -> FileScan:
    size = path.stat().st_size
    if size == 0:
        raise _Refused(Code.FILE_EMPTY.issue(file=file))
    if size > MAX_FILE_BYTES:
        raise _Refused(Code.FILE_TOO_LARGE.issue(file=file, size=round(size / 2**20, 1), limit=MAX_FILE_BYTES // 2**20))
    content = path.read_bytes()
    head = content[:8]
    if head.startswith(OLE2_MAGIC):
        raise _Refused(_ole2_issue(path, file))
    if not head.startswith(b"PK"):  # local file header, or an empty or spanned archive
        raise _Refused(_not_zip_issue(path, file))
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile:
        raise _Refused(Code.TRUNCATED_FILE.issue(file=file)) from None
    except (ValueError, EOFError) as exc:
        raise _Refused(Code.DAMAGED_FILE.issue(file=file, reason=str(exc))) from None
    with archive:
        scan = _scan_zip(_Zip(archive, content, file))
    scan.content = content
    return scan


def _ole2_issue(path: Path, file: str) -> Issue:
    """An OLE2 compound file is a legacy .xls, or an .xlsx encrypted with a password to open."""
    data = path.read_bytes()
    if "EncryptedPackage".encode("utf-16-le") in data or b"EncryptedPackage" in data:
        return Code.ENCRYPTED_WORKBOOK.issue(file=file)
    return Code.LEGACY_XLS.issue(file=file)


def _not_zip_issue(path: Path, file: str) -> Issue:
    with path.open("rb") as handle:
        sample = handle.read(4096)
    lowered = sample.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table", b"<?xml")) or b"<html" in lowered:
        if b"<html" in lowered or b"<table" in lowered:
            return Code.HTML_NOT_WORKBOOK.issue(file=file)
        return Code.NOT_A_WORKBOOK.issue(file=file, what="an XML file")
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")) or (b"\x00" not in sample and _is_text(sample)):
        return Code.CSV_NOT_WORKBOOK.issue(file=file)
    if sample.startswith(b"%PDF"):
        return Code.NOT_A_WORKBOOK.issue(file=file, what="a PDF document")
    return Code.NOT_A_WORKBOOK.issue(file=file, what="unknown binary content")


def _is_text(sample: bytes) -> bool:
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(sample) - 4:  # a cut multi-byte character at the end is still text
            return all(b >= 0x20 or b in b"\t\r\n" for b in sample[:512])
    return True


def _scan_zip(zip_: _Zip) -> FileScan:
    archive, file = zip_.archive, zip_.file
    members = archive.infolist()
    names = {m.filename for m in members}
    if len(members) > MAX_MEMBERS:
        raise _Refused(Code.ZIP_BOMB.issue(file=file, detail=f"{len(members)} parts"))
    _check_sizes(members, file)
    if "mimetype" in names and b"opendocument" in _read_small(zip_, "mimetype")[:100]:
        raise _Refused(Code.ODS_NOT_WORKBOOK.issue(file=file))
    if "xl/workbook.bin" in names:
        raise _Refused(Code.XLSB_NOT_WORKBOOK.issue(file=file))
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        what = "a Word document" if "word/document.xml" in names else "a zip archive without a workbook"
        raise _Refused(Code.NOT_A_WORKBOOK.issue(file=file, what=what))
    if any(n.rpartition("/")[2].lower() == "vbaproject.bin" for n in names):
        raise _Refused(Code.MACRO_ENABLED.issue(file=file))
    content_types = _read_small(zip_, "[Content_Types].xml")
    if MACRO_CONTENT_TYPE in content_types:
        raise _Refused(Code.MACRO_ENABLED.issue(file=file))
    scan = FileScan()
    workbook = _parse(zip_, "xl/workbook.xml")
    rels = _parse(zip_, "xl/_rels/workbook.xml.rels") if "xl/_rels/workbook.xml.rels" in names else None
    scan.date1904 = _date1904(workbook)
    scanned: set[str] = {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"}
    for sheet in _sheets(workbook, rels):
        if sheet.part not in names:
            continue
        _scan_sheet(zip_, sheet)
        scan.sheets[sheet.name] = sheet
        scanned.add(sheet.part)
    for member in members:
        if member.filename not in scanned and member.filename.endswith((".xml", ".rels", ".vml")):
            _scan_part(zip_, member.filename)
    return scan


def _check_sizes(members: list[zipfile.ZipInfo], file: str) -> None:
    """Judge every member by its directory entry, before decompressing a byte of it."""
    total = 0
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES:
            raise _Refused(Code.ZIP_BOMB.issue(file=file, detail=f"part {member.filename} declares {member.file_size // 2**20} MB"))
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise _Refused(Code.ZIP_BOMB.issue(file=file, detail=f"part {member.filename} is compressed {ratio:.0f} to 1"))
        total += member.file_size
    if total > MAX_TOTAL_BYTES:
        raise _Refused(Code.ZIP_BOMB.issue(file=file, detail=f"{total // 2**20} MB uncompressed"))


def _chunks(zip_: _Zip, name: str) -> Iterator[bytes]:
    """Decompressed chunks of a member, never more than its directory entry declared, and checked
    against its CRC: a lying or damaged entry is refused.

    Read straight from the file's bytes (zipfile's own reader costs twice the decompression)."""
    file, content = zip_.file, zip_.content
    try:
        info = zip_.archive.getinfo(name)
        magic, _, flags, method, *_, name_length, extra_length = _LOCAL_HEADER.unpack_from(content, info.header_offset)
    except (KeyError, struct.error):
        raise _Refused(Code.DAMAGED_FILE.issue(file=file, reason=f"part {name}: no local header")) from None
    if magic != b"PK\x03\x04":
        raise _Refused(Code.DAMAGED_FILE.issue(file=file, reason=f"part {name}: bad local header"))
    if (flags | info.flag_bits) & 0x1:  # either header may say so
        raise _Refused(Code.ENCRYPTED_WORKBOOK.issue(file=file))
    start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    data = memoryview(content)[start:start + info.compress_size]
    if len(data) != info.compress_size:
        raise _Refused(Code.DAMAGED_FILE.issue(file=file, reason=f"part {name}: cut short"))
    if method == zipfile.ZIP_STORED:
        pieces = (bytes(data[i:i + CHUNK]) for i in range(0, len(data), CHUNK))
    elif method == zipfile.ZIP_DEFLATED:
        pieces = _inflate(data)
    else:
        raise _Refused(Code.DAMAGED_FILE.issue(file=file, reason=f"part {name}: compression method {method}"))
    size, crc = 0, 0
    try:
        for piece in pieces:
            size += len(piece)
            if size > info.file_size:
                break
            crc = zlib.crc32(piece, crc)
            yield piece
    except zlib.error as exc:
        raise _Refused(Code.DAMAGED_FILE.issue(file=file, reason=f"part {name}: {exc}")) from None
    if size != info.file_size or crc != info.CRC:
        raise _Refused(Code.DAMAGED_FILE.issue(file=file, reason=f"part {name}: size or CRC does not match the directory"))


def _inflate(data: memoryview) -> Iterator[bytes]:
    stream, pending = zlib.decompressobj(-15), data
    while True:
        piece = stream.decompress(pending, CHUNK)
        left = len(pending)
        pending = stream.unconsumed_tail
        if piece:
            yield piece
        if stream.eof or (not piece and len(pending) >= left):
            return


def _refuse_entities(data: bytes, part: str, file: str) -> None:
    # '!' is rare in workbook XML (a few formulas), and a one-byte search costs almost nothing;
    # the regex runs only when there are many
    at = data.find(b"!")
    for _ in range(32):
        if at < 0:
            return
        if data[at - 1:at] == b"<" and data[at + 1:at + 2] in b"DdEe" and at + 1 < len(data):
            break
        at = data.find(b"!", at + 1)
    if _ENTITY_START.search(data):
        raise _Refused(Code.XML_ENTITIES.issue(file=file, part=part))


def _scan_part(zip_: _Zip, name: str) -> None:
    carry = b""
    for chunk in _chunks(zip_, name):
        _refuse_entities(carry + chunk, name, zip_.file)
        carry = chunk[-16:]


def _read_small(zip_: _Zip, name: str) -> bytes:
    data = b"".join(_chunks(zip_, name))
    _refuse_entities(data, name, zip_.file)
    return data


def _parse(zip_: _Zip, name: str) -> Element:
    data = _read_small(zip_, name)
    try:
        return SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise _Refused(Code.DAMAGED_FILE.issue(file=zip_.file, reason=f"part {name}: {exc}")) from None


def _date1904(workbook: Element) -> bool:
    props = workbook.find(f"{{{MAIN_NS}}}workbookPr")
    return props is not None and props.get("date1904", "").lower() in ("1", "true")


def _sheets(workbook: Element, rels: Element | None) -> list[SheetFacts]:
    targets = {}
    for rel in rels if rels is not None else []:
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = _normalise_part(part)
    sheets = []
    for node in workbook.iter(f"{{{MAIN_NS}}}sheet"):
        part = targets.get(node.get(f"{{{REL_NS}}}id"))
        if part:
            sheets.append(SheetFacts(name=node.get("name", ""), part=part, state=node.get("state", "visible")))
    return sheets


def _normalise_part(part: str) -> str:
    stack: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if stack:
                stack.pop()
        elif piece not in ("", "."):
            stack.append(piece)
    return "/".join(stack)


def _scan_sheet(zip_: _Zip, sheet: SheetFacts) -> None:
    """Refuse entities and oversized used ranges in a worksheet and collect its tail facts, a
    chunk of whole rows at a time."""
    carry = b""
    first = True
    chunks = _chunks(zip_, sheet.part)
    chunk = next(chunks, None)
    while chunk is not None:
        following = next(chunks, None)
        data = carry + chunk if carry else chunk
        if following is None:  # the last (for any real sheet, the only) chunk: no need to cut
            carry = b""
        else:
            cut = data.rfind(b"</row>")
            end = cut + len(b"</row>") if cut >= 0 else data.rfind(b">") + 1
            if end <= 0:
                if len(data) > MAX_CARRY:
                    raise _Refused(Code.DAMAGED_FILE.issue(file=zip_.file, reason=f"part {sheet.part} has no XML structure"))
                carry, chunk = data, following
                continue
            data, carry = data[:end], data[end:]
        _scan_sheet_piece(data, sheet, zip_.file, first)
        first = False
        chunk = following
    if carry:
        _scan_sheet_piece(carry, sheet, zip_.file, first)


def _scan_sheet_piece(data: bytes, sheet: SheetFacts, file: str, first: bool) -> None:
    """A few C-speed passes over whole rows of sheet XML; Python only runs on what they find."""
    _refuse_entities(data, sheet.part, file)
    # XML allows any whitespace around attributes and either quote; one form makes the patterns
    # below literal (and so fast) without letting <c\nr = 'XFD1048576'> slip past them
    declared = data.find(b"?>") + 2 if first else 0
    if b"\t" in data or b"\r" in data or b"'" in data or data.find(b"\n", declared) >= 0:
        data = data.translate(_PLAIN_ATTRIBUTES)
    if _SPACED.search(data):
        data = _SPACED_EQUALS.sub(b' r="', data)
    if first:
        head = (found.start() if (found := _SHEET_DATA.search(data)) else len(data))
        if match := _DIMENSION.search(data, 0, head):
            for ref in match.group(1).decode("ascii", "replace").split(":"):
                _check_ref(ref.replace("$", ""), sheet, file)
    for match in _FAR_REF.finditer(data):
        ref = match.group(1).decode("ascii", "replace")
        if "&" in ref:
            raise _Refused(Code.DAMAGED_FILE.issue(file=file, reason=f"part {sheet.part} hides cell references"))
        if not _CELL_LETTERS.fullmatch(ref):
            _too_large(ref, sheet, file)  # no reader would take it for a cell in the template
        _check_ref(ref, sheet, file)
    if _UNREFERENCED_CELL.search(data):
        for match in _UNREFERENCED_CELL.finditer(data):
            if b' r="' not in data[match.start():data.find(b">", match.start())]:
                raise _Refused(Code.CELLS_WITHOUT_REFERENCE.issue(file=file, sheet=sheet.name, name=sheet.name))
    if b't="e"' in data:
        for match in _ERROR_CELL.finditer(data):
            if ref := _CELL_REF.search(match.group(1) + match.group(2)):
                sheet.errors[ref.group(1).decode()] = match.group(3).decode("utf-8", "replace")
    end = data.rfind(b"</sheetData>")
    if end < 0:
        end = data.rfind(b"<sheetData/>")
    if end >= 0:  # protection and validations follow the cells
        tail = data[end:]
        sheet.protected = sheet.protected or b"<sheetProtection" in tail
        sheet.validations = sheet.validations or b"dataValidation" in tail


def _check_ref(ref: str, sheet: SheetFacts, file: str) -> None:
    match = _CELL_LETTERS.fullmatch(ref)
    if match and (column_number(match.group(1) or "A") > MAX_COLUMNS or int(match.group(2)) > MAX_ROWS):
        _too_large(ref, sheet, file)


def _too_large(cell: str, sheet: SheetFacts, file: str) -> None:
    raise _Refused(Code.USED_RANGE_TOO_LARGE.issue(
        file=file, sheet=sheet.name, value=cell, last=cell, name=sheet.name, rows=f"{MAX_ROWS:,}", columns=MAX_COLUMNS
    ))
