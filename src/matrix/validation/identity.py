"""Which plan, version, office and period a returned workbook is for: read from its hidden
metadata, never from the file name, and checked against the plan in hand."""

from __future__ import annotations

from matrix.codes import Code
from matrix.excel.layout import META_SHEET
from matrix.excel.metadata import Metadata, parse_metadata
from matrix.excel.reader import RawWorkbook
from matrix.models.issues import Issue
from matrix.models.plan import Plan

_HASHES: dict[int, tuple[Plan, str]] = {}


def plan_hash(plan: Plan) -> str:
    """Plan.content_hash(), once per plan object: a batch checks every file against the same plan."""
    cached = _HASHES.get(id(plan))
    if cached is None or cached[0] is not plan:
        _HASHES.clear()  # one plan at a time; holding the plan keeps its id from being reused
        cached = _HASHES[id(plan)] = (plan, plan.content_hash())
    return cached[1]


def check_identity(plan: Plan, raw: RawWorkbook, file: str) -> tuple[Metadata | None, list[Issue]]:
    """The workbook's metadata and any reason it is not a matrix of this plan version.

    Metadata is returned even when it belongs to another plan or version, so the result can say
    what the workbook is; the caller reads values only when there are no issues.
    """
    rows = raw.metadata_rows
    if rows is None:
        return None, [Code.METADATA_MISSING.issue(file=file, sheet_name=META_SHEET)]
    try:
        meta = parse_metadata(rows)
    except ValueError as exc:
        return None, [Code.METADATA_DAMAGED.issue(file=file, reason=str(exc))]
    identity = meta.identity
    if identity.plan_id != plan.id:
        return meta, [Code.OTHER_PLAN.issue(file=file, found=identity.plan_id, expected=plan.id, value=identity.plan_id)]
    expected = plan_hash(plan)
    if identity.plan_hash != expected:
        return meta, [Code.PLAN_VERSION_MISMATCH.issue(
            file=file, generated=identity.generated_at.date().isoformat(), plan=plan.id,
            found=identity.plan_hash[:12], expected=expected[:12], value=identity.plan_hash,
        )]
    offices = set(plan.countries) | ({plan.region.code} if plan.region else set())
    unknown = [office for office in [identity.office, *meta.matrix_sheets()] if office not in offices]
    if unknown:
        return meta, [Code.OFFICE_NOT_IN_PLAN.issue(file=file, office=unknown[0], plan=plan.id, value=unknown[0])]
    return meta, []
