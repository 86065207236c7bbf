"""Turn a `ReportContext` into one self-contained HTML file, and write it safely."""

from __future__ import annotations

from pathlib import Path

from matrix.errors import MatrixError
from matrix.files import Inputs, StandardOutput, Target, describe, write_text
from matrix.report.context import ReportContext
from matrix.report.formatting import Formatter
from matrix.templating import environment

TEMPLATE = "report.html"


def render_report(context: ReportContext) -> str:
    return (
        environment()
        .get_template(TEMPLATE)
        .render(r=context, L=context.labels, F=Formatter(context.lang))
    )


def write_report(
    context: ReportContext, path: Target, *, inputs: Inputs | None = None
) -> Path | StandardOutput:
    """Write atomically: a reader never sees half a report, and a failure leaves the old one."""
    html = render_report(context)
    if isinstance(path, StandardOutput):
        return write_text(path, html)
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MatrixError("error.cannot_create", path=path.parent, reason=describe(exc)) from None
    return write_text(path, html, inputs=inputs)
