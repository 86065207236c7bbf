"""Which plan, version, office and period a returned workbook is for: read from its hidden
metadata, never from the file name, checked against the plan in hand and, with the project key,
against the signature written when the matrix was generated.

Every field an office could edit is checked before anything is read or stored: an identity that
fails is not returned at all, so a forged office or period never reaches the store, not even as
the label of a rejected file.
"""

from __future__ import annotations

from datetime import UTC

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


def check_identity(
    plan: Plan, raw: RawWorkbook, file: str, key: ProjectKey | None = None
) -> tuple[Metadata | None, list[Issue]]:
    """The workbook's metadata and any reason it is not a matrix of this plan version. `key` is
    the project key (None: signatures are not checked, for callers without a project).

    Metadata of another plan or plan version is returned with its error, so the result can say
    what the workbook is; an edited or impossible identity is not returned. The caller reads
    values only when there is no error.
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
        return meta, [Code.OTHER_PLAN.issue(file=file, found=identity.plan_id, expected=plan.id, value=identity.plan_id)]
    issues = _signature_issues(meta, key, file)
    expected = plan_index(plan).content_hash
    if identity.plan_hash != expected:
        issues.append(Code.PLAN_VERSION_MISMATCH.issue(
            file=file, generated=identity.generated_at.date(), plan=plan.id,
            found=identity.plan_hash[:12], expected=expected[:12], value=identity.plan_hash,
        ))
        return (None if has_errors(issues[:-1]) else meta), issues
    issues += _field_issues(plan, meta, file)
    return (None if has_errors(issues) else meta), issues


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
            return [Code.METADATA_SIGNATURE_MISSING.issue(
                file=file, generated=identity.generated_at, key=key.path)]
        return [Code.WORKBOOK_UNSIGNED.issue(file=file, office=identity.office, period=identity.period)]
    if key.secret is None:
        return [Code.SIGNATURE_UNVERIFIED.issue(file=file, key=key.path)]
    if not signature_matches(key.secret, signed_content(meta), meta.signature):
        return [Code.METADATA_SIGNATURE_MISMATCH.issue(file=file, key=key.path)]
    return []


def _field_issues(plan: Plan, meta: Metadata, file: str) -> list[Issue]:
    """Language, office and period, each against what the plan and matrix allow."""
    identity = meta.identity
    issues = []
    if identity.lang not in LANGUAGES:
        issues.append(Code.LANGUAGE_UNKNOWN.issue(
            file=file, lang=identity.lang, languages=list(LANGUAGES), value=identity.lang))
    region = plan.region.code if plan.region else None
    offices = set(plan.countries) | ({region} if region else set())
    unknown = [office for office in [identity.office, *meta.matrix_sheets()] if office not in offices]
    if unknown:
        issues.append(Code.OFFICE_NOT_IN_PLAN.issue(file=file, office=unknown[0], plan=plan.id, value=unknown[0]))
    elif reason := _inconsistency(plan, meta, region):
        issues.append(Code.METADATA_INCONSISTENT.issue(file=file, reason=reason, value=identity.office))
    if reason := _period_problem(plan, identity.period):
        issues.append(Code.PERIOD_NOT_IN_PLAN.issue(file=file, period=identity.period, reason=reason,
                                                    value=identity.period))
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
        return phrase("identity.period_not_of_frequency", frequency=frequency_name(frequency),
                      example=EXAMPLES[frequency])
    first, last = Period.parse(plan.reporting.first_period), last_period(plan)
    if period < first:
        return phrase("identity.period_before_first", first=first.id)
    if period > last:
        return phrase("identity.period_after_last", last=last.id)
    return None
