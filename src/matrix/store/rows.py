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
    OUTDATED = "superseded-on-arrival"
    """Accepted, but the office sent a return for the period received later, which counts."""
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
    counts: bool = False
    """Accepted, and the office's latest received return for the period: its rows may count."""

    @property
    def superseded(self) -> bool:
        """Accepted, but another return of the office for the period counts instead."""
        return self.accepted and not self.counts

    @property
    def current(self) -> bool:
        return self.counts


@dataclass(frozen=True)
class StoredRow:
    """A progress row that counts, with the period and the file it came from."""

    period: str
    row: ProgressRecord
    submission_id: int
    received_at: datetime
    file_name: str


@dataclass(frozen=True)
class Reported:
    """What one return says for a row: the figures two returns may disagree on, and its source."""

    period: str
    country: str
    ref: str
    sheet: str
    submission_id: int
    office: str
    file_name: str
    received_at: datetime
    status: str | None
    actual: float | None
    funds_secured: float | None


@dataclass(frozen=True)
class Overlap:
    """Two returns that count report different figures for the same row: `counted` is the value
    that counts (`queries.PRECEDENCE`), `other` the one it overrides."""

    counted: Reported
    other: Reported
