"""Workbook -> cell values, with python-calamine, after `matrix.excel.safety` has cleared the file.

No business rules here: the reader returns what is in the cells, where it is, and the structure
facts of the safety scan. Values are calamine's: str, float, int, bool, date, datetime, time or
timedelta; empty cells are ''. Excel error cells, which calamine reads as blanks, are put back as
`ExcelError` from the scan. Characters XML 1.0 forbids, which calamine decodes from references
such as `&#x7;`, are removed from text when the scan saw any (`RawSheet.removed` says where).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from python_calamine import CalamineError, CalamineWorkbook

from matrix.codes import Code
from matrix.errors import MatrixError
from matrix.excel.addresses import row_and_column
from matrix.excel.layout import META_SHEET
from matrix.excel.safety import FileScan, SheetFacts, scan_file
from matrix.models.issues import Issue

FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""What XML 1.0 cannot hold: control characters other than tab and line ends, U+FFFE, U+FFFF."""


class WorkbookReadError(MatrixError):
    """The file cannot be read; `issues` say why, one line each, for the validation result."""

    def __init__(self, issues: list[Issue]):
        super().__init__(f"issue.{issues[0].code}", **(issues[0].params or {}))
        self.issues = issues


@dataclass(frozen=True)
class ExcelError:
    """A cell showing an Excel error such as #REF! or #DIV/0!."""

    text: str

    def __str__(self) -> str:
        return self.text


class RawSheet:
    """One worksheet; its cells are read by calamine the first time `rows` is used, so sheets
    validation never looks at (instructions, lists) cost nothing."""

    def __init__(
        self,
        book: CalamineWorkbook,
        facts: SheetFacts,
        file: str,
        *,
        forbidden_characters: bool = False,
    ):
        self.name, self.state = facts.name, facts.state
        self.protected, self.validations = facts.protected, facts.validations
        self._book, self._facts, self._file = book, facts, file
        self._clean = forbidden_characters
        self._rows: list[list[object]] | None = None
        self.removed: dict[tuple[int, int], str] = {}
        """(Excel row, column) -> the forbidden characters removed from that cell's text."""

    @property
    def rows(self) -> list[list[object]]:
        """rows[0] is Excel row 1 and rows[r][0] column A. Raises WorkbookReadError."""
        if self._rows is None:
            try:
                sheet = self._book.get_sheet_by_name(self.name)
                rows = cast(
                    list[list[object]], sheet.to_python(skip_empty_area=False)
                )  # cells change
            except (CalamineError, ValueError) as exc:
                raise _unreadable(self._file, exc) from None
            except BaseException as exc:
                if (
                    type(exc).__name__ != "PanicException"
                ):  # a Rust panic, which pyo3 raises as a BaseException
                    raise
                raise _unreadable(self._file, exc) from None
            for ref, text in self._facts.errors.items():
                _put(rows, ref, ExcelError(text))
            if self._clean:
                self.removed = _remove_forbidden(rows)
            self._rows = rows
        return self._rows

    @property
    def loaded(self) -> bool:
        """Whether its cells have been read."""
        return self._rows is not None

    def value(self, row: int, column: int) -> object:
        """The value at 1-based Excel `row` and `column`; '' outside the used range."""
        rows = self.rows
        if 1 <= row <= len(rows) and 1 <= column <= len(rows[row - 1]):
            return rows[row - 1][column - 1]
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


def _unreadable(file: str, exc: BaseException) -> WorkbookReadError:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return WorkbookReadError([Code.WORKBOOK_UNREADABLE.issue(file=file, reason=reason)])


def read_workbook(path: Path, scan: FileScan | None = None) -> RawWorkbook:
    """The workbook's worksheets, their cells read on first use. Runs the safety scan first unless
    given one; raises WorkbookReadError when the file must not or cannot be read."""
    path = Path(path)
    scan = scan if scan is not None else scan_file(path)
    if scan.issues:
        raise WorkbookReadError(scan.issues)
    raw = RawWorkbook(path=path, date1904=scan.date1904)
    try:
        if scan.content is not None:  # the bytes the scan cleared, not the file again
            book = CalamineWorkbook.from_filelike(io.BytesIO(scan.content))
        else:
            with path.open("rb") as handle:
                book = CalamineWorkbook.from_filelike(handle)
    except (CalamineError, ValueError, OSError) as exc:
        raise _unreadable(str(path), exc) from None
    for name in book.sheet_names:
        if (facts := scan.sheets.get(name)) is not None:  # chart sheets have no cells
            raw.sheets[name] = RawSheet(
                book, facts, str(path), forbidden_characters=scan.forbidden_characters
            )
    return raw


def _remove_forbidden(rows: list[list[object]]) -> dict[tuple[int, int], str]:
    removed = {}
    for row, cells in enumerate(rows, 1):
        for column, value in enumerate(cells, 1):
            if isinstance(value, str) and (found := FORBIDDEN_CHARACTERS.findall(value)):
                cells[column - 1] = FORBIDDEN_CHARACTERS.sub("", value)
                removed[row, column] = "".join(found)
    return removed


def _put(rows: list[list[object]], ref: str, value: object) -> None:
    row, column = row_and_column(ref)
    if row <= len(rows) and column <= len(rows[row - 1]):
        rows[row - 1][column - 1] = value
