"""Reading an actual value by its indicator's declared kind (`Indicator.value_kind`).

- count: a whole number of 0 or more; number and currency amount: 0 or more. A % sign in any of
  them is an error that says so ("40%" is not 40 people).
- percent, in points (40 for 40 %): "40%" is 40, and so is 40; a number between 0 and 1 (0.4) is a
  fraction, 40 % — that is how Excel stores "40%" typed in a cell. Hence 1 is 1 %: to report 100 %
  type 100 or 100%. A value under 1 % is typed with its sign ("0.5%"), which Excel stores as 0.005.
- yes/no: Yes or No in any catalogue language (any case), or a TRUE/FALSE cell; stored as 1 or 0.
- date: a date cell, or a date typed as year-month-day; stored as its Excel serial number.
"""

from __future__ import annotations

from functools import cache

from matrix.codes import Code
from matrix.i18n import LANGUAGES, phrase, t
from matrix.models.plan import Indicator, ValueKind, in_language
from matrix.plan import PlanRow
from matrix.semantics import date_number
from matrix.validation.rules import actual_wanted
from matrix.validation.values import Cell, CellReader, is_blank, plain_text, read_number_text

NUMERIC = frozenset({ValueKind.NUMBER, ValueKind.CURRENCY})


@cache
def _yes_no_words() -> dict[str, float]:
    words = {"true": 1.0, "false": 0.0}
    for lang in LANGUAGES:
        words[t(lang, "value.yes").casefold()] = 1.0
        words[t(lang, "value.no").casefold()] = 0.0
    return words


def yes_no_choices(lang: str) -> list[str]:
    """Yes and No as the workbook's drop-down offers them."""
    return [t(lang, "value.yes"), t(lang, "value.no")]


def read_actual(cells: CellReader, value: object, cell: Cell, row: PlanRow) -> float | None:
    """The actual value of `row` as its indicator's kind reads it; None (with an issue when
    something was typed) when it cannot be read."""
    indicator, kind = row.indicator, row.kind
    if kind in NUMERIC or indicator is None:
        if type(value) is float and value >= 0:
            return value
        return _number(cells, value, cell, row, kind)
    if is_blank(value) or cells.error_cell(value, cell):
        return None
    if kind is ValueKind.COUNT:
        number = _number(cells, value, cell, row, kind)
        if number is not None and not number.is_integer():
            cells.flag(
                Code.ACTUAL_NOT_WHOLE,
                cell,
                value,
                number=number,
                ref=row.ref,
                unit=_unit(indicator, cells.lang),
            )
            return None
        return number
    if kind is ValueKind.PERCENT:
        return _percent(cells, value, cell, row)
    if kind is ValueKind.YES_NO:
        return _yes_no(cells, value, cell)
    found = cells.date(value, cell)
    return date_number(found) if found is not None else None


def _unit(indicator: Indicator, lang: str) -> str:
    return in_language(indicator.unit or indicator.name, lang)


def _number(
    cells: CellReader, value: object, cell: Cell, row: PlanRow, kind: ValueKind
) -> float | None:
    """A number of 0 or more; a % sign is an error unless the indicator is a percentage."""
    if isinstance(value, str) and value.strip().endswith("%") and row.indicator is not None:
        cells.flag(
            Code.ACTUAL_PERCENT_SIGN,
            cell,
            value,
            text=value.strip(),
            ref=row.ref,
            kind=phrase(f"kind_word.{kind.value}"),
            what=actual_wanted(row, cells.lang),
        )
        return None
    return cells.number(
        value, cell, lambda: actual_wanted(row, cells.lang), Code.ACTUAL_NOT_A_NUMBER
    )


def _percent(cells: CellReader, value: object, cell: Cell, row: PlanRow) -> float | None:
    """Percentage points, by the rule in the module docstring."""
    if isinstance(value, str) and value.strip().endswith("%"):
        reading = read_number_text(value.strip()[:-1])
        if reading.value is not None and reading.value >= 0:
            return reading.value
    number = cells.number(
        value, cell, lambda: actual_wanted(row, cells.lang), Code.ACTUAL_NOT_A_NUMBER
    )
    if number is not None and 0 < number < 1:
        return round(number * 100, 10)
    return number


def _yes_no(cells: CellReader, value: object, cell: Cell) -> float | None:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float) and value in (0, 1):
        return float(value)
    found = _yes_no_words().get(" ".join(plain_text(value).casefold().split()))
    if found is None:
        cells.flag(
            Code.ACTUAL_NOT_YES_NO,
            cell,
            value,
            text=plain_text(value),
            choices=yes_no_choices(cells.lang),
        )
    return found
