"""A small regional plan whose indicators declare every kind and rule, for the semantics tests:
three countries, one activity with an indicator per rule."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

COUNTRIES = ["KEN", "TZA", "UGA"]

INDICATORS: list[dict[str, Any]] = [
    # A1.1 .. A1.11, in this order
    {
        "name": "Officials trained",
        "unit": "people",
        "target": 100,
        "kind": "count",
        "periods": "cumulative",
        "regional_total": "sum",
    },
    {
        "name": "Sessions held",
        "unit": "sessions",
        "target": 10,
        "kind": "count",
        "periods": "per_period",
        "regional_total": "sum",
    },
    {
        "name": "Days to register",
        "unit": "days",
        "target": 5,
        "kind": "number",
        "periods": "mean",
        "regional_total": "mean",
    },
    {
        "name": "Peak shelter occupancy",
        "unit": "beds",
        "target": 500,
        "kind": "number",
        "periods": "max",
        "regional_total": "max",
    },
    {"name": "People referred", "unit": "people", "target": 200, "kind": "count"},
    {"name": "People needing protection", "unit": "people", "target": 60, "kind": "count"},
    {
        "name": "Share needing protection",
        "unit": "%",
        "target": 30,
        "kind": "percent",
        "periods": "latest",
        "regional_total": "ratio",
        "numerator": "A1.6",
        "denominator": "A1.5",
    },
    {"name": "Share of staff trained", "unit": "%", "target": 80, "periods": "latest"},
    {"name": "Law adopted", "target": 1, "kind": "yes_no", "periods": "latest"},
    {
        "name": "Lowest stock",
        "unit": "weeks",
        "target": 10,
        "kind": "number",
        "periods": "latest",
        "regional_total": "min",
    },
    {"name": "Plan adopted on", "kind": "date", "periods": "latest", "regional_total": "max"},
    {"name": "Budget spent", "unit": "USD", "target": 1000, "kind": "currency"},
]


def plan_data(indicators: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "id": "semantics-test",
        "title": "Semantics test plan",
        "scope": "regional",
        "region": {"code": "EAST", "name": "East Africa"},
        "countries": COUNTRIES,
        "reporting": {"frequency": "quarterly", "first_period": "2026-Q3"},
        "actors": [{"id": "UNHCR", "name": "UNHCR", "type": "un_agency"}],
        "iati": {"reporting_org": {"ref": "XM-DAC-41121", "type": 40, "name": "UNHCR"}},
        "objectives": [
            {
                "id": "O1",
                "action_point": 1,
                "title": "Cooperation",
                "activities": [
                    {
                        "id": "A1",
                        "title": "Joint work",
                        "lead": "UNHCR",
                        "indicators": copy.deepcopy(
                            INDICATORS if indicators is None else indicators
                        ),
                        "start": "2026-07-01",
                        "end": "2027-06-30",
                    }
                ],
            }
        ],
    }


def write_plan(folder: Path, data: dict[str, Any] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "plan.yaml"
    path.write_text(yaml.safe_dump(data or plan_data(), sort_keys=False), encoding="utf-8")
    return path
