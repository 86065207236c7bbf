"""What an office writes besides its figures, read from the sheets the hidden record names:
Overview, Initiatives and Good practices. Matrices generated before these sheets existed name
none of them, and are read as before."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from matrix.codes import Code
from matrix.excel.layout import Column, SheetRole
from matrix.excel.reader import RawSheet
from matrix.i18n import t
from matrix.models.returns import Narratives
from matrix.overview import overview_headings
from matrix.plan import plan_index
from matrix.validation import good_practices, initiatives, overview
from matrix.validation.rows import SheetContext
from matrix.validation.structure import Table, read_table

LOOKS_LIKE: dict[str, tuple[Column, ...]] = {
    SheetRole.INITIATIVES.value: initiatives.COLUMNS,
    SheetRole.GOOD_PRACTICES.value: good_practices.COLUMNS,
    SheetRole.OVERVIEW.value: overview.COLUMNS,
}
_NEEDED = {
    SheetRole.INITIATIVES.value: initiatives.NEEDED,
    SheetRole.GOOD_PRACTICES.value: good_practices.NEEDED,
    SheetRole.OVERVIEW.value: overview.NEEDED,
}


def narrative_roles(sheet_roles: Mapping[str, str]) -> list[str]:
    """The narrative sheets a workbook's hidden record names (none in older matrices)."""
    return [role for role in LOOKS_LIKE if role in sheet_roles]


def read_narratives(
    sheets: Mapping[str, RawSheet], activities: dict[str, str], ctx: SheetContext
) -> Narratives:
    """`sheets`: role -> sheet, as located; `activities`: id -> title of the workbook's
    activities."""
    plan = ctx.plan
    tables = {
        role: _table(sheet, role, ctx) for role, sheet in sheets.items() if role in LOOKS_LIKE
    }
    found: dict[str, Any] = {}
    if (table := tables.get(SheetRole.OVERVIEW.value)) is not None:
        found["overview"] = overview.read_overview(table, overview_headings(plan), ctx)
    if (table := tables.get(SheetRole.INITIATIVES.value)) is not None:
        found["initiatives"] = initiatives.read_initiatives(table, plan_index(plan).framework, ctx)
    if (table := tables.get(SheetRole.GOOD_PRACTICES.value)) is not None:
        described = found.get("initiatives", [])
        listed_on = sheets.get(SheetRole.INITIATIVES.value)
        sheet_name = listed_on.name if listed_on else t(ctx.lang, "sheet.initiatives")
        found["good_practices"] = good_practices.read_good_practices(
            table, activities, described, sheet_name, ctx
        )
    return Narratives.model_validate(found)


def required_roles(sheet_roles: Mapping[str, str], ctx: SheetContext) -> frozenset[str]:
    """The Overview sheet must be there when the plan requires a heading."""
    role = SheetRole.OVERVIEW.value
    needed = role in sheet_roles and any(h.required for h in overview_headings(ctx.plan))
    return frozenset({role} if needed else ())


def _table(sheet: RawSheet, role: str, ctx: SheetContext) -> Table | None:
    if not sheet.protected:
        ctx.issues.append(
            Code.SHEET_UNPROTECTED.issue(file=ctx.file, sheet=sheet.name, name=sheet.name)
        )
    return read_table(sheet, LOOKS_LIKE[role], _NEEDED[role], ctx.lang, ctx.file, ctx.issues)
