"""Returned workbooks -> ValidationResults: one file (`workbook`), many (`batch`), and the checks
they run (`identity`, `structure`, `rows`, `values`, `rules`, `carry`, `history`, `new_activities`,
`narratives`)."""

from matrix.validation.batch import (
    checked_against_history,
    returned_workbooks,
    validate_paths,
    workbook_paths,
)
from matrix.validation.workbook import validate_file, with_previous

__all__ = [
    "checked_against_history",
    "returned_workbooks",
    "validate_file",
    "validate_paths",
    "with_previous",
    "workbook_paths",
]
