"""Failures: things that stop a command. Findings about user data are `Issue`s, not exceptions.

A failure is a catalogue message (key and parameters), so the command line shows it in the
language asked for; `str()` is the English text.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matrix.models.issues import Issue


class MatrixError(Exception):
    """A job that cannot be done; the CLI prints it on one line and exits 2.

    `MatrixError("error.no_store", path=path)`: a catalogue key and its parameters. A text that is
    not a catalogue key is shown as it is."""

    def __init__(self, key: str, /, **params: object):
        super().__init__(key)
        self.key = key
        self.params = params

    def render(self, lang: str = "en") -> str:
        from matrix.i18n import known, t

        return t(lang, self.key, **self.params) if known(self.key) else self.key

    def as_phrase(self) -> dict[str, object] | str:
        """The failure as a parameter of another message (say, why a file was not written)."""
        from matrix.i18n import known, phrase

        return phrase(self.key, **self.params) if known(self.key) else self.key

    def __str__(self) -> str:
        return self.render()


class MatrixWarning(UserWarning):
    """Something a script should hear about while the job goes on (a stored period left out, a
    project key just made); the command line prints the same on stderr."""


class PlanError(MatrixError):
    """The plan cannot be used; carries every problem found, not just the first."""

    def __init__(self, path: str, issues: list[Issue]):
        super().__init__("error.plan_unusable", path=path)
        self.path = path
        self.issues = issues

    def render(self, lang: str = "en") -> str:
        from matrix.i18n import render_issue, t

        errors = [i for i in self.issues if i.is_error]
        if not errors:
            return self.path
        first = render_issue(errors[0], lang)
        if len(errors) == 1:
            return first
        return t(lang, "error.plan_more", first=first, count=len(errors) - 1, path=self.path)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: the command stops where it is and cleans up on the way (no
    half-written file, no half-recorded return, no worker left behind)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum
