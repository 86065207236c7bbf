"""Every problem `matrix` can report: a stable, language-neutral code and its severity.

The message of each code, in every language, is the catalogue's `issue.<code>` (English in
`matrix/locales/en.yaml`); an Issue keeps its parameters, so it can be shown in any language
where it is shown. docs/issue-codes.md is checked against the English catalogue. Add new codes to
the section of the module that reports them, and their message to every catalogue.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from matrix.i18n import DEFAULT_LANG, catalogue, jsonable, phrase, t
from matrix.models.issues import Issue, Severity

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO


class Code(Enum):
    """A rule: `Code.UNKNOWN_ACTOR.issue(file=..., line=..., activity=..., actor=...)` builds the
    Issue."""

    # --- plan file (matrix.plan) -------------------------------------------------------------
    PLAN_EMPTY = ("plan-empty", E)
    PLAN_NOT_MAPPING = ("plan-not-mapping", E)
    PLAN_UNREADABLE = ("plan-unreadable", E)
    YAML_SYNTAX = ("yaml-syntax", E)
    YAML_TOO_DEEP = ("yaml-too-deep", E)
    YAML_ALIAS_EXPANSION = ("yaml-alias-expansion", E)
    YAML_ALIAS_CYCLE = ("yaml-alias-cycle", E)
    DUPLICATE_KEY = ("duplicate-key", E)
    MISSING_FIELD = ("missing-field", E)
    UNKNOWN_FIELD = ("unknown-field", E)
    INVALID_VALUE = ("invalid-value", E)
    INVALID_ID = ("invalid-id", E)
    INVALID_LANGUAGE = ("invalid-language", E)
    NOT_TEXT = ("not-text", E)
    EMPTY_TEXT = ("empty-text", E)
    PLAN_TEXT_TOO_LONG = ("plan-text-too-long", E)
    NOT_A_NUMBER_IN_PLAN = ("number-expected", E)
    NUMBER_TOO_SMALL = ("number-too-small", E)
    NUMBER_TOO_LARGE = ("number-too-large", E)
    NOT_TRUE_FALSE = ("true-or-false-expected", E)
    INVALID_DATE = ("invalid-date", E)
    INVALID_CHOICE = ("invalid-choice", E)
    NOT_A_LIST = ("list-expected", E)
    NOT_A_MAPPING = ("mapping-expected", E)
    LIST_TOO_SHORT = ("list-too-short", E)
    LIST_TOO_LONG = ("list-too-long", E)
    BUDGET_NOT_AN_AMOUNT = ("budget-not-an-amount", E)
    PLAN_COUNTRIES_ALL = ("plan-countries-all", E)
    UNSUPPORTED_SCHEMA = ("unsupported-schema-version", E)
    # --- plan content (matrix.plan.checks) -----------------------------------------------------
    UNKNOWN_FRAMEWORK = ("unknown-framework", E)
    DUPLICATE_ID = ("duplicate-id", E)
    UNKNOWN_ACTOR = ("unknown-actor", E)
    UNKNOWN_ACTION_POINT = ("unknown-action-point", E)
    UNKNOWN_COUNTRY = ("unknown-country", E)
    COUNTRY_NOT_IN_PLAN = ("country-not-in-plan", E)
    UNKNOWN_CURRENCY = ("unknown-currency", E)
    END_BEFORE_START = ("end-before-start", E)
    TARGET_WITHOUT_UNIT = ("target-without-unit", E)
    PERIOD_MISMATCH = ("period-mismatch", E)
    REGIONAL_WITHOUT_REGION = ("regional-without-region", E)
    REGION_NOT_REPORTING = ("region-not-reporting", W)
    EMPTY_ACTION_POINT = ("action-point-without-activity", W)
    ACTIVITY_WITHOUT_INDICATOR = ("activity-without-indicator", W)
    ACTIVITY_WITHOUT_LEAD = ("activity-without-lead", W)
    INDICATOR_WITHOUT_TARGET = ("indicator-without-target", W)
    ACTIVITY_WITHOUT_COUNTRY = ("activity-without-country", W)
    INDICATOR_PERIODS_KIND = ("indicator-periods-kind", E)
    INDICATOR_REGIONAL_KIND = ("indicator-regional-kind", E)
    INDICATOR_CUMULATIVE_CONFLICT = ("indicator-cumulative-conflict", E)
    INDICATOR_DATE_TARGET = ("indicator-date-target", E)
    RATIO_PARTS_MISSING = ("ratio-parts-missing", E)
    RATIO_WITHOUT_RATIO = ("ratio-without-ratio", E)
    RATIO_NOT_PERCENT = ("ratio-not-percent", E)
    RATIO_PART_UNKNOWN = ("ratio-part-unknown", E)
    RATIO_PART_KIND = ("ratio-part-kind", E)
    RATIO_PART_ITSELF = ("ratio-part-itself", E)
    RATIO_PART_COUNTRIES = ("ratio-part-countries", W)
    LANGUAGE_NOT_AVAILABLE = ("language-not-available", E)
    OFFICE_LANGUAGE_NOT_IN_PLAN = ("office-language-not-in-plan", E)
    TRANSLATION_MISSING = ("translation-missing", W)
    GUIDANCE_UNKNOWN_ACTION_POINT = ("guidance-unknown-action-point", E)
    OVERVIEW_HEADING_UNKNOWN = ("overview-heading-unknown", E)
    # --- plan workbook (matrix.plan.workbook) ------------------------------------------------
    NOT_A_PLAN_WORKBOOK = ("not-a-plan-workbook", E)
    PLAN_WORKBOOK_NEWER = ("plan-workbook-newer", E)
    PLAN_SHEET_MISSING = ("plan-sheet-missing", E)
    PLAN_HEADER_MISSING = ("plan-header-missing", E)
    PLAN_SHEET_COLUMN_MISSING = ("plan-sheet-column-missing", E)
    PLAN_SHEET_COLUMN_ABSENT = ("plan-sheet-column-absent", W)
    PLAN_SHEET_COLUMN_UNKNOWN = ("plan-sheet-column-unknown", W)
    PLAN_SETTING_UNKNOWN = ("plan-setting-unknown", W)
    UNKNOWN_CHOICE = ("unknown-choice", E)
    CELL_YAML_INVALID = ("cell-yaml-invalid", E)
    UNKNOWN_REFERENCE = ("unknown-reference", E)
    # --- generate (matrix.generate) ----------------------------------------------------------
    PERIOD_AFTER_ACTIVITIES = ("period-after-activities", W)
    # --- workbook file (matrix.excel.safety) ---------------------------------------------------
    FILE_EMPTY = ("file-empty", E)
    FILE_UNREADABLE = ("file-unreadable", E)
    NOT_A_FILE = ("not-a-file", E)
    LEGACY_XLS = ("legacy-xls", E)
    ENCRYPTED_WORKBOOK = ("encrypted-workbook", E)
    CSV_NOT_WORKBOOK = ("csv-not-workbook", E)
    HTML_NOT_WORKBOOK = ("html-not-workbook", E)
    ODS_NOT_WORKBOOK = ("ods-not-workbook", E)
    XLSB_NOT_WORKBOOK = ("xlsb-not-workbook", E)
    NOT_A_WORKBOOK = ("not-a-workbook", E)
    TRUNCATED_FILE = ("truncated-file", E)
    DAMAGED_FILE = ("damaged-file", E)
    MACRO_ENABLED = ("macro-enabled", E)
    FILE_TOO_LARGE = ("file-too-large", E)
    ZIP_BOMB = ("zip-bomb", E)
    XML_ENTITIES = ("xml-entities", E)
    USED_RANGE_TOO_LARGE = ("used-range-too-large", E)
    CELLS_WITHOUT_REFERENCE = ("cells-without-reference", E)
    WORKBOOK_UNREADABLE = ("workbook-unreadable", E)
    READER_CRASHED = ("reader-crashed", E)
    # --- feedback copies (matrix.annotate) -------------------------------------------------------
    FEEDBACK_COPY = ("feedback-copy", W)
    # --- workbook identity and structure (matrix.validation) -----------------------------------
    VALIDATION_FAILED = ("validation-failed", E)
    METADATA_MISSING = ("metadata-missing", E)
    METADATA_DAMAGED = ("metadata-damaged", E)
    OTHER_PLAN = ("other-plan", E)
    PLAN_VERSION_UNKNOWN = ("plan-version-unknown", E)
    PLAN_VERSION_NEWER = ("plan-version-newer", E)
    # --- plan changes since a return's matrix was generated (matrix.validation.carry) -----------
    PLAN_VERSION_EARLIER = ("plan-version-earlier", I)
    PLAN_ROW_NOT_CARRIED = ("plan-row-not-carried", I)
    PLAN_ROW_ADDED = ("plan-row-added", I)
    PLAN_ROW_RENUMBERED = ("plan-row-renumbered", I)
    PLAN_TARGET_REVISED = ("plan-target-revised", I)
    OFFICE_NOT_IN_PLAN = ("office-not-in-plan", E)
    PERIOD_NOT_IN_PLAN = ("period-not-in-plan", E)
    LANGUAGE_UNKNOWN = ("language-unknown", E)
    METADATA_INCONSISTENT = ("metadata-inconsistent", E)
    METADATA_SIGNATURE_MISMATCH = ("metadata-signature-mismatch", E)
    METADATA_SIGNATURE_MISSING = ("metadata-signature-missing", E)
    WORKBOOK_UNSIGNED = ("workbook-unsigned", W)
    SIGNATURE_UNVERIFIED = ("signature-unverified", W)
    SHEET_MISSING = ("sheet-missing", E)
    SHEET_RENAMED = ("sheet-renamed", W)
    SHEET_UNPROTECTED = ("sheet-unprotected", W)
    HEADER_ROW_MISSING = ("header-row-missing", E)
    COLUMN_MISSING = ("column-missing", E)
    PLAN_COLUMN_MISSING = ("plan-column-missing", W)
    COLUMN_DUPLICATED = ("column-duplicated", E)
    DUPLICATE_REF = ("duplicate-ref", E)
    UNKNOWN_REF = ("unknown-ref", E)
    ROW_WITHOUT_REF = ("row-without-ref", E)
    PLAN_ROW_MISSING = ("plan-row-missing", E)
    DATE_SYSTEM_1904 = ("date-system-1904", W)
    COUNTRY_SHEET_BLANK = ("country-sheet-blank", W)
    LOCKED_CELL_EDITED = ("locked-cell-edited", E)
    # --- workbook values (matrix.validation.rules) ---------------------------------------------
    STATUS_MISSING = ("status-missing", E)
    STATUS_UNKNOWN = ("status-unknown", E)
    ACTUAL_NOT_A_NUMBER = ("actual-not-a-number", E)
    ACTUAL_PERCENT_SIGN = ("actual-percent-sign", E)
    ACTUAL_NOT_WHOLE = ("actual-not-whole", E)
    ACTUAL_NOT_YES_NO = ("actual-not-yes-no", E)
    NOT_A_NUMBER = ("not-a-number", E)
    NUMBER_FROM_TEXT = ("number-from-text", W)
    NUMBER_AMBIGUOUS = ("number-ambiguous", E)
    NUMBER_NEGATIVE = ("number-negative", E)
    CONTROL_CHARACTERS = ("control-characters", W)
    CELL_ERROR = ("cell-error", E)
    DATE_FROM_TEXT = ("date-from-text", W)
    DATE_FROM_NUMBER = ("date-from-number", W)
    NOT_A_DATE = ("not-a-date", E)
    COMMENT_REQUIRED = ("comment-required", E)
    ACTUAL_MISSING = ("actual-missing", W)
    COMPLETED_BELOW_TARGET = ("completed-below-target", W)
    ACTUAL_FAR_ABOVE_TARGET = ("actual-far-above-target", W)
    ACTUAL_BELOW_PREVIOUS = ("actual-below-previous", W)
    NOT_STARTED_WITH_PROGRESS = ("not-started-with-progress", W)
    AT_RISK = ("at-risk", W)
    OVERDUE = ("overdue", W)
    FINISHED_ROW_REOPENED = ("finished-row-reopened", W)
    NO_UPDATE = ("no-update", W)
    NEW_ACTIVITY_TITLE_MISSING = ("new-activity-title-missing", E)
    NEW_ACTIVITY_STATUS_MISSING = ("new-activity-status-missing", E)
    NEW_ACTIVITY_ACTION_POINT = ("new-activity-action-point", W)
    NEW_ACTIVITY_DATES = ("new-activity-dates", W)
    TEXT_TOO_LONG = ("text-too-long", E)
    # --- overview, initiatives and good practices (matrix.validation.narratives) ---------------
    OVERVIEW_HEADING_MISSING = ("overview-heading-missing", E)
    OVERVIEW_TEXT_UNPLACED = ("overview-text-unplaced", E)
    INITIATIVE_REF_MISSING = ("initiative-ref-missing", E)
    INITIATIVE_REF_DUPLICATE = ("initiative-ref-duplicate", E)
    INITIATIVE_TITLE_MISSING = ("initiative-title-missing", E)
    INITIATIVE_ACTION_POINT_MISSING = ("initiative-action-point-missing", E)
    INITIATIVE_ACTION_POINT_UNKNOWN = ("initiative-action-point-unknown", E)
    INITIATIVE_STATUS_MISSING = ("initiative-status-missing", E)
    INITIATIVE_DATES = ("initiative-dates", W)
    GOOD_PRACTICE_SUBJECT_MISSING = ("good-practice-subject-missing", E)
    GOOD_PRACTICE_SUBJECT_UNKNOWN = ("good-practice-subject-unknown", E)
    GOOD_PRACTICE_INITIATIVE_MISSING = ("good-practice-initiative-missing", E)
    GOOD_PRACTICE_PART_MISSING = ("good-practice-part-missing", E)
    # --- store (matrix.store) ------------------------------------------------------------------
    PERIOD_NOT_COLLECTED = ("period-not-collected", E)
    VALUE_OVERLAP = ("value-overlap", W)
    HISTORY_UNAVAILABLE = ("history-unavailable", W)
    STORE_PERIOD_UNUSABLE = ("store-period-unusable", W)
    STORE_VERSIONS_NOT_KEPT = ("store-versions-not-kept", W)

    def __init__(self, slug: str, severity: Severity):
        self.slug = slug
        self.severity = severity

    @property
    def key(self) -> str:
        """The catalogue key of the message."""
        return f"issue.{self.slug}"

    def message(self, lang: str = DEFAULT_LANG, /, **params: Any) -> str:
        return t(lang, self.key, **jsonable(params))

    def issue(
        self,
        *,
        file: str | None = None,
        line: int | None = None,
        sheet: str | None = None,
        cell: str | None = None,
        value: Any = None,
        fix: str | None = None,
        **params: Any,
    ) -> Issue:
        stored = jsonable(params)
        return Issue(
            code=self.slug,
            severity=self.severity,
            message=t(DEFAULT_LANG, self.key, **stored),
            params=stored,
            file=file,
            line=line,
            sheet=sheet,
            cell=cell,
            value=value,
            fix=fix,
        )


def did_you_mean(candidates: Sequence[object]) -> dict[str, object] | str:
    """The '; did you mean ...?' tail of a message, empty when there is nothing to suggest."""
    return phrase("hint.did_you_mean", options=list(candidates)) if candidates else ""


def catalogue_markdown() -> str:
    """docs/issue-codes.md, kept equal to the English catalogue by tests/test_codes.py."""
    lines = [
        "# Issue codes",
        "",
        (
            "Every problem `matrix` reports has one of these stable codes. "
            "Errors block a plan or a return;"
        ),
        (
            "warnings are for a person to read. "
            "Messages are shown in English, French, Spanish or Arabic"
        ),
        (
            "(`--lang`, `MATRIX_LANG`, a workbook's own language for its feedback); "
            "this is the English"
        ),
        "catalogue (`src/matrix/locales/en.yaml`, keys `issue.<code>`); do not edit by hand.",
        "",
        "| code | severity | message |",
        "|---|---|---|",
    ]
    english = catalogue(DEFAULT_LANG)
    for code in Code:
        entry = english[code.key]
        template = (entry["other"] if isinstance(entry, dict) else entry).replace("|", "\\|")
        lines.append(f"| `{code.slug}` | {code.severity.value} | {template} |")
    return "\n".join(lines) + "\n"
