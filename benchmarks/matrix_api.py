"""The few calls into matrix that the benchmarks time, in one place.

Each function is the exact call a user's command makes, so the figures are the figures a
coordinator sees (minus process start-up, which is measured separately).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from matrix.models.plan import Plan

GENERATED_AT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def load_plan(path: Path) -> Plan:
    """What every command does with its plan file first: read, check, index."""
    from matrix.plan import load_plan as load

    return load(path)


def plan_check_command(path: Path) -> int:
    """`matrix plan check PLAN` in its own process: start-up, imports, loading and printing."""
    import subprocess
    import sys

    from benchmarks.harness import python_env

    return subprocess.run(
        [sys.executable, "-m", "matrix", "plan", "check", str(path)],
        env=python_env(),
        capture_output=True,
        check=False,
    ).returncode


def generate_all(plan_path: Path, period: str, out_dir: Path) -> list[Path]:
    """`matrix generate PLAN --period PERIOD --all -o OUT --force` (unsigned: no project key)."""
    from matrix.generate import generate
    from matrix.plan import load_plan

    return generate(
        load_plan(plan_path),
        period,
        countries=None,
        regional=False,
        lang="en",
        out_dir=out_dir,
        force=True,
    )


def write_workbook(
    plan: Plan, office: str, period: str, path: Path, prefill: dict | None = None
) -> None:
    from matrix.excel.writer import write_workbook as write
    from matrix.periods import Period

    write(
        plan, office, Period.parse(period), "en", path, prefill=prefill, generated_at=GENERATED_AT
    )


def validate_file(plan: Plan, path: Path):
    from matrix.validation import validate_file as validate

    return validate(plan, path)


def validate_paths(plan: Plan, paths: list[Path], workers: int | None = None):
    from matrix.validation import validate_paths as validate

    return validate(plan, paths, workers=workers)


def collect(plan: Plan, paths: list[Path], store_path: Path):
    """Validate and record `paths` into the store at `store_path` (created if missing)."""
    from matrix.collect import collect as run
    from matrix.store import Store

    store = Store.open(store_path)
    try:
        return run(plan, paths, store)
    finally:
        store.close()


def report_context(plan: Plan, store_path: Path | str, period: str):
    """What `matrix report` computes: the store is read while the figures are built (one step)."""
    from matrix.report.source import from_store
    from matrix.store import Store

    store = Store.open(store_path, create=False)
    try:
        return from_store(plan, store, period, generated_at=GENERATED_AT)
    finally:
        store.close()


def render_report(context) -> str:
    from matrix.report.render import render_report as render

    return render(context)
