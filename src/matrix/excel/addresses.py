"""Excel's rules for naming and addressing: valid sheet names, sheet names in formulas, and the
column letters of A1 references on the read side.

Writing code takes column letters from `xlsxwriter.utility`, which it has loaded anyway. Reading
code does not load openpyxl or xlsxwriter at all, so its two converters are here.
"""

from __future__ import annotations

import re

MAX_SHEET_NAME = 31
_FORBIDDEN_IN_SHEET_NAMES = re.compile(r"\s*[\[\]:*?/\\]+\s*")
_FIRST_COMMA = re.compile("[,،]")  # Latin or Arabic


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid sheet name, unique among `taken` (casefolded; the name is added to it).

    Excel allows 31 characters (UTF-16 units: an emoji counts two), none of []:*?/\\ (each run
    becomes one space) and no quote at either end. A long name loses what follows its first comma
    ('Tanzania, United Republic of' -> 'Tanzania'); a name already taken gets ' (2)', ' (3)', ...
    as Excel names a copied sheet.
    """
    if _length(text) > MAX_SHEET_NAME:
        text = _FIRST_COMMA.split(text, maxsplit=1)[0]
    cleaned = _FORBIDDEN_IN_SHEET_NAMES.sub(" ", text).strip().strip("'").strip()
    base = _cut(cleaned, MAX_SHEET_NAME).rstrip("'") or "Sheet"  # a cut may end on a quote
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        suffix = f" ({n})"
        name = _cut(base, MAX_SHEET_NAME - len(suffix)) + suffix
    taken.add(name.casefold())
    return name


def _length(text: str) -> int:
    """Length as Excel counts it, in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _cut(text: str, limit: int) -> str:
    """The longest start of `text` that is at most `limit` UTF-16 code units long."""
    text = text[:limit]
    while _length(text) > limit:
        text = text[:-1]
    return text


def quoted(sheet: str) -> str:
    """A sheet name as a formula or link refers to it: "'Bob''s sheet'"."""
    return "'" + sheet.replace("'", "''") + "'"


# Read side only: importing openpyxl (xlsxwriter) for these would cost every validating process
# 180 (110) ms of CPU and 5 (2) MiB; validating a 300-row return takes about 25 ms.


def column_letters(number: int) -> str:
    """'A' for 1, 'Z' for 26, 'AA' for 27 (1-based, as Excel and the reader count columns)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_number(letters: str) -> int:
    """1 for 'A', 27 for 'AA'; 0 for ''."""
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def row_and_column(ref: str) -> tuple[int, int]:
    """(row, column), 1-based, of an A1 reference such as 'AB12'; (0, 0) for ''."""
    letters = ref.rstrip("0123456789")
    digits = ref[len(letters) :]
    return (int(digits) if digits else 0), column_number(letters)
