"""Shared fixtures: example plans, a CLI runner, and tools that fail instead of skip under CI."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from matrix.cli import cli

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
SUDAN = EXAMPLES / "sudan-joint-strategy.yaml"
DAR = EXAMPLES / "dar-es-salaam-action-plan.yaml"


def require_tool(name: str) -> str:
    """The tool's path; missing skips locally and fails under CI=true, where the test command
    installs it, so a missing tool there is a broken set-up, not a reason to skip."""
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (scripts/test.sh installs it)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def project_key_elsewhere(tmp_path_factory, monkeypatch):
    """Keep each test's project key in a folder of its own: `matrix generate examples/...` would
    otherwise write one into the checkout beside the example plans. Tests of where the key lives
    unset MATRIX_KEY_FILE."""
    monkeypatch.setenv("MATRIX_KEY_FILE", str(tmp_path_factory.mktemp("key") / ".matrix-key"))


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run `matrix ARGS...` in a fresh folder; returns Click's Result (stdout, stderr, exit_code)."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke
