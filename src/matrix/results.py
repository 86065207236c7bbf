"""What the commands report, as JSON for scripts (`--format json`): one shape per command, each
with a documented, versioned JSON Schema in `docs/schemas/<shape>.v<version>.json`.

The shapes are pydantic models (or the models the commands already print), so the schemas are
generated, never written by hand; a test keeps `docs/schemas/` equal to `schema_text()` and checks
every command's real output against its schema. Regenerate after changing a shape:

    python -m matrix.results docs/schemas

A change that could break a script (a field removed, renamed or retyped) is a new version: a new
file beside the old one, and a new `schema_version` in the objects that carry one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter

from matrix.models.issues import Issue
from matrix.models.returns import ValidationResult
from matrix.store.rows import Outcome

if TYPE_CHECKING:
    from matrix.collect import CollectOutcome
    from matrix.status import HistoryEntry, PeriodStatus
    from matrix.versions import VersionEntry

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://github.com/unhcr/matrix/docs/schemas/"


class PlanReport(BaseModel):
    """`matrix plan check`, `plan export` and `plan import`: every problem of one plan."""

    schema_version: Literal[1] = 1
    plan: str = Field(description="The plan (YAML file or plan workbook) as given.")
    valid: bool = Field(description="No error: the plan can be used (warnings point at gaps).")
    errors: int = Field(description="How many of `issues` are errors.")
    warnings: int = Field(description="How many of `issues` are warnings.")
    issues: list[Issue] = Field(description="Every problem, in line (or sheet and cell) order.")
    written: str | None = Field(
        default=None,
        description="The file `plan export` or `plan import` wrote ('-': standard output); "
        "null for `plan check`, or when the plan could not be read.",
    )


class CollectedFile(BaseModel):
    """One file `matrix collect` judged."""

    file: str = Field(description="The returned workbook, as found under the paths given.")
    office: str | None = Field(description="ISO3 code (or the region code) it reports for.")
    period: str | None = Field(description="The period it reports on, e.g. 2026-Q3.")
    result: Outcome = Field(description="What was done with it.")
    errors: int
    warnings: int
    reason: str | None = Field(description="The first error of a rejected file.")
    submission_id: int | None = Field(description="Its id in the store; null when not recorded.")
    overlaps: list[Issue] = Field(
        description="Rows it and another return that counts report differently (value-overlap)."
    )


class CollectReport(BaseModel):
    """`matrix collect`: what became of every file, in the order collected."""

    schema_version: Literal[1] = 1
    files: int = Field(description="Returned workbooks found under the paths given.")
    counts: dict[Outcome, int] = Field(description="How many files had each result.")
    stopped_by: str | None = Field(
        default=None,
        description="Ctrl-C or SIGTERM when the run was stopped: `outcomes` holds the files "
        "recorded before it (each whole); run the same command again to collect the rest.",
    )
    outcomes: list[CollectedFile]


class GenerateReport(BaseModel):
    """`matrix generate`: the workbooks written."""

    schema_version: Literal[1] = 1
    plan: str = Field(description="The plan the matrices were generated from.")
    period: str = Field(description="The reporting period, e.g. 2026-Q3.")
    workbooks: list[str] = Field(description="Each workbook written, in the plan's office order.")
    key_created: str | None = Field(
        default=None, description="The project key made by this run (back it up); null if none."
    )


def _in_language(issues: Iterable[Issue], lang: str) -> list[Issue]:
    """The issues with their messages in `lang` (code and params stay, for scripts that match)."""
    from matrix.i18n import issue_message

    return [issue.model_copy(update={"message": issue_message(issue, lang)}) for issue in issues]


def plan_report(
    plan: str | Path, issues: list[Issue], written: str | Path | None = None, lang: str = "en"
) -> PlanReport:
    errors = sum(issue.is_error for issue in issues)
    return PlanReport(
        plan=str(plan),
        valid=not errors,
        errors=errors,
        warnings=len(issues) - errors,
        issues=_in_language(issues, lang),
        written=None if written is None else str(written),
    )


def collect_report(
    outcomes: list[CollectOutcome],
    total: int | None = None,
    stopped_by: str | None = None,
    lang: str = "en",
) -> CollectReport:
    from matrix.collect import first_reason

    files = [
        CollectedFile(
            file=str(o.file),
            office=o.office,
            period=o.period,
            result=o.status,
            errors=o.errors,
            warnings=o.warnings,
            reason=first_reason(o, lang),
            submission_id=o.submission_id,
            overlaps=_in_language(o.overlaps, lang),
        )
        for o in outcomes
    ]
    counts = {outcome: sum(o.status is outcome for o in outcomes) for outcome in Outcome}
    return CollectReport(
        files=len(outcomes) if total is None else total,
        counts=counts,
        stopped_by=stopped_by,
        outcomes=files,
    )


def generate_report(
    plan: str | Path, period: object, workbooks: Iterable[Path], key_created: Path | None = None
) -> GenerateReport:
    return GenerateReport(
        plan=str(plan),
        period=str(period),
        workbooks=[str(p) for p in workbooks],
        key_created=None if key_created is None else str(key_created),
    )


def validate_json(results: list[ValidationResult], lang: str = "en") -> list[dict[str, Any]]:
    """`matrix validate`: each file's result, with whether it would be accepted; its issues'
    messages in `lang`, beside their codes and params."""
    return [
        result.model_copy(update={"issues": _in_language(result.issues, lang)}).model_dump(
            mode="json"
        )
        | {"accepted": result.accepted}
        for result in results
    ]


def status_json(found: PeriodStatus) -> dict[str, Any]:
    return found.as_json()


def history_json(entries: list[HistoryEntry], lang: str = "en") -> list[dict[str, Any]]:
    return [entry.as_json(lang) for entry in entries]


def plan_history_json(entries: list[VersionEntry]) -> list[dict[str, Any]]:
    return [entry.as_json() for entry in entries]


def dumps(data: BaseModel | list[Any] | dict[str, Any]) -> str:
    """The JSON text a command prints: indented, non-ASCII kept (names in Arabic stay readable)."""
    if isinstance(data, BaseModel):
        data = data.model_dump(mode="json")
    return json.dumps(data, indent=2, ensure_ascii=False)


# --- the schemas ------------------------------------------------------------------------------


def _model_schema(model: type[BaseModel]) -> dict[str, Any]:
    return model.model_json_schema(mode="serialization")


def _array_of(item: Any, description: str, **added: dict[str, Any]) -> dict[str, Any]:
    """A JSON array of `item` (a model, or any type pydantic can describe), with the item's
    definitions lifted to the top; `added`: properties every printed item carries beyond the
    model's, each required."""
    schema = TypeAdapter(item).json_schema(mode="serialization")
    if added:
        schema["properties"].update(added)
        schema["required"] = [*schema.get("required", []), *added]
    defs = schema.pop("$defs", {})
    return {"type": "array", "items": schema, "$defs": defs, "description": description}


def _validate_schema() -> dict[str, Any]:
    return _array_of(
        ValidationResult,
        "`matrix validate`: one result per returned file, in the order read.",
        accepted={
            "type": "boolean",
            "description": "Read with no error: collect would record it as accepted.",
        },
    )


def _status_schema() -> dict[str, Any]:
    from matrix.status import OfficeStatus

    office = TypeAdapter(OfficeStatus).json_schema(mode="serialization")
    defs = office.pop("$defs", {})
    return {
        "type": "object",
        "description": "`matrix status`: every expected office's return for one period.",
        "properties": {
            "schema_version": {"const": 1, "type": "integer"},
            "period": {"type": "string", "description": "The reporting period, e.g. 2026-Q3."},
            "due": {"type": "string", "format": "date", "description": "When returns were due."},
            "complete": {
                "type": "boolean",
                "description": "Every expected office returned (late counts).",
            },
            "offices": {"type": "array", "items": office},
        },
        "required": ["schema_version", "period", "due", "complete", "offices"],
        "additionalProperties": False,
        "$defs": defs,
    }


def _history_schema() -> dict[str, Any]:
    from matrix.status import HistoryEntry

    return _array_of(HistoryEntry, "`matrix history`: what one office reported, period by period.")


def _plan_history_schema() -> dict[str, Any]:
    from matrix.versions import VersionEntry

    return _array_of(
        VersionEntry,
        "`matrix plan history`: the plan's versions, oldest first, and the current one.",
    )


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "plan-check.v1": lambda: _model_schema(PlanReport),
    "plan-history.v1": _plan_history_schema,
    "generate.v1": lambda: _model_schema(GenerateReport),
    "validate.v1": _validate_schema,
    "collect.v1": lambda: _model_schema(CollectReport),
    "status.v1": _status_schema,
    "history.v1": _history_schema,
}
"""Each shape's schema, by the name of its file in docs/schemas/. `plan diff` and `export --format
json` publish theirs beside the code that makes them (docs/plan-diff.schema.json,
docs/export-json.schema.json)."""


def json_schema(name: str) -> dict[str, Any]:
    schema = SCHEMAS[name]()
    return {"$schema": DIALECT, "$id": f"{BASE_ID}{name}.json", "title": f"matrix {name}", **schema}


def schema_text(name: str) -> str:
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> None:
    """Rewrite every schema file in `folder` (docs/schemas) from the code."""
    from matrix.files import write_text

    for name in SCHEMAS:
        write_text(folder / f"{name}.json", schema_text(name))


if __name__ == "__main__":
    write_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas"))
