"""Signed matrices (issue 13, point 2): the project key made by `init` or the first `generate`,
found beside the plan by every command, and an edited or forged hidden record refused before it
reaches the store; matrices made before the key keep validating with a warning."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import openpyxl
import pytest

from checkout import DAR, require_tool
from libreoffice_helpers import calc_convert
from matrix.plan import load_plan
from matrix.signing import KEY_BYTES, KEY_FILE
from matrix.store import Store
from store_helpers import query
from validation_helpers import (
    edit_metadata,
    fill,
    fill_good,
    good_values,
    make_matrix,
    ref_rows,
    sheet_of,
)

FIRST = "2026-Q3"


@pytest.fixture
def project(tmp_path, monkeypatch):
    """The Dar es Salaam plan as ./plan.yaml, with no project key anywhere yet."""
    monkeypatch.delenv("MATRIX_KEY_FILE")
    shutil.copy(DAR, tmp_path / "plan.yaml")
    return tmp_path


def generated(
    run, folder: Path, *offices: str, plan: str = "plan.yaml", extra: tuple[str, ...] = ()
) -> list[Path]:
    args = [a for office in offices for a in ("--country", office)] or ["--regional"]
    result = run("generate", plan, "--period", FIRST, *args, "-o", folder, *extra)
    assert result.exit_code == 0, result.output
    return [Path(line) for line in result.stdout.split()]


def codes(output: str) -> list[str]:
    return [
        line.split("  ")[-2]
        for line in output.splitlines()
        if "  error  " in line or "  warning  " in line
    ]


def test_first_generate_makes_the_key_and_says_to_keep_it(run, project):
    first = run("generate", "plan.yaml", "--period", FIRST, "--country", "KEN", "-o", "sent")
    assert first.exit_code == 0
    key = project / KEY_FILE
    assert first.stderr.strip() == (
        f"created the project key {KEY_FILE}: it signs every matrix generated for this plan, "
        "and validate and collect check returns with it; back it up with the plan and the store, "
        "never send it to offices"
    )
    assert len(key.read_bytes()) == KEY_BYTES
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    secret = key.read_bytes()
    again = run("generate", "plan.yaml", "--period", FIRST, "--country", "ETH", "-o", "sent")
    assert again.exit_code == 0 and again.stderr == ""
    assert key.read_bytes() == secret
    assert not list((project / "sent").glob(".*"))  # nothing of the key goes out with the matrices


def test_a_refused_generate_makes_no_key(run, project):
    assert run("generate", "plan.yaml", "--period", "2026-13", "--all").exit_code == 2
    assert not (project / KEY_FILE).exists()


def test_init_makes_the_key_with_the_plan(run, tmp_path, monkeypatch):
    monkeypatch.delenv("MATRIX_KEY_FILE")
    result = run("init", "proj")
    assert result.exit_code == 0
    key = tmp_path / "proj" / KEY_FILE
    assert (
        f"created the project key {key.relative_to(tmp_path)}" in result.stderr
    )  # a message, not data
    assert len(key.read_bytes()) == KEY_BYTES and stat.S_IMODE(key.stat().st_mode) == 0o600


def test_every_command_finds_the_key_beside_the_plan_wherever_it_runs(
    run, tmp_path, monkeypatch, dar
):
    monkeypatch.delenv("MATRIX_KEY_FILE")
    (tmp_path / "project").mkdir()
    shutil.copy(DAR, tmp_path / "project" / "plan.yaml")
    [path] = generated(run, tmp_path / "sent", "KEN", plan="project/plan.yaml")
    assert (tmp_path / "project" / KEY_FILE).is_file() and not (tmp_path / KEY_FILE).exists()
    fill_good(path, dar)

    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    assert (
        run("validate", path, "--plan", tmp_path / "project" / "plan.yaml").stdout.strip()
        == f"{path}: valid"
    )
    result = run("collect", path, "--plan", "../project/plan.yaml")
    assert result.exit_code == 0 and "accepted" in result.stdout
    assert run("validate", path).exit_code == 2  # no plan here: the key alone decides nothing

    shutil.copy(DAR, tmp_path / "elsewhere" / "plan.yaml")  # the same plan, away from its key
    result = run("validate", path)
    assert result.exit_code == 0
    assert codes(result.stdout) == ["signature-unverified"]
    assert f"no project key at {KEY_FILE}" in result.stdout


def test_matrix_key_file_names_a_key_kept_away_from_the_plan(
    run, project, tmp_path, monkeypatch, dar
):
    key = tmp_path / "secrets" / "dar.key"
    key.parent.mkdir()
    monkeypatch.setenv("MATRIX_KEY_FILE", str(key))
    [path] = generated(run, project / "sent", "KEN")
    assert key.is_file() and not (project / KEY_FILE).exists()
    fill_good(path, dar)
    assert run("validate", path).stdout.strip() == f"{path}: valid"
    monkeypatch.delenv("MATRIX_KEY_FILE")
    assert codes(run("validate", path).stdout) == ["signature-unverified"]


def test_a_damaged_key_stops_the_command_in_one_line(run, project):
    [path] = generated(run, project / "sent", "KEN")
    (project / KEY_FILE).write_bytes(b"short")
    result = run("validate", path)
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: the project key {KEY_FILE} is damaged (5 bytes, not 32); restore it from the "
        "project's backup\n"
    )


def test_an_office_cannot_overwrite_another_offices_return(run, project):
    """ETH edits its hidden record to say KEN, in every way short of knowing the key."""
    plan = load_plan(project / "plan.yaml")
    kenya, ethiopia = generated(run, project / "sent", "KEN", "ETH")
    fill_good(kenya, plan)
    assert run("collect", kenya).exit_code == 0
    with Store.open(project / "matrix.sqlite", create=False) as store:
        kenya_rows = store.current_rows(plan, country="KEN")
    assert kenya_rows

    values = good_values(plan, list(ref_rows(sheet_of(openpyxl.load_workbook(ethiopia), "ETH"))))
    for cells in values.values():
        cells["comments"] = "written by ETH"
    fill(ethiopia, values)
    forgeries = {
        "office only": (
            {"office": "KEN"},
            None,
            frozenset(),
            ["metadata-signature-mismatch", "metadata-inconsistent"],
        ),
        "office, sheets and fingerprints": (
            {},
            ("ETH", "KEN"),
            frozenset(),
            ["metadata-signature-mismatch"],
        ),
        "and the signature removed": (
            {},
            ("ETH", "KEN"),
            frozenset({"signature"}),
            ["metadata-signature-missing"],
        ),
    }
    for name, (values, replace, drop, expected) in forgeries.items():
        forged = project / "inbox" / f"{name}.xlsx"
        forged.parent.mkdir(exist_ok=True)
        shutil.copy(ethiopia, forged)
        edit_metadata(forged, values, replace=replace, drop=drop)
        result = run("validate", forged)
        assert result.exit_code == 1 and codes(result.stdout) == expected, (name, result.stdout)
        result = run("collect", forged)
        assert (
            result.exit_code == 1 and "0 accepted, 0 superseded an earlier return" in result.stdout
        )

    with Store.open(project / "matrix.sqlite", create=False) as store:
        assert store.current_rows(plan, country="KEN") == kenya_rows
        assert "written by ETH" not in str(query(store, "SELECT comments FROM progress"))
        assert query(store, "SELECT count(*) FROM submissions WHERE office = 'KEN'") == [(1,)]


def test_a_matrix_signed_by_another_project_is_refused(run, project, tmp_path, dar):
    other = tmp_path / "other"
    other.mkdir()
    shutil.copy(DAR, other / "plan.yaml")
    [path] = generated(run, tmp_path / "sent", "KEN", plan="other/plan.yaml")
    fill_good(path, dar)
    generated(run, tmp_path / "ours", "KEN")  # this project's own key
    result = run("validate", path)
    assert result.exit_code == 1 and codes(result.stdout) == ["metadata-signature-mismatch"]


def test_matrices_made_before_the_key_keep_validating_with_a_warning(run, project):
    plan = load_plan(project / "plan.yaml")
    _, path = make_matrix(project / "sent-last-year", project / "plan.yaml", country="KEN")
    fill_good(path, plan)
    assert run("validate", path).stdout.strip() == f"{path}: valid"  # no key yet: nothing to say
    generated(run, project / "sent", "ETH")
    key = project / KEY_FILE
    later = key.stat().st_mtime + 5  # the key came after the matrix, as when upgrading mid-cycle
    os.utime(key, (later, later))
    result = run("validate", path)
    assert result.exit_code == 0 and codes(result.stdout) == ["workbook-unsigned"]
    assert "nothing proves it is KEN's return for 2026-Q3" in result.stdout
    assert run("validate", path, "--strict").exit_code == 1
    result = run("collect", path)
    assert result.exit_code == 0 and "accepted" in result.stdout


def test_a_signed_regional_workbook_prefilled_from_the_store_validates(run, project):
    plan = load_plan(project / "plan.yaml")
    [regional] = generated(run, project / "q3")
    for office in [*plan.countries, plan.region.code]:
        fill_good(regional, plan, office=office)
    assert run("collect", regional).exit_code == 0
    result = run(
        "generate", "plan.yaml", "--period", "2026-Q4", "--regional", "--prefill", "-o", "q4"
    )
    assert result.exit_code == 0, result.output
    [prefilled] = (project / "q4").glob("*.xlsx")
    result = run("validate", prefilled)  # with the store beside it: sent back as pre-filled
    assert result.exit_code == 0 and f"{prefilled}: valid (" in result.stdout
    assert "no-update" in codes(result.stdout)

    edit_metadata(prefilled, replace=("matrix:KEN", "notes"))
    result = run("validate", prefilled)
    assert result.exit_code == 1
    assert codes(result.stdout) == ["metadata-signature-mismatch", "metadata-inconsistent"]


def test_a_signed_return_saved_by_libreoffice_still_verifies(run, project, tmp_path, dar):
    require_tool("soffice")  # before building anything
    [path] = generated(run, project / "sent", "KEN", extra=("--lang", "fr"))
    fill_good(path, dar, lang="fr")
    calc_convert([path], tmp_path / "saved", tmp_path / "profile")
    saved = tmp_path / "saved" / path.name
    assert run("validate", saved).stdout.strip() == f"{saved}: valid"


def test_the_office_is_told_its_matrix_was_changed_and_a_fresh_one_is_coming(run, project, dar):
    [path] = generated(run, project / "sent", "KEN")
    fill_good(path, dar)
    edit_metadata(
        path, {"period": "2027-Q1"}
    )  # a real period of the plan: only the signature tells
    result = run("validate", path, "--annotate", project / "feedback")
    assert result.exit_code == 1 and codes(result.stdout) == ["metadata-signature-mismatch"]
    feedback = openpyxl.load_workbook(project / "feedback" / f"{path.stem}_feedback.xlsx")[
        "Feedback"
    ]
    [row] = [[cell.value for cell in row] for row in feedback.iter_rows(min_row=5)]
    assert (row[0], row[5]) == ("error", "metadata-signature-mismatch")
    assert "was edited after the matrix was generated" in row[4]
    assert (
        "needs a fresh matrix from the coordinator, to copy its entries into and return" in row[4]
    )


def test_the_demo_signs_its_matrices_with_its_own_key(run, tmp_path, monkeypatch):
    monkeypatch.delenv("MATRIX_KEY_FILE")
    assert run("demo", "demo").exit_code == 0
    assert len((tmp_path / "demo" / KEY_FILE).read_bytes()) == KEY_BYTES
    returns = tmp_path / "demo" / "returns" / "2026-Q3"
    result = run("validate", returns, "--plan", "demo/plan.yaml")
    assert result.exit_code == 1  # MOZ's first return has its mistake; the signatures are all good
    assert not [code for code in codes(result.stdout) if "sign" in code]
    edit_metadata(
        next(returns.glob("KEN_*")), {"office": "TZA"}, replace=("matrix:KEN", "matrix:TZA")
    )
    monkeypatch.chdir(tmp_path / "demo")
    result = run("validate", "returns/2026-Q3")
    assert codes(result.stdout).count("metadata-signature-mismatch") == 1


def test_a_key_that_cannot_be_made_stops_generate_in_one_line(run, project, monkeypatch):
    monkeypatch.setenv("MATRIX_KEY_FILE", str(project / "no such folder" / KEY_FILE))
    result = run("generate", "plan.yaml", "--period", FIRST, "--country", "KEN", "-o", "sent")
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: cannot create the project key {project / 'no such folder' / KEY_FILE}: no such "
        "file or folder; set MATRIX_KEY_FILE to a file path in a folder you can write to\n"
    )
    assert not list((project / "sent").glob("*.xlsx"))
