"""`matrix generate` as a coordinator runs it: file names, overwrite protection, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from checkout import DAR, SUDAN
from matrix.codes import Code
from matrix.errors import MatrixError
from matrix.generate import generate
from test_plan import MINIMAL, write
from workbook_helpers import metadata, open_workbook

DAR_COUNTRIES = ["ETH", "KEN", "TZA", "BDI", "MWI", "MOZ", "ZAF"]


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_all_writes_one_workbook_per_country(run, tmp_path):
    result = run("generate", DAR, "--period", "2026-Q3", "--all", "-o", "out")
    assert result.exit_code == 0, result.stderr
    expected = sorted(
        f"{c}_2026-Q3_dar-es-salaam-follow-up{'_fr' if c == 'BDI' else ''}.xlsx"
        for c in DAR_COUNTRIES
    )  # Burundi works in French
    assert names(tmp_path / "out") == expected
    assert sorted(Path(line).name for line in result.stdout.splitlines()) == expected
    identity = metadata(open_workbook(tmp_path / "out" / expected[1])).identity
    assert (identity.office, identity.period, identity.lang, identity.regional) == (
        "ETH",
        "2026-Q3",
        "en",
        False,
    )
    assert metadata(open_workbook(tmp_path / "out" / expected[0])).identity.lang == "fr"


def test_country_and_language(run, tmp_path):
    result = run("generate", SUDAN, "--period", "2026-07", "--country", "sdn", "--lang", "ar")
    assert result.exit_code == 0, result.stderr
    assert names(tmp_path) == [
        "SDN_2026-07_sdn-joint-strategy_ar.xlsx"
    ]  # not the plan's language: named
    assert (
        metadata(open_workbook(tmp_path / "SDN_2026-07_sdn-joint-strategy_ar.xlsx")).identity.lang
        == "ar"
    )


def test_regional_writes_one_workbook_for_the_region(run, tmp_path):
    result = run("generate", DAR, "--period", "2026-Q3", "--regional", "--lang", "fr")
    assert result.exit_code == 0, result.stderr
    assert names(tmp_path) == ["EHAGL_2026-Q3_dar-es-salaam-follow-up_fr.xlsx"]
    meta = metadata(open_workbook(tmp_path / "EHAGL_2026-Q3_dar-es-salaam-follow-up_fr.xlsx"))
    assert meta.identity.regional and list(meta.matrix_sheets()) == [*DAR_COUNTRIES, "EHAGL"]


def test_refuses_to_overwrite_without_force(run, tmp_path):
    assert (
        run("generate", DAR, "--period", "2026-Q3", "--country", "KEN", "-o", "out").exit_code == 0
    )
    kept = tmp_path / "out" / "KEN_2026-Q3_dar-es-salaam-follow-up.xlsx"
    before = kept.stat().st_mtime_ns
    result = run("generate", DAR, "--period", "2026-Q3", "--all", "-o", "out")
    assert result.exit_code == 2
    assert "KEN_2026-Q3" in result.stderr and "--force" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert names(tmp_path / "out") == [kept.name]  # nothing else written either
    assert kept.stat().st_mtime_ns == before

    result = run("generate", DAR, "--period", "2026-Q3", "--all", "-o", "out", "--force")
    assert result.exit_code == 0
    assert len(names(tmp_path / "out")) == len(DAR_COUNTRIES)


@pytest.mark.parametrize(
    "args, message",
    [
        (["--period", "2026-13", "--all"], "is not a period"),
        (["--period", "2026-Q3", "--all"], "monthly"),
        (["--period", "2026-01", "--all"], "before the plan's first reporting period"),
        (
            ["--period", "2026-07", "--country", "KEN"],
            "KEN is not in plan sdn-joint-strategy; its countries are SDN",
        ),
        (["--period", "2026-07", "--regional"], "has no region"),
    ],
)
def test_bad_input_exits_2_with_one_line(run, tmp_path, args, message):
    result = run("generate", SUDAN, *args)
    assert result.exit_code == 2
    assert message in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert names(tmp_path) == []


@pytest.mark.parametrize("args", [[], ["--all", "--country", "SDN"], ["--all", "--regional"]])
def test_exactly_one_choice_of_offices(run, args):
    result = run("generate", SUDAN, "--period", "2026-07", *args)
    assert result.exit_code == 2
    assert "exactly one of" in result.stderr


def test_bad_plan_exits_2(run, tmp_path):
    (tmp_path / "plan.yaml").write_text("schema_version: 1\nid: x\n", encoding="utf-8")
    result = run("generate", "plan.yaml", "--period", "2026-07", "--all")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ") and result.stderr.strip().count("\n") == 0


def test_library_call_reports_progress_and_leaves_no_temporary_files(tmp_path, dar):
    plan = dar
    seen = []
    paths = generate(
        plan,
        "2026-Q3",
        countries=["ken", "ETH", "KEN"],
        regional=False,
        lang="es",
        out_dir=tmp_path / "new" / "dir",
        progress=seen.append,
    )
    assert [p.name[:3] for p in paths] == ["KEN", "ETH"] and seen == paths
    assert names(tmp_path / "new" / "dir") == sorted(p.name for p in paths)
    assert all(
        p.stat().st_mode & 0o044 for p in paths
    )  # readable by others, like any file the user saves


def test_library_refuses_unknown_language_and_both_countries_and_region(tmp_path, dar):
    plan = dar
    with pytest.raises(MatrixError, match="language 'de'"):
        generate(plan, "2026-Q3", countries=None, regional=False, lang="de", out_dir=tmp_path)
    with pytest.raises(MatrixError, match="not both"):
        generate(plan, "2026-Q3", countries=["KEN"], regional=True, lang="en", out_dir=tmp_path)
    assert names(tmp_path) == []


def test_an_output_folder_that_cannot_be_made_is_one_line(run, tmp_path):
    (tmp_path / "taken").write_text("a file, not a folder", encoding="utf-8")
    result = run("generate", SUDAN, "--period", "2026-07", "--all", "-o", "taken/out")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: cannot create taken/out")


ENDED = (
    MINIMAL.replace("first_period: 2026-Q3", "first_period: 2020-Q1")
    .replace("start: 2026-07-01", "start: 2020-01-01")
    .replace("end: 2026-12-31", "end: 2020-06-30")
)


def test_generate_warns_when_every_activity_has_ended_before_the_period(run, tmp_path):
    plan = write(tmp_path, ENDED)
    result = run("generate", plan, "--period", "2020-Q4", "--all", "-o", "late")
    assert result.exit_code == 0, result.stderr
    assert (
        Code.PERIOD_AFTER_ACTIVITIES.message(period="2020-Q4", start="2020-10-01", end="2020-06-30")
        in result.stderr
    )
    assert (tmp_path / "late" / "SDN_2020-Q4_test-plan.xlsx").exists()
    during = run("generate", plan, "--period", "2020-Q2", "--all", "-o", "during")
    assert during.exit_code == 0 and "period-after-activities" not in during.stderr


def test_an_activity_without_an_end_has_not_ended(run, tmp_path):
    plan = write(tmp_path, ENDED.replace("        end: 2020-06-30\n", ""))
    result = run("generate", plan, "--period", "2020-Q4", "--all", "-o", "out")
    assert result.exit_code == 0 and "period-after-activities" not in result.stderr
