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
from matrix.files import DISK_FULL, DescribedOSError, Inputs, describe, write_file
from matrix.i18n import (
    DEFAULT_LANG,
    LANGUAGES,
    RIGHT_TO_LEFT,
    issue_message,
    phrase,
    severity_label,
    t,
)
from matrix.models.issues import Issue, Severity, tally
from matrix.models.plan import Paper
from matrix.models.returns import ValidationResult

FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C", Severity.INFO: "DDEBF7"}
UNREADABLE = frozenset(
    code.slug
    for code in (
        Code.FILE_EMPTY,
        Code.FILE_UNREADABLE,
        Code.NOT_A_FILE,
        Code.LEGACY_XLS,
        Code.ENCRYPTED_WORKBOOK,
        Code.CSV_NOT_WORKBOOK,
        Code.HTML_NOT_WORKBOOK,
        Code.ODS_NOT_WORKBOOK,
        Code.XLSB_NOT_WORKBOOK,
        Code.NOT_A_WORKBOOK,
        Code.TRUNCATED_FILE,
        Code.DAMAGED_FILE,
        Code.MACRO_ENABLED,
        Code.FILE_TOO_LARGE,
        Code.ZIP_BOMB,
        Code.XML_ENTITIES,
        Code.USED_RANGE_TOO_LARGE,
        Code.CELLS_WITHOUT_REFERENCE,
        Code.WORKBOOK_UNREADABLE,
        Code.READER_CRASHED,
    )
)
"""Files with these problems were never opened, and are not opened now."""
COLUMNS = (
    ("severity", 12),
    ("sheet", 16),
    ("cell", 8),
    ("value", 20),
    ("message", 80),
    ("code", 24),
)
"""The Feedback sheet's columns (catalogue `feedback.col.<key>`) and widths: landscape A4 at a
readable scale, the message wrapped."""
HEADER_ROW = 4
OLD_HEADERS = ("Severity", "Code")
"""The first headers of the English Feedback sheet of matrix versions before translations."""
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

    def __init__(
        self,
        out_dir: Path,
        sources: Iterable[Path],
        inputs: Inputs | None = None,
        *,
        lang: str = DEFAULT_LANG,
        paper: Paper = Paper.A4,
    ):
        self.lang, self.paper = lang, paper
        """`lang`: what the lines printed are in, and the copy of a workbook whose language is not
        known; `paper`: what the Feedback sheet prints on."""
        self.inputs = inputs or Inputs()
        self.inputs.refuse_folder(out_dir, "input.feedback_copies")
        self.targets = feedback_targets(sources, out_dir)
        for target in self.targets.values():
            self.inputs.refuse(target)
            if target.exists() and not _replaceable(target):
                raise MatrixError("error.feedback_target_taken", target=target)

    def write(self, result: ValidationResult) -> str:
        """Write the copy of `result`'s file (in the workbook's language); what was done, as a line
        to show in `lang`."""
        if result.skipped:
            return t(self.lang, "feedback.skipped_copy", file=result.file)
        if not can_annotate(result):
            return t(self.lang, "feedback.unreadable", file=result.file)
        source = Path(result.file)
        written = _annotate(
            result, source, self.targets[source], self.inputs, result.lang or self.lang, self.paper
        )
        return t(self.lang, "feedback.wrote", path=written)


def annotate(
    result: ValidationResult,
    source: Path,
    out_dir: Path,
    *,
    inputs: Inputs | None = None,
    lang: str | None = None,
    paper: Paper = Paper.A4,
) -> Path:
    """Write the annotated copy of one return into `out_dir` and return its path; MatrixError when
    the file could not be read or the copy would overwrite an input or a file it did not write.
    The copy speaks `lang`, by default the workbook's own language."""
    source = Path(source)
    if not can_annotate(result):
        raise MatrixError("error.no_copy_unreadable", file=source)
    inputs = (inputs or Inputs()).add(source, "input.annotated_return")
    target = FeedbackCopies(out_dir, [source], inputs).targets[source]
    return _annotate(result, source, target, inputs, lang or result.lang or DEFAULT_LANG, paper)


def _annotate(
    result: ValidationResult, source: Path, target: Path, inputs: Inputs, lang: str, paper: Paper
) -> Path:
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    try:
        wb = openpyxl.load_workbook(sanitised_copy(source), keep_vba=False, keep_links=False)
    except (Refused, OSError) as exc:
        reason = exc.issue.message if isinstance(exc, Refused) else describe(exc)
        raise MatrixError("error.no_copy", file=source, reason=reason) from None
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in result.issues:
        if issue.sheet in wb.sheetnames and issue.cell:
            by_cell[issue.sheet, issue.cell].append(issue)
    for (sheet, ref), issues in by_cell.items():
        cell = wb[sheet][ref]
        worst = min((i.severity for i in issues), key=list(Severity).index)
        cell.fill = PatternFill("solid", start_color=FILLS[worst], end_color=FILLS[worst])
        note = "\n".join(
            t(
                lang,
                "feedback.note",
                severity=severity_label(i, lang),
                message=issue_message(i, lang),
            )
            for i in issues
        )
        if cell.comment is not None:  # keep the office's own note, ours after it
            note = f"{cell.comment.text}\n---\n{note}"
        cell.comment = Comment(note, "matrix", width=320, height=40 + 40 * note.count("\n") + 40)
    _feedback(wb, result, by_cell, lang, paper)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MatrixError("error.cannot_create", path=target.parent, reason=describe(exc)) from None
    write_file(target, lambda out: _save_marked(wb, source.name, out), inputs=inputs)
    return target


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
        None if isinstance(unraisable.exc_value, SerialisationError) else previous(unraisable)
    )
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
        cause = phrase("os.disk_full", detail=os.strerror(code)) if code in DISK_FULL else reason
        raise DescribedOSError(
            code, phrase("os.temporary_files", folder=tempfile.gettempdir(), reason=cause)
        )
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
                for prop in SafeET.fromstring(archive.read(info))
                if len(prop)
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


def _feedback(wb, result: ValidationResult, marked: dict, lang: str, paper: Paper) -> None:
    """The Feedback sheet, first: every problem with a link to its cell, in `lang`, printed
    landscape on `paper`, one page wide, its header row on every page."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink
    from openpyxl.worksheet.properties import PageSetupProperties

    name = _replace_earlier_feedback(wb, t(lang, "feedback.sheet"))
    ws = wb.create_sheet(name, 0)
    ws.sheet_view.rightToLeft = lang in RIGHT_TO_LEFT
    wrap = Alignment(wrap_text=True, vertical="top")
    errors, warnings = tally(result.issues)
    last = len(COLUMNS)
    _text(
        ws["A1"],
        t(
            lang,
            "feedback.counts",
            file=Path(result.file).name,
            errors=t(lang, "count.errors", count=errors),
            warnings=t(lang, "count.warnings", count=warnings),
        ),
    )
    ws["A1"].font = Font(bold=True, size=13)
    _text(
        ws["A2"],
        t(lang, "feedback.instructions") if result.issues else t(lang, "feedback.no_problems"),
    )
    for row in (1, 2):  # across the table, wrapped: never cut at the edge of a column or a page
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
        ws.cell(row, 1).alignment = wrap
    ws.row_dimensions[2].height = 32
    for column, (key, width) in enumerate(COLUMNS, 1):
        cell = ws.cell(HEADER_ROW, column)
        _text(cell, t(lang, f"feedback.col.{key}"))
        cell.font = Font(bold=True)
        cell.alignment = wrap
        ws.column_dimensions[cell.column_letter].width = width
    message_width = dict(COLUMNS)["message"]
    for row, issue in enumerate(result.issues, HEADER_ROW + 1):
        message = issue_message(issue, lang)
        values = (
            severity_label(issue, lang),
            issue.sheet,
            issue.cell,
            issue.value,
            message,
            issue.code,
        )
        for column, value in enumerate(values, 1):
            _text(ws.cell(row, column), value)
            ws.cell(row, column).alignment = wrap
        lines = sum(1 + len(part) // message_width for part in message.split("\n"))
        if lines > 1:
            ws.row_dimensions[row].height = 15 * lines
        fill = FILLS[issue.severity]
        ws.cell(row, 1).fill = PatternFill("solid", start_color=fill, end_color=fill)
        if (issue.sheet, issue.cell) in marked and issue.sheet is not None:
            link = ws.cell(row, 3)
            link.hyperlink = Hyperlink(
                ref=link.coordinate,
                location=f"{quoted(issue.sheet)}!{issue.cell}",
                display=issue.cell,
            )
            link.font = Font(color="0563C1", underline="single")
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1).coordinate
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = paper.excel_code
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    wb.active = 0
    for sheet in wb.worksheets[1:]:
        sheet.sheet_view.tabSelected = False


def _replace_earlier_feedback(wb, name: str) -> str:
    """Remove the Feedback sheet an earlier round of matrix added (in any language); the name to
    give the new one, which keeps clear of an office's own sheet of that name."""
    names = {t(lang, "feedback.sheet") for lang in LANGUAGES}
    names |= {f"{known} (matrix)" for known in names}
    ours = {OLD_HEADERS} | {
        (t(lang, "feedback.col.severity"), t(lang, "feedback.col.sheet")) for lang in LANGUAGES
    }
    for sheet in list(wb.worksheets):
        if sheet.title in names and tuple(sheet.cell(HEADER_ROW, c).value for c in (1, 2)) in ours:
            del wb[sheet.title]
    if name in wb.sheetnames:
        name = f"{name} (matrix)"
    return name
