"""Which plan, version, office and period a returned workbook is for: read from its hidden
metadata, never from the file name, checked against the plan in hand and, with the project key,
against the signature written when the matrix was generated.

Every field an office could edit is checked before anything is read or stored: an identity that
fails is not returned at all, so a forged office or period never reaches the store, not even as
the label of a rejected file.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

from matrix.codes import Code
from matrix.excel.layout import META_SHEET
from matrix.excel.metadata import Metadata, MetadataDamaged, parse_metadata, signed_content
from matrix.excel.reader import RawWorkbook
from matrix.i18n import LANGUAGES, Phrase, phrase
from matrix.models.issues import Issue, has_errors
from matrix.models.plan import Plan
from matrix.periods import EXAMPLES, Period, calendar_period, frequency_name, last_period
from matrix.plan import plan_index
from matrix.signing import ProjectKey, signature_matches
from matrix.versions import PlanVersions


def check_identity(
    plan: Plan,
    raw: RawWorkbook,
    file: str,
    key: ProjectKey | None = None,
    versions: PlanVersions | None = None,
) -> tuple[Metadata | None, list[Issue]]:
    """The workbook's metadata and any reason it cannot be read as a return of this plan. `key` is
    the project key (None: signatures are not checked, for callers without a project); `versions`
    the plan versions the project keeps (None: only the plan in hand can be read).

    A matrix of a kept earlier version is a return like any other (checked against that version,
    `own_version`), with a note saying so. Metadata of another plan or of a version not kept is
    returned with its error, so the result can say what the workbook is; an edited or impossible
    identity is not returned. The caller reads values only when there is no error.
    """
    rows = raw.metadata_rows
    if rows is None:
        return None, [Code.METADATA_MISSING.issue(file=file, sheet_name=META_SHEET)]
    try:
        meta = parse_metadata(rows)
    except MetadataDamaged as exc:
        return None, [Code.METADATA_DAMAGED.issue(file=file, reason=exc.reason)]
    identity = meta.identity
    if identity.plan_id != plan.id:
        return meta, [
            Code.OTHER_PLAN.issue(
                file=file, found=identity.plan_id, expected=plan.id, value=identity.plan_id
            )
        ]
    issues = _signature_issues(meta, key, file)
    own = plan
    if identity.plan_hash != plan_index(plan).content_hash:
        issues.append(version := _version_issue(plan, meta, versions, file))
        if version.is_error:
            return (None if has_errors(issues[:-1]) else meta), issues
        own = own_version(plan, meta, versions)
    issues += _field_issues(own, meta, file, calendar=plan)
    return (None if has_errors(issues) else meta), issues


def own_version(plan: Plan, meta: Metadata, versions: PlanVersions | None) -> Plan:
    """The plan version the workbook was generated from: `plan`, or a kept earlier version of it
    (`check_identity` has found it, or refused the workbook)."""
    digest = meta.identity.plan_hash
    if digest == plan_index(plan).content_hash or versions is None:
        return plan
    return versions.plan(digest) or plan


def _version_issue(plan: Plan, meta: Metadata, versions: PlanVersions | None, file: str) -> Issue:
    """A note that the workbook is of a kept earlier version, or why it cannot be read."""
    identity, expected = meta.identity, plan_index(plan).content_hash
    params: dict[str, Any] = {
        "file": file,
        "generated": identity.generated_at.date().isoformat(),
        "plan": plan.id,
        "found": identity.plan_hash[:12],
        "expected": expected[:12],
        "value": identity.plan_hash,
    }
    if versions is None or versions.plan(identity.plan_hash) is None:
        return Code.PLAN_VERSION_UNKNOWN.issue(
            **params,
            where=versions.where if versions else phrase("versions.none_given"),
            period=identity.period,
            office=identity.office,
        )
    found, current = versions.first_used(identity.plan_hash), versions.latest_use(expected)
    if found is not None and current is not None and found > current:
        return Code.PLAN_VERSION_NEWER.issue(
            **params,
            found_since=found.date().isoformat(),
            expected_since=current.date().isoformat(),
        )
    return Code.PLAN_VERSION_EARLIER.issue(**params)


def claimed_language(raw: RawWorkbook) -> str | None:
    """The language the workbook's hidden record gives, when it is one matrix has, even if the
    record fails its checks: harmless to trust, and what the office reads its feedback in."""
    try:
        lang = parse_metadata(raw.metadata_rows or []).identity.lang
    except MetadataDamaged:
        return None
    return lang if lang in LANGUAGES else None


def _signature_issues(meta: Metadata, key: ProjectKey | None, file: str) -> list[Issue]:
    if key is None:
        return []
    identity = meta.identity
    if meta.signature is None:
        if key.secret is None:
            return []
        generated = identity.generated_at
        if generated.tzinfo is None:  # matrix writes UTC with its zone; an edit may drop it
            generated = generated.replace(tzinfo=UTC)
        if key.created is not None and generated >= key.created:
            return [
                Code.METADATA_SIGNATURE_MISSING.issue(
                    file=file, generated=identity.generated_at, key=key.path
                )
            ]
        return [
            Code.WORKBOOK_UNSIGNED.issue(file=file, office=identity.office, period=identity.period)
        ]
    if key.secret is None:
        return [Code.SIGNATURE_UNVERIFIED.issue(file=file, key=key.path)]
    if not signature_matches(key.secret, signed_content(meta), meta.signature):
        return [Code.METADATA_SIGNATURE_MISMATCH.issue(file=file, key=key.path)]
    return []


def _field_issues(plan: Plan, meta: Metadata, file: str, calendar: Plan) -> list[Issue]:
    """Language, office and period, each against what the plan (the workbook's own version) and
    matrix allow; the period against the `calendar` of the plan it is recorded under."""
    identity = meta.identity
    issues = []
    if identity.lang not in LANGUAGES:
        issues.append(
            Code.LANGUAGE_UNKNOWN.issue(
                file=file, lang=identity.lang, languages=list(LANGUAGES), value=identity.lang
            )
        )
    region = plan.region.code if plan.region else None
    offices = set(plan.countries) | ({region} if region else set())
    unknown = [
        office for office in [identity.office, *meta.matrix_sheets()] if office not in offices
    ]
    if unknown:
        issues.append(
            Code.OFFICE_NOT_IN_PLAN.issue(
                file=file, office=unknown[0], plan=plan.id, value=unknown[0]
            )
        )
    elif reason := _inconsistency(plan, meta, region):
        issues.append(
            Code.METADATA_INCONSISTENT.issue(file=file, reason=reason, value=identity.office)
        )
    if reason := _period_problem(calendar, identity.period):
        issues.append(
            Code.PERIOD_NOT_IN_PLAN.issue(
                file=file, period=identity.period, reason=reason, value=identity.period
            )
        )
    return issues


def _inconsistency(plan: Plan, meta: Metadata, region: str | None) -> Phrase | None:
    """Why the office, the regional flag and the matrix sheets cannot all be true, or None. The
    writer gives a national matrix one sheet, its office's; a regional one the region code, with
    a sheet per plan country and one for region-wide rows."""
    identity, sheets = meta.identity, sorted(meta.matrix_sheets())
    if identity.regional:
        if identity.office != region:
            if region:
                return phrase("identity.regional_not_region", office=identity.office, region=region)
            return phrase("identity.regional_no_region", office=identity.office)
        missing = sorted({*plan.countries, region} - set(sheets))
        if missing:
            return phrase("identity.regional_sheets", missing=missing)
        return None
    if identity.office == region:
        return phrase("identity.region_not_regional", office=identity.office)
    if not sheets:
        return phrase("identity.sheet_no_office", office=identity.office)
    if sheets != [identity.office]:
        return phrase("identity.sheet_other_office", office=identity.office, found=sheets)
    return None


def _period_problem(plan: Plan, text: str) -> Phrase | None:
    frequency = plan.reporting.frequency
    period = calendar_period(plan.reporting, text)
    if period is None:
        return phrase(
            "identity.period_not_of_frequency",
            frequency=frequency_name(frequency),
            example=EXAMPLES[frequency],
        )
    first, last = Period.parse(plan.reporting.first_period), last_period(plan)
    if period < first:
        return phrase("identity.period_before_first", first=first.id)
    if period > last:
        return phrase("identity.period_after_last", last=last.id)
    return None
