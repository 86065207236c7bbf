"""What the report is computed from: the plan's progress as collected, period by period.

A plain input, so the report can be built from the SQLite store (`matrix.report.build.from_store`)
or from rows made in a test, and computed the same way either way.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from matrix.models.issues import Issue
from matrix.models.returns import ProgressRow, ProposedActivity


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


class PeriodData(BaseModel):
    """The current picture of one period: the rows of the accepted return of every office."""

    rows: list[ProgressRow] = Field(
        default_factory=list,
        description="Latest accepted value of every reported row; one row per (country, ref).",
    )
    proposed: dict[str, list[ProposedActivity]] = Field(
        default_factory=dict, description="Office code -> activities it reported that are not in the plan."
    )


class ReportData(BaseModel):
    """Everything stored for a plan: progress per period and every submission."""

    periods: dict[str, PeriodData] = Field(default_factory=dict, description="Period id -> its data.")
    submissions: list[Submission] = Field(default_factory=list, description="Every file received.")
