"""`matrix init`: a project folder with a commented plan that passes `matrix plan check` as it
is."""

from __future__ import annotations

from pathlib import Path

from matrix.errors import MatrixError
from matrix.files import describe, write_text
from matrix.frameworks import builtin_framework, builtin_names
from matrix.models.plan import Scope
from matrix.signing import ensure_key, find_key
from matrix.templating import render

PLAN_FILE = "plan.yaml"


def init_project(
    directory: str | Path, scope: Scope = Scope.NATIONAL, framework: str = "10-point-plan"
) -> tuple[Path, Path | None]:
    """Write DIR/plan.yaml and the project key; refuses to replace an existing plan. Returns the
    plan's path and the key's when it was created now."""
    if framework not in builtin_names():
        raise MatrixError("error.unknown_framework", name=framework, known=builtin_names())
    directory = Path(directory)
    target = directory / PLAN_FILE
    if target.exists():
        raise MatrixError("error.plan_exists", path=target)
    text = render(
        "plan.yaml.j2",
        scope=Scope(scope).value,
        framework=builtin_framework(framework),
    )
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise MatrixError("error.cannot_create", path=directory, reason=describe(exc)) from None
    write_text(target, text)
    key, created = ensure_key(find_key(target))
    return target, key.path if created else None
