"""Failures: things that stop a command. Findings about user data are `Issue`s, not exceptions."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matrix.models.issues import Issue


class MatrixError(Exception):
    """A job that cannot be done; the CLI prints it on one line and exits 2."""


class MatrixWarning(UserWarning):
    """Something a script should hear about while the job goes on (a stored period left out, a
    project key just made); the command line prints the same on stderr."""


class PlanError(MatrixError):
    """The plan cannot be used; carries every problem found, not just the first."""

    def __init__(self, path: str, issues: list[Issue]):
        self.path = path
        self.issues = issues
        errors = [i for i in issues if i.is_error]
        first = errors[0].render() if errors else path
        more = f" (and {len(errors) - 1} more; run `matrix plan check {path}`)" if len(errors) > 1 else ""
        super().__init__(f"{first}{more}")


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: the command stops where it is and cleans up on the way (no
    half-written file, no half-recorded return, no worker left behind)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
