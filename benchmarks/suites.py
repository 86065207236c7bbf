"""The measurements: generate, read/validate/collect, memory and report, each against its floors.

Every function takes a `Config` (sizes and repetitions), the `Report` that prints and keeps the
rows, and a scratch folder. Data is built with matrix's own models and writer and cached under
benchmarks/.cache, keyed by the parameters and a hash of the code that produced it.
"""

from __future__ import annotations

import importlib.util
import math
import shutil
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from benchmarks import baselines, matrix_api, report_bench
from benchmarks.data import (
    ACTORS,
    build_plan,
    cache_root,
    office_fill,
    periods,
    plan_file,
    plan_workbook_file,
    source_hash,
)
from benchmarks.harness import Report, Row, measure, peak_rss_mib

GENERATE_TARGET = 2.0  # × xlsxwriter writing the same workbook
READ_TARGET = 2.0  # × python-calamine reading the same files
REPORT_TARGET = 1.0  # seconds of rendering for the large store
PLAN_LOAD_TARGET = (
    1.0  # × PyYAML's C loader + pydantic: limits, line numbers and checks cost nothing
)
PLAN_CHECK_TARGET = 2.0  # seconds for `matrix plan check` of 5,000 activities, process and all
PLAN_CHECK_SIZE = 5000
LINEAR_SLACK = 1.25  # growth may exceed the size ratio by this factor and still count as linear
MEMORY_SLACK = 1.2  # peak RSS for the most workbooks ÷ peak for the fewest


@dataclass(frozen=True)
class Config:
    name: str
    reps: int
    plan_sizes: tuple[int, ...]
    corpus_rows: int
    corpus_counts: tuple[int, ...]
    corpus_reps: int
    openpyxl_corpus_max: int
    """The openpyxl baseline is about 10× slower than calamine; over more workbooks it runs once."""
    report_sizes: tuple[tuple[int, int, int], ...]
    """(countries, activities, periods) of the stores the report is rendered over, smallest
    first."""
    report_reps: int
    report_limit: float
    """Seconds a report may run (all reps) before the unfinished step counts as failed."""
    report_warmup: bool
    """An untimed first run; not worth minutes on the large store, where compilation is noise."""
    lookalike_sizes: tuple[int, ...]
    """New activities proposed in one return, near-identical or unrelated, smallest first."""
    plan_load_sizes: tuple[int, ...]
    """Activities of the plans loaded as `matrix plan check` loads them."""
    generate_all: tuple[int, int]
    """(activities, countries) of the plan `matrix generate --all` writes every office's matrix
    of."""


FULL = Config(
    "full",
    reps=5,
    plan_sizes=(50, 300, 3000),
    corpus_rows=300,
    corpus_counts=(10, 100, 1000),
    corpus_reps=3,
    openpyxl_corpus_max=100,
    report_sizes=((100, 3000, 8), (200, 3000, 8)),
    report_reps=1,
    report_limit=900,
    report_warmup=False,
    lookalike_sizes=(3000, 6000),
    plan_load_sizes=(500, 5000),
    generate_all=(5000, 6),
)
QUICK = Config(
    "quick",
    reps=3,
    plan_sizes=(50, 300),
    corpus_rows=300,
    corpus_counts=(10, 40),
    corpus_reps=1,
    openpyxl_corpus_max=40,
    report_sizes=((10, 30, 4), (20, 30, 4)),
    report_reps=1,
    report_limit=20,
    report_warmup=True,
    lookalike_sizes=(300, 600),
    plan_load_sizes=(500, 5000),
    generate_all=(500, 3),
)
TINY = Config(
    "tiny",
    reps=1,
    plan_sizes=(5,),
    corpus_rows=5,
    corpus_counts=(2, 3),
    corpus_reps=1,
    openpyxl_corpus_max=3,
    report_sizes=((2, 5, 2), (4, 5, 2)),
    report_reps=1,
    report_limit=60,
    report_warmup=True,
    lookalike_sizes=(10, 20),
    plan_load_sizes=(20,),
    generate_all=(20, 2),
)
CONFIGS = {c.name: c for c in (FULL, QUICK, TINY)}

PERIOD = "2026-01"
WRITER, VALIDATION, COLLECT = (
    ("matrix.excel.writer",),
    ("matrix.validation",),
    ("matrix.collect", "matrix.store"),
)
REPORT = ("matrix.report.source", "matrix.report.render")
PLAN, GENERATE = ("matrix.plan",), ("matrix.generate", "matrix.excel.writer")
PLAN_WORKBOOK = ("matrix.plan.workbook.writer", "matrix.plan.workbook.reader")


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # a parent package is missing
        return False


def has(report: Report, group: str, modules: tuple[str, ...]) -> bool:
    """Whether this checkout has the matrix modules a figure times; says so when it has not."""
    missing = [m for m in modules if not _importable(m)]
    if missing:
        report.skip(group, f"{', '.join(missing)} not in this checkout")
    return not missing


# ---- data -----------------------------------------------------------------------------------


@cache
def _plan(activities: int, countries: int) -> object:
    return build_plan(activities, countries)


def returned_workbook(plan, office: str, period: str, path: Path) -> None:
    """A workbook as an office sends it back: generated by matrix, then filled in."""
    matrix_api.write_workbook(plan, office, period, path, prefill=office_fill(plan, office, period))


def _build_one(job: tuple[int, int, int, str, str, str]) -> None:
    activities, countries, _index, office, period, target = job
    tmp = Path(target).with_suffix(".tmp")
    returned_workbook(_plan(activities, countries), office, period, tmp)
    tmp.rename(target)


def corpus(rows: int, count: int, countries: int) -> list[Path]:
    """`count` returned workbooks of `rows` rows: one per country and period, countries first.

    Built with two processes and cached; a larger corpus reuses the files of a smaller one.
    """
    key = source_hash("excel", "models", "i18n.py", "locales")
    folder = cache_root() / f"returns-{rows}x{countries}-{key}"
    for stale in cache_root().glob(f"returns-{rows}x{countries}-*"):
        if stale != folder:
            shutil.rmtree(stale, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    plan = _plan(rows, countries)
    names = periods(math.ceil(count / countries))
    jobs, paths = [], []
    for i in range(count):
        office, period = plan.countries[i % countries], names[i // countries]
        path = folder / f"{i:05d}_{office}_{period}.xlsx"
        paths.append(path)
        if not path.exists():
            jobs.append((rows, countries, i, office, period, str(path)))
    if len(jobs) > 4:
        with ProcessPoolExecutor(2) as pool:
            list(pool.map(_build_one, jobs, chunksize=8))
    else:
        for job in jobs:
            _build_one(job)
    return paths


def corpus_countries(cfg: Config) -> int:
    return min(max(cfg.corpus_counts), 200)


# ---- generate ------------------------------------------------------------------------------


def bench_generate(cfg: Config, report: Report, work: Path) -> None:
    for size in cfg.plan_sizes:
        _generate(cfg, report, work, _plan(size, 1))


def _generate(cfg: Config, report: Report, work: Path, plan) -> None:
    group, size, office = "generate one workbook", len(plan.activities()), plan.countries[0]
    content = baselines.workbook_content(plan, office, PERIOD)
    xw = measure(lambda: baselines.write_xlsxwriter(content, work / "xw.xlsx"), cfg.reps)
    op = measure(lambda: baselines.write_openpyxl(content, work / "op.xlsx"), cfg.reps)
    report.add(Row(group, f"{size} rows: xlsxwriter (reference)", xw.cpu, "s", timing=xw))
    report.add(
        Row(group, f"{size} rows: plain openpyxl", op.cpu, "s", "xlsxwriter", xw.cpu, timing=op)
    )
    if not has(report, group, WRITER):
        return
    mx = measure(
        lambda: matrix_api.write_workbook(plan, office, PERIOD, work / "mx.xlsx"), cfg.reps
    )
    report.add(
        Row(
            group,
            f"{size} rows: matrix write_workbook",
            mx.cpu,
            "s",
            "xlsxwriter",
            xw.cpu,
            target_ratio=GENERATE_TARGET,
            others={"openpyxl": op.cpu},
            note=f"wall {mx.wall * 1000:.0f} ms",
            timing=mx,
        )
    )


def bench_generate_all(cfg: Config, report: Report, work: Path) -> None:
    """`matrix generate --all` from the plan file: loading the plan, then every office's matrix."""
    activities, countries = cfg.generate_all
    group = f"generate --all, {activities:,} activities x {countries} offices"
    path = plan_file(activities, countries)
    plan = baselines.load_plan_plain(path)
    contents = [baselines.workbook_content(plan, office, PERIOD) for office in plan.countries]

    def write_all() -> None:
        for i, content in enumerate(contents):
            baselines.write_xlsxwriter(content, work / f"xw-{i}.xlsx")

    xw = measure(write_all, cfg.reps)
    report.add(
        Row(group, "xlsxwriter writing the same workbooks (reference)", xw.cpu, "s", timing=xw)
    )
    if not has(report, group, GENERATE + PLAN):
        return
    mx = measure(lambda: matrix_api.generate_all(path, PERIOD, work / "out"), cfg.reps)
    peak = peak_rss_mib(
        f"from benchmarks import matrix_api\n"
        f"matrix_api.generate_all({str(path)!r}, {PERIOD!r}, {str(work / 'rss')!r})"
    )
    report.add(
        Row(
            group,
            "matrix generate --all",
            mx.cpu,
            "s",
            "xlsxwriter",
            xw.cpu,
            target_ratio=GENERATE_TARGET,
            note=f"wall {mx.wall:.2f} s; peak {peak['peak_mib']:.0f} MiB in a fresh process",
            timing=mx,
        )
    )


# ---- plans -----------------------------------------------------------------------------------


def bench_plans(cfg: Config, report: Report, work: Path) -> None:
    """Loading a plan as every command does first, and `matrix plan check` as a whole process."""
    group = "load and check a plan"
    for size in cfg.plan_load_sizes:
        path = plan_file(size)
        plain = measure(lambda p=path: baselines.load_plan_plain(p), cfg.reps)
        report.add(
            Row(
                group,
                f"{size:,} activities: yaml CSafeLoader + model_validate",
                plain.cpu,
                "s",
                timing=plain,
            )
        )
        if not has(report, group, PLAN):
            return
        loaded = measure(lambda p=path: matrix_api.load_plan(p), cfg.reps)
        report.add(
            Row(
                group,
                f"{size:,} activities: matrix load_plan",
                loaded.cpu,
                "s",
                "plain load",
                plain.cpu,
                target_ratio=PLAN_LOAD_TARGET,
                timing=loaded,
            )
        )
        if has(report, group, PLAN_WORKBOOK):
            workbook = plan_workbook_file(size)
            read = measure(lambda p=workbook: matrix_api.load_plan(p), cfg.reps)
            report.add(
                Row(
                    group,
                    f"{size:,} activities: matrix load_plan, plan workbook",
                    read.cpu,
                    "s",
                    "plain load",
                    plain.cpu,
                    timing=read,
                )
            )
        command = measure(lambda p=path: matrix_api.plan_check_command(p), cfg.reps)
        report.add(
            Row(
                group,
                f"{size:,} activities: `matrix plan check` process",
                command.cpu,
                "s",
                target_abs=PLAN_CHECK_TARGET if size >= PLAN_CHECK_SIZE else None,
                note=f"wall {command.wall:.2f} s",
                timing=command,
            )
        )


# ---- read / validate / collect ---------------------------------------------------------------


def _read_baselines(paths: list[Path], reps: int, openpyxl_reps: int) -> dict[str, float]:
    """CPU seconds per workbook for each baseline reader over `paths` (warmed on the first file)."""
    out = {}
    for name, reader in baselines.READERS.items():
        n = openpyxl_reps if reader is baselines.read_openpyxl else reps
        reader(paths[0])
        timing = measure(lambda r=reader: [r(p) for p in paths], n, warmup=False)
        out[name] = timing.cpu / len(paths)
    return out


def _floor_rows(report: Report, group: str, prefix: str, floors: dict[str, float]) -> None:
    for name, value in floors.items():
        base = None if name == "calamine" else floors["calamine"]
        report.add(Row(group, f"{prefix}{name}", value, "s", base and "calamine", base))


def _others(floors: dict[str, float]) -> dict[str, float]:
    return {k: v for k, v in floors.items() if k != "calamine"}


def _remove_store(path: Path) -> None:
    """A store and its WAL files: a new store must not replay an old write-ahead log."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def bench_read_one(cfg: Config, report: Report, work: Path) -> None:
    for size in cfg.plan_sizes:
        _read_one(cfg, report, work, _plan(size, 1))


def _read_one(cfg: Config, report: Report, work: Path, plan) -> None:
    group, size = "read/validate/collect one workbook", len(plan.activities())
    path, store = work / f"returned-{size}.xlsx", work / "one.sqlite"
    returned_workbook(plan, plan.countries[0], PERIOD, path)
    floors = _read_baselines([path], cfg.reps, cfg.reps)
    _floor_rows(report, group, f"{size} rows: ", floors)
    if has(report, group, VALIDATION):
        v = measure(lambda: matrix_api.validate_file(plan, path), cfg.reps)
        report.add(
            Row(
                group,
                f"{size} rows: matrix validate_file",
                v.cpu,
                "s",
                "calamine",
                floors["calamine"],
                target_ratio=READ_TARGET,
                others=_others(floors),
                timing=v,
            )
        )
    if has(report, group, COLLECT):
        c = measure(
            lambda: matrix_api.collect(plan, [path], store),
            cfg.reps,
            setup=lambda: _remove_store(store),
        )
        report.add(
            Row(
                group,
                f"{size} rows: matrix collect (fresh store)",
                c.cpu,
                "s",
                "calamine",
                floors["calamine"],
                target_ratio=READ_TARGET,
                others=_others(floors),
                timing=c,
            )
        )


def bench_read_many(cfg: Config, report: Report, work: Path) -> None:
    countries = corpus_countries(cfg)
    for count in cfg.corpus_counts:
        _read_many(
            cfg,
            report,
            work,
            _plan(cfg.corpus_rows, countries),
            corpus(cfg.corpus_rows, count, countries),
        )


def _read_many(cfg: Config, report: Report, work: Path, plan, paths: list[Path]) -> None:
    count = len(paths)
    group = f"validate/collect {count} returned workbooks ({cfg.corpus_rows} rows), per workbook"
    reps = cfg.corpus_reps if count > 10 else cfg.reps
    floors = _read_baselines(paths, reps, reps if count <= cfg.openpyxl_corpus_max else 1)
    _floor_rows(report, group, "", floors)
    if has(report, group, VALIDATION):
        matrix_api.validate_file(plan, paths[0])  # imports, not billed
        v = measure(lambda: matrix_api.validate_paths(plan, paths), reps, warmup=False)
        report.add(
            Row(
                group,
                "matrix validate_paths CPU",
                v.cpu / count,
                "s",
                "calamine",
                floors["calamine"],
                target_ratio=READ_TARGET,
                others=_others(floors),
                note=f"wall {v.wall:.2f} s total",
                timing=v,
            )
        )
    if has(report, group, COLLECT):
        store = work / "many.sqlite"
        matrix_api.collect(plan, paths[:1], work / "warm.sqlite")
        c = measure(
            lambda: matrix_api.collect(plan, paths, store),
            reps,
            setup=lambda: _remove_store(store),
            warmup=False,
        )
        report.add(
            Row(
                group,
                "matrix collect CPU",
                c.cpu / count,
                "s",
                "calamine",
                floors["calamine"],
                target_ratio=READ_TARGET,
                others=_others(floors),
                note=f"wall {c.wall:.2f} s total",
                timing=c,
            )
        )


# ---- memory ----------------------------------------------------------------------------------


def _probe(kind: str, rows: int, countries: int, count: int, folder: Path, store: Path) -> dict:
    code = (
        "from pathlib import Path\n"
        "from benchmarks import baselines, matrix_api\n"
        "from benchmarks.data import build_plan\n"
        f"paths = sorted(Path({str(folder)!r}).glob('*.xlsx'))[:{count}]\n"
        f"assert len(paths) == {count}\n"
    )
    if kind == "calamine":  # nothing but calamine imported: the floor
        code = code.replace(
            "from benchmarks import baselines, matrix_api\n"
            "from benchmarks.data import build_plan\n",
            "from python_calamine import CalamineWorkbook\n",
        )
        code += (
            "for p in paths:\n"
            "    wb = CalamineWorkbook.from_path(str(p))\n"
            "    for n in wb.sheet_names: wb.get_sheet_by_name(n).to_python()\n"
            "    wb.close()\n"
        )
    else:
        code += (
            f"plan = build_plan({rows}, {countries})\n"
            f"matrix_api.collect(plan, paths, Path({str(store)!r}))\n"
        )
    return peak_rss_mib(code)


def bench_memory(cfg: Config, report: Report, work: Path) -> None:
    group = "peak RSS collecting returned workbooks (fresh process)"
    countries = corpus_countries(cfg)
    peaks = {}
    for count in cfg.corpus_counts:
        paths = corpus(cfg.corpus_rows, count, countries)
        store = work / f"rss-{count}.sqlite"
        _remove_store(store)
        floor = _probe("calamine", cfg.corpus_rows, countries, count, paths[0].parent, store)[
            "peak_mib"
        ]
        if not has(report, group, COLLECT):
            report.add(Row(group, f"calamine read {count} workbooks", floor, "MiB"))
            continue
        peaks[count] = _probe("matrix", cfg.corpus_rows, countries, count, paths[0].parent, store)[
            "peak_mib"
        ]
        report.add(
            Row(
                group,
                f"matrix collect {count} workbooks",
                peaks[count],
                "MiB",
                "calamine read",
                floor,
            )
        )
    if not peaks:
        return
    low, high = min(peaks), max(peaks)
    report.add(
        Row(
            group,
            f"growth {low} -> {high} workbooks",
            peaks[high],
            "MiB",
            f"collect {low}",
            peaks[low],
            target_ratio=MEMORY_SLACK,
            note="must stay flat",
        )
    )


# ---- report ----------------------------------------------------------------------------------


REPORT_FLOOR_TARGET = 2.0
"""× the SQL floor in the same database (issue 15): one GROUP BY over every period's rows, the
4.8 M rows of the issue's "23 s against 3.2 s"."""


def bench_report(cfg: Config, report: Report, work: Path) -> None:
    group = "report for the last period over a store of countries x activities x periods"
    if not has(report, group, REPORT + COLLECT):
        return
    totals = {}
    on_sqlite: dict[str, float] = {}  # size -> read + compute, for the PostgreSQL rows
    # Every SQLite size before the server starts, and each PostgreSQL copy dropped once timed:
    # a server still vacuuming a copy it loaded would take the CPU from the sizes timed after.
    for countries, activities, n_periods in cfg.report_sizes:
        size = f"{countries}x{activities}x{n_periods}"
        r = _report_once(cfg, report, group, size, (countries, activities, n_periods))
        if r is not None:
            totals[countries * activities * n_periods] = r["context"] + r["render"]
            on_sqlite[size] = r["context"]
    server = _postgres(report, group)
    try:
        for countries, activities, n_periods in cfg.report_sizes if server is not None else ():
            size = f"{countries}x{activities}x{n_periods}"
            url = report_bench.postgres_copy(server, countries, activities, n_periods)
            _report_once(
                cfg,
                report,
                group,
                f"{size} PostgreSQL",
                (countries, activities, n_periods),
                url,
                on_sqlite.get(size),
            )
            server.execute("postgres", f'DROP DATABASE "{url.rsplit("/", 1)[1]}" WITH (FORCE)')
    finally:
        if server is not None:
            server.stop()
    if len(totals) >= 2:
        _growth(report, group, totals, "rows")


def _growth(report: Report, group: str, totals: dict[int, float], what: str) -> None:
    """Time for the largest size over time for the smallest, against the ratio of the sizes."""
    (small, t_small), (large, t_large) = min(totals.items()), max(totals.items())
    report.add(
        Row(
            group,
            f"growth {small:,} -> {large:,} {what}",
            t_large / t_small,
            "x",
            "size ratio",
            large / small,
            target_ratio=LINEAR_SLACK,
            note="linear when the ratio is about 1",
        )
    )


def _postgres(report: Report, group: str):
    """A throwaway PostgreSQL cluster as the tests start one (tests/postgres_helpers.py), or None
    (said in the report) where the server programs are not installed."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from postgres_helpers import PostgresServer

    try:
        return PostgresServer().start()
    except (RuntimeError, OSError) as exc:
        report.skip(f"{group} (PostgreSQL)", str(exc))
        return None


def _report_once(
    cfg: Config,
    report: Report,
    group: str,
    size: str,
    shape: tuple[int, int, int],
    store: str | None = None,
    on_sqlite: float | None = None,
) -> dict | None:
    """The report's steps over one store (SQLite CPU seconds, PostgreSQL wall seconds) next to
    the SQL floors in the same database, and a PostgreSQL report next to the same report on SQLite
    (`on_sqlite`); the child's timings, or None when a step failed."""
    try:
        r = report_bench.time_report(
            *shape, cfg.report_reps, cfg.report_limit, warmup=cfg.report_warmup, store=store
        )
    except report_bench.ReportFailed as exc:
        report.add(
            Row(
                group,
                f"{size}: total",
                float("nan"),
                "s",
                target_abs=REPORT_TARGET,
                failed=str(exc),
            )
        )
        return None
    floor, period_floor = r["sql_floor_all"], r["sql_floor"]
    clock = "wall" if store else "CPU"
    n_periods = shape[2]
    report.add(
        Row(
            group,
            f"{size}: SQL floor (GROUP BY over the {n_periods} periods)",
            floor,
            "s",
            note=f"{clock}; the rows a report with trends reads",
        )
    )
    report.add(
        Row(group, f"{size}: SQL floor (GROUP BY over the period)", period_floor, "s", note=clock)
    )
    if r["failed"]:
        report.add(
            Row(
                group,
                f"{size}: render",
                float("nan"),
                "s",
                target_abs=REPORT_TARGET,
                failed=r["failed"],
            )
        )
        return None
    others = {"the period's floor": period_floor}
    if on_sqlite:
        others["the same report on SQLite"] = on_sqlite
    report.add(
        Row(
            group,
            f"{size}: read store + compute figures",
            r["context"],
            "s",
            "SQL floor",
            floor,
            target_ratio=REPORT_FLOOR_TARGET,
            note=f"{clock}; peak {r['peak_mib']:.0f} MiB",
            others=others,
        )
    )
    report.add(
        Row(
            group,
            f"{size}: render",
            r["render"],
            "s",
            target_abs=REPORT_TARGET,
            note=f"{r['html_bytes'] / 1e6:.1f} MB of HTML",
        )
    )
    total = r["context"] + r["render"]
    report.add(Row(group, f"{size}: total", total, "s", "SQL floor", floor, note=clock))
    report.add(
        Row(
            group,
            f"{size}: read + compute, no summary kept (first report of a revised plan)",
            r["cold"],
            "s",
            "SQL floor",
            floor,
            note=f"{clock}; every office's summaries worked out from the rows",
        )
    )
    for step, what in (
        ("new_period", "the first return of a new period"),
        ("same_period", "a second office's return of that period"),
    ):
        report.add(
            Row(
                group,
                f"{size}: collect keeping the summaries after {what}",
                r[step],
                "s",
                note=f"{clock}; once per collect, after its returns are recorded",
            )
        )
    return r


def bench_lookalikes(cfg: Config, report: Report, work: Path) -> None:
    """One return proposing many near-identical new activities (offices control this input) against
    the same number of unrelated ones: looking for likely duplicates must stay linear."""
    group = "report read + compute, one return proposing N new activities"
    if not has(report, group, REPORT + COLLECT):
        return
    plan = _plan(50, 1)
    totals = {}
    for size in cfg.lookalike_sizes:
        timings = {}
        for kind in ("unrelated", "near-identical"):
            store = _proposals_store(plan, kind, size, work / f"{kind}-{size}.sqlite")
            timings[kind] = measure(
                lambda s=store: matrix_api.report_context(plan, s, PERIOD), cfg.reps
            )
        unrelated, alike = timings["unrelated"], timings["near-identical"]
        report.add(
            Row(
                group,
                f"{size:,} unrelated titles (reference)",
                unrelated.cpu,
                "s",
                timing=unrelated,
            )
        )
        report.add(
            Row(
                group,
                f"{size:,} near-identical titles",
                alike.cpu,
                "s",
                "unrelated",
                unrelated.cpu,
                timing=alike,
            )
        )
        totals[size] = alike.cpu
    _growth(report, group, totals, "near-identical")


def _proposals_store(plan, kind: str, size: int, path: Path) -> Path:
    """A store holding one accepted return for PERIOD that proposes `size` new activities, each led
    by another actor: titles that differ by one word, or titles that share none."""
    import random

    from matrix.models.returns import ProposedActivity
    from matrix.store import Store

    rng = random.Random(size)
    office = plan.countries[0]
    if kind == "near-identical":
        titles = [
            f"Train border officials on referral procedures in district {i}" for i in range(size)
        ]
    else:
        titles = [
            " ".join("".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=7)) for _ in range(8))
            for _ in range(size)
        ]
    proposed = [
        ProposedActivity(
            sheet="New activities", row=4 + i, title=title, lead=ACTORS[i % len(ACTORS)][0]
        )
        for i, title in enumerate(titles)
    ]
    rows = list(office_fill(plan, office, PERIOD).values())
    store = Store.open(path)
    try:
        report_bench.record_return(
            store,
            plan,
            plan.content_hash(),
            office,
            PERIOD,
            datetime(2026, 2, 1, tzinfo=UTC),
            rows,
            proposed,
            sha256=f"{kind}:{size}",
        )
    finally:
        store.close()
    return path


def _nan(value: float | None) -> float:
    return float("nan") if value is None else value


SUITES = {
    "plans": bench_plans,
    "generate": bench_generate,
    "generate-all": bench_generate_all,
    "read": bench_read_one,
    "many": bench_read_many,
    "memory": bench_memory,
    "report": bench_report,
    "lookalikes": bench_lookalikes,
}


def run(cfg: Config, report: Report, only: list[str] | None = None) -> None:
    with tempfile.TemporaryDirectory(prefix="matrix-bench-") as tmp:
        for name, suite in SUITES.items():
            if only and name not in only:
                continue
            work = Path(tmp) / name
            work.mkdir()
            try:
                suite(cfg, report, work)
            except Exception as exc:  # noqa: BLE001 - one broken measurement must not lose the others' figures
                last = (str(exc).strip().splitlines() or [""])[-1]
                report.skip(name, f"failed: {type(exc).__name__}: {last}")
