"""What a shell offers when Tab is pressed after `--period`, `--country`, `--activity` or a
country argument: the plan's own periods, offices and ids, read from the plan the command line
names so far.

Completion runs on every Tab, so it never fails loudly: a plan that is missing or broken offers
nothing (the command itself will say what is wrong when it runs).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from matrix.models.plan import Plan
from matrix.periods import Period, last_period, periods_between
from matrix.plan import load_plan, plan_index


def plan_or_none(path: str | Path | None) -> Plan | None:
    if path is None or not Path(path).is_file():
        return None
    try:
        return load_plan(Path(path))
    except Exception:  # noqa: BLE001 - any failure means nothing to offer; the command will say why
        return None


def periods(plan: Plan, incomplete: str = "", today: date | None = None) -> list[str]:
    """The plan's periods, latest first (the one people want is usually the current one)."""
    first = Period.parse(plan.reporting.first_period)
    found = [p.id for p in periods_between(first, last_period(plan, today))]
    return [p for p in reversed(found) if p.startswith(incomplete)]


def offices(plan: Plan, incomplete: str = "") -> list[str]:
    """Every office that reports: the plan's countries, and the region when it has one."""
    wanted = incomplete.upper()
    return [o for o in plan_index(plan).reporting_offices if o.startswith(wanted)]


def activities(plan: Plan, incomplete: str = "") -> list[str]:
    """Activity ids, then the refs of their indicators (A1-1.2), in plan order."""
    ids = [activity.id for _, activity in plan.activities()]
    refs = [ref for ref in plan_index(plan).by_ref if ref not in ids]
    return [item for item in (*ids, *refs) if item.startswith(incomplete)]
