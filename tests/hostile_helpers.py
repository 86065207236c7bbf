"""Messy and hostile variants of returned workbooks, built in code: the kinds of file offices and
attackers send (values far beyond the matrix in any spelling, formatting dragged down, a
whole-sheet dimension, the 1904 date system, characters XML forbids), and a way to run the
command on them in a subprocess under a memory and time limit."""

from __future__ import annotations

import re
import resource
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl

from matrix.excel.safety import inspect_file

MEMORY_LIMIT = 1 * 2**30
"""Address space for a command under test: several times what validating a matrix needs, far
below what the allocations refused here would take."""
TIME_LIMIT = 120


def small_workbook(path: Path, *, protected: bool = False, hidden_sheet: bool = False) -> Path:
    """A sheet 'Matrix' with a header at A1 and a number at B2 (written `<c r="B2" t="n">`)."""
    wb = openpyxl.Workbook()
    wb.active.title = "Matrix"
    wb.active["A1"] = "Ref"
    wb.active["B2"] = 12
    wb.active.protection.sheet = protected
    if hidden_sheet:
        wb.create_sheet("Lists").sheet_state = "hidden"
    wb.save(path)
    return path


def refusal_codes(path: Path) -> list[str]:
    """The codes of every reason the safety scan gives to refuse `path`."""
    return [issue.code for issue in inspect_file(path)]


def sheet_part(path: Path, name: str) -> str:
    """The zip part of the worksheet called `name`."""
    with zipfile.ZipFile(path) as archive:
        workbook = archive.read("xl/workbook.xml").decode()
        rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rel_id = re.search(rf'<sheet [^>]*name="{re.escape(name)}"[^>]*r:id="([^"]+)"', workbook).group(
        1
    )
    target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rel_id}"', rels)
    target = target or re.search(rf'<Relationship [^>]*Id="{rel_id}"[^>]*Target="([^"]+)"', rels)
    part = target.group(1)
    return part.lstrip("/") if part.startswith("/") else f"xl/{part}"


def edit_part(src: Path, dst: Path, part: str, edit: Callable[[bytes], bytes]) -> Path:
    """A copy of a zip with one part's bytes passed through `edit`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info.filename, edit(data) if info.filename == part else data)
    return dst


def edit_sheet(src: Path, dst: Path, sheet: str, edit: Callable[[bytes], bytes]) -> Path:
    return edit_part(src, dst, sheet_part(src, sheet), edit)


def before_sheet_end(rows: bytes) -> Callable[[bytes], bytes]:
    """An edit that adds row XML after the sheet's last row."""
    return lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)


def styled_empty_rows(first: int, count: int, columns: int = 20, style: int = 1) -> bytes:
    """Formatting dragged down below the matrix: rows of styled cells holding nothing, as Excel
    writes them."""
    letters = [chr(65 + i) for i in range(columns)]
    return b"".join(
        b'<row r="%d" spans="1:%d" s="%d" customFormat="1">' % (row, columns, style)
        + b"".join(b'<c r="%s%d" s="%d"/>' % (letter.encode(), row, style) for letter in letters)
        + b"</row>"
        for row in range(first, first + count)
    )


def in_last_row(cells: bytes) -> Callable[[bytes], bytes]:
    """An edit that adds cells to the sheet's last row, as if that ordinary row held them."""
    return lambda xml: xml.replace(b"</row></sheetData>", cells + b"</row></sheetData>", 1)


def value_cell(ref: str, value: int = 1) -> bytes:
    """A cell holding a number at `ref`, spelt exactly as given."""
    return b'<c r="%s"><v>%d</v></c>' % (ref.encode(), value)


def prefixed(xml: bytes, prefix: bytes = b"x") -> bytes:
    """A worksheet with every element namespace-prefixed (`<x:c r="A1">`), as some writers do."""
    xml = re.sub(rb"<(/?)([A-Za-z]\w*)([ />])", rb"<\1" + prefix + rb":\2\3", xml)
    return xml.replace(b' xmlns="', b" xmlns:" + prefix + b'="', 1)


def limited_run(*args: object, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`matrix ARGS...` in a fresh process under MEMORY_LIMIT and TIME_LIMIT (TimeoutExpired if it
    hangs)."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    return subprocess.run(
        [sys.executable, "-m", "matrix", *map(str, args)],
        check=False,
        capture_output=True,
        text=True,
        preexec_fn=limit,
        timeout=TIME_LIMIT,
        cwd=cwd,
    )


def error_codes(output: str) -> list[str]:
    """The codes of the error lines `matrix validate` printed, in order."""
    return [
        line.split("  error  ")[1].split("  ")[0]
        for line in output.splitlines()
        if "  error  " in line
    ]
