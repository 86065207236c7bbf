"""Building blocks for store tests: validation results made in code, filled matrices, and the
store's soundness check."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
from sqlalchemy import text

from matrix.codes import Code
from matrix.excel.layout import META_SHEET
from matrix.generate import generate
from matrix.models.plan import Plan, Status
from matrix.models.returns import ProgressRow, ProposedActivity, ValidationResult, WorkbookIdentity
from matrix.plan import plan_rows
from matrix.signing import find_key
from matrix.store import Store, schema
from validation_helpers import columns, good_values, ref_rows, sheet_of


def older_store(path: Path, migrations: list, plan: Plan, monkeypatch) -> int:
    """A store at `path` made by a matrix that knew only `migrations`, holding one return of
    `plan`; the number of rows that count in it."""
    monkeypatch.setattr(schema, "MIGRATIONS", migrations)
    with Store.open(path) as old:
        old.record(make_result(plan, "SDN", "2026-07"), plan)
        assert old.version == len(migrations)
        rows = len(old.current_rows(plan))
    monkeypatch.undo()
    return rows


def make_result(
    plan: Plan,
    office: str,
    period: str,
    *,
    actual: float | None = 5,
    comments: str = "going well",
    content: str = "",
    rejected: bool = False,
    proposed: int = 0,
) -> ValidationResult:
    """A return from `office` for `period`, every row on track with `actual`; `content` makes the
    file's hash differ, as a corrected re-send would."""
    identity = WorkbookIdentity(
        template_schema=1,
        tool_version="0.1.0",
        plan_id=plan.id,
        plan_hash=plan.content_hash(),
        office=office,
        regional=office not in plan.countries,
        period=period,
        lang="en",
        generated_at=datetime(2026, 7, 1, tzinfo=UTC),
    )
    countries = [office] if office in plan.countries else [*plan.countries, office]
    rows = [
        ProgressRow(
            country=country,
            activity_id=r.activity.id,
            indicator_index=r.indicator_index,
            ref=r.ref,
            sheet=country,
            row=4 + n,
            status=Status.ON_TRACK,
            actual=actual,
            comments=comments,
        )
        for country in countries
        for n, r in enumerate(
            plan_rows(plan, None if country == office and office not in plan.countries else country)
        )
    ]
    issues = (
        [
            Code.INVALID_VALUE.issue(
                file="x.xlsx", sheet="Matrix", cell="O4", where="O4", reason="bad"
            )
        ]
        if rejected
        else []
    )
    name = f"{office}_{period}.xlsx"
    digest = hashlib.sha256(f"{name}|{actual}|{comments}|{content}|{rejected}".encode()).hexdigest()
    return ValidationResult(
        file=f"/inbox/{name}",
        sha256=digest,
        size=1000,
        identity=identity,
        issues=issues,
        rows=[] if rejected else rows,
        proposed=[
            ProposedActivity(sheet="New activities", row=4 + i, title=f"Idea {i}")
            for i in range(proposed)
        ],
    )


def query(store: Store, statement: str, **params) -> list[tuple]:
    """Rows of a plain SQL statement (`:name` parameters) on either backend."""
    with store.reading():
        return [tuple(row) for row in store.conn.execute(text(statement), params)]


def integrity_problems(store: Store) -> list[str]:
    """What SQLite's `PRAGMA integrity_check` and, on both backends, the per-submission row counts
    say is wrong."""
    problems = []
    if store.location.is_sqlite:
        problems += [m for (m,) in query(store, "PRAGMA integrity_check") if m != "ok"]
    for sid, expected, found in query(
        store,
        "SELECT s.id, s.row_count, (SELECT count(*) FROM progress WHERE submission_id = s.id) "
        "FROM submissions s",
    ):
        if expected != found:
            problems.append(
                f"submission {sid} should have {expected} progress rows but has {found}"
            )
    return problems


def returned_matrix(
    plan: Plan,
    period: str,
    folder: Path,
    *,
    office: str | None = None,
    regional: bool = False,
    share: float = 0.5,
    comments: str = "Progress as planned",
    name: str | None = None,
    prefill: dict | None = None,
    filled: set[str] | None = None,
) -> Path:
    """Generate `office`'s matrix (or the regional one) for `period` and fill it in as the office
    would: every row on track at `share` of its target, with `comments`; saved as `name` if given.
    Signed, as `matrix generate` would, when the test's project already has a key. Of a regional
    workbook, only the sheets of the offices in `filled` are filled in, when given."""
    office = office or plan.countries[0]
    key = find_key(Path("plan.yaml"))
    [path] = generate(
        plan,
        period,
        countries=None if regional else [office],
        regional=regional,
        lang="en",
        out_dir=folder,
        force=True,
        prefill=prefill,
        key=key if key.secret else None,
    )
    sheets = [*plan.countries, plan.region.code] if regional and plan.region else [office]
    sheets = [sheet for sheet in sheets if filled is None or sheet in filled]
    wb = openpyxl.load_workbook(path)
    for sheet_office in sheets:
        ws = sheet_of(wb, sheet_office)
        cols, refs = columns(ws), ref_rows(ws)
        region_wide = sheet_office not in plan.countries
        targets = {
            r.ref: r.indicator.target if r.indicator else None
            for r in plan_rows(plan, None if region_wide else sheet_office)
        }
        for ref, cells in good_values(plan, list(refs)).items():
            target = targets.get(ref)
            cells["actual"] = round(target * share) if target else cells["actual"]
            cells["comments"] = comments
            for key, value in cells.items():
                cell = ws.cell(refs[ref], cols[key])
                cell.value = value
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text typed as '=..., not a formula
    out = folder / name if name else path
    wb.save(out)
    return out


def variants(path: Path, count: int, folder: Path) -> list[Path]:
    """`count` copies of a filled matrix, each with its own comment on the first row, so each is
    a distinct file (a distinct SHA-256) for the same office and period."""
    folder.mkdir(parents=True, exist_ok=True)
    wb = openpyxl.load_workbook(path)
    meta = {
        row[1]: row[2] for row in wb[META_SHEET].iter_rows(values_only=True) if row[0] == "sheet"
    }
    ws = wb[next(name for role, name in meta.items() if role.startswith("matrix:"))]
    cols, refs = columns(ws), ref_rows(ws)
    cell = ws.cell(next(iter(refs.values())), cols["comments"])
    out = []
    for n in range(count):
        cell.value = f"Version {n:03d}"
        out.append(folder / f"return-{n:03d}.xlsx")
        wb.save(out[-1])
    return out
