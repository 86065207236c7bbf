"""This checkout as the tests see it: where the example plans are, and the external tools some
tests drive (which fail instead of skip under CI). Shared values; shared fixtures are in
conftest."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SUDAN = EXAMPLES / "sudan-joint-strategy.yaml"
DAR = EXAMPLES / "dar-es-salaam-action-plan.yaml"


def unavailable(message: str) -> NoReturn:
    """Skip locally; fail under CI=true, where the test command installs every tool, so a missing
    one there is a broken set-up, not a reason to skip."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


def require_tool(name: str) -> str:
    """The tool's path (see `unavailable` when it is missing)."""
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is not installed (scripts/test.sh installs it)")
    return path


def require_browser() -> str:
    """Chromium or Chrome, found the way `matrix report --pdf` finds it (see `unavailable`)."""
    from matrix.pdf import find_browser

    path = find_browser()
    if path is None:
        unavailable("Chromium is not installed (scripts/test.sh installs it)")
    return path
