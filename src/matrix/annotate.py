"""A copy of an office's own workbook with every problem marked where it is: the cell filled, a
note on it, and a Feedback sheet listing everything with links to the cells. This is what a
coordinator sends back. The original is never touched; openpyxl is used only here, off the
read path, on files the safety scan has already cleared.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from matrix.codes import Code
from matrix.errors import MatrixError
from matrix.excel.addresses import quoted
from matrix.excel.safety.facts import Refused
from matrix.excel.sanitise import sanitised_copy
from matrix.models.issues import Issue, Severity
from matrix.models.returns import ValidationResult

FEEDBACK_SHEET = "Feedback"
FILLS = {Severity.ERROR: "FFC7CE", Severity.WARNING: "FFEB9C"}
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


def can_annotate(result: ValidationResult) -> bool:
    return not any(issue.code in UNREADABLE for issue in result.issues)


def annotated_path(source: Path, out_dir: Path) -> Path:
    return Path(out_dir) / f"{Path(source).stem}_feedback.xlsx"


def annotate(result: ValidationResult, source: Path, out_dir: Path) -> Path:
    """Write the annotated copy into `out_dir` and return its path; MatrixError when the file
    could not be read or the copy would overwrite the original."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    source = Path(source)
    if not can_annotate(result):
        raise MatrixError(f"no annotated copy of {source}: it could not be read (see its errors)")
    target = annotated_path(source, out_dir)
    if target.exists() and (target.resolve() == source.resolve() or not _is_annotated_copy(target)):
        raise MatrixError(f"{target} exists and is not an annotated copy; choose another --annotate folder")
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
        worst = Severity.ERROR if any(i.is_error for i in issues) else Severity.WARNING
        cell.fill = PatternFill("solid", start_color=FILLS[worst], end_color=FILLS[worst])
        note = "\n".join(f"{i.severity.value}: {i.message}" for i in issues)
        if cell.comment is not None:  # keep the office's own note, ours after it
            note = f"{cell.comment.text}\n---\n{note}"
        cell.comment = Comment(note, "matrix", width=320, height=40 + 40 * note.count("\n") + 40)
    _feedback(wb, result, by_cell)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        wb.save(target)
    except OSError as exc:
        raise MatrixError(f"cannot write {target}: {exc.strerror or exc}") from None
    return target


def _is_annotated_copy(path: Path) -> bool:
    """A workbook this module wrote before (its first sheet is the Feedback sheet), safe to replace."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            head = archive.read("xl/workbook.xml")[:4096]
    except (OSError, KeyError, zipfile.BadZipFile):
        return False
    sheets = head.split(b"<sheet ", 1)
    return len(sheets) == 2 and f'name="{FEEDBACK_SHEET}"'.encode() in sheets[1].split(b"/>", 1)[0]


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
    errors = sum(i.is_error for i in result.issues)
    warnings = len(result.issues) - errors
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
