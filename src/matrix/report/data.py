"""What the report is computed from: the plan's progress as collected, period by period.

A plain input, so the report can be built from the SQLite store (`matrix.report.source`) or from
rows made in a test, and computed the same way either way. A period's rows are any iterable of
objects with `ProgressRow`'s fields: the store hands over lightweight `Reported` tuples, read one
period at a time, since a global plan's history is millions of rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field

from matrix.models.issues import Issue
from matrix.models.returns import Narratives, ProposedActivity


class Submission(BaseModel):
    """One file an office sent for a period, accepted or not."""

    model_config = ConfigDict(frozen=True)

    office: str = Field(description="ISO alpha-3 country code, or the region code of a regional matrix.")
    period: str = Field(description="Period id, e.g. 2026-Q3.")
    file: str = Field(description="File name as received.")
    received_at: datetime = Field(description="When the file was received (collected).")
    accepted: bool = Field(description="False when validation found errors and the file was rejected.")
    superseded: bool = Field(default=False, description="Accepted, then replaced by a later return of the office.")
    countries: list[str] = Field(
        default_factory=list, description="Offices the file reported rows for (a regional workbook: several)."
    )
    issues: list[Issue] = Field(default_factory=list, description="Problems validation found in the file.")


class Reported(NamedTuple):
    """One stored progress row, as the report reads it (the fields of `ProgressRow` it uses)."""

    country: str
    ref: str
    status: str | None
    actual: float | None
    funds_secured: float | None
    comments: str
    next_steps: str
    support_needed: str


@dataclass
class PeriodData:
    """The current picture of one period: the rows of the accepted return of every office."""

    rows: Iterable[Reported] = field(default_factory=list)
    """Latest accepted value of every reported row, one per (country, ref); when a row appears
    twice, the later one wins. Iterated once per report."""
    proposed: dict[str, list[ProposedActivity]] = field(default_factory=dict)
    """Office code -> activities it reported that are not in the plan."""
    narratives: dict[str, Narratives] = field(default_factory=dict)
    """Office code -> its overview, initiatives and good practices."""


@dataclass
class ReportData:
    """Everything stored for a plan: progress per period and every submission."""

    periods: dict[str, PeriodData] = field(default_factory=dict)
    """Period id -> its data."""
    submissions: list[Submission] = field(default_factory=list)
    """Every file received."""
