"""Fixtures every test module can use: the example plans, loaded once; a CLI runner in a fresh
folder; a project key kept out of the checkout; a store on each backend (SQLite, and a throwaway
PostgreSQL server). Paths and tools are in `checkout`."""

from __future__ import annotations

import subprocess

import pytest
import yaml
from click.testing import CliRunner

from checkout import DAR, SUDAN, unavailable
from matrix.cli import cli
from matrix.models.plan import Plan
from matrix.plan import load_plan


@pytest.fixture(scope="session")
def sudan() -> Plan:
    """The national example plan (examples/sudan-joint-strategy.yaml), loaded once per run."""
    return load_plan(SUDAN)


@pytest.fixture(scope="session")
def dar() -> Plan:
    """The regional example plan (examples/dar-es-salaam-action-plan.yaml), loaded once per run."""
    return load_plan(DAR)


@pytest.fixture(scope="session")
def dar_english() -> Plan:
    """The Dar es Salaam example as the report tests' figures were worked out for: its six
    English-speaking countries (Burundi, which the example adds to show an office working in
    French, is left out; reports in other languages have tests of their own)."""
    text = (
        DAR.read_text(encoding="utf-8")
        .replace(", BDI", "")
        .replace("office_languages: {BDI: fr}", "")
    )
    return Plan.model_validate(yaml.safe_load(text))


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


@pytest.fixture(autouse=True)
def plan_versions_elsewhere(tmp_path_factory, monkeypatch):
    """Keep the plan versions `generate` records out of the checkout too (`examples/.matrix`).
    Tests of where they are kept unset MATRIX_VERSIONS."""
    monkeypatch.setenv("MATRIX_VERSIONS", str(tmp_path_factory.mktemp("versions") / ".matrix"))


@pytest.fixture
def run(tmp_path, monkeypatch):
    """Run `matrix ARGS...` in a fresh folder; returns Click's Result (stdout, stderr,
    exit_code)."""
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None):
        return runner.invoke(cli, [str(a) for a in args], input=input, catch_exceptions=False)

    return invoke
