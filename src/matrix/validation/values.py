"""Reading one cell's value the way an office meant it, or saying exactly why it cannot be read.

Offices type numbers as text ("1,250", "1 250", "40%"), dates as text, statuses in any language;
workbooks pass through Excel, LibreOffice and Google Sheets. Unambiguous readings are accepted
with a warning that shows how they were read; anything that could mean two things is an error.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from matrix.codes import Code, did_you_mean
from matrix.excel.addresses import column_letters
from matrix.excel.reader import ExcelError, RawWorkbook
from matrix.i18n import LANGUAGES, parse_status, status_label, t
from matrix.models.issues import Issue
from matrix.models.plan import Status

if TYPE_CHECKING:
    from matrix.validation.structure import Table

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_PLAIN = re.compile(r"[+-]?(\d+(\.\d+)?|\.\d+)")
_GROUPED_COMMA = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?")
_GROUPED_DOT = re.compile(r"[+-]?\d{1,3}(\.\d{3})+(,\d+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?\d+,\d+")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?")
Wanted = str | Callable[[], str]
Cell = tuple[int, str]
"""(Excel row, column key)."""
EPOCH_1900 = date(1899, 12, 30)
EPOCH_1904 = date(1904, 1, 1)
MAX_SERIAL = 2_958_465  # 9999-12-31


@dataclass(frozen=True)
class NumberReading:
    """How a text was read: `value` when it is a number, `alternatives` when it could be two."""

    value: float | None
    alternatives: tuple[float, float] | None = None
    from_text: bool = False


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def shown(number: float) -> str:
    """120.0 -> '120', 1250.5 -> '1250.5': numbers in messages as people write them."""
    return format(number, ".15g")


def read_number_text(text: str) -> NumberReading:
    """'1,250' -> 1250, '1 250' -> 1250, '40%' -> 40, '1,5' -> ambiguous, 'about 40' -> None."""
    compact = _SPACES.sub("", text.strip())
    grouped = compact != text.strip()
    percent = compact.endswith("%")
    if percent:
        compact = compact[:-1]
    if not compact:
        return NumberReading(None)
    if _PLAIN.fullmatch(compact):
        if _GROUPED_DOT.fullmatch(compact) and compact.count(".") == 1 and not compact.lstrip("+-").startswith("0"):
            # '1.250' is 1.25 in English and 1250 in most of Europe
            return NumberReading(None, (float(compact), float(compact.replace(".", ""))))
        return NumberReading(float(compact), from_text=grouped or percent)
    if _GROUPED_COMMA.fullmatch(compact):
        return NumberReading(float(compact.replace(",", "")), from_text=True)
    if _GROUPED_DOT.fullmatch(compact):
        return NumberReading(float(compact.replace(".", "").replace(",", ".")), from_text=True)
    if _DECIMAL_COMMA.fullmatch(compact):
        # '1,5' is 1.5 in French and 15 to someone who mistyped a thousands separator
        return NumberReading(None, (float(compact.replace(",", ".")), float(compact.replace(",", ""))))
    return NumberReading(None)


def date_from_serial(serial: float, date1904: bool) -> date | None:
    """An Excel date serial in the workbook's date system (1900 or 1904), None when out of range."""
    if not 1 <= serial <= MAX_SERIAL:
        return None
    return (EPOCH_1904 if date1904 else EPOCH_1900) + timedelta(days=int(serial))


def read_date_text(text: str) -> date | None:
    """Only ISO year-month-day: '03/04/2026' means two different days on two continents."""
    if match := _ISO_DATE.fullmatch(text.strip()):
        try:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    return None


def plain_text(value: object) -> str:
    """A cell as text, kept exactly as typed (formulas and markup are data, never evaluated)."""
    if is_blank(value):
        return ""
    if isinstance(value, float):
        return shown(value)
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    return str(value).strip()


def removed_character_issues(raw: RawWorkbook, file: str) -> list[Issue]:
    """A warning on every cell read whose text lost characters XML forbids (the reader removes
    them, so they never reach the store, the report or an export)."""
    issues = []
    for sheet in raw.sheets.values():
        if not sheet.loaded:
            continue
        for (row, column), removed in sheet.removed.items():
            names = ", ".join(f"U+{ord(char):04X}" for char in dict.fromkeys(removed))
            issues.append(Code.CONTROL_CHARACTERS.issue(
                file=file, sheet=sheet.name, cell=f"{column_letters(column)}{row}",
                count=len(removed), names=names,
            ))
    return issues


@cache
def _status_words() -> dict[str, Status]:
    return {status_label(s, lang).casefold(): s for s in Status for lang in LANGUAGES}


def guess_status(text: str) -> Status | None:
    """The status a mistyped word most likely means ('retardé' -> delayed), for a hint."""
    words = _status_words()
    close = difflib.get_close_matches(" ".join(text.casefold().split()), list(words), n=1, cutoff=0.6)
    return words[close[0]] if close else None


@dataclass
class CellReader:
    """Parses the cells of one table, adding an issue located at the cell for each problem.

    Cells are named by (Excel row, column key); their A1 reference is worked out only when there
    is something to report, which is rare."""

    file: str
    table: Table
    lang: str
    date1904: bool
    issues: list[Issue]

    def __post_init__(self) -> None:
        self._statuses: dict[str, Status | None] = {}  # a sheet uses the same few words on every row

    def _add(self, code: Code, cell: Cell, value: object, fix: str | None = None, **params: Any) -> None:
        self.issues.append(code.issue(
            file=self.file, sheet=self.table.sheet.name, cell=self.table.cell(*cell), value=_jsonable(value),
            fix=fix, **params,
        ))

    def flag(self, code: Code, cell: Cell, value: object = None, **params: Any) -> None:
        """An issue located at a cell of this table."""
        self._add(code, cell, value, **params)

    def error_cell(self, value: object, cell: Cell) -> bool:
        if isinstance(value, ExcelError):
            self._add(Code.CELL_ERROR, cell, value, text=value.text)
            return True
        return False

    def text(self, value: object, cell: Cell) -> str:
        if type(value) is str:  # the common case, first
            return value.strip()
        return "" if self.error_cell(value, cell) else plain_text(value)

    def limited_text(self, value: object, cell: Cell, limit: int | None) -> str:
        """`text`, and an error when it is longer than `limit` characters (pasted text skips
        Excel's own length check)."""
        text = self.text(value, cell)
        if limit is not None and len(text) > limit:
            self._add(Code.TEXT_TOO_LONG, cell, None, column=t(self.lang, f"column.{cell[1]}"),
                      length=len(text), limit=limit)
        return text

    def number(self, value: object, cell: Cell, what: Wanted, code: Code = Code.NOT_A_NUMBER) -> float | None:
        """A number of 0 or more; `what` finishes 'enter ...' in messages (a callable when it
        costs something to say, since it is needed only when something is wrong)."""
        if type(value) is float and value >= 0:  # the common case, first
            return value
        if is_blank(value) or self.error_cell(value, cell):
            return None
        if callable(what):
            what = what()
        if isinstance(value, bool | date | time | timedelta):
            self._add(code, cell, value, text=plain_text(value), what=what)
            return None
        if isinstance(value, int | float):
            number = float(value)
        else:
            reading = read_number_text(str(value))
            if reading.alternatives:
                first, second = reading.alternatives
                self._add(Code.NUMBER_AMBIGUOUS, cell, value, text=str(value).strip(), first=shown(first), second=shown(second))
                return None
            if reading.value is None:
                self._add(code, cell, value, text=str(value).strip(), what=what)
                return None
            number = reading.value
            if reading.from_text:
                self._add(Code.NUMBER_FROM_TEXT, cell, value, text=str(value).strip(), number=shown(number))
        if number < 0:
            self._add(Code.NUMBER_NEGATIVE, cell, value, number=shown(number), what=what)
            return None
        return number

    def date(self, value: object, cell: Cell) -> date | None:
        if is_blank(value) or self.error_cell(value, cell):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if (found := date_from_serial(float(value), self.date1904)) is not None:
                self._add(Code.DATE_FROM_NUMBER, cell, value, text=shown(float(value)), date=found.isoformat())
                return found
        elif isinstance(value, str) and (found := read_date_text(value)) is not None:
            self._add(Code.DATE_FROM_TEXT, cell, value, text=value.strip(), date=found.isoformat())
            return found
        self._add(Code.NOT_A_DATE, cell, value, text=plain_text(value))
        return None

    def known_status(self, value: object) -> Status | None:
        """The status of a word this sheet already used, without any check (None otherwise)."""
        return self._statuses.get(value) if type(value) is str else None

    def status(self, value: object, cell: Cell) -> Status | None:
        """None for a blank (the caller decides whether that is allowed) or an unknown status."""
        if is_blank(value) or self.error_cell(value, cell):
            return None
        if isinstance(value, str):
            if value not in self._statuses:
                self._statuses[value] = parse_status(value)
            status = self._statuses[value]
        else:
            status = None
        if status is None:
            guess = guess_status(plain_text(value))
            label = status_label(guess, self.lang) if guess else None
            self._add(Code.STATUS_UNKNOWN, cell, value, text=plain_text(value), choices=self.choices,
                      hint=did_you_mean([label] if label else []), fix=label)
        return status

    @property
    def choices(self) -> str:
        return ", ".join(status_label(s, self.lang) for s in Status)


def _jsonable(value: object) -> object:
    """Issue.value is dumped to JSON: keep numbers and text, turn the rest into text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return plain_text(value)
