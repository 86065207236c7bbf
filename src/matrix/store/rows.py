"""What the store hands back: recording outcomes, submissions and stored progress rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from matrix.models.issues import Issue
from matrix.models.returns import ProgressRecord


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    SUPERSEDED = "superseded-previous"
    """Accepted, and replaced an earlier accepted return for the same office and period."""
    DUPLICATE = "duplicate"
    REJECTED = "rejected"
    SKIPPED = "skipped"
    """Not recorded: not a return at all (a feedback copy matrix wrote)."""


@dataclass(frozen=True)
class Recorded:
    outcome: Outcome
    submission_id: int
    """The new submission, or for a duplicate the one recorded before."""
    superseded_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class Submission:
    """One file received for the plan, accepted or not: what `status` and the report read."""

    file_name: str
    received_at: datetime
    office: str | None
    period: str | None
    accepted: bool
    id: int = 0
    sha256: str | None = None
    superseded_by: int | None = None
    errors: int = 0
    warnings: int = 0
    problems: list[Issue] = field(default_factory=list)
    row_count: int = 0
    countries: frozenset[str] = frozenset()
    """Countries (and region code) the submission has progress rows for."""

    @property
    def superseded(self) -> bool:
        return self.superseded_by is not None

    @property
    def current(self) -> bool:
        return self.accepted and self.superseded_by is None


@dataclass(frozen=True)
class StoredRow:
    """A progress row that counts, with the period and the file it came from."""

    period: str
    row: ProgressRecord
    submission_id: int
    received_at: datetime
    file_name: str
