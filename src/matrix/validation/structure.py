"""Finding the matrix in a returned workbook: sheets by their role, columns by their header text in
any catalogue language (so reordered columns read correctly), rows by their ref; and reporting
what was renamed, deleted, duplicated or edited on the way."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

from matrix.codes import Code
from matrix.excel.addresses import column_letters
from matrix.excel.layout import HEADER_ROW, LOCKED_KEYS, META_SHEET, Column
from matrix.excel.reader import RawSheet, RawWorkbook
from matrix.i18n import LANGUAGES, t
from matrix.models.issues import Issue

HEADER_SCAN_ROWS = 12
"""Headers are on layout.HEADER_ROW; looking a little further finds them after inserted rows."""


def normalise_header(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value)).casefold()
    return re.sub(r"[\s*:]+", " ", text).strip()


@cache
def header_lookup(keys: tuple[str, ...], lang: str) -> dict[str, str]:
    """Normalised header text -> column key, the workbook's language first, then every other."""
    lookup: dict[str, str] = {}
    for language in (lang, *(other for other in LANGUAGES if other != lang)):
        for key in keys:
            lookup.setdefault(normalise_header(t(language, f"column.{key}")), key)
        for key in keys:
            lookup.setdefault(normalise_header(key), key)
    return lookup


@dataclass
class Table:
    """A sheet's header row and where each known column is, 1-based."""

    sheet: RawSheet
    header_row: int
    columns: dict[str, int]

    def __post_init__(self) -> None:
        self._letters = {key: column_letters(column) for key, column in self.columns.items()}
        self.locked_keys = tuple(key for key in LOCKED_KEYS if key in self.columns)
        keys = self.locked_keys
        self.locked_values = (
            itemgetter(*keys) if len(keys) > 1 else lambda values: tuple(values[k] for k in keys)
        )
        """A row's locked values, as a tuple, from its `row_values`."""
        self._at = tuple((key, column - 1) for key, column in self.columns.items())
        self._span = max(self.columns.values(), default=0)

    def _values(self, cells: list[object]) -> dict[str, object]:
        if (
            len(cells) >= self._span
        ):  # calamine's rows are as wide as the used range: the usual case
            return {key: cells[index] for key, index in self._at}
        width = len(cells)
        return {key: cells[index] if index < width else "" for key, index in self._at}

    def row_values(self, row: int) -> dict[str, object]:
        """column key -> value for one Excel row ('' for cells beyond the used range)."""
        rows = self.sheet.rows
        return self._values(rows[row - 1] if row <= len(rows) else [])

    def data_rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        """(Excel row, `row_values`) of every row below the header."""
        for row, cells in enumerate(self.sheet.rows[self.header_row :], self.header_row + 1):
            yield row, self._values(cells)

    def letter(self, key: str) -> str:
        """Column letter of a column the table has."""
        return self._letters[key]

    def cell(self, row: int, key: str) -> str | None:
        """A1 reference of a column's cell; None when the column is not there, so a finding about
        it names the sheet rather than some other column's cell."""
        letter = self._letters.get(key)
        return f"{letter}{row}" if letter else None


def _header_columns(sheet: RawSheet, row: int, lookup: dict[str, str]) -> list[tuple[str, int]]:
    cells = sheet.rows[row - 1] if row <= len(sheet.rows) else []
    found = []
    for index, value in enumerate(cells, 1):
        if isinstance(value, str) and (key := lookup.get(normalise_header(value))):
            found.append((key, index))
    return found


def find_table(
    sheet: RawSheet, columns: tuple[Column, ...], lang: str
) -> tuple[int, list[tuple[str, int]]] | None:
    """The header row (the one naming the most known columns) and its (key, column) pairs."""
    lookup = header_lookup(tuple(c.key for c in columns), lang)
    found = _header_columns(sheet, HEADER_ROW, lookup)
    if len({key for key, _ in found}) == len(columns):  # where the writer put it, untouched
        return HEADER_ROW, found
    best: tuple[int, list[tuple[str, int]]] | None = None
    for row in range(1, min(len(sheet.rows), HEADER_SCAN_ROWS) + 1):
        found = _header_columns(sheet, row, lookup)
        if len({key for key, _ in found}) >= 2 and (best is None or len(found) > len(best[1])):
            best = (row, found)
    return best


def read_table(
    sheet: RawSheet,
    columns: tuple[Column, ...],
    needed: frozenset[str],
    lang: str,
    file: str,
    issues: list[Issue],
) -> Table | None:
    """The sheet's table, reporting missing and duplicated columns; None when it cannot be read."""
    header = t(lang, "column.ref")
    found = find_table(sheet, columns, lang)
    if found is None:
        names = [
            t(lang, f"column.{key}") for key in sorted(needed, key=[c.key for c in columns].index)
        ]
        issues.append(
            Code.HEADER_ROW_MISSING.issue(
                file=file, sheet=sheet.name, name=sheet.name, columns=names or [header]
            )
        )
        return None
    row, pairs = found
    positions: dict[str, int] = {}
    for key, position in pairs:
        if key in positions:
            issues.append(
                Code.COLUMN_DUPLICATED.issue(
                    file=file,
                    sheet=sheet.name,
                    cell=f"{column_letters(position)}{row}",
                    column=t(lang, f"column.{key}"),
                    first=column_letters(positions[key]),
                    second=column_letters(position),
                )
            )
        else:
            positions[key] = position
    blocking = False
    for column in columns:
        if column.key in positions:
            continue
        code = Code.COLUMN_MISSING if column.key in needed else Code.PLAN_COLUMN_MISSING
        column_name = t(lang, column.header_key)
        issues.append(code.issue(file=file, sheet=sheet.name, column=column_name, row=row))
        blocking = blocking or column.key in needed
    return None if blocking else Table(sheet, row, positions)


def locate_sheets(
    raw: RawWorkbook,
    roles: dict[str, str],
    wanted: list[str],
    looks_like: dict[str, tuple[Column, ...]],
    lang: str,
    file: str,
    issues: list[Issue],
    required: frozenset[str],
) -> dict[str, RawSheet]:
    """Role -> sheet for each wanted role. A sheet renamed by the office is recognised by its
    headers when exactly one unclaimed sheet fits; a missing required one is an error."""
    claimed = set(roles.values()) | {META_SHEET}
    spare = [sheet for name, sheet in raw.sheets.items() if name not in claimed]
    located: dict[str, RawSheet] = {}
    for role in wanted:
        name = roles.get(role, "")
        if name in raw.sheets:
            located[role] = raw.sheets[name]
            continue
        fits = [sheet for sheet in spare if _fits(sheet, looks_like[role], lang)]
        if len(fits) == 1:
            located[role] = fits[0]
            spare.remove(fits[0])
            issues.append(
                Code.SHEET_RENAMED.issue(
                    file=file, sheet=fits[0].name, name=name, found=fits[0].name
                )
            )
        elif role in required:
            issues.append(Code.SHEET_MISSING.issue(file=file, name=name, value=name))
    return located


def _fits(sheet: RawSheet, columns: tuple[Column, ...], lang: str) -> bool:
    """Whether a sheet looks like a table of `columns`: a matrix has a ref column, the new
    activities sheet has none, and at least half the columns are there."""
    found = find_table(sheet, columns, lang)
    if found is None:
        return False
    row, pairs = found
    keys = {key for key, _ in pairs}
    ref_header = bool(_header_columns(sheet, row, header_lookup(("ref",), lang)))
    return ref_header == any(c.key == "ref" for c in columns) and len(keys) * 2 >= len(columns)
