"""Checks on an untrusted workbook file before any parser sees it.

Returned files come from every kind of office software, and a few may be hostile. Everything here
works from bytes with bounded memory, in three steps: `sniff` reads the file once (a regular
file, its size checked first) and tells a zip from an .xls, a CSV or a web page; `archive`
judges the zip's members by their directory entries before decompressing any, refuses other
packages and XML entities, and reads the workbook part; `sheets` scans each worksheet in large
chunks for values beyond the template that would make calamine allocate gigabytes. The same pass
collects the few facts calamine cannot see (sheet states, protection, validations, error cells,
the 1904 date system, text holding forbidden characters), so nothing else has to walk the XML.
The bytes scanned are the bytes calamine then reads (`FileScan.content`).
"""

from __future__ import annotations

from pathlib import Path

from matrix.codes import Code
from matrix.excel.safety.archive import Zip, check_package, check_part, open_zip, workbook_sheets
from matrix.excel.safety.facts import FileScan, Refused, SheetFacts
from matrix.excel.safety.sheets import part_has_forbidden_characters, scan_sheet
from matrix.excel.safety.sniff import file_digest, non_workbook_issue, read_file
from matrix.files import describe
from matrix.models.issues import Issue

__all__ = ["FileScan", "SheetFacts", "file_digest", "inspect_file", "scan_file"]

SHARED_STRINGS = "xl/sharedStrings.xml"
"""Where calamine reads shared strings from, whatever the relationships say."""
_READ_FIRST = frozenset(
    {"[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "_rels/.rels"}
)


def inspect_file(path: Path) -> list[Issue]:
    """Every reason to refuse `path` before parsing it; empty when a parser may open it."""
    return scan_file(path).issues


def scan_file(path: Path) -> FileScan:
    """The safety verdict and, for a safe file, the structure facts calamine cannot see."""
    file, content = str(path), None
    try:
        content = read_file(Path(path), file)
        if (issue := non_workbook_issue(content, file)) is not None:
            return FileScan(issues=[issue], content=content)
        zip_ = open_zip(content, file)
        with zip_.archive:
            scan = _scan_zip(zip_)
        scan.content = content
        return scan
    except Refused as refused:
        return FileScan(issues=[refused.issue], content=content)
    except OSError as exc:
        return FileScan(issues=[Code.FILE_UNREADABLE.issue(file=file, reason=describe(exc))])
    except Exception as exc:  # noqa: BLE001 - zipfile, zlib and expat fail in many ways on bad bytes
        reason = f"{type(exc).__name__}: {exc}"
        return FileScan(issues=[Code.DAMAGED_FILE.issue(file=file, reason=reason)], content=content)


def _scan_zip(zip_: Zip) -> FileScan:
    check_package(zip_)
    sheets, date1904 = workbook_sheets(zip_)
    scan = FileScan(date1904=date1904)
    scanned = set(_READ_FIRST)
    for sheet in sheets:
        if sheet.part not in zip_.names:
            continue
        scan.forbidden_characters = scan_sheet(zip_, sheet) or scan.forbidden_characters
        scan.sheets[sheet.name] = sheet
        scanned.add(sheet.part)
    if SHARED_STRINGS in zip_.names:
        scan.forbidden_characters = (
            part_has_forbidden_characters(zip_, SHARED_STRINGS) or scan.forbidden_characters
        )
        scanned.add(SHARED_STRINGS)
    for name in sorted(zip_.names - scanned):
        if name.endswith((".xml", ".rels", ".vml")):
            check_part(zip_, name)
    return scan
