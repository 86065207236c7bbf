"""One returned workbook -> ValidationResult: safety, identity, structure, values, new activities.

`validate_file` never raises for a bad file: whatever is wrong becomes an issue with a file,
sheet and cell, and a message that says what to do.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from matrix.annotate import feedback_source
from matrix.codes import Code
from matrix.excel.addresses import row_and_column
from matrix.excel.layout import NEW_ACTIVITY_COLUMNS, SheetRole, matrix_columns
from matrix.excel.metadata import Metadata, matrix_role
from matrix.excel.reader import RawWorkbook, WorkbookReadError, read_workbook
from matrix.excel.safety import file_digest, scan_file
from matrix.gcpause import cycle_collection_paused
from matrix.i18n import t
from matrix.models.issues import Issue, has_errors
from matrix.models.plan import Plan
from matrix.models.returns import History, ValidationResult
from matrix.periods import Period
from matrix.plan import plan_index
from matrix.signing import ProjectKey
from matrix.validation.carry import Carry
from matrix.validation.history import history_issues
from matrix.validation.identity import check_identity, claimed_language, own_version
from matrix.validation.narratives import (
    LOOKS_LIKE,
    narrative_roles,
    read_narratives,
    required_roles,
)
from matrix.validation.new_activities import read_new_activities
from matrix.validation.rows import NEEDED, SheetContext, read_matrix_sheet
from matrix.validation.structure import locate_sheets, read_table
from matrix.validation.values import removed_character_issues
from matrix.versions import PlanVersions


def validate_file(
    plan: Plan,
    path: Path,
    *,
    previous: History | None = None,
    key: ProjectKey | None = None,
    versions: PlanVersions | None = None,
) -> ValidationResult:
    """Everything wrong with one returned workbook, and what it reports. `previous` is what the
    store accepted for its rows before (`Store.earlier`), for the previous-period checks; `key`
    is the project key its signature is checked with (None: not checked); `versions` the plan
    versions kept, which a matrix of an earlier version is read against before its rows are
    carried onto `plan` (None: only matrices of `plan` itself are read). The previous-period
    checks run on the rows as carried, against `plan`."""
    path = Path(path)
    result = ValidationResult(file=str(path))
    with cycle_collection_paused():  # 5 % of the CPU of a 300-row return, 14 % of a 3,000-row one
        return _validate(plan, path, result, previous, key, versions)


def _validate(
    plan: Plan,
    path: Path,
    result: ValidationResult,
    previous: History | None,
    key: ProjectKey | None,
    versions: PlanVersions | None,
) -> ValidationResult:
    try:
        scan = scan_file(path)
        if scan.content is not None:
            result.sha256, result.size = hashlib.sha256(scan.content).hexdigest(), len(scan.content)
        elif (digest := file_digest(path)) is not None:  # too large to scan, still recorded
            result.sha256, result.size = digest
        if scan.content is not None and (source := feedback_source(scan.content)) is not None:
            result.skipped = True
            result.issues = [Code.FEEDBACK_COPY.issue(file=result.file, source=source)]
            return result
        raw = read_workbook(path, scan)
    except WorkbookReadError as exc:
        result.issues = exc.issues
        return result
    issues: list[Issue] = []
    result._sheets = tuple(raw.sheets)
    try:
        meta, issues = check_identity(plan, raw, result.file, key, versions)
        result.identity = meta.identity if meta else None
        result.lang = meta.identity.lang if meta else claimed_language(raw)
        if meta is not None and not has_errors(issues):
            own = own_version(plan, meta, versions)
            earlier = (own, plan, versions) if own is not plan else None
            _read_contents(own, raw, meta, result, issues, earlier)
    except WorkbookReadError as exc:  # calamine reads sheets on first use
        issues = [*issues, *exc.issues]
    except Exception as exc:  # noqa: BLE001 - one file's surprise must not stop a batch of returns
        issues = [
            *issues,
            Code.VALIDATION_FAILED.issue(file=result.file, reason=f"{type(exc).__name__}: {exc}"),
        ]
    if scan.forbidden_characters:
        issues = [*issues, *removed_character_issues(raw, result.file)]
    if previous:
        issues = [*issues, *history_issues(plan, result, previous)]
    result.issues = sorted(issues, key=_position(result._sheets))
    return result


def with_previous(plan: Plan, result: ValidationResult, previous: History) -> ValidationResult:
    """`result` as `validate_file(plan, file, previous=previous)` would have made it, without
    reading the file again: the previous-period checks applied to the rows already read.
    `matrix collect` learns a return's period by reading it, and only then which history
    applies."""
    found = history_issues(plan, result, previous)
    if not found:
        return result
    # sorted as validate_file sorts: stable, so each comes after the cell's own reading issues
    return result.model_copy(
        update={"issues": sorted([*result.issues, *found], key=_position(result._sheets))}
    )


def _read_contents(
    plan: Plan,
    raw: RawWorkbook,
    meta: Metadata,
    result: ValidationResult,
    issues: list[Issue],
    earlier: tuple[Plan, Plan, PlanVersions | None] | None,
) -> None:
    """Read the workbook against `plan`, its own version; `earlier` (that version, the current
    plan, the versions kept) when it is not the current one, to carry its rows onto it."""
    identity, file = meta.identity, result.file
    offices = meta.matrix_sheets()
    region = plan.region.code if plan.region else None
    columns = matrix_columns(plan)
    matrix_roles = [matrix_role(office) for office in offices]
    narratives = narrative_roles(meta.sheets)
    roles = [*matrix_roles, SheetRole.NEW_ACTIVITIES.value, *narratives]
    looks_like = {role: columns for role in matrix_roles} | LOOKS_LIKE
    looks_like[SheetRole.NEW_ACTIVITIES.value] = NEW_ACTIVITY_COLUMNS
    new_sheet = meta.sheets.get(SheetRole.NEW_ACTIVITIES.value) or t(
        identity.lang, "sheet.new_activities"
    )
    ctx = SheetContext(
        plan, file, identity.lang, raw.date1904, new_sheet, issues, Period.parse(identity.period)
    )
    carry = Carry(*earlier, ctx) if earlier else None
    required = frozenset(matrix_roles) | required_roles(meta.sheets, ctx)
    sheets = locate_sheets(
        raw, meta.sheets, roles, looks_like, identity.lang, file, issues, required=required
    )
    for office in offices:
        sheet = sheets.get(matrix_role(office))
        if sheet is None:
            continue
        if not sheet.protected:
            issues.append(
                Code.SHEET_UNPROTECTED.issue(file=file, sheet=sheet.name, name=sheet.name)
            )
        table = read_table(sheet, columns, NEEDED, identity.lang, file, issues)
        if table is None:
            continue
        result._input_columns += ((sheet.name, table.letter("status"), table.letter("actual")),)
        sheet_office = None if identity.regional and office == region else office
        rows = plan_index(plan).rows(sheet_office)
        first_issue = len(issues)
        read = read_matrix_sheet(table, office, matrix_role(office), rows, meta.fingerprints, ctx)
        if identity.regional and office != region and read and all(row.blank for row in read):
            # a regional workbook reports for the countries whose sheets it filled
            issues[first_issue:] = [
                i for i in issues[first_issue:] if i.code != Code.STATUS_MISSING.slug
            ]
            issues.append(
                Code.COUNTRY_SHEET_BLANK.issue(file=file, sheet=sheet.name, country=office)
            )
            continue
        result.rows += carry.sheet(table, sheet_office, read) if carry else read
    if (sheet := sheets.get(SheetRole.NEW_ACTIVITIES.value)) is not None:
        table = read_table(
            sheet,
            NEW_ACTIVITY_COLUMNS,
            frozenset({"activity", "status"}),
            identity.lang,
            file,
            issues,
        )
        if table is not None:
            result.proposed = read_new_activities(table, plan_index(plan).framework, ctx)
    if narratives:
        index = plan_index(plan)
        activities = {
            row.activity.id: row.activity.title
            for office in offices
            for row in index.rows(None if identity.regional and office == region else office)
        }
        result.narratives = read_narratives(sheets, activities, ctx)


def _position(sheets: tuple[str, ...]):
    """Sort key for issues: file-level first, then sheet in workbook order, row, column."""
    order = {name: index for index, name in enumerate(sheets)}

    def key(issue: Issue) -> tuple[int, int, int]:
        if issue.sheet is None:
            return (-1, 0, 0)
        return (order.get(issue.sheet, len(order)), *row_and_column(issue.cell or ""))

    return key
