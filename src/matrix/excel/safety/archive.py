"""Reading an untrusted zip package with bounded memory: members judged by their directory
entries before a byte is decompressed, the package told apart from other zip formats, members
decompressed in large chunks and checked against their directory entry and CRC, XML entity
declarations refused, and the workbook part's list of sheets and date system read."""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from xml.etree.ElementTree import Element

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from matrix.codes import Code
from matrix.excel.safety.facts import Refused, SheetFacts
from matrix.i18n import Phrase, phrase
from matrix.models.issues import Issue

MAX_MEMBER_BYTES = 100 * 2**20
MAX_TOTAL_BYTES = 300 * 2**20
MAX_MEMBERS = 5_000
MAX_RATIO = 200
"""Compression ratio above which a member is a bomb; real sheet XML compresses 5-50 times."""
RATIO_FLOOR = 2**20
"""Members smaller than this (uncompressed) are never judged by their ratio."""
CHUNK = 4 * 2**20
"""Parts are decompressed and searched this much at a time: whole for any real sheet, bounded for
a large one."""

WORKBOOK_PART = "xl/workbook.xml"
"""Where every writer puts the workbook, and where calamine looks for it."""
MACRO_CONTENT_TYPE = b"application/vnd.ms-excel.sheet.macroEnabled.main+xml"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOCUMENT = "/relationships/officeDocument"

_ENTITY_START = re.compile(rb"<![DdEe]")
"""The start of <!DOCTYPE or <!ENTITY (either case); comments and CDATA start differently."""
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")


@dataclass
class Zip:
    archive: zipfile.ZipFile
    content: bytes
    file: str

    @cached_property
    def names(self) -> set[str]:
        return {member.filename for member in self.archive.infolist()}


def open_zip(content: bytes, file: str) -> Zip:
    """The archive's directory; Refused when there is none to read."""
    try:
        return Zip(zipfile.ZipFile(io.BytesIO(content)), content, file)
    except zipfile.BadZipFile:
        raise Refused(Code.TRUNCATED_FILE.issue(file=file)) from None
    except (ValueError, EOFError) as exc:
        raise Refused(Code.DAMAGED_FILE.issue(file=file, reason=str(exc))) from None


def check_package(zip_: Zip) -> None:
    """Refuse bombs by their directory entries, other zip formats (OpenDocument, binary
    workbooks, Word), macro-enabled workbooks and a workbook part where no reader expects it."""
    file, members = zip_.file, zip_.archive.infolist()
    names = zip_.names
    if len(members) > MAX_MEMBERS:
        raise Refused(
            Code.ZIP_BOMB.issue(file=file, detail=phrase("detail.parts", count=len(members)))
        )
    check_sizes(members, file)
    if "mimetype" in names and b"opendocument" in read_small(zip_, "mimetype")[:100]:
        raise Refused(Code.ODS_NOT_WORKBOOK.issue(file=file))
    if "xl/workbook.bin" in names:
        raise Refused(Code.XLSB_NOT_WORKBOOK.issue(file=file))
    if WORKBOOK_PART not in names or "[Content_Types].xml" not in names:
        what = "file.kind.word" if "word/document.xml" in names else "file.kind.zip"
        raise Refused(Code.NOT_A_WORKBOOK.issue(file=file, what=phrase(what)))
    if any(n.rpartition("/")[2].lower() == "vbaproject.bin" for n in names):
        raise Refused(Code.MACRO_ENABLED.issue(file=file))
    if MACRO_CONTENT_TYPE in read_small(zip_, "[Content_Types].xml"):
        raise Refused(Code.MACRO_ENABLED.issue(file=file))
    if "_rels/.rels" in names:
        _check_document_part(zip_)


def _check_document_part(zip_: Zip) -> None:
    """The package's own pointer to its workbook must name the part the scan reads: a reader that
    followed it elsewhere would read sheets nobody checked."""
    for rel in parse(zip_, "_rels/.rels"):
        if rel.get("Type", "").endswith(OFFICE_DOCUMENT):
            target = normalise_part(rel.get("Target", "").lstrip("/"))
            if target != WORKBOOK_PART:
                raise Refused(
                    Code.DAMAGED_FILE.issue(
                        file=zip_.file,
                        reason=phrase(
                            "detail.workbook_part", found=repr(target), expected=WORKBOOK_PART
                        ),
                    )
                )


def check_sizes(members: list[zipfile.ZipInfo], file: str) -> None:
    """Judge every member by its directory entry, before decompressing a byte of it."""
    total = 0
    for member in members:
        if member.file_size > MAX_MEMBER_BYTES:
            detail = phrase(
                "detail.part_size", part=member.filename, size=member.file_size // 2**20
            )
            raise Refused(Code.ZIP_BOMB.issue(file=file, detail=detail))
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            detail = phrase("detail.part_ratio", part=member.filename, ratio=round(ratio))
            raise Refused(Code.ZIP_BOMB.issue(file=file, detail=detail))
        total += member.file_size
    if total > MAX_TOTAL_BYTES:
        raise Refused(
            Code.ZIP_BOMB.issue(
                file=file, detail=phrase("detail.uncompressed", size=total // 2**20)
            )
        )


def chunks(zip_: Zip, name: str) -> Iterator[bytes]:
    """Decompressed chunks of a member, never more than its directory entry declared, and checked
    against its CRC: a lying or damaged entry is refused.

    Read straight from the file's bytes (zipfile's own reader costs twice the decompression)."""
    file, content = zip_.file, zip_.content
    try:
        info = zip_.archive.getinfo(name)
        magic, _, flags, method, *_, name_length, extra_length = _LOCAL_HEADER.unpack_from(
            content, info.header_offset
        )
    except (KeyError, struct.error):
        raise Refused(_damaged(file, phrase("detail.no_local_header", part=name))) from None
    if magic != b"PK\x03\x04":
        raise Refused(_damaged(file, phrase("detail.bad_local_header", part=name)))
    if (flags | info.flag_bits) & 0x1:  # either header may say so
        raise Refused(Code.ENCRYPTED_WORKBOOK.issue(file=file))
    start = info.header_offset + _LOCAL_HEADER.size + name_length + extra_length
    data = memoryview(content)[start : start + info.compress_size]
    if len(data) != info.compress_size:
        raise Refused(_damaged(file, phrase("detail.cut_short", part=name)))
    pieces: Iterator[bytes]
    if method == zipfile.ZIP_STORED:
        pieces = (bytes(data[i : i + CHUNK]) for i in range(0, len(data), CHUNK))
    elif method == zipfile.ZIP_DEFLATED:
        pieces = _inflate(data)
    else:
        raise Refused(_damaged(file, phrase("detail.compression", part=name, method=method)))
    size, crc = 0, 0
    try:
        for piece in pieces:
            size += len(piece)
            if size > info.file_size:
                break
            crc = zlib.crc32(piece, crc)
            yield piece
    except zlib.error as exc:
        raise Refused(
            _damaged(file, phrase("detail.inflate", part=name, detail=str(exc)))
        ) from None
    if size != info.file_size or crc != info.CRC:
        raise Refused(_damaged(file, phrase("detail.crc", part=name)))


def _inflate(data: memoryview) -> Iterator[bytes]:
    stream = zlib.decompressobj(-15)
    pending: bytes | memoryview = data
    while True:
        piece = stream.decompress(pending, CHUNK)
        left = len(pending)
        pending = stream.unconsumed_tail
        if piece:
            yield piece
        if stream.eof or (not piece and len(pending) >= left):
            return


def refuse_entities(data: bytes, part: str, file: str) -> None:
    # '!' is rare in workbook XML (a few formulas), and a one-byte search costs almost nothing;
    # the regex runs only when there are many
    at = data.find(b"!")
    for _ in range(32):
        if at < 0:
            return
        if data[at - 1 : at] == b"<" and data[at + 1 : at + 2] in b"DdEe" and at + 1 < len(data):
            break
        at = data.find(b"!", at + 1)
    if _ENTITY_START.search(data):
        raise Refused(Code.XML_ENTITIES.issue(file=file, part=part))


def scan_part(zip_: Zip, name: str) -> Iterator[bytes]:
    """A member's chunks, each cleared of entity declarations (also across a chunk boundary)."""
    carry = b""
    for chunk in chunks(zip_, name):
        refuse_entities(carry + chunk, name, zip_.file)
        carry = chunk[-16:]
        yield chunk


def check_part(zip_: Zip, name: str) -> None:
    """Refuse entity declarations anywhere in a part nothing else reads."""
    for _ in scan_part(zip_, name):
        pass


def read_small(zip_: Zip, name: str) -> bytes:
    data = b"".join(chunks(zip_, name))
    refuse_entities(data, name, zip_.file)
    return data


def parse(zip_: Zip, name: str) -> Element:
    data = read_small(zip_, name)
    try:
        return SafeET.fromstring(data)
    except (SafeET.ParseError, DefusedXmlException) as exc:
        raise Refused(
            _damaged(zip_.file, phrase("detail.inflate", part=name, detail=str(exc)))
        ) from None


def workbook_sheets(zip_: Zip) -> tuple[list[SheetFacts], bool]:
    """The workbook's sheets in order, each with its part, and whether it counts dates from 1904."""
    workbook = parse(zip_, WORKBOOK_PART)
    rels_part = "xl/_rels/workbook.xml.rels"
    rels = parse(zip_, rels_part) if rels_part in zip_.names else None
    targets: dict[str | None, str] = {}
    for rel in rels if rels is not None else []:
        target = rel.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        targets[rel.get("Id")] = normalise_part(path)
    sheets = []
    for node in workbook.iter(f"{{{MAIN_NS}}}sheet"):
        if part := targets.get(node.get(f"{{{REL_NS}}}id")):
            sheets.append(
                SheetFacts(name=node.get("name", ""), part=part, state=node.get("state", "visible"))
            )
    props = workbook.find(f"{{{MAIN_NS}}}workbookPr")
    date1904 = props is not None and props.get("date1904", "").lower() in ("1", "true")
    return sheets, date1904


def normalise_part(part: str) -> str:
    stack: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if stack:
                stack.pop()
        elif piece not in ("", "."):
            stack.append(piece)
    return "/".join(stack)


def _damaged(file: str, reason: Phrase) -> Issue:
    return Code.DAMAGED_FILE.issue(file=file, reason=reason)
