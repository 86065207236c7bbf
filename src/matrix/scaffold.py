"""`matrix init`: a project folder with a commented plan that passes `matrix plan check` as it is."""

from __future__ import annotations

import os
from pathlib import Path

from matrix.errors import MatrixError
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
        raise MatrixError(f"framework '{framework}' is not built in; choose one of {', '.join(builtin_names())}")
    directory = Path(directory)
    target = directory / PLAN_FILE
    if target.exists():
        raise MatrixError(f"{target} already exists; edit it, or choose another folder")
    text = render(
        "plan.yaml.j2",
        scope=Scope(scope).value,
        framework=builtin_framework(framework),
    )
    directory.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{PLAN_FILE}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, target)
    key, created = ensure_key(find_key(target))
    return target, key.path if created else None
