"""The package is scriptable without the CLI, and importing it stays light."""

import subprocess
import sys

import pytest

import matrix


@pytest.mark.parametrize("name", matrix.__all__)
def test_every_public_name_resolves(name):
    assert getattr(matrix, name) is not None


def test_unknown_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError):
        matrix.no_such_thing  # noqa: B018


def test_importing_the_cli_does_not_load_spreadsheet_or_template_libraries():
    code = (
        "import sys, matrix.cli; "
        "print(sorted(m for m in ('openpyxl', 'xlsxwriter', 'jinja2') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_scripting_the_cycle_from_python(tmp_path):
    from checkout import SUDAN

    plan = matrix.load_plan(SUDAN)
    [path] = matrix.generate_matrices(
        plan, "2026-07", countries=None, regional=False, lang="en", out_dir=tmp_path
    )
    result = matrix.validate_file(plan, path)
    assert result.identity is not None and result.identity.office == "SDN"
    with matrix.Store.open(tmp_path / "store.sqlite") as store:
        outcomes = matrix.collect_returns(plan, [path], store)
    assert len(outcomes) == 1


def test_every_lazy_entry_point_is_public():
    assert set(matrix._LAZY) <= set(matrix.__all__)
