"""The published JSON Schema of `matrix export --format json`, built from the export's columns.

The same text is kept in `docs/export-json.schema.json` for readers and in the package
(`matrix/schemas/export-json.schema.json`) for programs; a test checks both equal `schema_text()`
and that real exports validate against it. Regenerate both after changing the export:

    python -c "from matrix.export_schema import schema_text as s; print(s(), end='')" \\
        | tee docs/export-json.schema.json > src/matrix/schemas/export-json.schema.json
"""

from __future__ import annotations

import json
from typing import Any

from matrix.export import COLUMNS, JSON_SCHEMA_VERSION, JSON_TABLES
from matrix.export_tables import TABLES, ExportColumn
from matrix.export_totals import REGIONAL_COLUMNS, SEMANTICS_COLUMNS
from matrix.models.plan import PeriodRule, RegionalRule, Status, ValueKind
from matrix.models.returns import ProposedActivity
from matrix.status import ReturnState

PACKAGED = "schemas/export-json.schema.json"
PERIOD_PATTERN = r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]|H[12]))?$"

DESCRIPTIONS = {
    "period": "Reporting period: 2026-09 (month), 2026-Q3, 2026-H2 or 2026.",
    "country": "ISO 3166-1 alpha-3 code of the country, or the region code for region-wide rows.",
    "country_name": "Name of the country, or of the region.",
    "action_point": "Id of the framework's action point.",
    "action_point_title": "Title of the action point.",
    "objective": "Id of the plan's objective.",
    "objective_title": "Title of the objective.",
    "activity": "Id of the plan's activity.",
    "activity_title": "Title of the activity.",
    "ref": "Row reference: the activity id, or id.n for its n-th indicator.",
    "lead": "Id of the lead actor; empty when none.",
    "partners": "Ids of the partner actors, comma-separated.",
    "indicator": "Name of the indicator; empty when the activity has none.",
    "unit": "Unit of the indicator.",
    "cumulative": "'yes': the actual value is the total to date; 'no': it is not (see periods).",
    **{c.key: c.description for c in SEMANTICS_COLUMNS},
    "baseline": "Baseline of the indicator.",
    "target": "Target of the indicator for this country (or the region).",
    "start": "Planned start of the activity.",
    "end": "Planned end of the activity.",
    "budget": "Budget of the activity (the whole activity, not this country).",
    "currency": "ISO 4217 currency of the budget; empty without a budget.",
    "status": "Reported status; empty when not reported.",
    "actual": "Reported actual value (a percentage in points, yes 1 and no 0); null when not "
    "reported and for a date indicator.",
    "actual_date": "Reported date of a date indicator; null otherwise.",
    "percent_of_target": "actual / target, as a fraction (0.5 is half); null without both.",
    "funds_secured": "Funds secured, as reported by the office.",
    "comments": "Comments and evidence from the office, as typed.",
    "next_steps": "Next steps, from the office.",
    "support_needed": "Support the office needs.",
    "reported": "When the return that counts for this row was received.",
    "source_file": "File name of that return.",
    "return_state": "The office's return for the period, as `matrix status` and the report say: "
    "returned (on time), late, rejected (only rejected files) or missing.",
    "days_late": "Days after the due date the office's first accepted return (its own, or a "
    "regional workbook that reported for it) was received; null when not late.",
}
"""What each column means; every export column must have one (a test checks)."""

EXTRA: dict[str, dict[str, Any]] = {
    "period": {"pattern": PERIOD_PATTERN},
    "cumulative": {"enum": ["yes", "no", ""]},
    "kind": {"enum": ["", *(k.value for k in ValueKind)]},
    "periods": {"enum": ["", *(r.value for r in PeriodRule)]},
    "regional_total": {"enum": ["", *(r.value for r in RegionalRule)]},
    "status": {"enum": ["", *(s.value for s in Status)]},
    "return_state": {"enum": [s.value for s in ReturnState]},
}
_TYPES: dict[str, dict[str, Any]] = {
    "text": {"type": "string"},
    "number": {"type": ["number", "null"]},
    "money": {"type": ["number", "null"]},
    "percent": {"type": ["number", "null"]},
    "date": {"type": ["string", "null"], "format": "date"},
    "datetime": {"type": ["string", "null"], "format": "date-time"},
    "list": {"type": "array", "items": {"type": "string"}},
    "links": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["text", "url"],
            "additionalProperties": False,
            "properties": {
                "text": {"type": "string"},
                "url": {"type": ["string", "null"], "description": "An http(s) address."},
            },
        },
    },
}
DEFINITIONS = {
    "initiatives": "InitiativeRow",
    "overviews": "OverviewRow",
    "good_practices": "GoodPracticeRow",
}


def json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the JSON export at `JSON_SCHEMA_VERSION`."""
    row = {
        c.key: {"description": DESCRIPTIONS[c.key], **_TYPES[c.kind], **EXTRA.get(c.key, {})}
        for c in COLUMNS
    }
    proposed = ProposedActivity.model_json_schema(ref_template="#/$defs/{model}")
    definitions = proposed.pop("$defs", {})
    proposed_fields = {
        "period": {"type": "string", "pattern": PERIOD_PATTERN, "description": "Reporting period."},
        "office": {
            "type": "string",
            "description": "Office that proposed it (country or region code).",
        },
        **proposed["properties"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "matrix consolidated dataset (matrix export --format json)",
        "description": (
            "One row per country, activity indicator and period, with the plan's fields and the "
            "progress reported, and the new activities offices proposed."
        ),
        "type": "object",
        "required": [
            "schema_version",
            "plan",
            "periods",
            "exported_at",
            "tool_version",
            "rows",
            "proposed_activities",
            "regional_figures",
            *JSON_TABLES,
        ],
        "additionalProperties": False,
        "properties": {
            "schema_version": {
                "const": JSON_SCHEMA_VERSION,
                "description": "Version of this layout.",
            },
            "plan": {
                "type": "object",
                "required": ["id", "title", "version"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string"},
                    "title": {"type": "string"},
                    "version": {
                        "type": "string",
                        "description": "Content hash of the plan version.",
                    },
                },
            },
            "periods": {"type": "array", "items": {"type": "string", "pattern": PERIOD_PATTERN}},
            "exported_at": {"type": "string", "format": "date-time"},
            "tool_version": {
                "type": "string",
                "description": "Version of matrix that wrote the file.",
            },
            "rows": {"type": "array", "items": {"$ref": "#/$defs/Row"}},
            "proposed_activities": {"type": "array", "items": {"$ref": "#/$defs/ProposedRow"}},
            "regional_figures": {"type": "array", "items": {"$ref": "#/$defs/RegionalFigure"}},
            **{
                table: {"type": "array", "items": {"$ref": f"#/$defs/{DEFINITIONS[table]}"}}
                for table in JSON_TABLES
            },
        },
        "$defs": {
            **definitions,
            "Row": {
                "type": "object",
                "required": list(row),
                "additionalProperties": False,
                "properties": row,
            },
            "ProposedRow": {
                "type": "object",
                "description": proposed.get("description", ""),
                "required": list(proposed_fields),
                "additionalProperties": False,
                "properties": proposed_fields,
            },
            **{DEFINITIONS[table]: _table(TABLES[table]) for table in JSON_TABLES},
            "RegionalFigure": _table(REGIONAL_COLUMNS),
        },
    }


def _table(columns: tuple[ExportColumn, ...]) -> dict[str, Any]:
    """One row of an extra table (`matrix.export_tables`), its columns describing themselves."""
    properties = {
        c.key: {"description": c.description, **_TYPES[c.kind], **EXTRA.get(c.key, {})}
        for c in columns
    }
    return {
        "type": "object",
        "required": list(properties),
        "additionalProperties": False,
        "properties": properties,
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
