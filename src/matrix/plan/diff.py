"""What changed between two versions of a plan: `matrix plan diff OLD NEW`.

`diff_plans` compares two `Plan` objects, wherever they come from (two files today; stored
versions later), item by item: activities by id (added, removed, moved to another objective or
action point, and every field changed), indicators by their position in the activity (as the
matrices number them), actors, objectives, countries and action points by id or code, and the
plan's settings field by field. Every field the models have is compared, so a field added to the
models is reported without a change here. Two plans have no change exactly when they are equal.

The JSON form (`PlanDiff`) has a `schema_version` and a published JSON Schema,
`docs/plan-diff.schema.json` (also `matrix/schemas/plan-diff.schema.json`).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from matrix.errors import MatrixError
from matrix.i18n import phrase, t
from matrix.models.plan import Activity, Framework, Objective, Plan
from matrix.plan.index import resolve_framework
from matrix.plan.yaml_writer import plain

DIFF_SCHEMA_VERSION = 1
PACKAGED = "schemas/plan-diff.schema.json"


class Kind(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    CHANGED = "changed"
    REORDERED = "reordered"


class Item(StrEnum):
    PLAN = "plan"
    COUNTRY = "country"
    ACTOR = "actor"
    ACTION_POINT = "action_point"
    OBJECTIVE = "objective"
    ACTIVITY = "activity"
    INDICATOR = "indicator"


class Change(BaseModel):
    """One difference between the two plans."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    change: Kind = Field(description="What happened to the item.")
    item: Item = Field(description="What kind of item changed.")
    id: str | None = Field(
        default=None,
        description="The item's id (country code for a country); for an indicator, its activity's "
        "id; none for the plan itself.",
    )
    indicator: int | None = Field(
        default=None, description="For an indicator: its position in the activity, from 1."
    )
    field: str | None = Field(
        default=None,
        description="For `changed`: the field, dotted inside a part (`reporting.frequency`); "
        "for `reordered`: what was reordered (`activities`, `indicators`...).",
    )
    old: Any = Field(
        default=None,
        description="The value before: a field's value for `changed`; the objective and action "
        "point for `moved`; the order for `reordered`; the item for `removed`.",
    )
    new: Any = Field(default=None, description="The value after, in the same shape as `old`.")
    version: bool = Field(
        default=True,
        description="Whether the change makes a new plan version (content hash); false for "
        "publication settings (IATI), which never reach a workbook.",
    )


class PlanSide(BaseModel):
    """One of the two plans."""

    model_config = ConfigDict(extra="forbid")

    source: str | None = Field(
        default=None, description="Where the plan was read from: a file, a stored version."
    )
    plan_id: str = Field(description="The plan's id.")
    version: str = Field(description="The plan's version: `Plan.content_hash()`.")


class PlanDiff(BaseModel):
    """Every difference between an old and a new version of a plan, and which versions they are."""

    model_config = ConfigDict(extra="forbid")

    schema_version: int = Field(default=DIFF_SCHEMA_VERSION, description="Version of this layout.")
    old: PlanSide
    new: PlanSide
    identical: bool = Field(description="True when the plans are equal in every field.")
    changes: list[Change] = Field(
        description="Every difference, plan settings first, then "
        "countries, actors, action points, objectives, activities and "
        "indicators."
    )


def diff_plans(
    old: Plan, new: Plan, *, old_source: str | None = None, new_source: str | None = None
) -> PlanDiff:
    """Every difference between two plans, and which versions they are; `identical` exactly when
    they are equal. `old_source` and `new_source` say where each was read (a file, a stored
    version) for the text and the JSON."""
    changes = [
        *_settings(old, new),
        *_countries(old, new),
        *_actors(old, new),
        *_action_points(old, new),
        *_objectives(old, new),
        *_activities(old, new),
    ]
    if not changes and old != new:  # a difference no rule above names: still a difference
        changes.append(Change(change=Kind.CHANGED, item=Item.PLAN, field=None))
    return PlanDiff(
        old=PlanSide(source=old_source, plan_id=old.id, version=old.content_hash()),
        new=PlanSide(source=new_source, plan_id=new.id, version=new.content_hash()),
        identical=not changes,
        changes=changes,
    )


# --- plan settings, countries, actors, action points ------------------------------------------


def _settings(old: Plan, new: Plan) -> Iterator[Change]:
    for name in Plan.model_fields:
        if name in ("schema_version", "countries", "actors", "objectives"):
            continue
        if (
            name == "framework"
            and isinstance(old.framework, Framework)
            and isinstance(new.framework, Framework)
        ):
            yield from _fields(
                Item.PLAN,
                None,
                old.framework,
                new.framework,
                prefix="framework.",
                skip=("action_points",),
            )
            continue
        yield from _field(
            Item.PLAN,
            None,
            name,
            plain(getattr(old, name)),
            plain(getattr(new, name)),
            version=name != "iati",
        )


def _countries(old: Plan, new: Plan) -> Iterator[Change]:
    yield from _ids(Item.COUNTRY, old.countries, new.countries, lambda code: code)


def _actors(old: Plan, new: Plan) -> Iterator[Change]:
    yield from _by_id(Item.ACTOR, old.actors, new.actors, publication=("iati_ref", "iati_type"))


def _action_points(old: Plan, new: Plan) -> Iterator[Change]:
    if not (isinstance(old.framework, Framework) and isinstance(new.framework, Framework)):
        return  # a built-in framework is its name, compared with the settings
    yield from _by_id(Item.ACTION_POINT, old.framework.action_points, new.framework.action_points)


# --- objectives and activities ---------------------------------------------------------------


def _objectives(old: Plan, new: Plan) -> Iterator[Change]:
    yield from _by_id(Item.OBJECTIVE, old.objectives, new.objectives, skip=("activities",))


def _by_id(
    item: Item,
    old: list[Any],
    new: list[Any],
    *,
    skip: tuple[str, ...] = (),
    publication: tuple[str, ...] = (),
) -> Iterator[Change]:
    """Items with an id (actors, action points, objectives): added, removed, reordered, and each
    field changed of those in both, in the new plan's order."""
    before = {x.id: x for x in old}
    after = {x.id: x for x in new}
    yield from _ids(
        item,
        list(before),
        list(after),
        lambda ident: _summary(after.get(ident) or before[ident], skip=skip),
    )
    for ident in (i for i in after if i in before):
        yield from _fields(
            item, ident, before[ident], after[ident], skip=skip, publication=publication
        )


def _activities(old: Plan, new: Plan) -> Iterator[Change]:
    before, after = _placed(old), _placed(new)
    for ident, (objective, activity) in after.items():
        if ident not in before:
            yield Change(
                change=Kind.ADDED,
                item=Item.ACTIVITY,
                id=ident,
                new={**_where(new, objective), **_summary(activity)},
            )
    for ident, (objective, activity) in before.items():
        if ident not in after:
            yield Change(
                change=Kind.REMOVED,
                item=Item.ACTIVITY,
                id=ident,
                old={**_where(old, objective), **_summary(activity)},
            )
    for ident in (i for i in after if i in before):
        (was_in, was), (now_in, now) = before[ident], after[ident]
        if _where(old, was_in) != _where(new, now_in):
            yield Change(
                change=Kind.MOVED,
                item=Item.ACTIVITY,
                id=ident,
                old=_where(old, was_in),
                new=_where(new, now_in),
            )
        yield from _fields(Item.ACTIVITY, ident, was, now, skip=("indicators",))
        yield from _indicators(ident, was, now)
    yield from _order(old, new, before, after)


def _indicators(ident: str, was: Activity, now: Activity) -> Iterator[Change]:
    """Indicators by their id, or by their position when they have none, as returns are carried
    from one version to the next; `indicator` is the position (from 1) in the newer version, or
    in the older for one removed."""
    before = {indicator.key(i): (i, indicator) for i, indicator in enumerate(was.indicators)}
    after = {indicator.key(i): (i, indicator) for i, indicator in enumerate(now.indicators)}
    for kind, side, other, value in (
        (Kind.ADDED, after, before, "new"),
        (Kind.REMOVED, before, after, "old"),
    ):
        for key, (index, indicator) in side.items():
            if key not in other:
                yield Change.model_validate(
                    {
                        "change": kind,
                        "item": Item.INDICATOR,
                        "id": ident,
                        "indicator": index + 1,
                        value: _summary(indicator),
                    }
                )
    for key, (index, indicator) in after.items():
        if key in before:
            for change in _fields(Item.INDICATOR, ident, before[key][1], indicator):
                yield change.model_copy(update={"indicator": index + 1})
    kept_before = [key for key in before if key in after]
    kept_after = [key for key in after if key in before]
    if kept_before != kept_after:
        yield Change(
            change=Kind.REORDERED,
            item=Item.ACTIVITY,
            id=ident,
            field="indicators",
            old=kept_before,
            new=kept_after,
        )


def _order(old: Plan, new: Plan, before: dict, after: dict) -> Iterator[Change]:
    """Activities that kept their objective but not their order among its activities."""
    for objective in new.objectives:
        kept = [
            a.id
            for a in objective.activities
            if a.id in before and before[a.id][0].id == objective.id
        ]
        was = next((o for o in old.objectives if o.id == objective.id), None)
        if was is None:
            continue
        previous = [a.id for a in was.activities if a.id in kept]
        if previous != kept:
            yield Change(
                change=Kind.REORDERED,
                item=Item.OBJECTIVE,
                id=objective.id,
                field="activities",
                old=previous,
                new=kept,
            )


def _placed(plan: Plan) -> dict[str, tuple[Objective, Activity]]:
    placed: dict[str, tuple[Objective, Activity]] = {}
    for objective, activity in plan.activities():
        placed.setdefault(activity.id, (objective, activity))
    return placed


def _where(plan: Plan, objective: Objective) -> dict[str, Any]:
    """The objective and the action point (by id, however the plan wrote it) of an activity."""
    try:
        ap = resolve_framework(plan).action_point(objective.action_point)
    except MatrixError:  # an unknown framework name
        ap = None
    return {"objective": objective.id, "action_point": ap.id if ap else objective.action_point}


# --- fields ----------------------------------------------------------------------------------


def _ids(item: Item, before: list[str], after: list[str], described: Any) -> Iterator[Change]:
    """Added and removed ids (with what each item is), and a new order of the ones kept."""
    for ident in after:
        if ident not in before:
            yield Change(
                change=Kind.ADDED, item=item, id=ident, new=_described(described(ident), ident)
            )
    for ident in before:
        if ident not in after:
            yield Change(
                change=Kind.REMOVED, item=item, id=ident, old=_described(described(ident), ident)
            )
    kept_before = [i for i in before if i in after]
    kept_after = [i for i in after if i in before]
    if kept_before != kept_after:
        field = {
            Item.COUNTRY: "countries",
            Item.ACTOR: "actors",
            Item.ACTION_POINT: "action_points",
            Item.OBJECTIVE: "objectives",
        }[item]
        yield Change(
            change=Kind.REORDERED, item=Item.PLAN, field=field, old=kept_before, new=kept_after
        )


def _described(summary: Any, ident: str) -> Any:
    return None if summary == ident else summary


def _fields(
    item: Item,
    ident: str | None,
    old: BaseModel,
    new: BaseModel,
    *,
    prefix: str = "",
    skip: tuple[str, ...] = (),
    publication: tuple[str, ...] = (),
) -> Iterator[Change]:
    for name in type(new).model_fields:
        if name in skip or name == "id" and item is not Item.PLAN:
            continue
        yield from _field(
            item,
            ident,
            f"{prefix}{name}",
            plain(getattr(old, name)),
            plain(getattr(new, name)),
            version=name not in publication,
        )


def _field(
    item: Item, ident: str | None, name: str, old: Any, new: Any, *, version: bool = True
) -> Iterator[Change]:
    """A changed value; inside a part of the plan (`reporting`, `iati`), each changed field."""
    if old == new:
        return
    if isinstance(old, dict) and isinstance(new, dict):
        for key in (*old, *(k for k in new if k not in old)):
            yield from _field(
                item, ident, f"{name}.{key}", old.get(key), new.get(key), version=version
            )
        return
    yield Change(
        change=Kind.CHANGED, item=item, id=ident, field=name, old=old, new=new, version=version
    )


def _summary(item: BaseModel | None, skip: tuple[str, ...] = ()) -> dict[str, Any]:
    """An added or removed item's fields, without those at their defaults."""
    if item is None:
        return {}
    data = plain(item.model_dump(mode="python", exclude_defaults=True, exclude=set(skip)))
    return {k: v for k, v in data.items() if k != "id"}


# --- text ------------------------------------------------------------------------------------


def render_diff(diff: PlanDiff, lang: str = "en") -> str:
    """One line per change, for people, in `lang`; a last line says how many."""
    lines = [_line(change, lang) for change in diff.changes]
    head = " -> ".join(
        t(lang, "diff.side", source=side.source or side.plan_id, version=side.version[:12])
        for side in (diff.old, diff.new)
    )
    if diff.identical:
        return t(lang, "diff.identical", head=head)
    return "\n".join([t(lang, "diff.changes", head=head, count=len(diff.changes)), *lines])


def _line(change: Change, lang: str) -> str:
    who = _who(change, lang)
    if change.change is Kind.ADDED:
        return t(lang, "diff.added", who=who) + _details(change.new, lang)
    if change.change is Kind.REMOVED:
        return t(lang, "diff.removed", who=who) + _details(change.old, lang)
    if change.change is Kind.MOVED:
        return t(
            lang, "diff.moved", who=who, old=_place(change.old, lang), new=_place(change.new, lang)
        )
    if change.change is Kind.REORDERED:
        return t(
            lang,
            "diff.reordered",
            who=who,
            field=change.field,
            order=", ".join(map(str, change.new)),
        )
    note = "" if change.version else t(lang, "diff.publication_only")
    old, new = (
        _shown(v, lang)
        if v is not None or change.field != "countries"
        else t(lang, "diff.every_country")
        for v in (change.old, change.new)
    )
    field = change.field or t(lang, "diff.plan")
    return (
        t(lang, "diff.changed", who=who, field=field, old=old, new=new)
        + _list_change(change, lang)
        + note
    )


def _who(change: Change, lang: str) -> str:
    if change.item is Item.PLAN:
        return t(lang, "diff.plan")
    if change.item is Item.INDICATOR:
        return t(lang, "diff.indicator", activity=change.id, indicator=change.indicator)
    return t(lang, "plan.where.named", kind=phrase(f"plan.kind.{change.item.value}"), id=change.id)


def _place(where: dict[str, Any], lang: str) -> str:
    return t(lang, "diff.place", objective=where["objective"], action_point=where["action_point"])


def _details(summary: Any, lang: str) -> str:
    if not summary:
        return ""
    if isinstance(summary, dict) and "objective" in summary:
        rest = {k: v for k, v in summary.items() if k not in ("objective", "action_point")}
        return t(lang, "diff.in", place=_place(summary, lang)) + _details(rest, lang)
    if isinstance(summary, dict):
        return ": " + ", ".join(f"{k} {_shown(v, lang)}" for k, v in summary.items())
    return f": {_shown(summary, lang)}"


def _shown(value: Any, lang: str) -> str:
    if value is None:
        return t(lang, "diff.none")
    if isinstance(value, list):
        return "[" + ", ".join(_shown(v, lang) for v in value) + "]"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return repr(value) if not value or value.strip() != value or " " in value else value
    return str(value)


def _list_change(change: Change, lang: str) -> str:
    """' (added EAC; removed GOV)' for two lists of ids."""
    if not (isinstance(change.old, list) and isinstance(change.new, list)):
        return ""
    added = [v for v in change.new if v not in change.old]
    removed = [v for v in change.old if v not in change.new]
    parts = ([t(lang, "diff.list_added", ids=", ".join(map(str, added)))] if added else []) + (
        [t(lang, "diff.list_removed", ids=", ".join(map(str, removed)))] if removed else []
    )
    return f" ({'; '.join(parts)})" if parts else ""


# --- JSON Schema -----------------------------------------------------------------------------


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of `--format json` at DIFF_SCHEMA_VERSION."""
    schema = PlanDiff.model_json_schema()
    schema["properties"]["schema_version"] = {
        "const": DIFF_SCHEMA_VERSION,
        "description": "Version of this layout.",
    }
    schema.pop("title")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "What changed between two versions of a plan (matrix plan diff --format json)",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


def diff_files(old_path: Path, new_path: Path) -> PlanDiff:
    """Diff two plan files (YAML or workbook); PlanError when either cannot be read."""
    from matrix.errors import PlanError
    from matrix.plan.load import read_plan

    plans = []
    for path in (old_path, new_path):
        plan, issues = read_plan(path)
        if plan is None:
            raise PlanError(str(path), issues)
        plans.append(plan)
    return diff_plans(*plans, old_source=str(old_path), new_source=str(new_path))
