"""`matrix` as a real process, for what only a process shows: signals, kills, workers, disks."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import psutil

from checkout import ROOT


def matrix_command(*args: str | Path) -> list[str]:
    return [sys.executable, "-m", "matrix", *map(str, args)]


def matrix_env() -> dict[str, str]:
    """This checkout's matrix first on the path, whatever is installed."""
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
    }


def matrix_process(cwd: Path, *args: str, **options) -> subprocess.Popen:
    return subprocess.Popen(
        matrix_command(*args),
        cwd=cwd,
        env=matrix_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **options,
    )


def alive(pids: list[int]) -> list[int]:
    """The processes among `pids` still running (a zombie has ended, only not been reaped yet)."""
    running = []
    for pid in pids:
        try:
            if psutil.Process(pid).status() != psutil.STATUS_ZOMBIE:
                running.append(pid)
        except psutil.NoSuchProcess:
            pass
    return running


def workers_of(process: subprocess.Popen, *, besides: set[int] = frozenset()) -> list[int]:
    """The worker processes `process` has started (other than `besides`), as soon as there are any;
    empty when it ended first."""
    parent = psutil.Process(process.pid)
    found: list[int] = []
    while process.poll() is None and not found:
        found = [child.pid for child in parent.children(recursive=True) if child.pid not in besides]
        time.sleep(0.005)
    return found
