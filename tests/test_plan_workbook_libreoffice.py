"""A plan workbook saved again by LibreOffice Calc (real soffice) reads back as the same plan:
a coordinator may edit it in Calc, not only in Excel."""

from __future__ import annotations

import pytest

from checkout import DAR, SUDAN
from libreoffice_helpers import saved_by_calc
from matrix.plan import load_plan, read_plan
from plan_workbook_helpers import drop_downs, export, rich_plan

CASES = {
    "sudan-en": (SUDAN, "en"),
    "dar-es-salaam-fr": (DAR, "fr"),
    "sudan-ar": (SUDAN, "ar"),
    "rich-en": (None, "en"),
}


@pytest.fixture(scope="module")
def calc_copies(tmp_path_factory):
    """case -> (plan, the workbook as LibreOffice saved it)."""
    src = tmp_path_factory.mktemp("exported")
    plans = {
        case: load_plan(plan_file) if plan_file else rich_plan()
        for case, (plan_file, _) in CASES.items()
    }
    paths = [export(plans[case], src / f"{case}.xlsx", lang) for case, (_, lang) in CASES.items()]
    out = saved_by_calc(paths, tmp_path_factory)
    return {case: (plans[case], out / f"{case}.xlsx") for case in CASES}


@pytest.mark.libreoffice
@pytest.mark.parametrize("case", CASES)
def test_a_workbook_saved_by_libreoffice_reads_back_identically(calc_copies, case):
    plan, path = calc_copies[case]
    back, issues = read_plan(path)
    assert back == plan, [i.render() for i in issues]
    assert back.content_hash() == plan.content_hash()
    assert not [i for i in issues if i.is_error]


@pytest.mark.libreoffice
def test_drop_downs_survive_libreoffice(calc_copies):
    from test_plan_workbook import EXPECTED_DROP_DOWNS

    _, path = calc_copies["sudan-en"]
    assert drop_downs(path) == EXPECTED_DROP_DOWNS
