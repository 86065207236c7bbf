"""The store: recording outcomes, supersession, queries, migrations and refusal of foreign files."""

from __future__ import annotations

import hashlib
import multiprocessing
import shutil
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text

from checkout import SUDAN
from matrix.errors import MatrixError
from matrix.store import Outcome, Store, StoreLocation, recording, schema
from store_helpers import integrity_problems, make_result, query

pytest_plugins = ["store_fixtures"]


def test_accepted_return_adds_its_rows(store, sudan):
    result = make_result(sudan, "SDN", "2026-09", proposed=2)
    recorded = store.record(result, sudan)
    assert recorded.outcome is Outcome.ACCEPTED
    rows = store.current_rows(sudan, "2026-09")
    assert {(r.row.country, r.row.ref) for r in rows} == {("SDN", r.ref) for r in result.rows}
    assert all(r.row.actual == 5 for r in rows)
    assert [p["title"] for _, p in store.proposed(sudan, "2026-09")] == ["Idea 0", "Idea 1"]
    [submission] = store.submissions(sudan, "2026-09")
    assert (submission.office, submission.accepted, submission.row_count) == (
        "SDN",
        True,
        len(result.rows),
    )
    assert integrity_problems(store) == []


def test_same_file_again_is_a_duplicate_and_changes_nothing(store, sudan):
    result = make_result(sudan, "SDN", "2026-09")
    first = store.record(result, sudan)
    again = store.record(result, sudan)
    assert again.outcome is Outcome.DUPLICATE
    assert again.submission_id == first.submission_id
    assert len(store.submissions(sudan)) == 1


def test_newer_return_supersedes_and_both_stay(store, sudan):
    old = store.record(make_result(sudan, "SDN", "2026-09", actual=5), sudan)
    new = store.record(make_result(sudan, "SDN", "2026-09", actual=7), sudan)
    assert new.outcome is Outcome.SUPERSEDED
    assert new.superseded_id == old.submission_id
    first, second = store.submissions(sudan, "2026-09")
    assert first.superseded_by == second.id and not first.current and second.current
    assert {r.row.actual for r in store.current_rows(sudan, "2026-09")} == {7}


def test_rejected_file_is_recorded_with_reasons_and_adds_no_rows(store, sudan):
    recorded = store.record(make_result(sudan, "SDN", "2026-09", rejected=True), sudan)
    assert recorded.outcome is Outcome.REJECTED
    [submission] = store.submissions(sudan)
    assert (submission.accepted, submission.errors, submission.row_count) == (False, 1, 0)
    assert [i.code for i in submission.problems] == ["invalid-value"]
    assert store.current_rows(sudan) == []
    assert (
        store.record(make_result(sudan, "SDN", "2026-09", rejected=True), sudan).outcome
        is Outcome.DUPLICATE
    )


def test_rejected_return_does_not_supersede_an_accepted_one(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-09", actual=5), sudan)
    store.record(make_result(sudan, "SDN", "2026-09", rejected=True), sudan)
    assert {r.row.actual for r in store.current_rows(sudan, "2026-09")} == {5}


def test_a_rejected_file_that_passes_later_is_recorded(store, sudan):
    result = make_result(sudan, "SDN", "2026-09")
    failing = result.model_copy(
        update={"issues": make_result(sudan, "SDN", "2026-09", rejected=True).issues}
    )
    assert store.record(failing, sudan).outcome is Outcome.REJECTED
    assert store.record(result, sudan).outcome is Outcome.ACCEPTED
    assert store.record(result, sudan).outcome is Outcome.DUPLICATE


def test_unreadable_file_is_recorded_without_identity(store, sudan):
    result = make_result(sudan, "SDN", "2026-09").model_copy(
        update={"identity": None, "rows": [], "sha256": None}
    )
    assert store.record(result, sudan).outcome is Outcome.REJECTED
    assert store.submissions(sudan)[0].office is None


def test_previous_actuals_are_the_last_cumulative_values_before_the_period(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-07", actual=3), sudan)
    store.record(make_result(sudan, "SDN", "2026-08", actual=6), sudan)
    store.record(make_result(sudan, "SDN", "2026-10", actual=9), sudan)
    previous = store.previous_actuals(sudan, ["SDN"], "2026-09")
    assert previous[("SDN", "AP1-1")] == 6
    # AP3-2 counts incidents per period (cumulative: false): no running total to compare with
    assert ("SDN", "AP3-2") not in previous
    assert store.previous_actuals(sudan, ["SDN"], "2026-07") == {}


def test_latest_progress_feeds_prefill(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-07", actual=3, comments="first"), sudan)
    store.record(make_result(sudan, "SDN", "2026-08", actual=6, comments="second"), sudan)
    prefill = store.latest_progress(sudan, "2026-09")
    assert prefill[("SDN", "AP1-1")].comments == "second"
    assert prefill[("SDN", "AP3-2")].actual == 6
    assert store.latest_progress(sudan, "2026-08")[("SDN", "AP1-1")].comments == "first"


def test_regional_return_carries_country_and_region_rows(store, dar):
    store.record(make_result(dar, "EHAGL", "2026-Q3"), dar)
    countries = {r.row.country for r in store.current_rows(dar, "2026-Q3")}
    assert countries == {*dar.countries, "EHAGL"}
    assert store.submissions(dar)[0].countries == countries


def test_plans_are_kept_apart(store, sudan, dar):
    store.record(make_result(sudan, "SDN", "2026-09"), sudan)
    assert store.submissions(dar) == []
    assert store.current_rows(dar) == []


def test_received_at_is_kept(store, sudan):
    when = datetime(2026, 10, 3, 9, 30, tzinfo=UTC)
    store.record(make_result(sudan, "SDN", "2026-09"), sudan, received_at=when)
    assert store.submissions(sudan)[0].received_at == when


# --- opening, versions, migrations ---------------------------------------------------------------


def test_new_store_is_versioned_and_in_wal_mode(tmp_path):
    with Store.open(tmp_path / "s.sqlite") as store:
        assert query(store, "PRAGMA user_version") == [(len(schema.MIGRATIONS),)]
        assert query(store, "PRAGMA journal_mode") == [("wal",)]
        assert query(store, "SELECT application, version FROM matrix_store") == [
            ("matrix", len(schema.MIGRATIONS))
        ]


def set_version(url: str, version: int) -> None:
    with Store.open(url) as store, store.conn.begin():
        store.conn.execute(text("UPDATE matrix_store SET version = :v"), {"v": version})


def test_store_from_a_newer_matrix_is_refused(store_url):
    set_version(store_url, len(schema.MIGRATIONS) + 1)
    with pytest.raises(MatrixError, match="newer version of matrix"):
        Store.open(store_url)


def test_sqlite_store_from_a_newer_matrix_is_refused_before_it_is_opened(tmp_path):
    path = tmp_path / "s.sqlite"
    Store.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {len(schema.MIGRATIONS) + 1}")
    conn.close()
    with pytest.raises(MatrixError, match="newer version of matrix"):
        Store.open(path)


def test_older_store_is_upgraded_in_place(store_url, monkeypatch, sudan):
    with Store.open(store_url) as store:
        store.record(make_result(sudan, "SDN", "2026-09"), sudan)
    later = [
        *schema.MIGRATIONS,
        ("ALTER TABLE submissions ADD COLUMN note TEXT NOT NULL DEFAULT ''",),
    ]
    monkeypatch.setattr(schema, "MIGRATIONS", later)
    with Store.open(store_url) as store:
        assert store.version == len(later)
        assert query(store, "SELECT note FROM submissions") == [("",)]
        assert len(store.current_rows(sudan)) > 0


def test_failed_migration_leaves_the_store_as_it_was(store_url, monkeypatch):
    Store.open(store_url).close()
    broken = [*schema.MIGRATIONS, ("CREATE TABLE extra (x INTEGER)", "NOT SQL AT ALL")]
    monkeypatch.setattr(schema, "MIGRATIONS", broken)
    with pytest.raises(MatrixError):
        Store.open(store_url)
    monkeypatch.setattr(schema, "MIGRATIONS", broken[:-1])
    with Store.open(store_url) as store:
        assert store.version == len(broken) - 1
        assert "extra" not in inspect(store.conn).get_table_names()


def test_other_files_are_not_touched(tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database")
    with pytest.raises(MatrixError, match="not a matrix store"):
        Store.open(text)
    assert text.read_text() == "not a database"
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE customers (name)")
    conn.commit()
    conn.close()
    with pytest.raises(MatrixError, match="not a matrix store"):
        Store.open(other)


def foreign_database(path, kind: str) -> list[str]:
    """Another program's database of `kind`; returns the files it is made of."""
    source = path.with_name("source.sqlite") if kind == "WAL not yet checkpointed" else path
    conn = sqlite3.connect(source)
    if kind != "rollback journal":
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute(f"PRAGMA application_id = {7 if kind == 'another application id' else 0}")
    conn.execute("CREATE TABLE customers (name)")
    conn.execute("INSERT INTO customers VALUES ('someone else''s data')")
    conn.commit()
    if source == path:
        conn.close()
        return [path.name]
    for suffix in ("", "-wal"):  # as the other program leaves them while it runs
        shutil.copy(f"{source}{suffix}", f"{path}{suffix}")
    conn.close()
    source.unlink()
    return [path.name, f"{path.name}-wal"]


@pytest.mark.parametrize(
    "kind", ["rollback journal", "WAL", "WAL not yet checkpointed", "another application id"]
)
@pytest.mark.parametrize(
    "command",
    [
        ["status", "--period", "2026-07"],
        ["history", "SDN"],
        ["export", "--format", "csv", "-o", "x.csv"],
        ["report", "--period", "2026-07", "-o", "r.html"],
        ["generate", "plan.yaml", "--period", "2026-07", "--all", "--prefill", "-o", "out"],
        ["collect", "returns"],
    ],
)
def test_another_programs_database_is_never_written(run, tmp_path, command, kind):
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    (tmp_path / "returns").mkdir()
    shutil.copy(tmp_path / "plan.yaml", tmp_path / "returns" / "not-a-return.xlsx")
    parts = foreign_database(tmp_path / "other.sqlite", kind)
    before = {name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() for name in parts}
    files = sorted(p.name for p in tmp_path.iterdir())
    result = run(*command, "--store", "other.sqlite")
    assert result.exit_code == 2
    assert (
        result.stderr == "error: other.sqlite is a SQLite database but not a matrix store; "
        "choose another --store path\n"
    )
    assert {
        name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest() for name in parts
    } == before
    # nothing beside it either, except the index of a log that was never checkpointed, which reading
    # it needs
    created = {p.name for p in tmp_path.iterdir()} - set(files)
    assert created == ({"other.sqlite-shm"} if kind == "WAL not yet checkpointed" else set())


def test_a_store_whose_creation_was_cut_short_still_opens(tmp_path, sudan):
    """Killed right after creating the store: its id and tables are still in the write-ahead log."""
    first = tmp_path / "first.sqlite"
    engine = create_engine(f"sqlite:///{first}")
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode = WAL")
        conn.exec_driver_sql("PRAGMA wal_autocheckpoint = 0")
        conn.commit()
        with conn.begin():
            schema.migrate(conn, StoreLocation.parse(first))
        cut = tmp_path / "cut.sqlite"
        for suffix in ("", "-wal"):  # the files as a killed process leaves them
            shutil.copy(f"{first}{suffix}", f"{cut}{suffix}")
    engine.dispose()
    assert cut.read_bytes()[68:72] == bytes(4)  # the header does not know yet
    with Store.open(cut) as store:
        store.record(make_result(sudan, "SDN", "2026-09"), sudan)
        assert integrity_problems(store) == []


def test_reading_commands_do_not_create_a_store(tmp_path):
    with pytest.raises(MatrixError, match="no store at"):
        Store.open(tmp_path / "missing.sqlite", create=False)
    assert not (tmp_path / "missing.sqlite").exists()


def test_default_path_follows_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("MATRIX_STORE", raising=False)
    assert StoreLocation.parse().path == Path("matrix.sqlite")
    monkeypatch.setenv("MATRIX_STORE", str(tmp_path / "x.sqlite"))
    assert StoreLocation.parse().path == tmp_path / "x.sqlite"
    monkeypatch.setenv(
        "MATRIX_STORE", "postgresql://someone:secret@db.example.org/matrix?sslmode=require"
    )
    location = StoreLocation.parse()
    assert location.path is None
    assert str(location) == "postgresql://someone:***@db.example.org/matrix?sslmode=require"


def test_a_failure_half_way_through_a_file_records_nothing_of_it(store, sudan, monkeypatch):
    store.record(make_result(sudan, "SDN", "2026-08"), sudan)

    def crash(*args):
        raise KeyboardInterrupt  # as if interrupted after the submission row was written

    monkeypatch.setattr(recording, "_insert_rows", crash)
    with pytest.raises(KeyboardInterrupt):
        store.record(make_result(sudan, "SDN", "2026-09"), sudan)
    assert [s.period for s in store.submissions(sudan)] == ["2026-08"]
    assert integrity_problems(store) == []


def _open_and_close(path: str, go) -> None:
    go.wait()
    Store.open(path).close()


def test_processes_creating_the_same_store_at_once_all_succeed(tmp_path):
    context = multiprocessing.get_context("fork")
    for round_ in range(20):
        path, go = str(tmp_path / f"s{round_}.sqlite"), context.Event()
        processes = [context.Process(target=_open_and_close, args=(path, go)) for _ in range(4)]
        for process in processes:
            process.start()
        go.set()  # all four create the store at the same moment
        for process in processes:
            process.join()
        assert [p.exitcode for p in processes] == [0] * 4


def test_history_queries_follow_periods_not_arrival_order(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-08", actual=6, comments="august"), sudan)
    store.record(make_result(sudan, "SDN", "2026-07", actual=3, comments="july"), sudan)
    store.record(make_result(sudan, "SDN", "2026-07", actual=4, comments="july corrected"), sudan)
    assert store.latest_progress(sudan, "2026-09")[("SDN", "AP1-1")].comments == "august"
    assert store.latest_progress(sudan, "2026-08")[("SDN", "AP1-1")].comments == "july corrected"
    assert store.previous_actuals(sudan, ["SDN"], "2026-08")[("SDN", "AP1-1")] == 4


def test_a_blank_actual_keeps_the_last_known_total(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-07", actual=3), sudan)
    store.record(make_result(sudan, "SDN", "2026-08", actual=None), sudan)
    assert store.previous_actuals(sudan, None, "2026-09")[("SDN", "AP1-1")] == 3
    assert store.latest_progress(sudan, "2026-09")[("SDN", "AP1-1")].actual is None


def test_earlier_gives_each_row_s_last_report_its_period_and_the_last_total(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-07", actual=3, comments="july"), sudan)
    store.record(make_result(sudan, "SDN", "2026-08", actual=None, comments="august"), sudan)
    store.record(make_result(sudan, "SDN", "2026-10", actual=9, comments="october"), sudan)
    earlier = store.earlier(sudan, ["SDN"], "2026-09")
    found = earlier[("SDN", "AP1-1")]
    assert (found.period, found.record.comments, found.record.actual, found.total) == (
        "2026-08",
        "august",
        None,
        3,
    )
    assert earlier[("SDN", "AP3-2")].total is None  # a value per period has no running total
    assert set(earlier) == {("SDN", r.ref) for r in make_result(sudan, "SDN", "2026-07").rows}
    assert store.earlier(sudan, ["SDN"], "2026-07") == {}


def test_previous_actuals_for_some_offices(store, dar):
    store.record(make_result(dar, "KEN", "2026-Q3", actual=2), dar)
    store.record(make_result(dar, "ETH", "2026-Q3", actual=3), dar)
    kenya = store.previous_actuals(dar, ["KEN"], "2026-Q4")
    assert kenya and {country for country, _ in kenya} == {"KEN"}
    region = store.previous_actuals(
        dar, ["EHAGL"], "2026-Q4"
    )  # the regional matrix reports for all
    assert {country for country, _ in region} == {"KEN", "ETH"}


def test_reads_in_one_state_while_another_process_records(store, sudan):
    store.record(make_result(sudan, "SDN", "2026-09"), sudan)
    writer = Store.open(store.location)
    try:
        with store.reading():
            before = store.submissions(sudan)
            writer.record(make_result(sudan, "SDN", "2026-10"), sudan)
            during = store.submissions(sudan)
            rows = list(store.progress(sudan, "2026-10"))
        after = store.submissions(sudan)
    finally:
        writer.close()
    assert [s.period for s in before] == [s.period for s in during] == ["2026-09"]
    assert rows == []
    assert [s.period for s in after] == ["2026-09", "2026-10"]
    assert {(r.country, r.ref) for r in store.progress(sudan, "2026-10")} == {
        (s.row.country, s.row.ref) for s in store.current_rows(sudan, "2026-10")
    }


def test_a_read_left_half_way_by_a_failure_leaves_the_store_usable(store, sudan):
    """A period's rows are read as they are used: a report that fails half way must not leave the
    next statement waiting for ever (as a psycopg stream, which holds the connection until its
    last row, would), nor two periods read side by side mix their rows."""
    store.record(make_result(sudan, "SDN", "2026-09", actual=1), sudan)
    store.record(make_result(sudan, "SDN", "2026-10", actual=2), sudan)
    outcome: list[object] = []

    def read() -> None:
        try:
            with store.reading():
                for _ in store.progress(sudan, "2026-10"):
                    raise KeyError("a failure half way")
        except KeyError:
            pass
        with store.reading():
            pairs = list(
                zip(store.progress(sudan, "2026-09"), store.progress(sudan, "2026-10"), strict=True)
            )
        outcome.append(([s.period for s in store.submissions(sudan)], pairs))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=60)
    assert outcome, "the store hung after a read failed half way"
    [(periods, pairs)] = outcome
    assert periods == ["2026-09", "2026-10"]
    assert pairs and all(
        (september.actual, october.actual) == (1, 2) and september.ref == october.ref
        for september, october in pairs
    )
