"""Workbooks opened and saved again by LibreOffice Calc (real soffice, headless), as an office or a
coordinator working in Calc would send them back."""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from checkout import require_tool


def calc_convert(paths: Iterable[Path], out: Path, profile: Path, to: str = "xlsx") -> Path:
    """The folder `out`, where LibreOffice saved each of `paths` again as `to` (same file names).
    `profile`: its user profile, private to the caller, as parallel runs must not share one."""
    soffice = require_tool("soffice")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return out


def saved_by_calc(paths: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder where Calc saved each of `paths` again as .xlsx (same file names)."""
    return calc_convert(
        paths, tmp_path_factory.mktemp("calc"), tmp_path_factory.mktemp("lo-profile")
    )
