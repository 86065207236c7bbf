"""A store on a real PostgreSQL server: how it is reached (URL, service and password files, TLS
settings passed through), what it refuses (another program's tables), least-privilege roles as the
README documents them, and failures (wrong password, server down, connection cut or statement
cancelled mid-collect) as one line, exit 2, nothing half-written, and a re-run that converges."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import time

import pytest
from sqlalchemy.exc import DBAPIError

from checkout import ROOT, SUDAN, unavailable
from matrix.plan import load_plan
from matrix.store import Store, schema
from narrative_helpers import overview
from postgres_helpers import ADMIN
from process_helpers import matrix_process
from store_helpers import integrity_problems, query, returned_matrix, variants


@pytest.fixture
def project(tmp_path):
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    return tmp_path


@pytest.fixture
def database(postgres) -> str:
    return postgres.database()


def one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.startswith("error: ")]
    assert result.exit_code == 2 and len(lines) == 1, result.output
    assert "Traceback" not in result.output
    return lines[0]


def recorded(url: str) -> list[tuple]:
    with Store.open(url, create=False) as store:
        assert integrity_problems(store) == []
        # ids are compared through the files they stand for: PostgreSQL never reuses the ids a
        # rolled-back transaction drew
        return query(
            store,
            "SELECT s.file_name, s.office, s.period, s.outcome, later.file_name, s.row_count "
            "FROM submissions s LEFT JOIN submissions later ON later.id = s.superseded_by "
            "ORDER BY s.id",
        )


# --- reaching the server --------------------------------------------------------------------------


def test_store_init_then_the_whole_cycle(run, project, postgres, database):
    url = postgres.url(database)
    result = run("store", "init", url)
    assert result.exit_code == 0, result.output
    assert (
        f"postgresql://{ADMIN}:***@127.0.0.1:{postgres.port}/{database} is ready "
        f"(schema version {len(schema.MIGRATIONS)})" in result.output
    )
    assert postgres.password not in result.output
    plan = load_plan(project / "plan.yaml")
    returned_matrix(plan, "2026-07", project / "returns")
    assert run("collect", "returns", "--store", url).exit_code == 0
    status = run("status", "--period", "2026-07", "--store", url)
    assert status.exit_code == 0 and "1 of 1 office returned" in status.output
    assert run("report", "--period", "2026-07", "--store", url, "-o", "r.html").exit_code == 0
    assert postgres.password not in (project / "r.html").read_text(encoding="utf-8")


def test_the_store_url_can_come_from_the_environment(run, project, postgres, database, monkeypatch):
    monkeypatch.setenv("MATRIX_STORE", postgres.url(database))
    plan = load_plan(project / "plan.yaml")
    returned_matrix(plan, "2026-07", project / "returns")
    assert run("collect", "returns").exit_code == 0
    assert not (project / "matrix.sqlite").exists()
    assert [r[1:4] for r in recorded(postgres.url(database))] == [("SDN", "2026-07", "accepted")]


def test_a_service_file_and_a_password_file_are_libpqs_own(
    run, project, postgres, database, monkeypatch
):
    service, passwords = project / "pg_service.conf", project / "pgpass"
    service.write_text(
        f"[matrix]\nhost=127.0.0.1\nport={postgres.port}\ndbname={database}\nuser={ADMIN}\n"
    )
    passwords.write_text(f"127.0.0.1:{postgres.port}:{database}:{ADMIN}:{postgres.password}\n")
    passwords.chmod(0o600)  # libpq ignores a password file others can read
    monkeypatch.setenv("PGSERVICEFILE", str(service))
    monkeypatch.setenv("PGPASSFILE", str(passwords))
    result = run("store", "init", "postgresql:///?service=matrix")
    assert result.exit_code == 0, result.output
    assert [r[0] for r in query_admin(postgres, database, "SELECT version FROM matrix_store")] == [
        len(schema.MIGRATIONS)
    ]


def query_admin(postgres, database: str, statement: str) -> list[tuple]:
    return postgres.execute(database, statement)


def test_tls_settings_reach_libpq(run, postgres, database):
    """This test server has no TLS: sslmode=require must make libpq refuse it, which shows the
    setting got through (sslrootcert, sslcert... travel the same way)."""
    error = one_error_line(run("store", "init", postgres.url(database) + "?sslmode=require"))
    assert "server does not support SSL" in error
    assert postgres.password not in error


def test_another_programs_tables_are_refused_and_untouched(run, postgres, database):
    postgres.execute(database, "CREATE TABLE customers (name TEXT)")
    postgres.execute(database, "INSERT INTO customers VALUES ('someone else''s data')")
    for command in (
        ["store", "init", postgres.url(database)],
        ["status", "--period", "2026-07", "--plan", str(SUDAN), "--store", postgres.url(database)],
    ):
        error = one_error_line(run(*command))
        assert "holds tables that are not a matrix store" in error
    assert postgres.execute(
        database, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    ) == [("customers",)]


def test_reading_commands_do_not_create_a_store(run, postgres, database):
    error = one_error_line(
        run(
            "status", "--period", "2026-07", "--plan", str(SUDAN), "--store", postgres.url(database)
        )
    )
    assert "no store at" in error
    assert postgres.execute(
        database, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
    ) == [(0,)]


# --- failures -------------------------------------------------------------------------------------


def test_a_wrong_password_is_one_line_without_it(run, postgres, database):
    url = postgres.url(database, user=ADMIN, password="not-the-password")
    error = one_error_line(run("store", "init", url))
    assert "refused the login" in error and "password authentication failed" in error
    assert "not-the-password" not in error and postgres.password not in error
    assert f"{ADMIN}:***@" in error


def test_a_server_that_is_down_is_one_line(run, postgres):
    from postgres_helpers import _free_port

    url = f"postgresql://{ADMIN}:secret@127.0.0.1:{_free_port()}/matrix"
    error = one_error_line(run("history", "SDN", "--plan", str(SUDAN), "--store", url))
    assert "cannot be reached" in error and "check that the server is running" in error
    assert "secret" not in error


def test_a_missing_database_is_one_line(run, postgres):
    error = one_error_line(run("store", "init", postgres.url("no_such_database")))
    assert "does not exist" in error and "createdb" in error


def count_of(postgres, database: str) -> int:
    """Submissions recorded so far; 0 before the store's tables exist."""
    tables = postgres.execute(database, "SELECT to_regclass('submissions') IS NOT NULL")
    return (
        postgres.execute(database, "SELECT count(*) FROM submissions")[0][0] if tables[0][0] else 0
    )


def wait_for_submissions(postgres, database: str, count: int, process) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        if count_of(postgres, database) >= count:
            return
        time.sleep(0.02)
    pytest.fail("the collect recorded nothing in time")


def converges(project, postgres, url: str, files_folder: str, expected_total: int) -> None:
    """A re-run records the rest, each file exactly once, the same as one collect from scratch."""
    rerun = matrix_process(project, "collect", files_folder, "--store", url)
    _, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, err
    reference = postgres.url(postgres.database())
    first = matrix_process(project, "collect", "returns", "--store", reference)
    assert first.wait(timeout=300) == 0
    again = matrix_process(project, "collect", files_folder, "--store", reference)
    assert again.wait(timeout=300) == 0
    assert len(recorded(url)) == expected_total
    assert recorded(url) == recorded(reference)


def collect_under_way(project, postgres, database: str, url: str, count: int, options: str = ""):
    """One return collected, then `count` corrected versions of it being collected by a process
    that has recorded a few of them: (the files, the process)."""
    plan = load_plan(project / "plan.yaml")
    returned_matrix(plan, "2026-07", project / "returns")
    assert matrix_process(project, "collect", "returns", "--store", url).wait(timeout=300) == 0
    files = variants(next((project / "returns").glob("*.xlsx")), count, project / "more")
    process = matrix_process(project, "collect", "more", "--store", url + options)
    wait_for_submissions(postgres, database, 3, process)
    return files, process


@pytest.mark.slow
def test_a_connection_cut_mid_collect_is_one_line_and_a_rerun_converges(
    project, postgres, database
):
    url = postgres.url(database)
    files, process = collect_under_way(project, postgres, database, url, 40)
    postgres.execute(
        "postgres",
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE application_name = 'matrix' AND datname = %s",
        database,
    )
    _, err = process.communicate(timeout=120)
    assert process.returncode == 2, err
    [line] = [line for line in err.splitlines() if line.startswith("error: ")]
    assert "lost its connection to the server" in line and "Traceback" not in err
    assert postgres.password not in err
    converges(project, postgres, url, "more", 1 + len(files))


@pytest.mark.slow
def test_a_statement_cancelled_by_statement_timeout_is_one_line_and_a_rerun_converges(
    project, postgres, database
):
    url = postgres.url(database)
    files, process = collect_under_way(
        project, postgres, database, url, 30, options="?options=-c%20statement_timeout%3D1500"
    )
    with postgres.admin(database) as admin, admin.transaction():
        admin.execute(
            "LOCK TABLE progress IN ACCESS EXCLUSIVE MODE"
        )  # the collect's next insert waits
        _, err = process.communicate(timeout=120)
    assert process.returncode == 2, err
    [line] = [line for line in err.splitlines() if line.startswith("error: ")]
    assert "statement_timeout" in line and "nothing half-written was kept" in line
    assert re.search(r"files? (?:was|were) recorded before it stopped", line)
    converges(project, postgres, url, "more", 1 + len(files))


# --- least privilege ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def roles(postgres):
    """The store `matrix` set up exactly as the README says, with a login in each role."""
    postgres.execute("postgres", "CREATE ROLE matrix_owner LOGIN PASSWORD 'owner-pw'")
    postgres.execute("postgres", "CREATE DATABASE matrix OWNER matrix_owner")
    with Store.open(postgres.url("matrix", user="matrix_owner", password="owner-pw")):
        pass  # matrix store init
    postgres.execute("matrix", (ROOT / "docs" / "postgresql-roles.sql").read_text(encoding="utf-8"))
    postgres.execute("matrix", "CREATE ROLE amina LOGIN PASSWORD 'amina-pw' IN ROLE matrix_collect")
    postgres.execute("matrix", "CREATE ROLE hq LOGIN PASSWORD 'hq-pw' IN ROLE matrix_report")
    return {
        "owner": postgres.url("matrix", user="matrix_owner", password="owner-pw"),
        "collect": postgres.url("matrix", user="amina", password="amina-pw"),
        "report": postgres.url("matrix", user="hq", password="hq-pw"),
    }


def test_the_documented_roles_collect_and_report_and_nothing_more(run, project, postgres, roles):
    plan = load_plan(project / "plan.yaml")
    returned_matrix(plan, "2026-07", project / "returns")
    corrected = returned_matrix(
        plan, "2026-07", project / "corrected", share=0.75, name="SDN-corrected.xlsx"
    )
    overview(corrected, plan, {"main_trends": "Fewer kidnappings reported."})  # a narratives row

    refused = one_error_line(run("collect", "returns", "--store", roles["report"]))
    assert "does not allow this" in refused and "permission denied" in refused
    assert "hq-pw" not in refused

    assert run("collect", "returns", "--store", roles["collect"]).exit_code == 0
    superseding = run("collect", corrected, "--store", roles["collect"])
    assert (
        superseding.exit_code == 0 and "accepted, replaces an earlier return" in superseding.output
    )

    for command in (
        ["status", "--period", "2026-07"],
        ["history", "SDN"],
        ["export", "--format", "csv", "-o", "out.csv"],
        ["report", "--period", "2026-07", "-o", "r.html"],
        ["compendium", "-o", "c.html"],
        ["generate", "plan.yaml", "--period", "2026-08", "--all", "--prefill", "-o", "out"],
    ):
        result = run(*command, "--store", roles["report"])
        assert result.exit_code == 0, (command, result.output)
    assert "Fewer kidnappings reported." in (project / "r.html").read_text(encoding="utf-8")
    # generate could not record in the store what it sent: the folder has it, the next collect
    # by a role that may write copies it there
    assert "store-versions-not-kept" in result.stderr
    assert run("collect", corrected, "--store", roles["collect"]).exit_code == 0
    with Store.open(roles["report"], create=False) as store:
        assert {m.period for m in store.issued(plan.id)} == {"2026-08"}

    forbidden = [
        ("collect", "DELETE FROM progress"),
        ("collect", "UPDATE progress SET actual = 0"),
        ("collect", "DROP TABLE progress"),
        ("collect", "CREATE TABLE mine (x INTEGER)"),
        ("collect", "UPDATE summaries SET figures = '[]'"),
        ("report", "DELETE FROM summaries"),
        (
            "report",
            (
                "INSERT INTO plans (plan_id, hash, title, snapshot, first_seen) "
                "VALUES ('x', 'x', 'x', 'x', 'x')"
            ),
        ),
    ]
    for role, statement in forbidden:
        with (
            Store.open(roles[role], create=False) as store,
            pytest.raises(DBAPIError, match="permission denied|must be owner"),
            store.conn.begin(),
        ):
            store.conn.exec_driver_sql(statement)


def test_roles_granted_before_the_summaries_existed_still_collect_and_report(
    run, project, postgres, roles
):
    """Roles set up as the documentation said before store schema 4: collect keeps no summary
    and the report works them out, rather than either failing on the new table."""
    postgres.execute("postgres", "CREATE DATABASE older OWNER matrix_owner")
    owner = postgres.url("older", user="matrix_owner", password="owner-pw")
    with Store.open(owner):
        pass  # matrix store init
    documented = (ROOT / "docs" / "postgresql-roles.sql").read_text(encoding="utf-8")
    before = (
        documented.replace(", summaries TO", " TO")
        .replace("GRANT INSERT, DELETE ON summaries TO matrix_collect;", "")
        .replace("DATABASE matrix", "DATABASE older")
        .replace("matrix_report", "older_report")
        .replace("matrix_collect", "older_collect")
    )
    assert "summaries TO" not in before and "ON summaries" not in before
    postgres.execute("older", before)
    postgres.execute("older", "CREATE ROLE older_amina LOGIN PASSWORD 'a-pw' IN ROLE older_collect")
    postgres.execute("older", "CREATE ROLE older_hq LOGIN PASSWORD 'h-pw' IN ROLE older_report")
    plan = load_plan(project / "plan.yaml")
    returned_matrix(plan, "2026-07", project / "returns")

    collect = run(
        "collect", "returns", "--store", postgres.url("older", user="older_amina", password="a-pw")
    )
    assert collect.exit_code == 0, collect.output
    hq = postgres.url("older", user="older_hq", password="h-pw")
    report = run("report", "--period", "2026-07", "-o", "r.html", "--store", hq)
    assert report.exit_code == 0, report.output
    with Store.open(owner) as store:
        assert store.summaries(plan) == [] and len(store.current_rows(plan)) > 0


# --- a full disk ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny_server():
    """A second cluster whose tablespace `tiny` sits on a 384 KiB file system: room for the
    schema and one return, not for 150."""
    from postgres_helpers import PostgresServer

    if os.geteuid() != 0:
        unavailable("mounting a tmpfs for the server needs root (CI runs as root)")
    try:
        server = PostgresServer().start(tiny_disk="384k")
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        unavailable(f"cannot start a PostgreSQL server on a tiny disk: {exc}")
    yield server
    server.stop()


@pytest.mark.slow
def test_a_full_disk_on_the_server_is_one_line_and_a_rerun_converges(project, tiny_server):
    server, database = tiny_server, tiny_server.database()
    server.execute("postgres", f"CREATE TABLESPACE tiny LOCATION '{server.tiny}'")
    server.execute("postgres", f'ALTER DATABASE "{database}" SET default_tablespace = tiny')
    url = server.url(database)
    plan = load_plan(project / "plan.yaml")
    returned_matrix(plan, "2026-07", project / "returns")
    assert matrix_process(project, "collect", "returns", "--store", url).wait(timeout=300) == 0
    files = variants(next((project / "returns").glob("*.xlsx")), 150, project / "more")
    process = matrix_process(project, "collect", "more", "--store", url)
    _, err = process.communicate(timeout=600)
    assert process.returncode == 2, err
    [line] = [line for line in err.splitlines() if line.startswith("error: ")]
    assert "cannot grow: the server's disk is full" in line and "No space left on device" in line
    done = int(re.split(r" of 150 files? (?:was|were) recorded", line)[0].rsplit("(", 1)[1])
    assert 0 < done < len(files)
    assert len(recorded(url)) == 1 + done  # each file whole or not at all

    for kind in ("TABLE", "INDEX"):  # space freed: the store moves to the server's main disk
        server.execute(database, f"ALTER {kind} ALL IN TABLESPACE tiny SET TABLESPACE pg_default")
    rerun = matrix_process(project, "collect", "more", "--store", url)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert f"{done} duplicate" in out
    assert len(recorded(url)) == 1 + len(files)


# --- serialization failures -----------------------------------------------------------------------

ABORT = (
    "DO $$ BEGIN RAISE EXCEPTION 'could not serialize' "
    "USING ERRCODE = 'serialization_failure'; END $$"
)
"""What PostgreSQL says when it aborts a transaction to keep concurrent ones serializable."""


def test_a_serialization_failure_is_retried_inside_matrix(postgres, database):
    from matrix.store.connection import RETRIES, StoreError, write

    with Store.open(postgres.url(database)) as store:
        attempts, ids = [], itertools.count(101)

        def work(conn, fail_times: int):
            attempts.append(1)
            conn.exec_driver_sql(
                "INSERT INTO matrix_store (id, application, version) "
                f"VALUES ({next(ids)}, 'attempt', 0)"
            )
            if len(attempts) <= fail_times:
                conn.exec_driver_sql(ABORT)
            return len(attempts)

        assert write(store.conn, store.location, lambda conn: work(conn, 2)) == 3
        kept = query(store, "SELECT id FROM matrix_store WHERE application = 'attempt'")
        assert kept == [(103,)]  # the aborted attempts left nothing
        attempts.clear()
        with pytest.raises(StoreError, match="is busy"):
            write(store.conn, store.location, lambda conn: work(conn, RETRIES))
        assert len(attempts) == RETRIES
