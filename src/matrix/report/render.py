"""Turn a `ReportContext` into one self-contained HTML file, and write it safely."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from matrix.errors import MatrixError
from matrix.report.context import ReportContext
from matrix.templating import environment

TEMPLATE = "report.html"


def render_report(context: ReportContext) -> str:
    return environment().get_template(TEMPLATE).render(r=context, L=context.labels)


def write_report(context: ReportContext, path: str | Path) -> Path:
    """Write atomically: a reader never sees half a report, and a failure leaves the old one."""
    path = Path(path)
    html = render_report(context)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(html)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise MatrixError(f"cannot write the report to {path}: {exc.strerror or exc}") from None
    return path
