"""The catalogue of every problem `matrix` can report: stable code, severity, message template.

Tests format these templates instead of copying message text, and the README's list of codes is
checked against this file. Add new codes to the section of the module that reports them.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from matrix.models.issues import Issue, Severity

E, W = Severity.ERROR, Severity.WARNING


class Code(Enum):
    """A rule: `Code.UNKNOWN_ACTOR.issue(file=..., line=..., what=..., actor=...)` builds the Issue."""

    # --- plan file (matrix.plan) -------------------------------------------------------------
    PLAN_EMPTY = ("plan-empty", E, "the plan is empty; start from `matrix init DIR`")
    PLAN_NOT_MAPPING = ("plan-not-mapping", E, "the plan must be a YAML mapping of fields (id:, title:, ...), found {found}")
    PLAN_UNREADABLE = ("plan-unreadable", E, "cannot read the plan: {reason}")
    YAML_SYNTAX = ("yaml-syntax", E, "invalid YAML: {problem}")
    DUPLICATE_KEY = ("duplicate-key", E, "key '{key}' appears twice in the same mapping; keep one")
    MISSING_FIELD = ("missing-field", E, "{where}: required field '{field}' is missing")
    UNKNOWN_FIELD = ("unknown-field", E, "{where}: unknown field '{field}'{hint}")
    INVALID_VALUE = ("invalid-value", E, "{where}: {reason}")
    UNSUPPORTED_SCHEMA = ("unsupported-schema-version", E, "schema_version {found} is not supported; this version of matrix reads schema_version {supported}")
    # --- plan content (matrix.plan_check) ------------------------------------------------------
    UNKNOWN_FRAMEWORK = ("unknown-framework", E, "framework '{name}' is not built in{hint}; built-in frameworks: {known}")
    DUPLICATE_ID = ("duplicate-id", E, "{kind} id '{id}' is used more than once (first at line {first_line}); ids must be unique")
    UNKNOWN_ACTOR = ("unknown-actor", E, "{what}: {role} '{actor}' is not among the actors{hint}")
    UNKNOWN_ACTION_POINT = ("unknown-action-point", E, "objective {objective}: action point '{ref}' is not in framework '{framework}'{hint}")
    UNKNOWN_COUNTRY = ("unknown-country", E, "'{code}' is not an ISO 3166-1 alpha-3 country code{hint}")
    COUNTRY_NOT_IN_PLAN = ("country-not-in-plan", E, "activity {activity}: country '{code}' is not among the plan's countries ({countries}); add it to `countries:`")
    UNKNOWN_CURRENCY = ("unknown-currency", E, "'{code}' is not an ISO 4217 currency code{hint}")
    END_BEFORE_START = ("end-before-start", E, "activity {activity}: end {end} is before start {start}")
    TARGET_WITHOUT_UNIT = ("target-without-unit", E, "activity {activity}: indicator '{indicator}' has a target but no unit; add `unit:` (e.g. people, sessions, reports)")
    PERIOD_MISMATCH = ("period-mismatch", E, "reporting.first_period '{period}' does not match frequency {frequency}; write it like '{example}'")
    REGIONAL_WITHOUT_REGION = ("regional-without-region", E, "a {scope} plan needs `region:` with a code and a name, used to name its regional matrix")
    EMPTY_ACTION_POINT = ("action-point-without-activity", W, "action point {ap} ({title}) has no activity: a gap in the plan")
    ACTIVITY_WITHOUT_INDICATOR = ("activity-without-indicator", W, "activity {activity} has no indicator, so its progress cannot be measured")
    ACTIVITY_WITHOUT_LEAD = ("activity-without-lead", W, "activity {activity} has no lead actor")
    INDICATOR_WITHOUT_TARGET = ("indicator-without-target", W, "activity {activity}: indicator '{indicator}' has no target")
    ACTIVITY_WITHOUT_COUNTRY = ("activity-without-country", W, "activity {activity} applies to no country and is not regional, so no matrix will show it")
    # --- workbook file (matrix.excel.safety) ---------------------------------------------------
    # --- workbook identity and structure (matrix.validation) -----------------------------------
    # --- workbook values (matrix.validation.rules) ---------------------------------------------
    # --- store (matrix.store) ------------------------------------------------------------------
    PERIOD_NOT_COLLECTED = ("period-not-collected", E, "this return is for period {found}, not {expected}; collect it with --period {found} or without --period")

    def __init__(self, slug: str, severity: Severity, template: str):
        self.slug = slug
        self.severity = severity
        self.template = template

    def message(self, **params: Any) -> str:
        return self.template.format(**params)

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
        return Issue(
            code=self.slug,
            severity=self.severity,
            message=self.message(**params),
            file=file,
            line=line,
            sheet=sheet,
            cell=cell,
            value=value,
            fix=fix,
        )


def did_you_mean(candidates: list[str]) -> str:
    """The '; did you mean ...?' tail of a message, empty when there is nothing to suggest."""
    if not candidates:
        return ""
    quoted = " or ".join(f"'{c}'" for c in candidates)
    return f"; did you mean {quoted}?"
