"""The report over a large store: building the store directly, and timing the report in a fresh
process.

The store is filled through the store's own API (`Store.record` with validation results made in
code) rather than from thousands of workbooks: 200 countries × 3,000 activities × 8 periods is
4.8 million progress rows, which would take hours to write and validate as files. The report
runs in a child process with a memory cap, so a report that loads too much fails the benchmark
instead of the machine, and so its peak RSS is measured on its own.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.data import STATUSES, build_plan, cached_dir, periods, source_hash
from benchmarks.harness import _pythonpath, self_peak_mib

MEMORY_CAP = 8 * 1024**3
"""Bytes of address space the report process may use (the machine has 24 GiB shared with others)."""


def store_path(countries: int, activities: int, n_periods: int) -> Path:
    """A store holding one accepted return per country and period, built once and cached."""
    size = f"{countries}x{activities}x{n_periods}"
    folder = cached_dir(
        f"store-{size}",
        # and the code of the summaries it keeps, as collect does
        source_hash(
            "store", "models", "report/counting.py", "report/summaries.py", "report/data.py"
        ),
        lambda tmp: fill_store(tmp / "store.sqlite", countries, activities, n_periods),
    )
    return folder / "store.sqlite"


def fill_store(path: Path, countries: int, activities: int, n_periods: int) -> None:
    from matrix.plan import plan_rows
    from matrix.report.source import refresh
    from matrix.store import Store

    plan = build_plan(activities, countries)
    plan_hash = plan.content_hash()
    rows_of = plan_rows(plan, plan.countries[0])
    store = Store.open(path)
    try:
        for p, period in enumerate(periods(n_periods)):
            for office in plan.countries:
                rows = office_rows(rows_of, office, p, n_periods)
                record_return(
                    store,
                    plan,
                    plan_hash,
                    office,
                    period,
                    received_on(p),
                    rows,
                    sha256=f"{office}:{period}:{activities}",
                )
        refresh(plan, store)  # as collect does once it has recorded returns
    finally:
        store.close()


def received_on(p: int) -> datetime:
    return datetime(2026 + p // 12, p % 12 + 1, 1, tzinfo=UTC)


def office_rows(rows_of: list, office: str, p: int, n_periods: int) -> list:
    """The rows of `office`'s return for the p-th period (0-based) of `n_periods`, one per plan
    row of `rows_of` (every activity applies to every country): statuses drawn at random
    (seeded), actuals growing towards the target."""
    from matrix.models.plan import Status
    from matrix.models.returns import ProgressRow

    period = periods(p + 1)[-1]
    rng = random.Random(f"{office}:{period}")
    rows = []
    for i, r in enumerate(rows_of):
        status = rng.choice(STATUSES) if p else Status.NOT_STARTED
        target = (r.indicator.target if r.indicator else None) or 10.0
        rows.append(
            ProgressRow.model_construct(
                country=office,
                activity_id=r.activity.id,
                indicator_index=r.indicator_index,
                ref=r.ref,
                sheet="Matrix",
                row=4 + i,
                status=status,
                actual=None
                if status == Status.NOT_STARTED
                else round(target * (p + 1) / (n_periods + 1)),
                funds_secured=None,
                comments="",
                next_steps="",
                support_needed="",
            )
        )
    return rows


def one_more_return(store: str, plan, n_periods: int, clock) -> tuple[float, float]:
    """Seconds `collect` adds, once it has recorded a return, to keep the summaries it changed
    (`refresh`): for the first return of a new period (every office gets a summary for it) and
    for a second office's. On a copy of a SQLite store (a PostgreSQL store here is a throwaway
    copy already)."""
    import shutil
    import tempfile

    from matrix.plan import plan_rows
    from matrix.report.source import refresh
    from matrix.store import Store

    period = periods(n_periods + 1)[-1]
    rows_of = plan_rows(plan, plan.countries[0])
    took = []
    with tempfile.TemporaryDirectory() as tmp:
        if not store.startswith("postgresql"):
            store = str(shutil.copy(store, Path(tmp) / "store.sqlite"))
        opened = Store.open(store)
        try:
            for office in plan.countries[:2]:
                rows = office_rows(rows_of, office, n_periods, n_periods + 1)
                received, sha256 = received_on(n_periods), f"{office}:{period}:one more"
                plan_hash = plan.content_hash()
                record_return(
                    opened, plan, plan_hash, office, period, received, rows, sha256=sha256
                )
                t0 = clock()
                refresh(plan, opened)
                took.append(clock() - t0)
        finally:
            opened.close()
    return took[0], took[1]


def record_return(
    store,
    plan,
    plan_hash: str,
    office: str,
    period: str,
    received: datetime,
    rows: list,
    proposed: list = (),
    *,
    sha256: str,
) -> None:
    """Record an accepted return made in code, as `collect` would after validating it."""
    from matrix import __version__
    from matrix.excel.layout import TEMPLATE_SCHEMA
    from matrix.models.returns import ValidationResult, WorkbookIdentity

    identity = WorkbookIdentity(
        template_schema=TEMPLATE_SCHEMA,
        tool_version=__version__,
        plan_id=plan.id,
        plan_hash=plan_hash,
        office=office,
        regional=False,
        period=period,
        lang="en",
        generated_at=received,
    )
    result = ValidationResult.model_construct(
        file=f"{office}_{period}.xlsx",
        sha256=sha256,
        size=0,
        identity=identity,
        issues=[],
        rows=rows,
        proposed=list(proposed),
    )
    store.record(result, plan, received_at=received)


class ReportFailed(Exception):
    """The report did not finish within the memory cap or the time limit; the message says which."""


def time_report(
    countries: int,
    activities: int,
    n_periods: int,
    reps: int,
    limit: float,
    *,
    store: str | None = None,
) -> dict:
    """Median seconds to load, compute and render the report of the last period, in a fresh
    process, over the cached SQLite store or `store` (a PostgreSQL URL holding a copy of it); a
    step still running after `limit` seconds is reported under "failed". CPU seconds on SQLite;
    wall seconds on PostgreSQL, where the server's work is not the child's CPU time."""
    store = store or str(store_path(countries, activities, n_periods))
    args = json.dumps(
        {
            "store": store,
            "countries": countries,
            "activities": activities,
            "period": periods(n_periods)[-1],
            "periods": n_periods,
            "reps": reps,
            "limit": limit,
        }
    )
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "benchmarks.report_bench", args],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONPATH": _pythonpath()},
            check=False,
            timeout=limit * 2 + 120,
        )
    except subprocess.TimeoutExpired:
        raise ReportFailed(f"did not finish in {limit * 2 + 120:.0f} s") from None
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.strip().splitlines() if "Error" in line] or [
            f"exit {proc.returncode}"
        ]
        last = lines[-1]
        if "MemoryError" in proc.stderr:
            last = f"MemoryError under a {MEMORY_CAP // 1024**3} GiB cap"
        raise ReportFailed(last)
    return json.loads(proc.stdout.strip().splitlines()[-1])


class _Deadline(Exception):
    pass


def _child(args: dict) -> dict:
    """Runs in the child: what `matrix report` does, step by step, each step timed."""
    import resource
    import signal
    import statistics
    import time

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))
    from benchmarks import matrix_api

    def expire(*_):
        raise _Deadline

    clock = time.perf_counter if args["store"].startswith("postgresql") else time.process_time
    signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, args["limit"])
    plan = build_plan(args["activities"], args["countries"])
    steps: dict[str, list[float]] = {
        "context": [],
        "render": [],
        "cold": [],
        "new_period": [],
        "same_period": [],
    }
    failed, html_bytes = None, 0
    try:
        # A warm-up run imports, compiles templates and warms the database's cache, as the floors
        # timed after it find them.
        for _ in range(args["reps"] + 1):
            context = html = None  # free the last run's before computing the next
            failed = "read + compute"
            t0 = clock()
            context = matrix_api.report_context(plan, args["store"], args["period"])
            steps["context"].append(clock() - t0)
            failed = "render"
            t0 = clock()
            html = matrix_api.render_report(context)
            steps["render"].append(clock() - t0)
            html_bytes = len(html.encode())
            failed = None
        context = html = None
        failed = "read + compute, no summary kept"
        revised = plan.model_copy(update={"title": f"{plan.title}, revised"})  # none of its own
        t0 = clock()
        matrix_api.report_context(revised, args["store"], args["period"])
        steps["cold"].append(clock() - t0)
        failed = "keep the summaries of one more return"
        new_period, same_period = one_more_return(args["store"], plan, args["periods"], clock)
        steps["new_period"].append(new_period)
        steps["same_period"].append(same_period)
        failed = None
    except _Deadline:
        pass
    except MemoryError:
        failed = f"{failed}: MemoryError under a {MEMORY_CAP // 1024**3} GiB cap"
    signal.setitimer(signal.ITIMER_REAL, 0)
    floor: dict[str, list[float]] = {"=": [], "<=": []}
    for _ in range(max(args["reps"], 1)):
        for op, times in floor.items():
            t0 = clock()
            sql_floor(args["store"], args["period"], op)
            times.append(clock() - t0)
    # Medians of the timed reps; a step that only ran its warm-up keeps that one.
    medians = {k: statistics.median(v[1:] or v) if v else None for k, v in steps.items()}
    if failed and ":" not in failed:
        failed = f"{failed} did not finish in {args['limit']:.0f} s"
    return {
        **medians,
        "first": steps["context"][0] if steps["context"] else None,
        "sql_floor": statistics.median(floor["="]),
        "sql_floor_all": statistics.median(floor["<="]),
        "peak_mib": self_peak_mib(),
        "failed": failed if not all(steps.values()) else None,
        "html_bytes": html_bytes,
    }


FLOOR = """SELECT pr.country, pr.status, count(*), sum(pr.actual) FROM progress pr
           WHERE pr.submission_id IN (SELECT s.id FROM submissions s WHERE s.period {op} {param}
                                      AND s.outcome = 'accepted' AND s.superseded_by IS NULL)
           GROUP BY pr.country, pr.status"""
"""Written with IN rather than a join: SQLite's planner walked a join through an index over every
period's rows (1.7 s at 4.8 M rows, against 0.25 s for the period's own); the same work on both
backends."""


def sql_floor(store: str, period: str, op: str = "=") -> list[tuple]:
    """The least any report must do: one pass over the period's rows (`op` "="), counted by
    country and status, in the store's own database (a SQLite file or a PostgreSQL URL). With
    "<=", one pass over every period up to it: the rows a report with trends reads."""
    if store.startswith("postgresql"):
        import psycopg

        with psycopg.connect(store) as pg:
            return pg.execute(FLOOR.format(op=op, param="%s"), (period,)).fetchall()
    import sqlite3

    conn = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return conn.execute(FLOOR.format(op=op, param="?"), (period,)).fetchall()
    finally:
        conn.close()


def postgres_copy(server, countries: int, activities: int, n_periods: int) -> str:
    """A new database of `server` holding a copy of the cached SQLite store (`matrix store copy`),
    vacuumed and analysed as a store in use would be, and flushed (the server would otherwise do
    both while the report is timed); its URL."""
    from matrix.store import Store
    from matrix.store.copy import copy_store

    url = server.url(server.database())
    source = Store.open(store_path(countries, activities, n_periods), create=False)
    target = Store.open(url)
    try:
        copy_store(source, target)
    finally:
        source.close()
        target.close()
    server.execute(url.rsplit("/", 1)[1], "VACUUM ANALYZE")
    server.execute(url.rsplit("/", 1)[1], "CHECKPOINT")  # its writes flushed before any timing
    return url


if __name__ == "__main__":
    print(json.dumps(_child(json.loads(sys.argv[1]))))
