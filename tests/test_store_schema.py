"""The schema on both backends: migrations give exactly the declared tables, a store made by the
SQLite-only matrix (before PostgreSQL) opens and upgrades without loss, and `matrix store copy`
moves a store between SQLite and PostgreSQL, either way, with every table compared."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime

import pytest
from sqlalchemy import inspect

from matrix.models.returns import Narratives, OverviewText
from matrix.store import Store, StoreLocation, schema, tables
from matrix.store import copy as store_copy
from matrix.versions import PlanVersions
from store_helpers import integrity_problems, make_result, query

pytest_plugins = ["store_fixtures"]


def test_migrations_give_exactly_the_declared_tables(store):
    found = inspect(store.conn)
    for table in tables.metadata.sorted_tables:
        key = set(found.get_pk_constraint(table.name)["constrained_columns"])
        columns = {
            c["name"]: c["nullable"] and c["name"] not in key for c in found.get_columns(table.name)
        }
        assert columns == {c.name: bool(c.nullable) and not c.primary_key for c in table.columns}, (
            table.name
        )
        assert key == {c.name for c in table.primary_key.columns}, table.name


def test_the_progress_record_is_the_progress_row_by_its_names():
    from matrix.models.returns import ProgressRecord, ProgressRow

    assert set(ProgressRecord._fields) <= set(ProgressRow.model_fields)
    assert set(ProgressRow.model_fields) == {c.name for c in tables.progress.columns} - {
        "submission_id"
    }


STORE_BEFORE_POSTGRESQL = """
CREATE TABLE plans (id INTEGER PRIMARY KEY, plan_id TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL, snapshot TEXT NOT NULL, first_seen TEXT NOT NULL);
CREATE TABLE submissions (id INTEGER PRIMARY KEY, plan_ref INTEGER NOT NULL REFERENCES plans(id),
    sha256 TEXT, file_name TEXT NOT NULL, size INTEGER, received_at TEXT NOT NULL, plan_hash TEXT,
    office TEXT, regional INTEGER, period TEXT, lang TEXT, generated_at TEXT,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'rejected')),
    superseded_by INTEGER REFERENCES submissions(id),
    errors INTEGER NOT NULL, warnings INTEGER NOT NULL, problems TEXT NOT NULL,
    row_count INTEGER NOT NULL, proposed_count INTEGER NOT NULL);
CREATE UNIQUE INDEX submissions_accepted_once ON submissions(sha256) WHERE outcome = 'accepted';
CREATE INDEX submissions_sha256 ON submissions(sha256);
CREATE INDEX submissions_office_period ON submissions(office, period);
CREATE TABLE progress (submission_id INTEGER NOT NULL REFERENCES submissions(id),
    country TEXT NOT NULL, activity_id TEXT NOT NULL, indicator_index INTEGER NOT NULL,
    ref TEXT NOT NULL, sheet TEXT NOT NULL, row INTEGER NOT NULL, status TEXT, actual REAL,
    funds_secured REAL, comments TEXT NOT NULL, next_steps TEXT NOT NULL,
    support_needed TEXT NOT NULL, PRIMARY KEY (submission_id, country, ref));
CREATE INDEX progress_country_ref ON progress(country, ref);
CREATE TABLE proposed_activities (submission_id INTEGER NOT NULL REFERENCES submissions(id),
    sheet TEXT NOT NULL, row INTEGER NOT NULL, action_point TEXT, title TEXT NOT NULL,
    lead TEXT NOT NULL, partners TEXT NOT NULL, indicator TEXT NOT NULL, unit TEXT NOT NULL,
    target REAL, start TEXT, "end" TEXT, status TEXT, actual REAL, comments TEXT NOT NULL,
    PRIMARY KEY (submission_id, sheet, row));
PRAGMA application_id = 1297371736;
PRAGMA user_version = 1;
"""
"""The schema of the SQLite-only matrix as it created stores (its migration 1 and header), line
breaks aside."""


def old_store(path, sudan) -> None:
    """A store as the SQLite-only matrix left it: an SDN return for 2026-07, superseded by a
    corrected one, and a rejected file."""
    conn = sqlite3.connect(path)
    conn.executescript(STORE_BEFORE_POSTGRESQL)
    conn.execute(
        "INSERT INTO plans VALUES (1, ?, ?, ?, ?, '2026-07-01T00:00:00+00:00')",
        (sudan.id, sudan.content_hash(), sudan.title, sudan.model_dump_json()),
    )
    for sid, outcome, superseded, actual in (
        (1, "accepted", 2, 3.0),
        (2, "accepted", None, 4.0),
        (3, "rejected", None, None),
    ):
        conn.execute(
            "INSERT INTO submissions VALUES (?, 1, ?, ?, 1000, "
            "'2026-08-0' || ? || 'T09:00:00+00:00', ?, 'SDN', 0, "
            "'2026-07', 'en', '2026-07-01T00:00:00+00:00', ?, ?, 0, 0, '[]', ?, 0)",
            (
                sid,
                f"sha-{sid}",
                f"SDN-{sid}.xlsx",
                sid,
                sudan.content_hash(),
                outcome,
                superseded,
                1 if actual is not None else 0,
            ),
        )
        if actual is not None:
            conn.execute(
                "INSERT INTO progress VALUES (?, 'SDN', 'AP1-1', 0, 'AP1-1', 'SDN', 4, 'on_track', "
                "?, NULL, 'as planned', '', '')",
                (sid, actual),
            )
    conn.commit()
    conn.close()


def test_a_store_made_before_postgresql_opens_and_upgrades_without_loss(
    tmp_path, sudan, monkeypatch
):
    path = tmp_path / "old.sqlite"
    old_store(path, sudan)
    later = [
        *schema.MIGRATIONS,
        ("ALTER TABLE submissions ADD COLUMN note TEXT NOT NULL DEFAULT ''",),
    ]
    monkeypatch.setattr(schema, "MIGRATIONS", later)
    with Store.open(path) as store:
        assert store.version == len(later)
        assert query(store, "PRAGMA user_version") == [(len(later),)]
        submissions = store.submissions(sudan)
        assert [(s.file_name, s.accepted, s.superseded_by) for s in submissions] == [
            ("SDN-1.xlsx", True, 2),
            ("SDN-2.xlsx", True, None),
            ("SDN-3.xlsx", False, None),
        ]
        [row] = store.current_rows(sudan)
        assert (row.row.actual, row.row.comments, row.file_name) == (
            4.0,
            "as planned",
            "SDN-2.xlsx",
        )
        assert store.record(make_result(sudan, "SDN", "2026-08"), sudan).submission_id == 4
        assert integrity_problems(store) == []
        [kept] = store.plan_versions(sudan.id)  # the plan returns were collected with: a version
        assert (kept.hash, kept.first_used.isoformat()) == (
            sudan.content_hash(),
            "2026-07-01T00:00:00+00:00",
        )
        assert PlanVersions.of([kept], "the store").plan(kept.hash) == sudan


def filled(url: str, sudan, dar) -> None:
    """Every kind of row: plans, accepted, superseded, rejected and regional returns, proposals."""
    with Store.open(url) as store:
        store.record(make_result(sudan, "SDN", "2026-07", actual=2.5, proposed=2), sudan)
        store.record(
            make_result(sudan, "SDN", "2026-07", actual=3, comments="é, ñ, ع").model_copy(
                update={
                    "narratives": Narratives(
                        overview=[OverviewText(heading="main_trends", text="ع é")]
                    )
                }
            ),
            sudan,
        )
        store.record(make_result(sudan, "SDN", "2026-08", rejected=True), sudan)
        store.record(
            make_result(dar, "EHAGL", "2026-Q3", actual=None),
            dar,
            received_at=datetime(2026, 10, 1, tzinfo=UTC),
        )


def everything(url: str, sudan, dar) -> tuple:
    with Store.open(url, create=False) as store:
        return (
            store.submissions(sudan),
            store.submissions(dar),
            sorted(map(repr, store.current_rows(sudan))),
            sorted(map(repr, store.current_rows(dar))),
            store.proposed(sudan, "2026-07"),
            store.narratives(sudan),
        )


def test_copy_from_sqlite_to_postgresql_and_back_loses_nothing(run, tmp_path, postgres, sudan, dar):
    source, middle, back = (
        str(tmp_path / "a.sqlite"),
        postgres.url(postgres.database()),
        str(tmp_path / "b.sqlite"),
    )
    filled(source, sudan, dar)
    there = run("store", "copy", source, middle)
    assert there.exit_code == 0, there.output
    for name in ("plans", "submissions", "progress", "proposed_activities"):
        assert any(
            line.split()[:1] == [name] and line.split()[-1] == "ok"
            for line in there.output.splitlines()
        )
    assert "every table matches" in there.output and postgres.password not in there.output
    assert run("store", "copy", middle, back).exit_code == 0
    assert (
        everything(source, sudan, dar)
        == everything(middle, sudan, dar)
        == everything(back, sudan, dar)
    )
    with Store.open(middle) as store:  # ids continue after the copied ones
        assert store.record(make_result(sudan, "SDN", "2026-09"), sudan).submission_id == 5


def test_copy_refuses_a_store_that_holds_data(run, tmp_path, sudan, dar):
    filled(str(tmp_path / "a.sqlite"), sudan, dar)
    filled(str(tmp_path / "b.sqlite"), sudan, dar)
    result = run("store", "copy", tmp_path / "a.sqlite", tmp_path / "b.sqlite")
    assert result.exit_code == 2 and "already holds data" in result.output


def test_a_copy_that_differs_is_an_error_and_writes_nothing(
    run, tmp_path, sudan, dar, monkeypatch, store_url
):
    filled(str(tmp_path / "a.sqlite"), sudan, dar)
    copy_table = store_copy._copy_table

    def lossy(source, target, table):
        copy_table(source, target, table)
        if table is tables.progress:
            target.execute(tables.progress.delete().where(tables.progress.c.ref == "AP1-1"))

    monkeypatch.setattr(store_copy, "_copy_table", lossy)
    result = run("store", "copy", tmp_path / "a.sqlite", store_url)
    assert result.exit_code == 2
    assert "the copy differs from the source in progress; nothing was written" in result.output
    assert "MISMATCH" in result.output
    with Store.open(StoreLocation.parse(store_url), create=False) as store:
        assert query(store, "SELECT count(*) FROM submissions") == [(0,)]


@pytest.mark.slow
def test_the_demo_on_postgresql_gives_the_same_report_as_on_sqlite(run, tmp_path, postgres):
    url = postgres.url(postgres.database())
    on_server = run("demo", "server", "--store", url)
    assert on_server.exit_code == 0, on_server.output
    assert postgres.password not in on_server.output
    assert run("demo", "local").exit_code == 0
    server = (tmp_path / "server" / "report-2026-Q4.html").read_text(encoding="utf-8")
    local = (tmp_path / "local" / "report-2026-Q4.html").read_text(encoding="utf-8")
    assert server == local
    again = run("demo", "again", "--store", url)
    assert again.exit_code == 2 and "already holds returns of the demo's plan" in again.output
