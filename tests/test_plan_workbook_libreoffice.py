"""A plan workbook saved again by LibreOffice Calc (real soffice) reads back as the same plan:
a coordinator may edit it in Calc, not only in Excel."""

from __future__ import annotations

import subprocess

import pytest

from conftest import DAR, SUDAN, require_tool
from matrix.plan import load_plan, read_plan
from plan_workbook_helpers import drop_downs, export, rich_plan

CASES = {
    "sudan-en": (SUDAN, "en"),
    "dar-es-salaam-fr": (DAR, "fr"),
    "sudan-ar": (SUDAN, "ar"),
    "rich-en": (None, "en"),
}


@pytest.fixture(scope="module")
def saved_by_calc(tmp_path_factory):
    """case -> (plan, the workbook as LibreOffice saved it)."""
    soffice = require_tool("soffice")
    src, out = tmp_path_factory.mktemp("exported"), tmp_path_factory.mktemp("calc")
    profile = tmp_path_factory.mktemp(
        "lo-profile"
    )  # private: parallel runs must not share a profile
    plans = {}
    for case, (plan_file, lang) in CASES.items():
        plans[case] = load_plan(plan_file) if plan_file else rich_plan()
        export(plans[case], src / f"{case}.xlsx", lang)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *(str(src / f"{case}.xlsx") for case in CASES),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return {case: (plans[case], out / f"{case}.xlsx") for case in CASES}


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", CASES)
def test_a_workbook_saved_by_libreoffice_reads_back_identically(saved_by_calc, case):
    plan, path = saved_by_calc[case]
    back, issues = read_plan(path)
    assert back == plan, [i.render() for i in issues]
    assert back.content_hash() == plan.content_hash()
    assert not [i for i in issues if i.is_error]


@pytest.mark.libreoffice
def test_drop_downs_survive_libreoffice(saved_by_calc):
    from test_plan_workbook import EXPECTED_DROP_DOWNS

    _, path = saved_by_calc["sudan-en"]
    assert drop_downs(path) == EXPECTED_DROP_DOWNS
