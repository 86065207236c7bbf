"""What the safety scan hands on: its verdict, and the structure facts calamine cannot see."""

from __future__ import annotations

from dataclasses import dataclass, field

from matrix.models.issues import Issue


@dataclass
class SheetFacts:
    """What the zip scan learnt about one worksheet."""

    name: str
    part: str
    state: str = "visible"
    protected: bool = False
    validations: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    """A1 cell -> Excel error shown there (#REF!, #DIV/0!, ...); calamine reads these as blanks."""


@dataclass
class FileScan:
    issues: list[Issue] = field(default_factory=list)
    sheets: dict[str, SheetFacts] = field(default_factory=dict)
    date1904: bool = False
    forbidden_characters: bool = False
    """Some cell text holds characters XML 1.0 forbids (control characters, U+FFFE, U+FFFF), in
    any spelling calamine decodes; the reader then removes them from every text it returns."""
    content: bytes | None = field(default=None, repr=False)
    """The file's bytes as read, when they were: for a safe file, read them, not the file again,
    which may have changed since."""


class Refused(Exception):
    """Stops the scan at the first reason to refuse the file; carries that one issue."""

    def __init__(self, issue: Issue):
        super().__init__(issue.message)
        self.issue = issue
