"""Many returns: directories expanded, worker processes give identical results in input order,
and a file that kills its worker is reported alone while the others are still validated."""

from __future__ import annotations

import os
import shutil

import matrix.validation.batch
from checkout import SUDAN
from matrix.models.returns import ValidationResult
from matrix.validation import validate_paths, workbook_paths
from validation_helpers import fill, fill_good, make_matrix


def returns_folder(tmp_path, count=5):
    plan, first = make_matrix(tmp_path / "returns", SUDAN)
    fill_good(first, plan)
    paths = [first]
    for n in range(1, count):
        copy = tmp_path / "returns" / f"copy{n}.xlsx"
        shutil.copy(first, copy)
        fill(copy, {"AP3-1": {"actual": f"about {n}"}})
        paths.append(copy)
    return plan, tmp_path / "returns", paths


def test_folder_means_its_workbooks_sorted_without_lock_files(tmp_path):
    for name in (
        "b.xlsx",
        "a.XLSX",
        "~$a.xlsx",
        ".~lock.b.xlsx#",
        "notes.txt",
        "c.csv",
        "d.xls",
        "e.xlsm",
    ):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in workbook_paths([tmp_path])] == [
        "a.XLSX",
        "b.xlsx",
        "c.csv",
        "d.xls",
        "e.xlsm",
    ]


def test_folder_includes_period_subfolders_but_not_hidden_ones(tmp_path):
    for name in ("2026-Q3/SDN.xlsx", "2026-Q4/SDN.xlsx", ".trash/old.xlsx", "top.xlsx"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in workbook_paths([tmp_path])]
    assert found == ["2026-Q3/SDN.xlsx", "2026-Q4/SDN.xlsx", "top.xlsx"]


def test_workers_give_the_same_results_in_input_order(tmp_path):
    plan, folder, _paths = returns_folder(tmp_path)
    one = validate_paths(plan, [folder], workers=1)
    two = validate_paths(plan, [folder], workers=2)
    assert [r.model_dump() for r in one] == [r.model_dump() for r in two]
    assert [r.file for r in two] == [str(p) for p in workbook_paths([folder])]


def crash_on_copies(plan, path, *, previous=None, key=None, versions=None):
    """Stands in for a reader that aborts the process (a native crash) on some files."""
    if "copy2" in str(path):
        os._exit(70)
    return ValidationResult(file=str(path))


def test_a_crashing_file_is_reported_and_the_rest_validated(tmp_path, monkeypatch):
    plan, _folder, paths = returns_folder(tmp_path)
    monkeypatch.setattr(matrix.validation.batch, "validate_file", crash_on_copies)
    results = validate_paths(plan, paths, workers=2)
    assert [r.file for r in results] == [str(p) for p in paths]
    assert [[i.code for i in r.issues] for r in results] == [[], [], ["reader-crashed"], [], []]
