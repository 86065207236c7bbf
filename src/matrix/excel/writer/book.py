"""What every sheet of one workbook needs to know, worked out once: the plan, the office, the
period and language, which sheet is called what, the drop-down choices and the formats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property

from matrix.countries import country_name
from matrix.excel import layout
from matrix.excel.addresses import sheet_name
from matrix.excel.layout import Kind, SheetRole
from matrix.excel.writer.formats import Formats
from matrix.i18n import (
    RIGHT_TO_LEFT,
    action_point_description,
    framework_title,
    localised_action_point_label,
    status_label,
    t,
)
from matrix.models.plan import ActionPoint, Activity, Plan, Status, in_language
from matrix.models.returns import Narratives, ProgressRecord
from matrix.periods import Period, due_date
from matrix.plan import PlanRow, plan_index

OTHER_SHEETS = (
    SheetRole.INSTRUCTIONS,
    SheetRole.NEW_ACTIVITIES,
    SheetRole.INITIATIVES,
    SheetRole.GOOD_PRACTICES,
    SheetRole.OVERVIEW,
    SheetRole.GUIDE,
    SheetRole.ACTORS,
    SheetRole.LISTS,
)
"""Every role but the matrix sheets, whose number and names depend on the workbook; after the
matrix sheets in this order (tab order)."""


@dataclass(frozen=True)
class MatrixSheet:
    office: str
    """Country code, or the region code for the region-wide sheet."""
    name: str
    label: str
    """Who the sheet is for, as people say it: 'Sudan (SDN)'."""
    rows: Sequence[PlanRow]


class Book:
    """One workbook being written: its inputs, and what follows from them for every sheet."""

    def __init__(
        self,
        plan: Plan,
        office: str,
        period: Period,
        lang: str,
        *,
        regional: bool,
        prefill: Mapping[tuple[str, str], ProgressRecord],
        generated_at: datetime,
        formats: Formats,
        narratives: Narratives | None = None,
    ):
        self.plan, self.office, self.period, self.lang = plan, office, period, lang
        self.paper = plan.paper.excel_code
        self.regional, self.prefill = regional, prefill
        self.narratives = narratives or Narratives()
        """The office's overview and initiatives of its last return, to start from (`prefill`)."""
        self.generated_at, self.formats = generated_at, formats
        self.columns = layout.matrix_columns(plan)
        self.col = {c.key: i for i, c in enumerate(self.columns)}
        self.index = plan_index(plan)
        self.framework = self.index.framework
        self.status_labels = [status_label(s, lang) for s in Status]
        self.action_points = sorted(self.framework.action_points, key=lambda ap: ap.number)
        self.objective_ap = self.index.objective_action_point
        self.plan_hash = self.index.content_hash
        self.due = due_date(plan.reporting, period)
        # Right-to-left text would show '2026-Q3' as 'Q3-2026'; left-to-right marks keep it whole.
        self.period_text = f"\u200e{period.id}\u200e" if lang in RIGHT_TO_LEFT else period.id
        # How to write a date, in the sheets' hints: the period's last day, not a year that ages.
        self.example_date = period.end.isoformat()
        taken = {layout.META_SHEET.casefold()}
        self.names = {role: sheet_name(t(lang, f"sheet.{role}"), taken) for role in OTHER_SHEETS}
        self.sheets = self._matrix_sheets(taken)

    def _matrix_sheets(self, taken: set[str]) -> list[MatrixSheet]:
        plan, lang = self.plan, self.lang
        if not self.regional:
            label = f"{country_name(self.office, lang)} ({self.office})"
            name = sheet_name(t(lang, f"sheet.{SheetRole.MATRIX}"), taken)
            return [MatrixSheet(self.office, name, label, self.index.rows(self.office))]
        sheets = [
            MatrixSheet(
                code,
                sheet_name(country_name(code, lang), taken),
                f"{country_name(code, lang)} ({code})",
                self.index.rows(code),
            )
            for code in plan.countries
        ]
        region = plan.region
        label = f"{self.text(region.name)} ({region.code})" if region else self.office
        name = sheet_name(t(lang, f"sheet.{SheetRole.REGIONAL}"), taken)
        sheets.append(MatrixSheet(self.office, name, label, self.index.rows(None)))
        return sheets

    def text(self, text: str) -> str:
        """A text of the plan in the workbook's language, when the plan gives it."""
        return in_language(text, self.lang)

    def activities(self) -> list[Activity]:
        """The plan activities on this workbook's matrix sheets, in plan order, once each."""
        found = {row.activity.id: row.activity for sheet in self.sheets for row in sheet.rows}
        return [activity for _, activity in self.plan.activities() if activity.id in found]

    def office_label(self) -> str:
        return self.sheets[-1].label if self.regional else self.sheets[0].label

    def subtitle(self, label: str) -> str:
        return t(
            self.lang,
            "matrix.subtitle",
            office=label,
            period=self.period_text,
            start=self.period.start,
            end=self.period.end,
            due=self.due,
        )

    def ap_label(self, ap: ActionPoint | None, fallback: str | int) -> str:
        if ap is None:
            return str(fallback)
        return localised_action_point_label(self.framework, ap, self.lang)

    def activity_ap(self, activity: Activity) -> ActionPoint | None:
        return self.index.action_point.get(activity.id)

    @property
    def framework_title(self) -> str:
        return framework_title(self.framework, self.lang)

    def ap_description(self, ap: ActionPoint) -> str:
        return action_point_description(self.framework.id, ap.id, ap.description, self.lang)

    def choices(self, kind: Kind) -> list[str]:
        """What a drop-down of `kind` offers, as the Lists sheet holds it."""
        if kind is Kind.STATUS:
            return self.status_labels
        if kind is Kind.ACTION_POINT:
            return [self.ap_label(ap, ap.id) for ap in self.action_points]
        if kind is Kind.SUBJECT:
            return self.subjects
        return [actor.id for actor in self.plan.actors]

    @cached_property
    def subjects(self) -> list[str]:
        """What a good practice may describe: the workbook's activities, then every initiative row
        (with its title when the office's last return gave one)."""
        titles = {i.ref: i.title for i in self.narratives.initiatives}
        refs = [layout.initiative_ref(i) for i in range(layout.INITIATIVE_ROWS)]
        return [layout.subject_label(a.id, a.title) for a in self.activities()] + [
            layout.subject_label(ref, titles.get(ref)) for ref in refs
        ]
