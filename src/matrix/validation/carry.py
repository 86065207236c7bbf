"""A return made from an earlier version of the plan, carried onto the current one.

Its rows were read and checked against their own version; here each is matched to the current plan
by its activity's id and its indicator's id (or position, for indicators without one), so values
land where they belong even when activities moved or indicators were added. What changed in
between is told as plan changes (info), never as the office's mistakes: a row of an activity since
removed is not carried, an activity added since is not in the office's matrix, and a revised
target is noted (the current target counts).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from matrix.codes import Code
from matrix.i18n import Phrase, phrase
from matrix.models.plan import Plan, in_language
from matrix.models.returns import ProgressRow
from matrix.plan import PlanIndex, PlanRow, RowKey, plan_index, row_key
from matrix.validation.rows import SheetContext
from matrix.validation.structure import Table
from matrix.versions import PlanVersions


class Carry:
    """Carries the rows of one return from its own plan version onto the current plan."""

    def __init__(self, own: Plan, current: Plan, versions: PlanVersions | None, ctx: SheetContext):
        self.own, self.current = plan_index(own), plan_index(current)
        self.ctx = ctx
        self._later = _later_versions(own, current, versions)

    def sheet(self, table: Table, office: str | None, rows: list[ProgressRow]) -> list[ProgressRow]:
        """`rows`, read from one matrix sheet (a country's, or with None the region-wide one), as
        rows of the current plan; each plan change met is added to the context's issues."""
        ctx, name = self.ctx, table.sheet.name
        current = {row_key(row): row for row in self.current.rows(office)}
        carried = []
        for row in rows:
            before = self.own.by_ref[row.ref]
            now = current.get(row_key(before))
            cell = table.cell(row.row, "ref")
            if now is None:
                ctx.issues.append(
                    Code.PLAN_ROW_NOT_CARRIED.issue(
                        file=ctx.file,
                        sheet=name,
                        cell=cell,
                        value=row.ref,
                        ref=row.ref,
                        title=_title(before, ctx.lang),
                        reason=self._gone(before, office),
                    )
                )
                continue
            if now.ref != row.ref:
                ctx.issues.append(
                    Code.PLAN_ROW_RENUMBERED.issue(
                        file=ctx.file,
                        sheet=name,
                        cell=cell,
                        value=row.ref,
                        old=row.ref,
                        ref=now.ref,
                    )
                )
            self._target(before, now, table, row.row)
            carried.append(
                row.model_copy(update={"indicator_index": now.indicator_index, "ref": now.ref})
            )
        had = {row_key(row) for row in self.own.rows(office)}
        for key, added in current.items():
            if key not in had:
                ctx.issues.append(
                    Code.PLAN_ROW_ADDED.issue(
                        file=ctx.file,
                        sheet=name,
                        value=added.ref,
                        ref=added.ref,
                        title=_title(added, ctx.lang),
                        when=self._since(partial(_planned, office=office, key=key)),
                    )
                )
        return carried

    def _gone(self, before: PlanRow, office: str | None) -> Phrase:
        """Why a row has no place in the current plan, and since when."""
        activity = before.activity.id
        if activity not in self.current.activity_rows:
            when = self._since(lambda index: activity not in index.activity_rows)
            return phrase("carry.activity_removed", activity=activity, when=when)
        if not any(r.activity.id == activity for r in self.current.rows(office)):
            where = (
                phrase("carry.for_office", office=office) if office else phrase("carry.region_wide")
            )
            when = self._since(lambda index: not _planned_activity(index, office, activity))
            return phrase("carry.activity_not_planned", activity=activity, where=where, when=when)
        name = in_language(before.indicator.name, self.ctx.lang) if before.indicator else before.ref
        key = row_key(before)
        when = self._since(lambda index: not _planned(index, office, key))
        return phrase("carry.indicator_removed", indicator=name, when=when)

    def _target(self, before: PlanRow, now: PlanRow, table: Table, row: int) -> None:
        old = before.indicator.target if before.indicator else None
        new = now.indicator.target if now.indicator else None
        if old == new:
            return
        key = row_key(before)

        def revised(index: PlanIndex) -> bool:
            found = next(
                (r for r in index.activity_rows.get(key[0], ()) if row_key(r) == key), None
            )
            return (
                found is not None and found.indicator is not None and found.indicator.target != old
            )

        ctx = self.ctx
        ctx.issues.append(
            Code.PLAN_TARGET_REVISED.issue(
                file=ctx.file,
                sheet=table.sheet.name,
                cell=table.cell(row, "target"),
                value=new,
                ref=now.ref,
                title=_title(now, ctx.lang),
                old=_shown(old),
                new=_shown(new),
                when=self._since(revised),
            )
        )

    def _since(self, changed: Callable[[PlanIndex], bool]) -> Phrase:
        """'on 2026-11-02': when the first kept version after the return's own made the change."""
        for index, first_used in self._later:
            if changed(index):
                return (
                    phrase("carry.on", date=first_used.date())
                    if first_used
                    else phrase("carry.current")
                )
        return phrase("carry.current")


def _later_versions(own: Plan, current: Plan, versions: PlanVersions | None) -> list:
    """(index, first used or None) of every kept version between the return's own and the
    current one, oldest first, ending with the current one."""
    own_hash, current_hash = plan_index(own).content_hash, plan_index(current).content_hash
    if versions is None:
        return [(plan_index(current), None)]
    start = versions.first_used(own_hash)
    later = []
    for version in versions.history(current.id):
        if version.hash in (own_hash, current_hash) or (start and version.first_used <= start):
            continue
        if (plan := versions.plan(version.hash)) is not None:
            later.append((plan_index(plan), version.first_used))
    return [*later, (plan_index(current), versions.first_used(current_hash))]


def _planned(index: PlanIndex, office: str | None, key: RowKey) -> bool:
    return any(row_key(row) == key for row in index.rows(office))


def _planned_activity(index: PlanIndex, office: str | None, activity: str) -> bool:
    return any(row.activity.id == activity for row in index.rows(office))


def _title(row: PlanRow, lang: str) -> str:
    """The activity, and the indicator when it has several, as the workbook in `lang` names them."""
    title = in_language(row.activity.title, lang)
    if row.indicator is None or len(row.activity.indicators) == 1:
        return title
    return f"{title}: {in_language(row.indicator.name, lang)}"


def _shown(value: float | None) -> float | Phrase:
    return phrase("carry.no_target") if value is None else value
