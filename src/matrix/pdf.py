"""HTML pages printed to PDF by headless Chromium (or Google Chrome), the browser the HTML is
designed and tested in: the page's own print stylesheet (A4, margins, page breaks) decides the
layout, so the PDF is what printing the page from the browser gives. Used by the report and the
compendium (`write_page`: HTML or PDF, by the file's name).

The page is written to a private temporary folder with a throwaway browser profile, so nothing is
read from or left in the user's own browser; the browser is stopped with everything it started
when it fails, runs too long, or the command is interrupted.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from matrix.errors import MatrixError
from matrix.files import Inputs, StandardOutput, Target, describe, write_file, write_text
from matrix.i18n import phrase

FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf"}
BROWSER_ENV = "MATRIX_CHROMIUM"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT_SECONDS = 180
FLAGS = (
    "--headless",
    "--disable-gpu",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def find_browser() -> str | None:
    """`$MATRIX_CHROMIUM`, else the first Chromium or Chrome on the PATH."""
    given = os.environ.get(BROWSER_ENV)
    if given:
        return shutil.which(given)
    return next((found for name in BROWSERS if (found := shutil.which(name))), None)


def missing_browser() -> MatrixError:
    return MatrixError("error.no_browser", variable=BROWSER_ENV)


def html_to_pdf(html: str) -> bytes:
    """The PDF of `html`, as Chromium prints it. Raises MatrixError when it cannot."""
    browser = find_browser()
    if browser is None:
        raise missing_browser()
    with tempfile.TemporaryDirectory(prefix="matrix-pdf-") as folder:
        page, pdf = Path(folder) / "page.html", Path(folder) / "page.pdf"
        page.write_text(html, encoding="utf-8")
        command = [
            browser,
            *FLAGS,
            *(("--no-sandbox",) if _is_root() else ()),  # Chromium refuses to run as root otherwise
            f"--user-data-dir={Path(folder) / 'profile'}",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        problem = _run(command)
        if not pdf.is_file() or not pdf.stat().st_size:
            raise MatrixError(
                "error.pdf_not_written",
                browser=browser,
                reason=problem or phrase("error.no_reason"),
            )
        return pdf.read_bytes()


def write_pdf(html: str, path: Target, *, inputs: Inputs | None = None) -> Path | StandardOutput:
    """Print `html` to PDF at `path`, atomically, never over one of `inputs`."""
    document = html_to_pdf(html)
    return write_file(path, lambda out: out.write(document), inputs=inputs)


def page_format(out: Path | StandardOutput) -> str:
    """'html' or 'pdf' from the file's name (standard output: HTML); raises MatrixError for a name
    that says neither, before anything is computed."""
    if isinstance(out, StandardOutput):
        return "html"
    kind = FORMATS.get(out.suffix.lower())
    if kind is None:
        raise MatrixError("error.document_format", path=out)
    return kind


def write_page(
    html: str, out: Path | StandardOutput, kind: str, *, inputs: Inputs | None = None
) -> Path | StandardOutput:
    """Write the page as HTML, or printed to PDF, atomically and never over one of `inputs`."""
    if isinstance(out, StandardOutput):
        return write_pdf(html, out) if kind == "pdf" else write_text(out, html)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MatrixError("error.cannot_create", path=out.parent, reason=describe(exc)) from None
    if kind == "pdf":
        return write_pdf(html, out, inputs=inputs)
    return write_text(out, html, inputs=inputs)


def _run(command: list[str]) -> str:
    """Run the browser in a session of its own; its last line of errors, if it failed."""
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # so its helper processes can be stopped with it
    )
    try:
        _, errors = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        _stop(process)
        raise MatrixError(
            "error.pdf_timeout", browser=command[0], seconds=TIMEOUT_SECONDS
        ) from None
    except BaseException:
        _stop(process)
        raise
    finally:
        _stop_group(process)
    if process.returncode == 0:
        return ""
    lines = [line for line in errors.decode(errors="replace").splitlines() if line.strip()]
    return lines[-1].strip() if lines else f"exit status {process.returncode}"


def _stop(process: subprocess.Popen) -> None:
    _stop_group(process)
    process.wait()


def _stop_group(process: subprocess.Popen) -> None:
    """Stop whatever the browser left running (it starts helper processes)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0
