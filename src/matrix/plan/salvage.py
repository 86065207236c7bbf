"""Check what can be checked in a plan whose schema failed, so every problem is told in one run.

The values that failed are replaced by a stand-in (an id by the one it was probably meant to be) or
left out (an optional field, a list item), the plan is validated again, and the cross-reference
checks run over the result. A check whose finding would only repeat a schema problem is skipped:
nothing under a value that failed, no "unknown actor" when the actors failed as a whole, no action
point findings when the framework failed. Findings keep the lines of the plan as written.
"""

from __future__ import annotations

import copy
from typing import Any

from pydantic import ValidationError

from matrix.codes import Code
from matrix.models.plan import Actor, Objective, Plan, Reporting
from matrix.plan.lines import LineMap, Path_
from matrix.plan.schema import (
    SchemaError,
    field_guess,
    key_in,
    owners,
    schema_errors,
    suggest_id,
    value_at,
)

MAX_ROUNDS = 8
"""Validations after the first: each repairs what the one before found (a list emptied by a removed
item, say); a plan beyond this many is not checked further."""

_STAND_INS: dict[tuple[type, str], Any] = {
    (Plan, "schema_version"): 1,
    (Plan, "scope"): "national",
    (Plan, "countries"): ["ZZZ"],
    (Plan, "reporting"): {"frequency": "quarterly", "first_period": "2026-Q1"},
    (Plan, "actors"): [{"id": "stand-in", "name": "stand-in", "type": "ngo"}],
    (Actor, "type"): "ngo",
    (Reporting, "frequency"): "quarterly",
    (Reporting, "first_period"): "2026-Q1",
    (Objective, "action_point"): "stand-in",
}
"""Values that stand in for a required value that failed; ids, codes, names and titles have theirs
made from what was written."""

_WHOLE = {
    Code.UNKNOWN_ACTOR: ("actors",),
    Code.COUNTRY_NOT_IN_PLAN: ("countries",),
}
"""A finding skipped when the list it checks against failed as a whole."""
_ANY_UNDER = {
    Code.UNKNOWN_ACTION_POINT: ("framework",),
    Code.GUIDANCE_UNKNOWN_ACTION_POINT: ("framework",),
    Code.EMPTY_ACTION_POINT: ("framework",),
    Code.PERIOD_MISMATCH: ("reporting",),
    Code.REGIONAL_WITHOUT_REGION: ("region",),
}
"""A finding skipped when anything under the section it depends on failed."""

_GONE = object()
"""A list item left out: kept in place while repairing, so paths stay those of the plan as
written."""


class Unsalvageable(Exception):
    """A schema error with no stand-in and nothing to leave out (the plan itself is not a
    mapping)."""


class Salvage:
    """The plan as written with every value that failed repaired, and where each failure was."""

    def __init__(self, data: dict, lines: LineMap) -> None:
        self.work = copy.deepcopy(data)
        self.lines = lines
        self.failed: set[Path_] = set()
        self.left_out_ids: dict[Path_, set[str]] = {}
        """Ids of list items left out, by list (the actors): references to them are not unknown."""
        self.written: dict[str, str] = {}
        """An id's stand-in -> the id as written, so findings name things as the plan does."""

    # --- where things are ---------------------------------------------------------------------

    def original(self, path: Path_) -> Path_:
        """The path in the plan as written of `path` in the repaired plan (items left out shift
        the positions after them)."""
        out: list[str | int] = []
        node: Any = self.work
        for step in path:
            if isinstance(node, list) and isinstance(step, int):
                kept = [i for i, item in enumerate(node) if item is not _GONE]
                if step >= len(kept):
                    return (*out, step)
                step = kept[step]
                node = node[step]
            else:
                key = key_in(node, step)
                node = node[key] if key is not None else None
            out.append(step)
        return tuple(out)

    def line(self, path: Path_) -> int | None:
        return self.lines.line(self.original(path))

    def under_failed(self, path: Path_) -> bool:
        """True when `path` (in the repaired plan) is a value that failed, or inside one."""
        where = self.original(path)
        return any(where[: len(f)] == f for f in self.failed)

    def skips(self, code: Code, path: Path_) -> bool:
        """True when the finding `code` at `path` (in the repaired plan) would only repeat a schema
        problem already reported."""
        if self.under_failed(path):
            return True
        if (whole := _WHOLE.get(code)) is not None and whole in self.failed:
            return True
        section = _ANY_UNDER.get(code)
        if section is not None and any(f[: len(section)] == section for f in self.failed):
            return True
        return code is Code.EMPTY_ACTION_POINT and any(_hides_gaps(f) for f in self.failed)

    def as_written(self, value: object) -> object:
        """A finding's parameter naming a stand-in ('A1-1', 'activity A1-1') as the plan wrote
        it."""
        if isinstance(value, str):
            head, _, ident = value.rpartition(" ")
            if ident in self.written:
                return f"{head} {self.written[ident]}".strip()
        return value

    def known_ids(self, list_path: Path_) -> set[str]:
        return self.left_out_ids.get(list_path, set())

    # --- repairing ----------------------------------------------------------------------------

    def repaired(self) -> Any:
        """The repaired plan data, with the items left out gone."""

        def compact(node: Any) -> Any:
            if isinstance(node, dict):
                return {key: compact(value) for key, value in node.items()}
            if isinstance(node, list):
                return [compact(item) for item in node if item is not _GONE]
            return node

        return compact(self.work)

    def repair(self, error: SchemaError) -> None:
        """Repair the value `error` is about (its path in the repaired plan)."""
        path = self.original(error.path)
        if error.type == "extra_forbidden":
            guess = field_guess(path, str(path[-1]))
            self._delete(path)
            if guess:  # 'leed:' is not also "no lead actor"
                self.failed.add((*path[:-1], guess[0]))
            return
        self._fail(path)

    def _fail(self, path: Path_) -> None:
        found = owners(path)
        if not found:
            raise Unsalvageable(path)
        i, model, field = found[-1]
        field_path, rest = path[: i + 1], path[i + 1 :]
        if rest:  # an item of the field's list or mapping
            self._delete(field_path + rest[:1])
            return
        self.failed.add(field_path)
        value = value_at(self.work, field_path)
        if (model, field) in _STAND_INS:
            self._set(field_path, copy.deepcopy(_STAND_INS[model, field]))
        elif field in ("id", "code"):
            stand_in = suggest_id(value if value is not None else "-".join(map(str, field_path)))
            self._set(field_path, stand_in)
            if value is not None:
                self.written[stand_in] = str(value)
        elif field in ("title", "name"):
            self._set(field_path, "stand-in")
        elif not model.model_fields[field].is_required():
            self._delete(field_path)
        else:
            self._fail(path[:i])

    def _parent(self, path: Path_) -> tuple[Any, Any]:
        parent = value_at(self.work, path[:-1])
        if not isinstance(parent, dict | list):
            raise Unsalvageable(path)
        return parent, key_in(parent, path[-1])

    def _set(self, path: Path_, value: Any) -> None:
        parent, key = self._parent(path)
        parent[path[-1] if key is None else key] = value

    def _delete(self, path: Path_) -> None:
        parent, key = self._parent(path)
        self.failed.add(path)
        if key is None:
            return
        if isinstance(parent, list):
            item = parent[key]
            ident = item.get("id") if isinstance(item, dict) else item
            if isinstance(ident, str):
                self.left_out_ids.setdefault(path[:-1], set()).add(ident.strip())
            parent[key] = _GONE
        else:
            del parent[key]


def _hides_gaps(failed: Path_) -> bool:
    """An objective, its action point or its activities failed: its action point may not be a
    gap."""
    if failed[:1] != ("objectives",):
        return False
    return (
        len(failed) <= 2
        or failed[2] == "action_point"
        or (failed[2] == "activities" and len(failed) <= 4)
    )


def salvage(data: dict, errors: list[SchemaError], lines: LineMap) -> tuple[Plan, Salvage] | None:
    """The plan with every failed value repaired, and where the failures were; None when it cannot
    be repaired (then the schema problems are all there is to report)."""
    salvaged = Salvage(data, lines)
    try:
        for _ in range(MAX_ROUNDS):
            for error in errors:
                salvaged.repair(error)
            repaired = salvaged.repaired()
            try:
                return Plan.model_validate(repaired), salvaged
            except ValidationError as exc:
                errors = schema_errors(exc, repaired)
    except Unsalvageable:
        return None
    return None
