"""Run `matrix` in a child process under a memory and a CPU-time limit: a hostile input that gets
through fails the test instead of taking the machine down. No duration is asserted; the limits
are generous ceilings, far above what the command needs."""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path

MEMORY_BYTES = 2 * 1024**3
"""Address space the command may map (it needs a few hundred MiB)."""
CPU_SECONDS = 60


def _limit() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_BYTES, MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU_SECONDS, CPU_SECONDS))


def run_limited(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    """`matrix ARGS...` in `cwd`, under the limits; a command still running long after its CPU
    limit (blocked, not computing) is killed by the timeout and fails the test."""
    return subprocess.run(
        [sys.executable, "-m", "matrix", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        preexec_fn=_limit,
        timeout=3 * CPU_SECONDS,
        check=False,
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    """The single `error: ...` line a refused job prints (exit 2), asserting there is nothing
    else."""
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert proc.returncode == 2 and len(lines) == 1 and lines[0].startswith("error: "), (
        f"exit {proc.returncode}\nstdout: {proc.stdout[-2000:]}\nstderr: {proc.stderr[-2000:]}"
    )
    return lines[0]
