"""Shared fixtures: example plans, a CLI runner, and tools that fail instead of skip under CI."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import NoReturn

import pytest
from click.testing import CliRunner

from matrix.cli import cli

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


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster for the session, started on first use."""
    from postgres_helpers import PostgresServer

    try:
        server = PostgresServer().start()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        unavailable(f"cannot start a PostgreSQL server: {exc}")
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request) -> str:
    return request.param


@pytest.fixture
def store_url(backend, tmp_path, request) -> str:
    """Where a test's new store goes: a SQLite file in its folder, or a new PostgreSQL database."""
    if backend == "sqlite":
        return str(tmp_path / "matrix.sqlite")
    server = request.getfixturevalue("postgres")
    return server.url(server.database())


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
