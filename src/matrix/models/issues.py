"""A problem found in a plan or a workbook: data with a location, a code and a message.

Codes and severities live in `matrix.codes`; the messages, in every language, in the catalogue
(`matrix.i18n`, key `issue.<code>`). An issue keeps its code and parameters, so it can be shown in
any language where it is shown (`matrix.i18n.render_issue`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    """Not a problem: what the reader should know, such as how the plan changed since a matrix
    was generated."""


class Issue(BaseModel):
    """One finding, addressable as a user looks for it: file and line, or file, sheet and cell."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(
        description="Stable kebab-case code from the catalogue, e.g. 'unknown-actor'."
    )
    severity: Severity = Field(
        description="error blocks acceptance; warning is for a human to check; info is news."
    )
    message: str = Field(
        description="One line saying what is wrong and what to do (in English, or in "
        "the language asked for where matrix prints it)."
    )
    params: dict[str, Any] | None = Field(
        default=None,
        description="The message's parameters, so it can be shown in any language later "
        "(None for an issue stored before matrix kept them).",
    )
    file: str | None = Field(default=None, description="The file the problem is in.")
    line: int | None = Field(default=None, description="1-based line in a YAML plan.")
    sheet: str | None = Field(default=None, description="Worksheet name in a workbook.")
    cell: str | None = Field(default=None, description="A1 reference, e.g. 'K14'.")
    value: Any = Field(default=None, description="The offending value, as read.")
    fix: str | None = Field(default=None, description="A guessed correction, when one can be made.")

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def where(self) -> str:
        """`plan.yaml:12`, `SDN.xlsx  Matrix!K14`, or just the file."""
        place = self.file or ""
        if self.line is not None:
            place = f"{place}:{self.line}"
        if self.sheet:
            ref = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
            place = f"{place}  {ref}" if place else ref
        return place

    def render(self) -> str:
        return f"{self.where}  {self.severity.value}  {self.code}  {self.message}".strip()


def has_errors(issues: list[Issue]) -> bool:
    return any(issue.is_error for issue in issues)


def tally(issues: list[Issue]) -> tuple[int, int]:
    """(errors, warnings): notes (info) are neither."""
    errors = sum(issue.is_error for issue in issues)
    return errors, sum(issue.severity is Severity.WARNING for issue in issues)
