"""What an office sent back: the workbook's identity, its progress rows and the problems found.

`matrix.validation` produces a `ValidationResult` per file; `matrix.store` records it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import NamedTuple

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from matrix.models.issues import Issue, has_errors
from matrix.models.plan import Status


class WorkbookIdentity(BaseModel):
    """Read from the hidden metadata sheet, never from the file name."""

    model_config = ConfigDict(frozen=True)

    template_schema: int
    tool_version: str
    plan_id: str
    plan_hash: str = Field(
        description="Plan.content_hash() of the plan version it was generated from."
    )
    office: str = Field(
        description="ISO alpha-3 country code, or the region code of a regional matrix."
    )
    regional: bool = Field(
        description="True for a regional workbook (a sheet per country + regional)."
    )
    period: str
    lang: str
    generated_at: datetime


class ProgressRow(BaseModel):
    """One plan row as the office reported it; values already parsed and normalised."""

    model_config = ConfigDict(frozen=True)

    country: str = Field(
        description="The country the row is about, or the region code for region-wide rows."
    )
    activity_id: str
    indicator_index: int = Field(description="0-based index into the activity's indicators.")
    ref: str
    sheet: str
    row: int = Field(description="Excel row, 1-based.")
    status: Status | None = None
    actual: float | None = None
    funds_secured: float | None = None
    comments: str = ""
    next_steps: str = ""
    support_needed: str = ""

    @property
    def blank(self) -> bool:
        """Left empty: no status, actual, funds or text (the store's `queries.BLANK`)."""
        return (
            self.status is None
            and self.actual is None
            and self.funds_secured is None
            and not (self.comments or self.next_steps or self.support_needed)
        )


class ProgressRecord(NamedTuple):
    """A `ProgressRow` as the store gives it back to every reader (status, history, export, the
    report, prefill): the fields that say what was reported, by the same names, in a plain tuple
    because a report reads millions of them. `status` is the `Status` value as text."""

    country: str
    ref: str
    status: str | None
    actual: float | None
    funds_secured: float | None
    comments: str
    next_steps: str
    support_needed: str


class Earlier(NamedTuple):
    """What the store accepted for one row (country, ref) in periods before the one a return is
    for: the history the previous-period checks compare the return with."""

    period: str
    """The period of `record`."""
    record: ProgressRecord
    """The row's last accepted report."""
    total: float | None
    """The last accepted total to date of a cumulative indicator (perhaps of an earlier period
    than `record`, when the last report left it blank); None otherwise."""


History = Mapping[tuple[str, str], Earlier]
"""(country or region code, ref) -> what was accepted for the row before."""


class ProposedActivity(BaseModel):
    """An activity the office added on the New activities sheet: a stock-take, not yet planned."""

    model_config = ConfigDict(frozen=True)

    sheet: str
    row: int
    action_point: str | None = Field(
        default=None, description="Framework action point id, when recognised."
    )
    title: str
    lead: str = ""
    partners: str = ""
    indicator: str = ""
    unit: str = ""
    target: float | None = None
    start: date | None = None
    end: date | None = None
    status: Status | None = None
    actual: float | None = None
    comments: str = ""


class OverviewText(BaseModel):
    """What the office wrote under one heading of the Overview sheet."""

    model_config = ConfigDict(frozen=True)

    heading: str = Field(description="Heading id: a built-in one (main_trends, ...) or the plan's.")
    text: str


class Initiative(BaseModel):
    """A project or initiative related to the plan's framework but not in the plan, run by anyone
    (government, NGOs, others): the office's stock-take on the Initiatives sheet."""

    model_config = ConfigDict(frozen=True)

    sheet: str
    row: int
    ref: str = Field(description="The row's number (I1, I2, ...), the same every period.")
    title: str
    action_point: str | None = Field(default=None, description="Framework action point id.")
    actors: str = Field(default="", description="Who runs it, as the office wrote it.")
    start: date | None = None
    end: date | None = None
    status: Status | None = None
    comments: str = ""


class Link(BaseModel):
    """One line of a good practice's further information: a text, and its web address if any."""

    model_config = ConfigDict(frozen=True)

    text: str
    url: str | None = Field(default=None, description="An http(s) address found in the line.")


class GoodPractice(BaseModel):
    """A plan activity or an initiative the office describes as a good practice, in the five parts
    of the 10-Point Plan in Action compendium."""

    model_config = ConfigDict(frozen=True)

    sheet: str
    row: int
    activity_id: str | None = Field(default=None, description="The plan activity it describes.")
    initiative_ref: str | None = Field(default=None, description="Or the initiative (I1, ...).")
    title: str
    background: str = Field(description="A. Background and rationale.")
    actors: list[str] = Field(description="B. Actors, one per line.")
    actions: list[str] = Field(description="C. Actions, one per line.")
    review: str = Field(description="D. Review: results and lessons.")
    further_information: list[Link] = Field(
        default_factory=list, description="E. Further information."
    )


class Narratives(BaseModel):
    """What an office writes in a return besides its figures."""

    model_config = ConfigDict(frozen=True)

    overview: list[OverviewText] = Field(
        default_factory=list, description="In the plan's heading order."
    )
    initiatives: list[Initiative] = Field(default_factory=list)
    good_practices: list[GoodPractice] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.overview or self.initiatives or self.good_practices)


class ValidationResult(BaseModel):
    """Everything known about one returned file; `accepted` means no error-severity issue."""

    file: str
    sha256: str | None = None
    size: int | None = None
    identity: WorkbookIdentity | None = None
    lang: str | None = Field(
        default=None,
        description="The workbook's language as its hidden record "
        "says, even when that record fails its checks: what its feedback is written in.",
    )
    issues: list[Issue] = Field(default_factory=list)
    rows: list[ProgressRow] = Field(default_factory=list)
    proposed: list[ProposedActivity] = Field(default_factory=list)
    narratives: Narratives = Field(default_factory=Narratives)
    skipped: bool = Field(
        default=False,
        description="Not a return at all (a feedback copy matrix wrote): "
        "listed with the issue saying why, never recorded.",
    )
    # set by validation, for issues added after reading; plain defaults, as a default_factory
    # makes pydantic inspect its signature for every result
    _sheets: tuple[str, ...] = PrivateAttr(default=())
    """The workbook's sheets in order."""
    _input_columns: tuple[tuple[str, str, str], ...] = PrivateAttr(default=())
    """(matrix sheet, letter of its status column, letter of its actual column)."""

    @property
    def accepted(self) -> bool:
        return self.identity is not None and not has_errors(self.issues)
