"""Workbook -> cell values, with python-calamine, after `matrix.excel.safety` has cleared the file.

No business rules here: the reader returns what is in the cells, where it is, and the structure
facts of the safety scan. Values are calamine's: str, float, int, bool, date, datetime, time or
timedelta; empty cells are ''. Excel error cells, which calamine reads as blanks, are put back as
`ExcelError` from the scan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from matrix.codes import Code
from matrix.errors import MatrixError
from matrix.excel.layout import META_SHEET
from matrix.excel.safety import FileScan, column_number, scan_file
from matrix.models.issues import Issue


class WorkbookReadError(MatrixError):
    """The file cannot be read; `issues` say why, one line each, for the validation result."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__(issues[0].message if issues else "the workbook cannot be read")


@dataclass(frozen=True)
class ExcelError:
    """A cell showing an Excel error such as #REF! or #DIV/0!."""

    text: str

    def __str__(self) -> str:
        return self.text


@dataclass
class RawSheet:
    name: str
    state: str
    """'visible', 'hidden' or 'veryHidden'."""
    protected: bool
    validations: bool
    rows: list[list[object]]
    """rows[0] is Excel row 1 and rows[r][0] column A."""

    def value(self, row: int, column: int) -> object:
        """The value at 1-based Excel `row` and `column`; '' outside the used range."""
        if 1 <= row <= len(self.rows) and 1 <= column <= len(self.rows[row - 1]):
            return self.rows[row - 1][column - 1]
        return ""


@dataclass
class RawWorkbook:
    path: Path
    sheets: dict[str, RawSheet] = field(default_factory=dict)
    """Every worksheet, in workbook order."""
    date1904: bool = False

    @property
    def metadata_rows(self) -> list[list[object]] | None:
        meta = self.sheets.get(META_SHEET)
        return meta.rows if meta is not None else None


def read_workbook(path: Path, scan: FileScan | None = None) -> RawWorkbook:
    """Every worksheet's values. Runs the safety scan first unless given one; raises
    WorkbookReadError when the file must not or cannot be read."""
    path = Path(path)
    scan = scan if scan is not None else scan_file(path)
    if scan.issues:
        raise WorkbookReadError(scan.issues)
    raw = RawWorkbook(path=path, date1904=scan.date1904)
    try:
        with path.open("rb") as handle:
            book = CalamineWorkbook.from_filelike(handle)
            for name in book.sheet_names:
                facts = scan.sheets.get(name)
                if facts is None:  # a chart sheet or a part the scan did not find: nothing to read
                    continue
                rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for ref, text in facts.errors.items():
                    _put(rows, ref, ExcelError(text))
                raw.sheets[name] = RawSheet(name, facts.state, facts.protected, facts.validations, rows)
    except (CalamineError, ValueError, OSError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WorkbookReadError([Code.WORKBOOK_UNREADABLE.issue(file=str(path), reason=reason)]) from None
    return raw


def _put(rows: list[list[object]], ref: str, value: object) -> None:
    letters = ref.rstrip("0123456789")
    row, column = int(ref[len(letters):]), column_number(letters)
    if row <= len(rows) and column <= len(rows[row - 1]):
        rows[row - 1][column - 1] = value
