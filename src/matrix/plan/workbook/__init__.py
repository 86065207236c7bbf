"""The plan as a workbook a coordinator edits in Excel or LibreOffice: `matrix plan export` writes
it, `matrix plan import` writes it back as YAML, and every command takes it as the plan
(`matrix.plan.read_plan` reads a workbook by its content, whatever its name).

`layout` declares the sheets, settings and columns (derived from the plan's models), `cells` turns
one value into one cell and back, `writer` writes the workbook and `reader` reads it, every problem
placed at its sheet and cell.
"""

from __future__ import annotations

from pathlib import Path

from matrix._version import __version__
from matrix.errors import MatrixError
from matrix.files import StandardOutput, Target, write_file, write_text
from matrix.i18n import t
from matrix.models.issues import Issue
from matrix.signing import protected_inputs

__all__ = ["export_plan", "import_plan"]


def export_plan(
    plan_path: Path,
    out: Target,
    *,
    lang: str = "en",
    force: bool = False,
) -> tuple[list[Issue], bool]:
    """Write the plan at `plan_path` (YAML or a workbook) as a workbook at `out`. Returns the
    plan's issues and whether the workbook was written: it is whenever the plan can be read, even
    with errors, so they can be fixed in the workbook."""
    from matrix.plan.load import read_plan
    from matrix.plan.workbook.writer import write_plan_workbook

    plan, issues = read_plan(plan_path)
    if plan is None:
        return issues, False
    _refuse_existing(out, force)
    write_file(
        out,
        lambda stream: write_plan_workbook(plan, stream, lang),
        inputs=protected_inputs(plan_path),
    )
    return issues, True


def import_plan(
    workbook: Path, out: Target, *, force: bool = False, lang: str = "en"
) -> tuple[list[Issue], bool]:
    """Write the plan in `workbook` (or any plan file) as YAML at `out`, in the examples' order;
    comments of an earlier YAML are not kept. Returns the issues and whether it was written
    (whenever the plan can be read)."""
    from matrix.plan.load import read_plan
    from matrix.plan.yaml_writer import plan_yaml

    plan, issues = read_plan(workbook)
    if plan is None:
        return issues, False
    _refuse_existing(out, force)
    name = "plan.yaml" if isinstance(out, StandardOutput) else Path(out).name
    comment = t(
        lang, "plan_workbook.imported", workbook=Path(workbook).name, version=__version__, out=name
    )
    write_text(out, plan_yaml(plan, comment=comment), inputs=protected_inputs(workbook))
    return issues, True


def _refuse_existing(out: Target, force: bool) -> None:
    if not isinstance(out, StandardOutput) and Path(out).exists() and not force:
        raise MatrixError("error.out_exists", path=out)
