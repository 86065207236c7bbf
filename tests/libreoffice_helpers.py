"""Workbooks opened and saved again by LibreOffice Calc (real soffice, headless), as an office or a
coordinator working in Calc would send them back."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from checkout import require_tool


def saved_by_calc(paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder where Calc saved each of `paths` again as .xlsx (same file names)."""
    soffice = require_tool("soffice")
    out = tmp_path_factory.mktemp("calc")
    profile = tmp_path_factory.mktemp("lo-profile")  # private: parallel runs must not share one
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out
