"""A plan workbook -> the plan, or every problem in it by sheet and cell, all at once.

The workbook is read as returns are (the safety scan, then calamine): it may have travelled by
e-mail. Sheets and columns are found by their names in any catalogue language. Each cell is read
by its kind (`cells`), the plan assembled as plan.yaml would give it, and checked with the same
schema and cross-reference checks as a YAML plan, every finding placed at its cell. A row whose
values do not fit the schema is still checked against the others (built without validation from
what could be read), and a cell already found wrong gets no second finding, so one mistake is
reported once, where it is.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from matrix.codes import Code, did_you_mean
from matrix.excel.addresses import column_letters, row_and_column
from matrix.excel.reader import RawSheet, RawWorkbook, WorkbookReadError, read_workbook
from matrix.i18n import LANGUAGES, Phrase, normalise, phrase, t
from matrix.models.issues import Issue, has_errors
from matrix.models.plan import (
    SCHEMA_VERSION,
    ActionPoint,
    Activity,
    Actor,
    Indicator,
    Objective,
    Plan,
)
from matrix.plan.workbook import layout
from matrix.plan.workbook.cells import BLANK, BookConventions, Problem, read_cell
from matrix.plan.workbook.layout import (
    SETTING_COLUMNS,
    Column,
    Kind,
    Role,
    Table,
)
from matrix.validation.values import removed_character_issues

Path_ = tuple[str | int, ...]
HEADER_SEARCH = 10
"""Rows searched for a table's header row, in case rows were inserted above it."""
REQUIRED = (
    Role.PLAN,
    Role.COUNTRIES,
    Role.ACTORS,
    Role.OBJECTIVES,
    Role.ACTIVITIES,
    Role.INDICATORS,
)
"""Sheets a plan workbook must have; without Action points the plan uses a built-in framework."""
MODELS: dict[Role, type[BaseModel]] = {
    Role.ACTORS: Actor,
    Role.ACTION_POINTS: ActionPoint,
    Role.OBJECTIVES: Objective,
    Role.ACTIVITIES: Activity,
    Role.INDICATORS: Indicator,
}
CHILDREN: dict[type[BaseModel], tuple[str, type[BaseModel]]] = {
    Plan: ("objectives", Objective),
    Objective: ("activities", Activity),
    Activity: ("indicators", Indicator),
}
"""Where each model keeps the items of the next sheet down."""


def read_plan_workbook(path: Path) -> tuple[Plan | None, list[Issue]]:
    """The plan in a plan workbook, and every issue found; the plan is None when there are errors
    in its schema or cells (cross-reference errors still give it, as a YAML plan's do)."""
    try:
        raw = read_workbook(Path(path))
    except WorkbookReadError as exc:
        return None, exc.issues
    return _Reader(raw, str(path)).read()


class CellMap:
    """Where each value of the plan was read: path in the plan -> sheet and cell."""

    def __init__(self) -> None:
        self._cells: dict[Path_, tuple[str, str | None]] = {}

    def record(self, path: Path_, sheet: str, cell: str | None, *, first: bool = False) -> None:
        """`first`: keep an earlier place (a part of the plan is placed at its first row)."""
        if not first or path not in self._cells:
            self._cells[path] = (sheet, cell)

    def _find(self, path: Path_) -> tuple[str, str | None] | None:
        for end in range(len(path), -1, -1):
            if (found := self._cells.get(tuple(path[:end]))) is not None:
                return found
        return None

    def place(self, path: Path_) -> dict[str, Any]:
        found = self._find(path)
        return {"sheet": found[0], "cell": found[1]} if found else {}

    def describe(self, path: Path_) -> Phrase | str:
        found = self._find(path)
        if found is None:
            return phrase("plan.where.another_row")
        sheet, cell = found
        return f"{sheet}!{cell}" if cell else sheet


@dataclass
class _Row:
    number: int
    """Excel row, 1-based."""
    values: dict[str, Any]
    """Field -> value for every cell that could be read and is not blank."""
    cells: dict[str, str]
    """Field -> A1 reference, for every column of the table found in the sheet."""


@dataclass
class _Reader:
    raw: RawWorkbook
    file: str
    issues: list[Issue] = field(default_factory=list)
    cells: CellMap = field(default_factory=CellMap)
    tables: dict[Role, list[_Row]] = field(default_factory=dict)
    orphans: set[str] = field(default_factory=set)
    """Ids of rows naming a parent that is not there; their own rows are not reported again."""

    def __post_init__(self) -> None:
        self.meta = self._metadata()
        lang = self.meta.get("lang", "en")
        self.conventions = BookConventions(
            lang if lang in LANGUAGES else "en", date1904=self.raw.date1904
        )
        self.sheets = self._locate()
        self.names = {role: sheet.name for role, sheet in self.sheets.items()}

    # --- the whole plan ---------------------------------------------------------------------

    def read(self) -> tuple[Plan | None, list[Issue]]:
        from matrix.plan.checks import check_plan
        from matrix.plan.schema import schema_errors, schema_issue

        refused = self._refusal()
        if refused is not None:
            return None, [refused]
        data = _strip_paths(self._data())
        unread = has_errors(self.issues)  # cells that could not be read: the plan is incomplete
        plan = checked = None
        try:
            plan = checked = Plan.model_validate(data)
        except ValidationError as exc:
            self.issues += self._once(
                [
                    schema_issue(error, data, file=self.file, **self.cells.place(error.at))
                    for error in schema_errors(exc, data)
                ]
            )
            checked = _checkable(data, exc)
        if checked is not None:
            self.issues += self._once(check_plan(checked, self.cells, self.file))
        self.issues += removed_character_issues(self.raw, self.file)
        return None if unread else plan, sorted(self.issues, key=self._order)

    def _refusal(self) -> Issue | None:
        from matrix.excel.layout import META_SHEET as MATRIX_META

        if (found := self.meta.get("format", "")).isdigit() and int(found) > layout.FORMAT:
            return Code.PLAN_WORKBOOK_NEWER.issue(
                file=self.file, found=found, supported=layout.FORMAT
            )
        if MATRIX_META in self.raw.sheets:
            return Code.NOT_A_PLAN_WORKBOOK.issue(
                file=self.file, what=phrase("plan_workbook.what.matrix")
            )
        if not self.meta and Role.PLAN not in self.sheets:
            return Code.NOT_A_PLAN_WORKBOOK.issue(
                file=self.file, what=phrase("plan_workbook.what.other")
            )
        return None

    def _data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"schema_version": _schema_version(self.meta.get("schema_version"))}
        framework = self._settings(data)
        countries = [row for row in self._rows(layout.COUNTRIES) if "code" in row.values]
        data["countries"] = [row.values["code"] for row in countries]
        for i, row in enumerate(countries):
            self.cells.record(("countries", i), self.names[Role.COUNTRIES], row.cells["code"])
        data["actors"] = self._items(layout.ACTORS, ("actors",))
        action_points = self._items(layout.ACTION_POINTS, ("framework", "action_points"))
        if action_points or framework.get("title"):
            data["framework"] = {
                "id": framework.get("id"),
                "title": framework.get("title"),
                "action_points": action_points,
            }
            data["framework"] = {k: v for k, v in data["framework"].items() if v is not None}
        elif framework.get("id") is not None:
            data["framework"] = framework["id"]
        data["objectives"] = self._objectives()
        return data

    # --- the Plan sheet ----------------------------------------------------------------------

    def _settings(self, data: dict[str, Any]) -> dict[str, Any]:
        """Read every setting into `data`; the framework's (name or own id, title) apart."""
        framework: dict[str, Any] = {}
        sheet = self.sheets.get(Role.PLAN)
        if sheet is None:
            return framework
        self.cells.record((), sheet.name, None)
        columns = self._header(sheet, Role.PLAN, _setting_headers(), ("value",))
        if columns is None or "value" not in columns[1]:
            return framework
        header, found = columns
        by_key = {s.key: s for s in layout.SETTINGS}
        by_label = {_norm(s.label(lang)): s for s in layout.SETTINGS for lang in LANGUAGES}
        seen: set[str] = set()
        for r in range(header + 1, len(sheet.rows) + 1):
            key_text = str(sheet.value(r, found["key"] + 1) if "key" in found else "").strip()
            label_text = str(
                sheet.value(r, found["setting"] + 1) if "setting" in found else ""
            ).strip()
            raw = sheet.value(r, found["value"] + 1)
            setting = by_key.get(key_text) or (
                by_label.get(_norm(label_text)) if not key_text else None
            )
            cell = f"{column_letters(found['value'] + 1)}{r}"
            if setting is None:
                if key_text and not _blank(raw):
                    guess = difflib.get_close_matches(key_text, list(by_key), n=1, cutoff=0.6)
                    self._add(
                        Code.PLAN_SETTING_UNKNOWN,
                        sheet,
                        f"A{r}",
                        key=key_text,
                        hint=did_you_mean(guess),
                    )
                continue
            if setting.key in seen:
                self._add(Code.DUPLICATE_KEY, sheet, cell, key=setting.key)
                continue
            seen.add(setting.key)
            for end in range(1, len(setting.path) + 1):  # a part is placed at its first row
                self.cells.record(setting.path[:end], sheet.name, cell, first=True)
            value = self._cell(sheet, cell, raw, setting.kind, setting.choices)
            if setting.path == layout.FRAMEWORK:
                self.cells.record(("framework", "id"), sheet.name, cell)
                framework["id"] = None if value is BLANK else value
            elif setting.path == layout.FRAMEWORK_TITLE:
                framework["title"] = None if value is BLANK else value
            elif value is not BLANK:
                target = data
                for part in setting.path[:-1]:
                    target = target.setdefault(part, {})
                target[setting.path[-1]] = value
        return framework

    # --- table sheets --------------------------------------------------------------------------

    def _items(self, table: Table, prefix: Path_) -> list[dict[str, Any]]:
        rows = self._rows(table)
        if table.role in self.names:
            self.cells.record(prefix, self.names[table.role], None)
        for i, row in enumerate(rows):
            self._place(row, table, (*prefix, i))
        return [row.values for row in rows]

    def _objectives(self) -> list[dict[str, Any]]:
        objectives = self._items(layout.OBJECTIVES, ("objectives",))
        activities = self._children(
            layout.ACTIVITIES, objectives, "objectives", "activities", Role.OBJECTIVES
        )
        self._children(layout.INDICATORS, activities, "activities", "indicators", Role.ACTIVITIES)
        return objectives

    def _children(
        self,
        table: Table,
        parents: list[dict[str, Any]],
        parent_kind: str,
        field_name: str,
        parent_role: Role,
    ) -> list[dict[str, Any]]:
        """Attach each row of `table` to the parent it names; rows naming no parent are errors."""
        by_id: dict[str, dict[str, Any]] = {}
        for parent in parents:
            if isinstance(parent.get("id"), str):
                by_id.setdefault(parent["id"], parent)
        placed: list[dict[str, Any]] = []
        parent_field = table.parent
        assert parent_field is not None, "a table of children names its parent's column"
        for row in self._rows(table):
            ref = row.values.pop(parent_field, None)
            found = by_id.get(ref) if isinstance(ref, str) else None
            if found is None:
                if ref is not None and ref not in self.orphans:  # a row under an orphan: said once
                    self._unknown_parent(
                        table, row, row.cells[parent_field], ref, list(by_id), parent_role
                    )
                if isinstance(row.values.get("id"), str):
                    self.orphans.add(row.values["id"])
                continue
            children = found.setdefault(field_name, [])
            children.append(row.values)
            self._place(row, table, (*found["_path"], field_name, len(children) - 1))
            placed.append(row.values)
        return placed

    def _unknown_parent(
        self, table: Table, row: _Row, cell: str, ref: str, known: list[str], parent_role: Role
    ) -> None:
        guess = [k for k in known if k.lower() == ref.lower()] or difflib.get_close_matches(
            ref, known, n=1
        )
        kind = phrase(
            "plan.kind.objective" if parent_role is Role.OBJECTIVES else "plan.kind.activity"
        )
        item = (
            row.values.get("id")
            or row.values.get("name")
            or phrase("plan.where.row", row=row.number)
        )
        own = "plan.kind.activity" if table.role is Role.ACTIVITIES else "plan.kind.indicator"
        what = phrase("plan.where.named", kind=phrase(own), id=item)
        self._add(
            Code.UNKNOWN_REFERENCE,
            self.sheets[table.role],
            cell,
            what=what,
            kind=kind,
            ref=ref,
            sheet_name=self.names.get(parent_role, parent_role.value),
            hint=did_you_mean(guess),
            fix=guess[0] if guess else None,
        )

    def _place(self, row: _Row, table: Table, path: Path_) -> None:
        sheet = self.names[table.role]
        self.cells.record(path, sheet, row.cells.get("id") or next(iter(row.cells.values()), None))
        for key, cell in row.cells.items():
            self.cells.record((*path, key), sheet, cell)
        row.values["_path"] = path  # removed before validation (`_strip_paths`)

    def _rows(self, table: Table) -> list[_Row]:
        """The table's rows with a value, read by column kind (once per table)."""
        if table.role in self.tables:
            return self.tables[table.role]
        self.tables[table.role] = rows = list[_Row]()
        sheet = self.sheets.get(table.role)
        if sheet is None:
            return rows
        headers = _table_headers(table)
        required = tuple(c.key for c in table.read_columns if c.required)
        columns = self._header(sheet, table.role, headers, required, table=table)
        if columns is None:
            return rows
        header, found = columns
        read = [
            (key, index, column)
            for key, index in found.items()
            if (column := _column(table, key)) is not None and not column.derived
        ]
        for r in range(header + 1, len(sheet.rows) + 1):
            cells = sheet.rows[r - 1]
            if all(_blank(cells[i]) if i < len(cells) else True for _, i, _ in read):
                continue
            row = _Row(r, {}, {})
            for key, index, column in read:
                cell = f"{column_letters(index + 1)}{r}"
                row.cells[key] = cell
                raw = cells[index] if index < len(cells) else ""
                value = self._cell(sheet, cell, raw, column.kind, column.choices)
                if value is not BLANK:
                    row.values[key] = value
            rows.append(row)
        return rows

    def _header(
        self,
        sheet: RawSheet,
        role: Role,
        headers: dict[str, str],
        required: tuple[str, ...],
        table: Table | None = None,
    ) -> tuple[int, dict[str, int]] | None:
        """(header row, field -> 0-based column) of a sheet; issues for columns missing or
        unknown."""
        best: dict[str, int] = {}
        best_row = 0
        for r in range(1, min(len(sheet.rows), HEADER_SEARCH) + 1):
            found: dict[str, int] = {}
            for c, text in enumerate(sheet.rows[r - 1]):
                if (key := headers.get(_norm(text))) is not None:
                    found.setdefault(key, c)
            if len(found) > len(best):
                best, best_row = found, r
        if not best:
            names = ", ".join(_labels(role, required, table))
            self._add(Code.PLAN_HEADER_MISSING, sheet, None, name=sheet.name, columns=names)
            return None
        lang = self.conventions.lang
        for key in required:
            if key not in best:
                self._add(
                    Code.PLAN_SHEET_COLUMN_MISSING,
                    sheet,
                    f"A{best_row}",
                    name=sheet.name,
                    column=_labels(role, (key,), table, lang)[0],
                )
        if table is not None:
            for column in table.read_columns:
                if column.key not in best and not column.required:
                    self._add(
                        Code.PLAN_SHEET_COLUMN_ABSENT,
                        sheet,
                        f"A{best_row}",
                        name=sheet.name,
                        column=column.label(role, lang),
                    )
            known = [column.label(role, lang) for column in table.columns]
            for c, text in enumerate(sheet.rows[best_row - 1]):
                if not _blank(text) and _norm(text) not in headers:
                    guess = difflib.get_close_matches(str(text).strip(), known, n=1, cutoff=0.6)
                    self._add(
                        Code.PLAN_SHEET_COLUMN_UNKNOWN,
                        sheet,
                        f"{column_letters(c + 1)}{best_row}",
                        name=sheet.name,
                        column=str(text).strip(),
                        hint=did_you_mean(guess),
                    )
        return best_row, best

    def _cell(self, sheet: RawSheet, cell: str, raw: Any, kind: Kind, choices: Any) -> Any:
        """The cell's value; one it cannot read is reported and kept as typed, so the schema
        check that follows finds it wrong at the same cell (and is not reported twice)."""
        try:
            reading = read_cell(raw, kind, choices, self.conventions)
        except Problem as problem:
            self._add(problem.code, sheet, cell, value=_jsonable(raw), **problem.params)
            return raw
        if reading.warning is not None:
            code, params = reading.warning
            self._add(code, sheet, cell, value=_jsonable(raw), **params)
        return reading.value

    # --- checks -------------------------------------------------------------------------------

    def _once(self, issues: list[Issue]) -> list[Issue]:
        """Findings of the schema or the checks, less those at a cell that has an error already."""
        wrong = {(i.sheet, i.cell) for i in self.issues if i.is_error and i.cell}
        return [i for i in issues if (i.sheet, i.cell) not in wrong or not i.cell]

    # --- sheets and metadata --------------------------------------------------------------------

    def _metadata(self) -> dict[str, str]:
        sheet = self.raw.sheets.get(layout.META_SHEET)
        if sheet is None:
            return {}
        return {
            str(row[0]).strip(): str(row[1]).strip()
            for row in sheet.rows
            if len(row) >= 2 and row[0]
        }

    def _locate(self) -> dict[Role, RawSheet]:
        """Each role's sheet: by the name the metadata gives, else by its name in any language."""
        found: dict[Role, RawSheet] = {}
        by_name = {_norm(name): sheet for name, sheet in self.raw.sheets.items()}
        for role in layout.SHEETS:
            named = self.meta.get(f"sheet.{role}")
            sheet = self.raw.sheets.get(named) if named else None
            if sheet is None:
                names = [_norm(t(lang, f"plan_workbook.sheet.{role}")) for lang in LANGUAGES]
                sheet = next((by_name[n] for n in [*names, _norm(role)] if n in by_name), None)
            if sheet is not None:
                found[role] = sheet
        if self.meta or Role.PLAN in found:
            lang = self.conventions.lang
            for role in REQUIRED:
                if role not in found:
                    name = t(lang, f"plan_workbook.sheet.{role}")
                    self.issues.append(
                        Code.PLAN_SHEET_MISSING.issue(
                            file=self.file,
                            name=name,
                            what=phrase(f"plan_workbook.sheet.{role}"),
                        )
                    )
        return found

    def _add(self, code: Code, sheet: RawSheet | None, cell: str | None, **params: Any) -> None:
        self.issues.append(
            code.issue(file=self.file, sheet=sheet.name if sheet else None, cell=cell, **params)
        )

    def _order(self, issue: Issue) -> tuple[int, int, int]:
        sheets = list(self.raw.sheets)
        index = sheets.index(issue.sheet) if issue.sheet in sheets else -1
        row, column = row_and_column(issue.cell) if issue.cell else (0, 0)
        return index, row, column


def _checkable(data: dict[str, Any], error: ValidationError) -> Plan | None:
    """The plan built for the cross-reference checks although some rows do not fit the schema:
    those rows without validation, their wrong optional values left out. None when the plan's
    own settings are wrong: the checks would only repeat them."""
    from matrix.plan.schema import clean_loc

    bad: dict[Path_, set[str]] = {}
    for err in error.errors():
        path = clean_loc(err["loc"], data)
        item = _item_path(path)
        if item is None:
            return None
        bad.setdefault(item, set()).add(str(path[len(item)]) if len(path) > len(item) else "")
    built = {
        key: [_built(model, values, (key, i), bad) for i, values in enumerate(data.get(key, []))]
        for key, model in (("actors", Actor), ("objectives", Objective))
    }
    try:
        return Plan.model_validate({**data, **built})
    except ValidationError:
        return None


def _item_path(path: Path_) -> Path_ | None:
    """The row (actor, objective, activity, indicator) a schema error is in; None outside rows."""
    if len(path) < 2 or path[0] not in ("actors", "objectives") or not isinstance(path[1], int):
        return None
    end = 2
    while (
        end + 1 < len(path)
        and path[end] in ("activities", "indicators")
        and isinstance(path[end + 1], int)
    ):
        end += 2
    return tuple(path[:end])


def _built(
    model: type[BaseModel], values: dict[str, Any], path: Path_, bad: dict[Path_, set[str]]
) -> BaseModel:
    """`values` as `model` for the checks: validated when they fit, else constructed from the
    fields that could be read (required ones as typed, or a stand-in naming the row)."""
    values = dict(values)
    if model in CHILDREN:
        name, child = CHILDREN[model]
        values[name] = [
            _built(child, v, (*path, name, i), bad) for i, v in enumerate(values.get(name, []))
        ]
    fields = bad.get(path)
    if fields is None:
        return model.model_validate(values)
    kept = {
        k: v for k, v in values.items() if k not in fields or model.model_fields[k].is_required()
    }
    for key, info in model.model_fields.items():
        if info.is_required() and key not in kept:
            kept[key] = f"#{int(path[-1]) + 1}" if key == "id" else ""
    return model.model_construct(**kept)


def _strip_paths(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_paths(v) for k, v in value.items() if k != "_path"}
    if isinstance(value, list):
        return [_strip_paths(v) for v in value]
    return value


def _schema_version(text: str | None) -> Any:
    return int(text) if text and text.isdigit() else SCHEMA_VERSION


def _column(table: Table, key: str) -> Column | None:
    return next((c for c in table.columns if c.key == key), None)


def _table_headers(table: Table) -> dict[str, str]:
    return {
        _norm(text): c.key
        for c in table.columns
        for text in (c.key, *(c.label(table.role, lang) for lang in LANGUAGES))
    }


def _setting_headers() -> dict[str, str]:
    return {
        _norm(text): key
        for key, _ in SETTING_COLUMNS
        for text in (key, *(t(lang, f"plan_workbook.column.plan.{key}") for lang in LANGUAGES))
    }


def _labels(role: Role, keys: tuple[str, ...], table: Table | None, lang: str = "en") -> list[str]:
    if table is None:
        return [t(lang, f"plan_workbook.column.plan.{key}") for key in keys]
    return [c.label(role, lang) for key in keys if (c := _column(table, key)) is not None]


def _norm(text: Any) -> str:
    return normalise(str(text)) if not _blank(text) else ""


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _jsonable(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool) or value is None else str(value)
