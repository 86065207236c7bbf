"""What every command looks up in a plan, worked out once per plan: its framework, its rows (one
per activity indicator) by office and by ref, its indicators, its offices and its version.

`load_plan` builds the index as it loads the plan and keeps it on the plan itself (a private
attribute, not part of the plan's value), so a batch of returns, a store and a report all use the
same one and it is dropped with the plan. A plan built in code gets its index on first use.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

from matrix.countries import country_name
from matrix.errors import MatrixError
from matrix.frameworks import builtin_framework, builtin_names
from matrix.models.plan import (
    ActionPoint,
    Activity,
    Framework,
    Indicator,
    Objective,
    Plan,
    Scope,
    ValueKind,
    in_language,
)

T = TypeVar("T")


@dataclass(frozen=True)
class PlanRow:
    """One matrix row: an activity's indicator (or the activity alone when it has none)."""

    ref: str
    objective: Objective
    activity: Activity
    indicator: Indicator | None
    indicator_index: int

    @cached_property
    def kind(self) -> ValueKind:
        """The indicator's kind of value (a number for a row without indicator), read per row."""
        return self.indicator.value_kind if self.indicator is not None else ValueKind.NUMBER


def row_ref(activity: Activity, index: int) -> str:
    """'AP3-2' for an activity with one indicator; 'AP3-2.1', 'AP3-2.2' for several.

    Plan ids cannot contain dots, so a ref always splits back unambiguously.
    """
    return activity.id if len(activity.indicators) <= 1 else f"{activity.id}.{index + 1}"


RowKey = tuple[str, str]
"""(activity id, indicator key): what a row's values are carried by from one plan version to the
next, whatever its ref became."""


def row_key(row: PlanRow) -> RowKey:
    """An activity without indicators has one row, which counts as its first indicator's."""
    key = row.indicator.key(row.indicator_index) if row.indicator else "1"
    return row.activity.id, key


def split_ref(ref: str) -> tuple[str, int]:
    """(activity id, 0-based indicator index) of a ref written by `row_ref`."""
    activity_id, dot, number = ref.rpartition(".")
    if dot and number.isdigit():
        return activity_id, int(number) - 1
    return ref, 0


class PlanIndex:
    """Lookups over one plan. Built from the plan alone and never changed after, except for the
    rows of each office and the `derived` values, which are made on first use."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.framework: Framework = resolve_framework(plan)
        self.objective_action_point: dict[str, ActionPoint | None] = {
            o.id: self.framework.action_point(o.action_point) for o in plan.objectives
        }
        """Objective id -> its action point (None when the framework has no such action point)."""
        self.action_point: dict[str, ActionPoint | None] = {}
        """Activity id -> the action point of its objective."""
        self.activity_rows: dict[str, tuple[PlanRow, ...]] = {}
        """Activity id -> its rows, one per indicator (one row for an activity without any)."""
        for objective, activity in plan.activities():
            self.action_point[activity.id] = self.objective_action_point[objective.id]
            self.activity_rows[activity.id] = tuple(
                PlanRow(row_ref(activity, index), objective, activity, indicator, index)
                for index, indicator in enumerate(activity.indicators or [None])
            )
        self.by_ref: dict[str, PlanRow] = {
            row.ref: row for rows in self.activity_rows.values() for row in rows
        }
        self.indicators: dict[tuple[str, int], Indicator] = {
            (row.activity.id, row.indicator_index): row.indicator
            for row in self.by_ref.values()
            if row.indicator is not None
        }
        """(activity id, 0-based indicator index) -> indicator, as a progress row names it."""
        region = plan.region.code if plan.region and plan.scope is not Scope.NATIONAL else None
        self.reporting_offices: tuple[str, ...] = (*plan.countries, *([region] if region else []))
        """Every office that may send a return: the countries, then the region of a regional
        plan."""
        expected = (
            plan.region.reports
            if plan.region and plan.region.reports is not None
            else (any(activity.regional for _, activity in plan.activities()))
        )
        self.offices: tuple[str, ...] = self.reporting_offices[
            : len(plan.countries) + bool(region and expected)
        ]
        """Every office expected to report: the countries, then the region when the plan has
        region-wide activities or says its regional bureau reports (`region.reports`)."""
        self._rows: dict[str | None, tuple[PlanRow, ...]] = {}
        self._derived: dict[Hashable, Any] = {}

    @cached_property
    def content_hash(self) -> str:
        """`Plan.content_hash()`: the plan's version, as written into every workbook."""
        return self.plan.content_hash()

    def rows(self, office: str | None) -> tuple[PlanRow, ...]:
        """The rows of one matrix sheet in plan order: a country's activities, or with None the
        region-wide ones."""
        found = self._rows.get(office)
        if found is None:
            plan = self.plan
            found = self._rows[office] = tuple(
                row
                for _, activity in plan.activities()
                if (
                    activity.regional
                    if office is None
                    else office in plan.activity_countries(activity)
                )
                for row in self.activity_rows[activity.id]
            )
        return found

    def office_rows(self, office: str) -> tuple[PlanRow, ...]:
        """The rows an office reports: a plan country's own, the region-wide ones for the region."""
        return self.rows(office if office in self.plan.countries else None)

    def row(self, ref: str) -> PlanRow | None:
        return self.by_ref.get(ref)

    def indicator(self, activity_id: str, index: int) -> Indicator | None:
        return self.indicators.get((activity_id, index))

    def office_name(self, office: str, lang: str = "en") -> str:
        """The region's name for the region code, else the country's name, in `lang`."""
        region = self.plan.region
        if region and office == region.code:
            return in_language(region.name, lang)
        return country_name(office, lang)

    def renamed_from(self, earlier: PlanIndex) -> dict[str, str]:
        """Ref in `earlier` -> ref here, for each row whose ref changed between the two versions
        (LEG-1 -> LEG-1.1 once LEG-1 has a second indicator), matched as `Carry` matches them. A
        removed row keeps its ref, unless that ref now names another row: it is then renamed to
        one no plan row can have (a dot and a non-number), so its values count for nothing."""
        here = {row_key(row): row.ref for row in self.by_ref.values()}
        renamed = {}
        for ref, row in earlier.by_ref.items():
            now = here.get(row_key(row))
            if now is None and ref in self.by_ref:
                now = f"{ref}.removed"
            if now is not None and now != ref:
                renamed[ref] = now
        return renamed

    def derived(self, key: Hashable, build: Callable[[], T]) -> T:
        """`build()`, made once per plan and `key`: for what other modules work out from the plan
        alone (validation's plan cells in each language), so it lives and dies with the plan."""
        if key not in self._derived:
            self._derived[key] = build()
        found: T = self._derived[key]
        return found

    def __getstate__(self) -> dict[str, Any]:
        """What goes to a worker process with the plan: rows and derived values are made again
        there on first use, rather than copied whether used or not."""
        return {**self.__dict__, "_rows": {}, "_derived": {}}


def resolve_framework(plan: Plan) -> Framework:
    """The plan's own framework, or the built-in one it names."""
    if isinstance(plan.framework, Framework):
        return plan.framework
    try:
        return builtin_framework(plan.framework)
    except KeyError:
        raise MatrixError(
            "error.unknown_framework", name=plan.framework, known=builtin_names()
        ) from None


def plan_index(plan: Plan) -> PlanIndex:
    """The plan's index: the one `load_plan` built, or made now for a plan built in code (or
    copied with changes, which keeps its original's index)."""
    index = plan._index
    if not isinstance(index, PlanIndex) or index.plan is not plan:
        index = PlanIndex(plan)
        plan._index = index
    return index


def plan_rows(plan: Plan, office: str | None) -> tuple[PlanRow, ...]:
    """`PlanIndex.rows` of the plan's index."""
    return plan_index(plan).rows(office)


def expected_offices(plan: Plan) -> list[str]:
    """Every country office, plus the region when it is expected to report (`PlanIndex.offices`)."""
    return list(plan_index(plan).offices)


def office_name(plan: Plan, office: str, lang: str = "en") -> str:
    return plan_index(plan).office_name(office, lang)
