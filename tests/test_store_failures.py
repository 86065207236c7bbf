"""A store SQLite cannot use: damaged pages or a full disk give one line and exit 2 from every
command, never a traceback; a collect stopped by a full disk leaves every file recorded whole or
not at all, and running it again converges on what an uninterrupted collect records."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from checkout import SUDAN
from matrix.plan import load_plan
from matrix.store import Store
from store_helpers import integrity_problems, query, returned_matrix, variants


@pytest.fixture
def project(run, tmp_path):
    """The Sudan plan as ./plan.yaml, one return collected into ./matrix.sqlite."""
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    plan = load_plan(tmp_path / "plan.yaml")
    returned_matrix(plan, "2026-07", tmp_path / "returns")
    assert run("collect", "returns").exit_code == 0
    return tmp_path


def damage(store: Path) -> None:
    """Overwrite the start of every page but the first (the schema), as a failing disk would."""
    data = bytearray(store.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert not Path(f"{store}-wal").exists() and len(data) > 2 * page_size
    for start in range(page_size, len(data), page_size):
        data[start : start + 64] = b"\xff" * 64
    store.write_bytes(data)


def error_line(result) -> str:
    lines = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert result.exit_code == 2 and len(lines) == 1, result.output
    return lines[0]


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "csv", "-o", "out.csv"],
        ["history", "SDN"],
        ["report", "--period", "2026-07", "-o", "report.html"],
        ["status", "--period", "2026-07"],
        ["collect", "returns"],
        ["generate", "plan.yaml", "--period", "2026-08", "--all", "-o", "out", "--prefill"],
    ],
    ids=lambda command: command[0] + ("-prefill" if "--prefill" in command else ""),
)
def test_a_damaged_store_is_one_line_for_every_command(run, project, command):
    damage(project / "matrix.sqlite")
    error = error_line(run(*command))
    assert "store matrix.sqlite is damaged (database disk image is malformed)" in error
    assert "restore it from a backup" in error
    assert not (project / "out.csv").exists() and not (project / "report.html").exists()


def test_a_store_damaged_in_its_first_page_is_one_line(run, project):
    store = project / "matrix.sqlite"
    data = bytearray(store.read_bytes())
    data[100:4096] = b"\x07" * (4096 - 100)  # the schema page, after the header
    store.write_bytes(data)
    assert "is damaged" in error_line(run("status", "--period", "2026-07"))


def limited_to(pages: int):
    """sqlite3's connect, with every connection's database capped at `pages` pages: a real SQLite
    'database or disk is full' once the store would grow past them."""
    connect = sqlite3.dbapi2.connect

    def limited(*args, **kwargs):
        conn = connect(*args, **kwargs)
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    return limited


def submissions(store: Path) -> list[tuple]:
    with Store.open(store, create=False) as opened:
        assert integrity_problems(opened) == []
        return query(
            opened,
            "SELECT file_name, office, period, outcome, superseded_by, row_count FROM submissions "
            "ORDER BY id",
        )


def test_a_full_disk_stops_collect_cleanly_and_running_again_converges(run, project, monkeypatch):
    files = variants(next((project / "returns").glob("*.xlsx")), 12, project / "more")
    with Store.open(project / "matrix.sqlite") as store:
        [(pages,)] = query(store, "PRAGMA page_count")

    with monkeypatch.context() as patch:
        patch.setattr(sqlite3.dbapi2, "connect", limited_to(pages + 3))
        error = error_line(run("collect", "more"))
    assert "store matrix.sqlite cannot grow: the disk is full (database or disk is full)" in error
    recorded = int(re.split(r" of 12 files? (?:was|were) recorded", error)[0].rsplit("(", 1)[1])
    assert 0 < recorded < len(files)
    assert (
        len(submissions(project / "matrix.sqlite")) == 1 + recorded
    )  # each file whole or not at all

    again = run("collect", "more")
    assert again.exit_code == 0, again.output
    assert f"{recorded} duplicate" in again.output
    reference = project / "reference.sqlite"
    assert run("collect", "returns", "--store", reference).exit_code == 0
    assert run("collect", "more", "--store", reference).exit_code == 0
    assert submissions(project / "matrix.sqlite") == submissions(reference)
