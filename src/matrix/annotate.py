"""A copy of an office's own workbook with every problem marked where it is: the cell filled, a
note on it, and a Feedback sheet listing everything with links to the cells. This is what a
coordinator sends back. The original is never touched; openpyxl is used only here, off the
read path, on files the safety scan has already cleared.

A copy is marked as feedback (custom document properties) so that `validate` and `collect` skip it
instead of taking it for a return. The mark holds a digest of the rest of the file: once the
office has opened, corrected and saved the copy, the digest no longer matches and the file is
an ordinary return again.
"""

from __future__ import annotations

import errno
import gc
import hashlib
import io
import os
import sys
import tempfile
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from matrix.codes import Code
from matrix.errors import MatrixError
from matrix.excel.addresses import quoted
from matrix.excel.safety.facts import Refused
from matrix.excel.sanitise import sanitised_copy
from matrix.files import Inputs, describe, write_file
from matrix.models.issues import Issue, Severity, tally
from matrix.models.returns import ValidationResult

FEEDBACK_SHEET = "Feedback"
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", Severity.INFO: "DDEBF7"}
UNREADABLE = frozenset(code.slug for code in (
    Code.FILE_EMPTY, Code.FILE_UNREADABLE, Code.NOT_A_FILE, Code.LEGACY_XLS, Code.ENCRYPTED_WORKBOOK,
    Code.CSV_NOT_WORKBOOK,
    Code.HTML_NOT_WORKBOOK, Code.ODS_NOT_WORKBOOK, Code.XLSB_NOT_WORKBOOK, Code.NOT_A_WORKBOOK,
    Code.TRUNCATED_FILE, Code.DAMAGED_FILE, Code.MACRO_ENABLED, Code.FILE_TOO_LARGE, Code.ZIP_BOMB,
    Code.XML_ENTITIES, Code.USED_RANGE_TOO_LARGE, Code.CELLS_WITHOUT_REFERENCE, Code.WORKBOOK_UNREADABLE,
    Code.READER_CRASHED,
))
"""Files with these problems were never opened, and are not opened now."""
HEADERS = ("Severity", "Code", "Sheet", "Cell", "Value", "What to do")
WIDTHS = (10, 24, 18, 8, 24, 100)
MARK = "matrix.feedback"
"""Custom document property: the digest of every other part of the copy as written."""
MARK_SOURCE = "matrix.feedback-for"
"""Custom document property: the name of the return the copy was made from."""
CUSTOM_PART = "docProps/custom.xml"
_PENDING = "0" * 64
"""The digest's place while the rest of the copy is written."""
MAX_COPY_BYTES = 50 * 2**20
"""Larger files are not read to tell whether they are feedback copies (no return is that large)."""


def can_annotate(result: ValidationResult) -> bool:
    return not result.skipped and not any(issue.code in UNREADABLE for issue in result.issues)


def feedback_targets(sources: Iterable[Path], out_dir: Path) -> dict[Path, Path]:
    """Where each source's copy goes: `<name>_feedback.xlsx` in `out_dir`, in the subfolders that
    separate the sources below the deepest folder holding them all. Two `return.xlsx` in kenya/ and
    tanzania/ get fb/kenya/return_feedback.xlsx and fb/tanzania/return_feedback.xlsx: the layout
    the coordinator filed them in, whatever their (untrusted) metadata says."""
    sources = list(sources)
    absolute = [Path(os.path.abspath(source)) for source in sources]
    try:
        parents = [path.parent for path in absolute]
        root: Path | None = Path(os.path.commonpath(parents)) if parents else None
    except ValueError:  # different drives
        root = None
    targets: dict[Path, Path] = {}
    taken: set[str] = set()
    for source, path in zip(sources, absolute, strict=True):
        folder = Path(out_dir) / (path.parent.relative_to(root) if root else "")
        target, n = folder / f"{path.stem}_feedback.xlsx", 1
        while os.path.normcase(target).casefold() in taken:  # KEN.xlsx and KEN.XLSX side by side
            n += 1
            target = folder / f"{path.stem}_feedback ({n}).xlsx"
        taken.add(os.path.normcase(target).casefold())
        targets[source] = target
    return targets


class FeedbackCopies:
    """The feedback copies of a batch of returns, checked before any return is read: never in a
    folder being read, never over an input, never over a file that is not an unchanged copy."""

    def __init__(self, out_dir: Path, sources: Iterable[Path], inputs: Inputs | None = None):
        self.inputs = inputs or Inputs()
        self.inputs.refuse_folder(out_dir, "feedback copies")
        self.targets = feedback_targets(sources, out_dir)
        for target in self.targets.values():
            self.inputs.refuse(target)
            if target.exists() and not _replaceable(target):
                raise MatrixError(f"{target} exists and is not a feedback copy matrix wrote (or was "
                                  "changed since); choose another --annotate folder")

    def write(self, result: ValidationResult) -> str:
        """Write the copy of `result`'s file; what was done, as a line to show."""
        if result.skipped:
            return f"no annotated copy of {result.file}: it is itself a feedback copy"
        if not can_annotate(result):
            return f"no annotated copy of {result.file}: it could not be read"
        source = Path(result.file)
        return f"wrote {_annotate(result, source, self.targets[source], self.inputs)}"


def annotate(
    result: ValidationResult, source: Path, out_dir: Path, *, inputs: Inputs | None = None
) -> Path:
    """Write the annotated copy of one return into `out_dir` and return its path; MatrixError when
    the file could not be read or the copy would overwrite an input or a file it did not write."""
    source = Path(source)
    if not can_annotate(result):
        raise MatrixError(f"no annotated copy of {source}: it could not be read (see its errors)")
    inputs = (inputs or Inputs()).add(source, "the return being annotated")
    target = FeedbackCopies(out_dir, [source], inputs).targets[source]
    return _annotate(result, source, target, inputs)


def _annotate(result: ValidationResult, source: Path, target: Path, inputs: Inputs) -> Path:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    try:
        wb = openpyxl.load_workbook(sanitised_copy(source), keep_vba=False, keep_links=False)
    except (Refused, OSError) as exc:
        raise MatrixError(f"no annotated copy of {source}: {exc}") from None
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in result.issues:
        if issue.sheet in wb.sheetnames and issue.cell:
            by_cell[issue.sheet, issue.cell].append(issue)
    for (sheet, ref), issues in by_cell.items():
        cell = wb[sheet][ref]
        worst = min((i.severity for i in issues), key=list(Severity).index)
        cell.fill = PatternFill("solid", start_color=FILLS[worst], end_color=FILLS[worst])
        note = "\n".join(f"{i.severity.value}: {i.message}" for i in issues)
        if cell.comment is not None:  # keep the office's own note, ours after it
            note = f"{cell.comment.text}\n---\n{note}"
        cell.comment = Comment(note, "matrix", width=320, height=40 + 40 * note.count("\n") + 40)
    _feedback(wb, result, by_cell)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MatrixError(f"cannot create {target.parent}: {describe(exc)}") from None
    return write_file(target, lambda out: _save_marked(wb, source.name, out), inputs=inputs)


def _save_marked(wb, source_name: str, out: IO[bytes]) -> None:
    """Save with the mark: written once with a placeholder, then copied part by part with the
    digest of every other part in its place."""
    from openpyxl.packaging.custom import StringProperty

    properties = wb.custom_doc_props
    for name in (MARK, MARK_SOURCE):
        if name in properties.names:
            del properties[name]
    properties.append(StringProperty(name=MARK, value=_PENDING))
    properties.append(StringProperty(name=MARK_SOURCE, value=source_name))
    draft = _save_draft(wb)
    with zipfile.ZipFile(draft) as written, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        digest = _digest(written)
        for info in written.infolist():
            data = written.read(info)
            if info.filename == CUSTOM_PART:
                data = data.replace(_PENDING.encode(), digest.encode())
            copy.writestr(info, data)


def _save_draft(wb) -> io.BytesIO:
    """The workbook as openpyxl saves it. With lxml installed, openpyxl writes each sheet through a
    temporary file: a full temporary folder is lxml's SerialisationError, raised here as the
    OSError it is, and repeated by the half-written sheet's stream when it is finalised, which is
    not shown."""
    try:
        from lxml.etree import SerialisationError
    except ImportError:
        SerialisationError = OSError  # without lxml, openpyxl raises OSError itself
    draft, reason, code = io.BytesIO(), None, errno.ENOSPC
    previous = sys.unraisablehook
    sys.unraisablehook = lambda unraisable: (
        None if isinstance(unraisable.exc_value, SerialisationError) else previous(unraisable))
    try:
        try:
            wb.save(draft)
        except SerialisationError as exc:
            reason = str(exc.strerror or exc) if isinstance(exc, OSError) else str(exc)
            code = (exc.errno or code) if isinstance(exc, OSError) else code
        if reason is not None:
            gc.collect()
    finally:
        sys.unraisablehook = previous
    if reason is not None:
        raise OSError(code, f"cannot write temporary files in {tempfile.gettempdir()} ({reason})")
    return draft


def _digest(archive: zipfile.ZipFile) -> str:
    """Every part but the custom properties, as the zip directory lists them: saving the file in
    Excel or LibreOffice rewrites the parts and changes it."""
    digest = hashlib.sha256()
    for info in sorted(archive.infolist(), key=lambda info: info.filename):
        if info.filename != CUSTOM_PART:
            digest.update(f"{info.filename}\0{info.CRC}\0{info.file_size}\n".encode())
    return digest.hexdigest()


def feedback_source(content: bytes) -> str | None:
    """For a feedback copy exactly as `annotate` wrote it, the name of the return it was made from;
    None for anything else, including a copy the office has since edited and saved (a return)."""
    from defusedxml import ElementTree as SafeET

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            info = archive.NameToInfo.get(CUSTOM_PART)
            if info is None or info.file_size > 2**20:
                return None
            marks = {
                prop.get("name"): next(iter(prop)).text or ""
                for prop in SafeET.fromstring(archive.read(info)) if len(prop)
            }
            if marks.get(MARK) != _digest(archive):
                return None
            return marks.get(MARK_SOURCE, "")
    except Exception:  # noqa: BLE001 - zipfile and expat fail in many ways on damaged bytes; then it is no copy of ours
        return None


def _replaceable(path: Path) -> bool:
    """An unchanged feedback copy from an earlier run may be replaced; nothing else."""
    try:
        if not path.is_file() or path.stat().st_size > MAX_COPY_BYTES:
            return False
        return feedback_source(path.read_bytes()) is not None
    except OSError:
        return False


def _text(cell, value: object) -> None:
    """Set a cell to text that stays text: a value typed as '=cmd|...' must not become a formula."""
    cell.value = "" if value is None else str(value)
    cell.data_type = "s"


def _feedback(wb, result: ValidationResult, marked: dict) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    name = FEEDBACK_SHEET
    if name in wb.sheetnames:
        old = wb[name]
        if [old.cell(4, c).value for c in (1, 2)] == list(HEADERS[:2]):  # ours, from an earlier round
            del wb[name]
        else:  # the office's own sheet of that name stays
            name = f"{FEEDBACK_SHEET} (matrix)"
    ws = wb.create_sheet(name, 0)
    errors, warnings = tally(result.issues)
    _text(ws["A1"], f"{Path(result.file).name}: {errors} error(s), {warnings} warning(s)")
    ws["A1"].font = Font(bold=True, size=13)
    _text(ws["A2"], "Fix the cells in red and send the workbook again; check the cells in yellow. "
                    "Click a cell reference to go to it." if result.issues else "No problems found.")
    for column, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), 1):
        _text(ws.cell(4, column), title)
        ws.cell(4, column).font = Font(bold=True)
        ws.column_dimensions[ws.cell(4, column).column_letter].width = width
    for row, issue in enumerate(result.issues, 5):
        values = (issue.severity.value, issue.code, issue.sheet, issue.cell, issue.value, issue.message)
        for column, value in enumerate(values, 1):
            _text(ws.cell(row, column), value)
        fill = FILLS[issue.severity]
        ws.cell(row, 1).fill = PatternFill("solid", start_color=fill, end_color=fill)
        if (issue.sheet, issue.cell) in marked and issue.sheet is not None:
            link = ws.cell(row, 4)
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quoted(issue.sheet)}!{issue.cell}",
                                       display=issue.cell)
            link.font = Font(color="0563C1", underline="single")
    ws.freeze_panes = "A5"
    wb.active = 0
    for sheet in wb.worksheets[1:]:
        sheet.sheet_view.tabSelected = False
