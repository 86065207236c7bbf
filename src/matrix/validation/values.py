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
from matrix.i18n import LANGUAGES, Phrase, parse_status, status_label, t
from matrix.models.issues import Issue
from matrix.models.plan import Status

if TYPE_CHECKING:
    from matrix.validation.structure import Table

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007']+")
_DIGITS = str.maketrans(
    "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    "\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5\u06f6\u06f7\u06f8\u06f9",
    "01234567890123456789",
)
"""Arabic-Indic and Eastern Arabic-Indic digits."""
ARABIC_DECIMAL, ARABIC_THOUSANDS = "\u066b", "\u066c"
SEPARATORS = {"en": (".", ","), "ar": (".", ","), "fr": (",", "."), "es": (",", ".")}
"""(decimal, thousands) separator each workbook language writes; spaces group thousands in all."""
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ][\d:.]+)?")
Wanted = Phrase | Callable[[], Phrase]
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
    """120.0 -> '120', 1250.5 -> '1250.5': a number as text, whatever the language (messages
    format their numbers for theirs)."""
    return format(number, ".15g")


def read_number_text(text: str, lang: str = "en") -> NumberReading:
    """A number typed as text, read the way the workbook's language writes numbers: in English
    '1,250' is 1250 and '1.5' one and a half; in French and Spanish '1.250' is 1250 and '1,5' one
    and a half. Spaces group thousands in every language; '40%' is 40. What could mean two numbers
    ('1.250' in English, '1,250' in French: a decimal point, or thousands written the other way;
    '1,5' in English) has `alternatives`, the workbook's own reading first; 'about 40' is None."""
    decimal, group = SEPARATORS.get(lang, SEPARATORS["en"])
    stripped = text.strip()
    compact = _SPACES.sub("", stripped).translate(_DIGITS)
    compact = compact.replace(ARABIC_DECIMAL, decimal).replace(ARABIC_THOUSANDS, group)
    percent = compact.endswith("%")
    if percent:
        compact = compact[:-1]
    changed = percent or compact != stripped
    if not compact:
        return NumberReading(None)
    own, other = _patterns(decimal, group), _patterns(group, decimal)
    if _INTEGER.fullmatch(compact):
        return NumberReading(float(compact), from_text=changed)
    if own.grouped.fullmatch(compact):
        return NumberReading(own.value(compact), from_text=True)
    if match := own.decimal.fullmatch(compact):
        value = own.value(compact)
        whole, fraction = match.group(1).lstrip("+-"), match.group(2)
        if len(fraction) == 3 and 1 <= len(whole) <= 3 and not whole.startswith("0"):
            return NumberReading(None, (value, float(compact.replace(decimal, ""))))
        return NumberReading(value, from_text=changed)
    if other.grouped.fullmatch(compact) and (compact.count(decimal) > 1 or group in compact):
        # '1.250.000' or '1.250,5' in English: thousands and decimals written the other way
        return NumberReading(other.value(compact), from_text=True)
    if other.decimal.fullmatch(compact):  # '1,5' in English: a decimal comma, or a slip for 15?
        return NumberReading(None, (other.value(compact), float(compact.replace(group, ""))))
    return NumberReading(None)


_INTEGER = re.compile(r"[+-]?\d+")


@dataclass(frozen=True)
class _Convention:
    decimal_mark: str
    group_mark: str
    grouped: re.Pattern[str]
    """Thousands grouped by threes, and an optional fraction."""
    decimal: re.Pattern[str]
    """One decimal mark: (whole part, fraction)."""

    def value(self, text: str) -> float:
        return float(text.replace(self.group_mark, "").replace(self.decimal_mark, "."))


@cache
def _patterns(decimal: str, group: str) -> _Convention:
    d, g = re.escape(decimal), re.escape(group)
    return _Convention(
        decimal,
        group,
        re.compile(rf"[+-]?[1-9]\d{{0,2}}({g}\d{{3}})+({d}\d+)?"),
        re.compile(rf"([+-]?\d*){d}(\d+)"),
    )


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
            names = [f"U+{ord(char):04X}" for char in dict.fromkeys(removed)]
            issues.append(
                Code.CONTROL_CHARACTERS.issue(
                    file=file,
                    sheet=sheet.name,
                    cell=f"{column_letters(column)}{row}",
                    count=len(removed),
                    names=names,
                )
            )
    return issues


@cache
def _status_words() -> dict[str, Status]:
    return {status_label(s, lang).casefold(): s for s in Status for lang in LANGUAGES}


def guess_status(text: str) -> Status | None:
    """The status a mistyped word most likely means ('retardé' -> delayed), for a hint."""
    words = _status_words()
    close = difflib.get_close_matches(
        " ".join(text.casefold().split()), list(words), n=1, cutoff=0.6
    )
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
        self._statuses: dict[
            str, Status | None
        ] = {}  # a sheet uses the same few words on every row

    def _add(
        self, code: Code, cell: Cell, value: object, fix: str | None = None, **params: Any
    ) -> None:
        self.issues.append(
            code.issue(
                file=self.file,
                sheet=self.table.sheet.name,
                cell=self.table.cell(*cell),
                value=_jsonable(value),
                fix=fix,
                **params,
            )
        )

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
            self._add(
                Code.TEXT_TOO_LONG,
                cell,
                None,
                column=t(self.lang, f"column.{cell[1]}"),
                length=len(text),
                limit=limit,
            )
        return text

    def number(
        self, value: object, cell: Cell, what: Wanted, code: Code = Code.NOT_A_NUMBER
    ) -> float | None:
        """A number of 0 or more, typed as text the workbook's language's way; `what` (a phrase)
        finishes 'enter ...' in messages (a callable when it costs something to say, since it is
        needed only when something is wrong)."""
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
            reading = read_number_text(str(value), self.lang)
            if reading.alternatives:
                first, second = reading.alternatives
                self._add(
                    Code.NUMBER_AMBIGUOUS,
                    cell,
                    value,
                    text=str(value).strip(),
                    first=first,
                    second=second,
                )
                return None
            if reading.value is None:
                self._add(code, cell, value, text=str(value).strip(), what=what)
                return None
            number = reading.value
            if reading.from_text:
                self._add(
                    Code.NUMBER_FROM_TEXT, cell, value, text=str(value).strip(), number=number
                )
        if number < 0:
            self._add(Code.NUMBER_NEGATIVE, cell, value, number=number, what=what)
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
                self._add(Code.DATE_FROM_NUMBER, cell, value, text=float(value), date=found)
                return found
        elif isinstance(value, str) and (found := read_date_text(value)) is not None:
            self._add(Code.DATE_FROM_TEXT, cell, value, text=value.strip(), date=found)
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
            self._add(
                Code.STATUS_UNKNOWN,
                cell,
                value,
                text=plain_text(value),
                choices=self.choices,
                hint=did_you_mean([label] if label else []),
                fix=label,
            )
        return status

    @property
    def choices(self) -> list[str]:
        """The statuses as the workbook's drop-down offers them."""
        return [status_label(s, self.lang) for s in Status]


def _jsonable(value: object) -> object:
    """Issue.value is dumped to JSON: keep numbers and text, turn the rest into text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return plain_text(value)
