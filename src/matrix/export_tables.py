"""The dataset's tables beside its rows: the activities offices propose for the plan, the
initiatives outside it they list, their overviews of each period and the good practices they
describe, one row per item with the period and office it came from (the offices' current returns
only). `matrix export` writes them as extra sheets (xlsx) and arrays (json), or, with `--table`,
one of them as the whole file (csv, hxl)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from matrix.models.plan import Plan
from matrix.models.returns import Narratives, ProposedActivity
from matrix.overview import overview_headings
from matrix.plan import plan_index
from matrix.store import Store


@dataclass(frozen=True)
class ExportColumn:
    key: str
    hxl: str
    kind: str = "text"  # text | number | money | date | datetime | percent | list | links
    width: float = 14
    description: str = ""
    """What the column means (the dataset's own rows are described in `matrix.export_schema`)."""


Row = dict[str, Any]


_WHERE = (
    ExportColumn(
        "period", "#date+period", width=9, description="Period of the return it came from."
    ),
    ExportColumn(
        "office",
        "#country+code",
        width=8,
        description="ISO 3166-1 alpha-3 code of the office, or the region code.",
    ),
    ExportColumn(
        "office_name", "#country+name", width=16, description="Name of the country or region."
    ),
)
_AREA = (
    ExportColumn("action_point", "#sector+code", width=8, description="Id of its action point."),
    ExportColumn(
        "action_point_title", "#sector+name", width=28, description="Title of the action point."
    ),
)

TABLES: dict[str, tuple[ExportColumn, ...]] = {
    "proposed": (
        *_WHERE,
        _AREA[0],
        ExportColumn(
            "title", "#activity+name", width=40, description="The activity, as the office named it."
        ),
        ExportColumn(
            "lead", "#org+lead", width=12, description="Lead actor, as the office gave it."
        ),
        ExportColumn(
            "partners", "#org+partner", width=18, description="Partners, as the office gave them."
        ),
        ExportColumn(
            "indicator", "#indicator+name", width=24, description="Indicator, when given."
        ),
        ExportColumn("unit", "#indicator+unit", width=10, description="Unit of the indicator."),
        ExportColumn("target", "#targeted+num", "number", 9, "Target, when given."),
        ExportColumn("start", "#date+start", "date", 11, "Planned start, when given."),
        ExportColumn("end", "#date+end", "date", 11, "Planned end, when given."),
        ExportColumn(
            "status", "#status", width=12, description="Reported status; empty when none."
        ),
        ExportColumn("actual", "#reached+num", "number", 9, "Value reached, when given."),
        ExportColumn(
            "comments", "#meta+comments", width=40, description="Comments from the office."
        ),
    ),
    "initiatives": (
        *_WHERE,
        ExportColumn(
            "ref", "#activity+code", width=6, description="The office's number for it (I1, ...)."
        ),
        ExportColumn("title", "#activity+name", width=40, description="The initiative or project."),
        *_AREA,
        ExportColumn(
            "actors", "#org+impl", width=30, description="Who runs it (government, NGOs, others)."
        ),
        ExportColumn("start", "#date+start", "date", 11, "When it started, when given."),
        ExportColumn(
            "end", "#date+end", "date", 11, "When it ends; empty when open-ended or not given."
        ),
        ExportColumn("status", "#status", width=12, description="Its status."),
        ExportColumn(
            "comments", "#meta+comments", width=40, description="Comments from the office."
        ),
    ),
    "overviews": (
        *_WHERE,
        ExportColumn(
            "heading", "#meta+heading+code", width=18, description="Id of the overview heading."
        ),
        ExportColumn(
            "heading_title", "#meta+heading+name", width=28, description="The heading's title."
        ),
        ExportColumn(
            "text", "#description", width=80, description="What the office wrote under it."
        ),
    ),
    "good_practices": (
        *_WHERE,
        *_AREA,
        ExportColumn(
            "activity",
            "#activity+code",
            width=10,
            description="The plan activity it describes; empty for an initiative.",
        ),
        ExportColumn(
            "initiative",
            "#activity+code+initiative",
            width=8,
            description="Or the office's initiative it describes (I1, ...).",
        ),
        ExportColumn("title", "#activity+name", width=36, description="Title of the practice."),
        ExportColumn(
            "background",
            "#description+background",
            width=50,
            description="A. Background and rationale.",
        ),
        ExportColumn("actors", "#org+impl", "list", 30, "B. Actors."),
        ExportColumn("actions", "#description+actions", "list", 50, "C. Actions."),
        ExportColumn(
            "review", "#description+review", width=50, description="D. Review: results and lessons."
        ),
        ExportColumn(
            "further_information", "#meta+url", "links", 40, "E. Further information (links)."
        ),
    ),
}
"""Table name -> its columns, for every format (the json export's schema is built from them)."""


def table_rows(plan: Plan, store: Store, periods: list[str], table: str) -> list[Row]:
    """The rows of `table` for `periods`, by period then office."""
    if table == "proposed":
        return _proposed(plan, store, periods)
    make = {"initiatives": _initiatives, "overviews": _overviews, "good_practices": _practices}[
        table
    ]
    rows = []
    for stored in sorted(store.narratives(plan, periods), key=lambda s: periods.index(s.period)):
        where = {
            "period": stored.period,
            "office": stored.office,
            "office_name": plan_index(plan).office_name(stored.office),
        }
        rows += [where | row for row in make(plan, stored.narratives)]
    return rows


def flat(value: Any) -> Any:
    """A list cell as text for a spreadsheet or CSV: one item per line; a link as 'text: url'."""
    if isinstance(value, list):
        return "\n".join(str(flat(item)) for item in value)
    if isinstance(value, dict):
        return f"{value['text']}: {value['url']}" if value.get("url") else value["text"]
    return value


def _area(plan: Plan, ref: str | None) -> dict[str, str]:
    ap = plan_index(plan).framework.action_point(ref) if ref else None
    return {"action_point": ap.id if ap else "", "action_point_title": ap.title if ap else ""}


def _proposed(plan: Plan, store: Store, periods: list[str]) -> list[Row]:
    keys = [c.key for c in TABLES["proposed"]]
    rows = []
    for period in periods:
        for office, fields in store.proposed(plan, period):
            try:
                item = ProposedActivity.model_validate(fields).model_dump()
            except ValidationError:
                continue  # a row too damaged to export; validation reported it
            item["status"] = item["status"].value if item["status"] else ""
            where = {
                "period": period,
                "office": office,
                "office_name": plan_index(plan).office_name(office),
            }
            rows.append({key: value for key, value in (where | item).items() if key in keys})
    return rows


def _initiatives(plan: Plan, narratives: Narratives) -> list[Row]:
    return [
        {
            "ref": i.ref,
            "title": i.title,
            **_area(plan, i.action_point),
            "actors": i.actors,
            "start": i.start,
            "end": i.end,
            "status": i.status.value if i.status else "",
            "comments": i.comments,
        }
        for i in narratives.initiatives
    ]


def _overviews(plan: Plan, narratives: Narratives) -> list[Row]:
    titles = {h.id: h.label("en") for h in overview_headings(plan)}
    return [
        {"heading": o.heading, "heading_title": titles.get(o.heading, o.heading), "text": o.text}
        for o in narratives.overview
    ]


def _practices(plan: Plan, narratives: Narratives) -> list[Row]:
    initiatives = {i.ref: i for i in narratives.initiatives}
    objectives = {a.id: o for o, a in plan.activities()}
    rows = []
    for p in narratives.good_practices:
        if p.activity_id in objectives:
            area = _area(plan, str(objectives[p.activity_id].action_point))
        else:
            area = _area(
                plan,
                initiatives[p.initiative_ref].action_point
                if p.initiative_ref in initiatives
                else None,
            )
        rows.append(
            {
                **area,
                "activity": p.activity_id or "",
                "initiative": p.initiative_ref or "",
                "title": p.title,
                "background": p.background,
                "actors": p.actors,
                "actions": p.actions,
                "review": p.review,
                "further_information": [link.model_dump() for link in p.further_information],
            }
        )
    return rows
