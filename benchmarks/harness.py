"""Timing, memory and reporting helpers shared by every measurement.

The machine these run on is noisy (a second vCPU that sometimes delivers nothing), so every figure
is a median of several repetitions, CPU time is the primary metric (it does not move when a core
goes missing) and each figure is printed as a ratio to a baseline measured in the same run on the
same files. Wall time is kept next to it because that is what a user waits for.
"""

from __future__ import annotations

import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"


def _children_cpu() -> float:
    """CPU seconds of every child process reaped so far (worker pools count once they shut down)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Timing:
    """Medians over `reps` runs, in seconds; `cpu` includes reaped child processes."""

    cpu: float
    wall: float
    reps: int
    cpu_all: list[float] = field(default_factory=list)
    wall_all: list[float] = field(default_factory=list)


def measure(
    fn: Callable[[], object],
    reps: int,
    *,
    setup: Callable[[], object] | None = None,
    warmup: bool = True,
) -> Timing:
    """Run `fn` `reps` times (after `setup` each time, untimed) and keep the medians.

    An untimed warm-up run comes first unless `warmup` is False, so imports and caches are not
    billed to the first rep.
    """
    if warmup:
        if setup:
            setup()
        fn()
    cpus, walls = [], []
    for _ in range(reps):
        if setup:
            setup()
        cpu0, child0, wall0 = time.process_time(), _children_cpu(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - wall0)
        cpus.append(time.process_time() - cpu0 + _children_cpu() - child0)
    return Timing(statistics.median(cpus), statistics.median(walls), reps, cpus, walls)


def self_peak_mib() -> float:
    """Peak RSS of this process image (VmHWM): Linux carries ru_maxrss over fork and exec, so a
    child forked from a big parent would otherwise report the parent's size."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def peak_rss_mib(code: str, *, env: dict[str, str] | None = None, timeout: float = 1800) -> dict:
    """Run `code` in a fresh Python process; its own and its children's peak RSS in MiB.

    The code may print one JSON object as its last stdout line; it is returned under "out".
    """
    probe = (
        "import json, resource, sys\n"
        "from benchmarks.harness import self_peak_mib\n"
        f"{code}\n"
        "_s = self_peak_mib()\n"
        "_c = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'self': _s, 'children': _c}))\n"
    )
    full_env = {**python_env(), **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"memory probe failed:\n{proc.stderr.strip()[-2000:]}")
    lines = proc.stdout.strip().splitlines()
    peaks = json.loads(lines[-1])
    out = json.loads(lines[-2]) if len(lines) > 1 and lines[-2].startswith("{") else None
    return {
        "self_mib": peaks["self"],
        "children_mib": peaks["children"],
        "peak_mib": max(peaks["self"], peaks["children"]),
        "out": out,
    }


def python_env() -> dict[str, str]:
    """The environment for a child Python process that measures this checkout."""
    return {**os.environ, "PYTHONPATH": _pythonpath()}


def _pythonpath() -> str:
    """This checkout's src and benchmarks first, so a child process measures the same code."""
    parts = [str(ROOT / "src"), str(ROOT)]
    if os.environ.get("PYTHONPATH"):
        parts.append(os.environ["PYTHONPATH"])
    return os.pathsep.join(parts)


@dataclass
class Row:
    """One printed line: a figure, the baseline it is divided by, and the target if there is one."""

    group: str
    name: str
    value: float
    unit: str
    baseline_name: str | None = None
    baseline: float | None = None
    target_ratio: float | None = None
    target_abs: float | None = None
    note: str = ""
    failed: str = ""
    """Why the measurement could not finish (out of memory, timed out); counts as a miss."""
    timing: Timing | None = None
    """The repetitions behind `value`, kept in the JSON for comparisons between runs."""
    others: dict[str, float] = field(default_factory=dict)
    """Further baselines (name -> value in the same unit), printed as ratios after the main one."""

    @property
    def ratio(self) -> float | None:
        if self.baseline is None or self.baseline <= 0:
            return None
        return self.value / self.baseline

    @property
    def verdict(self) -> str:
        """'pass', 'MISS by N×' / 'MISS by N s', or '' when there is no target."""
        if self.failed:
            return f"MISS: {self.failed}"
        if self.target_ratio is not None and self.ratio is not None:
            if self.ratio <= self.target_ratio:
                return "pass"
            return f"MISS by {self.ratio / self.target_ratio:.2f}x"
        if self.target_abs is not None:
            if self.value <= self.target_abs:
                return "pass"
            return f"MISS by {self.value - self.target_abs:.3g} {self.unit}"
        return ""

    def as_json(self) -> dict:
        data = {
            **asdict(self),
            "ratio": self.ratio,
            "verdict": self.verdict,
            "other_ratios": {k: self.value / v for k, v in self.others.items() if v > 0},
        }
        return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in data.items()}


class Report:
    """Collects rows as measurements finish, prints them as a table, writes them as JSON."""

    def __init__(self, *, config: str, out=sys.stdout):
        self.config = config
        self.rows: list[Row] = []
        self.skipped: list[dict] = []
        self.out = out
        self.started = datetime.now(UTC)

    def add(self, row: Row) -> Row:
        if not self.rows or self.rows[-1].group != row.group:
            print(f"[{row.group}]", file=self.out, flush=True)
        self.rows.append(row)
        print(format_row(row), file=self.out, flush=True)
        return row

    def skip(self, group: str, reason: str) -> None:
        if {"group": group, "reason": reason} in self.skipped:
            return
        self.skipped.append({"group": group, "reason": reason})
        print(f"  {group}: skipped ({reason})", file=self.out, flush=True)

    def table(self) -> str:
        lines = [HEADER, "-" * len(HEADER)]
        group = None
        for row in self.rows:
            if row.group != group:
                group = row.group
                lines.append(f"[{group}]")
            lines.append(format_row(row))
        return "\n".join(lines)

    def markdown(self) -> str:
        lines = ["| measurement | value | baseline | ratio | target |", "|---|---:|---|---:|---|"]
        for r in self.rows:
            baseline = f"{r.baseline_name} {fmt(r.baseline, r.unit)}" if r.baseline_name else ""
            ratio = f"{r.ratio:.2f}×" if r.ratio is not None else ""
            lines.append(
                f"| {r.group}: {r.name} | {fmt(r.value, r.unit)} | {baseline} | {ratio} "
                f"| {r.verdict} |"
            )
        return "\n".join(lines)

    def as_json(self) -> dict:
        return {
            "started": self.started.isoformat(timespec="seconds"),
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "config": self.config,
            "machine": machine(),
            "rows": [r.as_json() for r in self.rows],
            "skipped": self.skipped,
        }

    def write_json(self, folder: Path = RESULTS) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.started.strftime('%Y%m%dT%H%M%SZ')}-{self.config}.json"
        path.write_text(json.dumps(self.as_json(), indent=2), encoding="utf-8")
        return path


HEADER = f"  {'measurement':<44} {'value':>11}   {'baseline':<30} {'ratio':>7}  target"


def fmt(value: float | None, unit: str) -> str:
    if value is None or math.isnan(value):  # no figure
        return "-"
    if unit == "s":
        return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "MiB":
        return f"{value:.0f} MiB"
    return f"{value:.3g} {unit}"


def format_row(r: Row) -> str:
    baseline = f"{r.baseline_name} {fmt(r.baseline, r.unit)}" if r.baseline_name else ""
    ratio = f"{r.ratio:.2f}x" if r.ratio is not None else ""
    target = r.verdict
    if r.target_ratio is not None:
        target = f"<={r.target_ratio:g}x {target}"
    elif r.target_abs is not None:
        target = f"<={fmt(r.target_abs, r.unit)} {target}"
    line = f"  {r.name:<44} {fmt(r.value, r.unit):>11}   {baseline:<30} {ratio:>7}  {target}"
    extras = [f"{r.value / v:.2f}x {k}" for k, v in r.others.items() if v > 0]
    if r.note:
        extras.append(r.note)
    return line + (f"  ({'; '.join(extras)})" if extras else "")


def machine() -> dict:
    from importlib.metadata import version

    import openpyxl
    import xlsxwriter

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "openpyxl": openpyxl.__version__,
        "xlsxwriter": xlsxwriter.__version__,
        "python_calamine": version("python-calamine"),
        "git": _git_head(),
    }


def _git_head() -> str:
    try:
        return subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
