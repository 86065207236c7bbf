"""`matrix demo`: the whole cycle on the bundled Dar es Salaam example, in one folder.

Plan, generate every office's matrix for two quarters, fill them in as offices would (with openpyxl,
from a seeded random generator, so every run gives the same figures), collect them into a store
with the dates they "arrived", write feedback copies of the rejected ones, and render the report.

The offices make the mistakes real offices make: a number typed as text, a delay left unexplained,
a target changed in a locked cell; one office is late and the regional bureau misses the second
quarter. The example plan ships inside the package (`matrix/demo_data/`), so the demo works from a
plain `pip install`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING, Any

from matrix.demo_narratives import header_columns, write_narratives
from matrix.errors import MatrixError
from matrix.excel import layout
from matrix.excel.metadata import parse_metadata
from matrix.files import write_file, write_text
from matrix.i18n import localised_action_point_label, status_label, t
from matrix.models.plan import Activity, Plan, Status
from matrix.periods import Period, due_date
from matrix.plan import PlanRow, plan_index

if TYPE_CHECKING:
    from matrix.store import StoreLocation

PLAN_RESOURCE = "demo_data/dar-es-salaam-action-plan.yaml"
PERIODS = ("2026-Q3", "2026-Q4")
SEED = 2026
REPORT_AT = datetime(2027, 2, 3, 9, 0, tzinfo=UTC)
"""When the demo's report says it was generated: fixed, so two runs give the same file."""

DELAY_REASONS = {
    "en": (
        "Funding for the second phase has not arrived yet.",
        "The ministry asked to postpone until after the elections.",
        "Partner staff were redeployed to the emergency response in the north.",
        "Procurement of equipment took longer than planned.",
    ),
    "fr": (
        "Le financement de la deuxième phase n'est pas encore arrivé.",
        "Le ministère a demandé de reporter après les élections.",
        "Le personnel des partenaires a été redéployé vers l'intervention d'urgence dans le nord.",
        "L'achat du matériel a pris plus de temps que prévu.",
    ),
}
"""What the offices write, in the language their matrix is in (the demo's offices work in English
and French)."""
EVIDENCE = {
    "en": {
        "people": "Attendance lists and activity reports on file.",
        "reports": "Published on the regional data portal.",
        "meetings": "Minutes shared with all partners.",
        "dialogues": "Minutes shared with all partners.",
        "border points": "Figures from the border monitoring database.",
        "contacts": "Figures from the case management database.",
    },
    "fr": {
        "people": "Listes de présence et rapports d'activité disponibles.",
        "reports": "Publié sur le portail régional de données.",
        "meetings": "Comptes rendus transmis à tous les partenaires.",
        "contacts": "Chiffres tirés de la base de gestion des cas.",
    },
}
"""What an office names as evidence, by indicator unit (as the plan writes it); other units get a
generic note."""
GENERIC_EVIDENCE = {
    "en": "Working group met twice this quarter; minutes shared.",
    "fr": "Le groupe de travail s'est réuni deux fois ce trimestre ; comptes rendus transmis.",
}
NEXT_STEPS = {
    "en": ("Second session planned for next quarter.", "Validation workshop with partners.", ""),
    "fr": (
        "Deuxième session prévue le trimestre prochain.",
        "Atelier de validation avec les partenaires.",
        "",
    ),
}
SUPPORT = {
    "en": (
        "Interpretation for two languages.",
        "Technical review of the draft by UNHCR.",
        "",
        "",
        "",
    ),
    "fr": (
        "Interprétation en deux langues.",
        "Relecture technique du projet par le HCR.",
        "",
        "",
        "",
    ),
}
ABOUT = {"en": "about {n:.0f}", "fr": "environ {n:.0f}"}
"""A number typed with words around it, the demo's commonest mistake."""


@dataclass(frozen=True)
class Mistake:
    """A slip an office makes in one return; the office sends a corrected file `fixed_after` days
    later, or never when None."""

    office: str
    period: str
    kind: str  # "number-as-text", "number-with-separator", "unexplained-delay" or "edited-target"
    fixed_after: int | None


MISTAKES = (
    Mistake("MOZ", "2026-Q3", "number-as-text", fixed_after=3),
    Mistake(
        "BDI", "2026-Q3", "number-as-text", fixed_after=2
    ),  # in French: its feedback copy is too
    Mistake("KEN", "2026-Q4", "unexplained-delay", fixed_after=4),
    Mistake("ETH", "2026-Q4", "edited-target", fixed_after=None),
    Mistake("MOZ", "2026-Q4", "number-with-separator", fixed_after=None),  # read with a warning
)
LATE = {("ZAF", "2026-Q4"): 12}
"""(office, period) -> days after the due date the return arrives."""
MISSING = {("EHAGL", "2026-Q4")}
PROPOSED: dict[tuple[str, str], dict[str, Any]] = {
    ("KEN", "2026-Q4"): {
        "action_point": "CAP",
        "activity": "Training of border and immigration officials on mixed movements",
        "lead": "IOM",
        "partners": "GOV",
        "indicator": "Officials trained",
        "unit": "people",
        "target": 60,
        "status": Status.ON_TRACK,
        "actual": 25,
        "comments": "Funded by a bilateral donor; started in November.",
    },
}


@dataclass
class DemoSummary:
    """Where `run_demo` put everything, and how the returns fared."""

    directory: Path
    plan: Path
    store: Path | StoreLocation
    """The SQLite file in the folder, or the store given with --store."""
    report: Path
    compendium: Path
    key: Path
    matrices: list[Path] = field(default_factory=list)
    returns: list[Path] = field(default_factory=list)
    feedback: list[Path] = field(default_factory=list)
    accepted: int = 0
    rejected: int = 0

    def render(self, lang: str = "en") -> str:
        """Where everything is, one line each, for the terminal, in `lang`."""
        rows = [
            (self.plan.name, t(lang, "demo.plan")),
            (
                "matrices/",
                t(lang, "demo.matrices", count=len(self.matrices), periods=list(PERIODS)),
            ),
            (
                "returns/",
                t(
                    lang,
                    "demo.returns",
                    count=len(self.returns),
                    accepted=self.accepted,
                    rejected=self.rejected,
                ),
            ),
            ("feedback/", t(lang, "demo.feedback", count=len(self.feedback))),
            (
                self.store.name if isinstance(self.store, Path) else str(self.store),
                t(lang, "demo.store"),
            ),
            (
                self.key.name if self.key.parent == self.directory else str(self.key),
                t(lang, "demo.key"),
            ),
            (self.report.name, t(lang, "demo.report", period=PERIODS[-1])),
            (self.compendium.name, t(lang, "demo.compendium")),
        ]
        width = max(len(name) for name, _ in rows) + 2
        lines = [t(lang, "demo.title", path=self.directory)]
        lines += [f"  {name:<{width}}{what}" for name, what in rows]
        lines += [
            "",
            t(lang, "demo.open", path=self.report, compendium=self.compendium),
            f"  cd {self.directory} && matrix status --period {PERIODS[-1]}",
        ]
        return "\n".join(lines)


def run_demo(directory: str | Path, *, seed: int = SEED, store: str | None = None) -> DemoSummary:
    """Run the whole cycle in `directory` (created; it must be empty or absent), collecting into
    `store` (a path or URL; it must hold nothing for the demo's plan) or DIR/matrix.sqlite."""
    from matrix.compendium import make_compendium
    from matrix.plan import load_plan
    from matrix.report.source import make_report
    from matrix.signing import ensure_key, find_key
    from matrix.store import Store, StoreLocation

    directory = Path(directory)
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise MatrixError("error.demo_folder_taken", path=directory)
    directory.mkdir(parents=True, exist_ok=True)
    plan_path = directory / "plan.yaml"
    write_text(plan_path, files("matrix").joinpath(PLAN_RESOURCE).read_text(encoding="utf-8"))
    plan = load_plan(plan_path)
    key, _ = ensure_key(find_key(plan_path))
    summary = DemoSummary(
        directory=directory,
        plan=plan_path,
        store=directory / "matrix.sqlite" if store is None else StoreLocation.parse(store),
        report=directory / f"report-{PERIODS[-1]}.html",
        compendium=directory / "compendium.html",
        key=key.path,
    )

    with Store.open(summary.store) as opened:
        if opened.submissions(plan):
            raise MatrixError("error.demo_store_taken", location=opened.location)
        _cycle(plan, directory, key, opened, summary, seed)
        make_report(plan, opened, PERIODS[-1], summary.report, generated_at=REPORT_AT)
        make_compendium(plan, opened, summary.compendium, generated_at=REPORT_AT)
    return summary


def _cycle(plan, directory: Path, key, store, summary: DemoSummary, seed: int) -> None:
    """Generate, fill, collect (and annotate the rejected returns), period by period."""
    from matrix.annotate import annotate, can_annotate
    from matrix.collect import collect
    from matrix.generate import generate
    from matrix.store import Outcome
    from matrix.validation import validate_file

    for period_id in PERIODS:
        blank_dir = directory / "matrices" / period_id
        options = {
            "countries": None,
            "lang": None,
            "out_dir": blank_dir,
            "key": key,
        }  # each office's own
        matrices = generate(plan, period_id, regional=False, **options)
        matrices += generate(plan, period_id, regional=True, **options)
        summary.matrices += matrices
        for blank, arrival in _returns(plan, period_id, matrices):
            target = directory / "returns" / period_id / arrival.file_name(blank)
            fill_workbook(plan, blank, target, arrival, seed)
            summary.returns.append(target)
            [outcome] = collect(
                plan, [target], store, period=period_id, received_at=arrival.received_at, key=key
            )
            if outcome.status is Outcome.REJECTED:
                summary.rejected += 1
                result = validate_file(plan, target, key=key)
                if can_annotate(result):
                    summary.feedback.append(annotate(result, target, directory / "feedback"))
            else:
                summary.accepted += 1


@dataclass(frozen=True)
class Arrival:
    """One file an office sends: when, and whether it carries its mistake."""

    office: str
    period: str
    received_at: datetime
    mistake: Mistake | None = None
    version: int = 1

    def file_name(self, blank: Path) -> str:
        return blank.name if self.version == 1 else f"{blank.stem}_v{self.version}{blank.suffix}"


def _returns(plan: Plan, period_id: str, matrices: list[Path]) -> list[tuple[Path, Arrival]]:
    """Every file the offices send for a period, in the order they arrive."""
    period = Period.parse(period_id)
    due = due_date(plan.reporting, period)
    arrivals = []
    region = plan.region.code if plan.region else None
    for index, blank in enumerate(matrices):
        office = blank.name.split("_", 1)[0]
        if (office, period_id) in MISSING:
            continue
        # countries report in the week before the due date, the regional bureau compiles last
        day = due - timedelta(days=1 if office == region else 8 - index)
        if (office, period_id) in LATE:
            day = due + timedelta(days=LATE[office, period_id])
        at = datetime.combine(day, datetime.min.time(), UTC).replace(hour=9 + index % 7)
        mistake = next((m for m in MISTAKES if (m.office, m.period) == (office, period_id)), None)
        if mistake is None:
            arrivals.append((blank, Arrival(office, period_id, at)))
            continue
        arrivals.append((blank, Arrival(office, period_id, at, mistake)))
        if mistake.fixed_after is not None:
            arrivals.append(
                (
                    blank,
                    Arrival(office, period_id, at + timedelta(days=mistake.fixed_after), None, 2),
                )
            )
    return sorted(arrivals, key=lambda item: item[1].received_at)


# --- filling a workbook in, as an office would ----------------------------------------------------


def _elapsed(activity: Activity, on: date) -> float:
    """Share of the activity's planned time gone by `on`, 0 to 1."""
    if activity.start is None or activity.end is None:
        return 0.5
    span = (activity.end - activity.start).days or 1
    return min(max((on - activity.start).days / span, 0.0), 1.0)


def office_values(
    plan: Plan, office: str, period_id: str, row: PlanRow, seed: int, lang: str = "en"
) -> dict[str, Any]:
    """What an office reports on one row, its words in `lang`: the same office and activity perform
    alike every period, so totals to date only grow."""
    words = lang if lang in DELAY_REASONS else "en"
    period = Period.parse(period_id)
    pace_rng = random.Random(f"{seed}:{office}:{row.activity.id}")
    kind = (
        pace_rng.random()
    )  # one in five activities slow, one in five fast, the rest about on plan
    pace = (
        pace_rng.uniform(0.4, 0.7)
        if kind < 0.2
        else pace_rng.uniform(1.7, 2.4)
        if kind > 0.8
        else pace_rng.uniform(0.8, 1.3)
    )
    rng = random.Random(f"{seed}:{office}:{row.ref}:{period_id}")
    elapsed = _elapsed(row.activity, period.end)
    indicator = row.indicator
    target = indicator.target if indicator and indicator.target else None
    done = min(elapsed * pace, 1.0)
    actual = None
    if target is not None:
        actual = target * done
        actual = float(int(actual)) if target <= 10 else float(round(actual))
    if elapsed == 0:
        status, actual = Status.NOT_STARTED, 0.0 if target is not None else None
    elif target is not None and actual is not None and actual >= target:
        status = Status.COMPLETED
    elif pace < 0.7:
        status = Status.DELAYED
    else:
        status = Status.ON_TRACK
    if status is Status.DELAYED:
        comments = rng.choice(DELAY_REASONS[words])
    else:  # about half the offices name their evidence
        unit = indicator.unit if indicator else None
        comments = (
            EVIDENCE[words].get(unit or "", GENERIC_EVIDENCE[words]) if rng.random() < 0.5 else ""
        )
    funds = None
    if row.activity.budget is not None and row.indicator_index == 0:
        share = row.activity.budget / max(len(plan.activity_countries(row.activity)), 1)
        funds = float(round(share * min(0.25 + 0.5 * elapsed * pace, 1.0), -2))
    return {
        "status": status,
        "actual": actual,
        "funds_secured": funds,
        "comments": comments,
        "next_steps": rng.choice(NEXT_STEPS[words]) if status is not Status.COMPLETED else "",
        "support_needed": rng.choice(SUPPORT[words]) if status is Status.DELAYED else "",
    }


def fill_workbook(plan: Plan, blank: Path, target: Path, arrival: Arrival, seed: int) -> None:
    """Fill `blank` in as `arrival.office` would and save it as `target` (the blank is kept)."""
    import openpyxl

    wb = openpyxl.load_workbook(blank)
    meta = parse_metadata([list(r) for r in wb[layout.META_SHEET].iter_rows(values_only=True)])
    lang = meta.identity.lang
    region = plan.region.code if plan.region else None
    index = plan_index(plan)
    mistake = arrival.mistake
    for office, sheet_name in meta.matrix_sheets().items():
        ws = wb[sheet_name]
        columns = header_columns(ws, lang, layout.MATRIX_COLUMNS)
        rows = {
            r.ref: r
            for r in index.rows(None if office == region and meta.identity.regional else office)
        }
        for excel_row in range(layout.FIRST_DATA_ROW, ws.max_row + 1):
            plan_row = rows.get(str(ws.cell(excel_row, columns["ref"]).value or "").strip())
            if plan_row is None:
                continue
            values = office_values(plan, office, arrival.period, plan_row, seed, lang)
            if mistake and mistake.kind == "unexplained-delay" and plan_row.activity.id == "LEG-1":
                values |= {"status": Status.DELAYED, "comments": ""}
            if mistake and mistake.kind == "number-as-text" and plan_row.activity.id == "CAP-1":
                values["actual"] = ABOUT.get(lang, ABOUT["en"]).format(n=values["actual"])
            if mistake and mistake.kind == "number-with-separator" and plan_row.ref == "OPS-1.2":
                values["actual"] = f"{values['actual']:,.0f}"
            if mistake and mistake.kind == "edited-target" and plan_row.activity.id == "CAP-1":
                ws.cell(excel_row, columns["target"]).value = 200
            for key, value in values.items():
                if key in columns:
                    cell = ws.cell(excel_row, columns[key])
                    cell.value = status_label(value, lang) if isinstance(value, Status) else value
    proposed = PROPOSED.get((arrival.office, arrival.period))
    new_sheet = meta.sheets.get(layout.SheetRole.NEW_ACTIVITIES.value)
    if proposed and new_sheet:
        ws = wb[new_sheet]
        columns = header_columns(ws, lang, layout.NEW_ACTIVITY_COLUMNS)
        framework = index.framework
        ap = framework.action_point(proposed["action_point"])
        assert ap is not None, "the demo proposes under one of the framework's action points"
        for key, value in proposed.items():
            if key == "action_point":
                value = localised_action_point_label(framework, ap, lang)
            ws.cell(layout.FIRST_DATA_ROW, columns[key]).value = (
                status_label(value, lang) if isinstance(value, Status) else value
            )
    write_narratives(wb, meta, plan, arrival.office, arrival.period)
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.properties.modified = wb.properties.created = arrival.received_at.replace(tzinfo=None)
    write_file(target, wb.save)
