"""A full disk while writing any file: one line, exit 2, nothing partial left, the old file kept.

Real full disks: each command runs in its own mount namespace with a tiny tmpfs as its output
folder (`unshare`; as root, or through a user namespace otherwise), so nothing is mounted on the
machine. A file-size limit (RLIMIT_FSIZE, SIGXFSZ ignored) gives EFBIG through the same code.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
from pathlib import Path

import pytest

from checkout import SUDAN, require_tool
from process_helpers import matrix_command, matrix_env
from store_helpers import returned_matrix

MOUNT_AND_RUN = r"""
mount -t tmpfs -o "size=$SIZE" tmpfs "$FULL" || exit 97
cp -a "$STAGE"/. "$FULL"/
"$@"
status=$?
cp -a "$FULL"/. "$AFTER"/
exit $status
"""
"""Mount the tiny file system, stage the files on it, run the command, copy out what is left."""


def run(command: list[str], **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, check=False, capture_output=True, text=True, timeout=300, **options
    )


def namespace() -> list[str]:
    unshare = require_tool("unshare")
    return (
        [unshare, "--mount"]
        if os.geteuid() == 0
        else [unshare, "--user", "--map-root-user", "--mount"]
    )


@pytest.fixture(scope="module")
def tmpfs_works(tmp_path_factory):
    """Whether this machine lets a test mount a tmpfs in a namespace; under CI it must."""
    probe = tmp_path_factory.mktemp("probe")
    done = run([*namespace(), "sh", "-c", 'mount -t tmpfs -o size=4k tmpfs "$0"', str(probe)])
    if done.returncode != 0:
        message = f"cannot mount a tmpfs in a namespace here: {done.stderr.strip()}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)


@pytest.fixture(scope="module")
def project(tmp_path_factory, sudan):
    """plan.yaml, a return and a store holding it."""
    folder = tmp_path_factory.mktemp("project")
    shutil.copy(SUDAN, folder / "plan.yaml")
    returned_matrix(sudan, "2026-07", folder / "returns")
    run(matrix_command("collect", "returns"), cwd=folder, env=matrix_env())
    assert (folder / "matrix.sqlite").exists()
    return folder


def on_a_full_disk(
    project: Path,
    tmp_path: Path,
    args: list[str],
    staged: dict[str, bytes],
    size: str,
    key_on_it: bool = False,
):
    """Run `matrix ARGS` (FULL in them: the tiny file system, where the project key is kept too
    with `key_on_it`); the run and the files left there."""
    stage, full, after = tmp_path / "stage", tmp_path / "full", tmp_path / "after"
    for folder in (stage, full, after):
        folder.mkdir()
    for name, content in staged.items():
        (stage / name).write_bytes(content)
    command = matrix_command(*(arg.replace("FULL", str(full)) for arg in args))
    done = run(
        [*namespace(), "sh", "-c", MOUNT_AND_RUN, "sh", *command],
        cwd=project,
        env={
            **matrix_env(),
            "SIZE": size,
            "FULL": str(full),
            "STAGE": str(stage),
            "AFTER": str(after),
            **({"MATRIX_KEY_FILE": str(full / ".matrix-key")} if key_on_it else {}),
        },
    )
    assert done.returncode != 97, done.stderr
    return done, {
        p.relative_to(after).as_posix(): p.read_bytes() for p in after.rglob("*") if p.is_file()
    }


PREVIOUS = b"the previous file, which must survive"
FILLER = b"\0" * 4096
WORKBOOK = "SDN_2026-07_sdn-joint-strategy.xlsx"
CASES = {
    # name: (arguments, files already there, file system size)
    "init": (["init", "FULL"], {"filler": FILLER}, "4k"),
    "generate": (
        ["generate", "plan.yaml", "--period", "2026-07", "--all", "--force", "-o", "FULL"],
        {WORKBOOK: PREVIOUS},
        "8k",
    ),
    "validate --annotate": (
        ["validate", "returns", "--annotate", "FULL"],
        {"filler": FILLER},
        "8k",
    ),
    "report": (
        ["report", "--period", "2026-07", "-o", "FULL/report.html"],
        {"report.html": PREVIOUS},
        "8k",
    ),
    "demo": (["demo", "FULL/demo"], {"filler": FILLER}, "8k"),
    **{
        f"export {fmt}": (
            ["export", "--format", fmt, "-o", f"FULL/out.{fmt}"],
            {f"out.{fmt}": PREVIOUS},
            "8k",
        )
        for fmt in ("csv", "hxl", "json", "xlsx")
    },
}


@pytest.mark.parametrize("case", CASES)
def test_a_full_disk_is_one_line_and_leaves_nothing(case, project, tmp_path, tmpfs_works):
    args, staged, size = CASES[case]
    done, left = on_a_full_disk(project, tmp_path, args, staged, size)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    error = [line for line in done.stderr.splitlines() if line.startswith("error:")]
    assert len(error) == 1 and done.stderr.strip().splitlines()[-1] == error[0], done.stderr
    assert (
        error[0].startswith("error: cannot ")
        and "No space left on device); free some space" in error[0]
    )
    assert left == staged  # the old file as it was, and no temporary beside it


def limited_to(size: int):
    """For the child: files may not grow past `size` bytes (writes fail with EFBIG, no signal)."""

    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["init", "out"], "File too large"),
        (["generate", "plan.yaml", "--period", "2026-07", "--all", "-o", "out"], "File too large"),
        # openpyxl (with lxml) writes each sheet to a temporary file first: the limit stops that
        (["validate", "returns", "--annotate", "out"], "cannot write temporary files in"),
    ],
)
def test_a_file_size_limit_is_one_line_and_leaves_nothing(args, reason, project, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(project, work)
    (work / "out").mkdir()
    done = run(matrix_command(*args), cwd=work, env=matrix_env(), preexec_fn=limited_to(2048))
    assert done.returncode == 2, done.stderr
    error = done.stderr.strip().splitlines()[-1]
    assert (
        error.startswith("error: cannot write out/")
        and reason in error
        and "free some space" in error
    )
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr
    assert list((work / "out").iterdir()) == []


def test_a_project_key_that_does_not_fit_is_one_line_and_leaves_nothing(
    project, tmp_path, tmpfs_works
):
    done, left = on_a_full_disk(
        project,
        tmp_path,
        ["generate", "plan.yaml", "--period", "2026-08", "--all", "-o", "FULL"],
        {"filler": FILLER},
        "4k",
        key_on_it=True,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: cannot create the project key ")
    assert (
        "No space left on device); free some space" in done.stderr
        and len(done.stderr.splitlines()) == 1
    )
    assert left == {"filler": FILLER}  # neither a key nor a matrix
