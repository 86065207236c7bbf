"""The funding section: requirements, funds secured and gaps, by action point and by lead actor.

A budget is the activity's whole requirement across its offices; funds secured are what the
offices reported for the period (one value per office and activity), summed. Funds secured on an
activity the plan gives no budget are unbudgeted funding: shown apart, never dropped, and never
set against a requirement.
"""

from __future__ import annotations

from collections import defaultdict

from matrix.models.plan import Activity
from matrix.report.context import Funding, FundingRow
from matrix.report.counting import Layout, Snapshot, percent


def funds_secured(now: Snapshot) -> dict[str, float]:
    """Activity id -> funds secured: per office its rows' largest value, summed over offices."""
    out: dict[str, float] = defaultdict(float)
    for k, value in sorted(now.funds.items()):
        out[now.layout.keys[k][1]] += value
    return out


def funding(activity_ids: list[str], layout: Layout, secured: dict[str, float]) -> Funding | None:
    """Requirement, secured and gap of the budgeted ones among these counted activities, and the
    funds secured on the others; None when there is neither a budget nor unbudgeted funding."""
    activities: list[Activity] = [layout.activity[i] for i in activity_ids]
    budgeted = [a for a in activities if a.budget is not None]
    unbudgeted = sum(secured.get(a.id, 0.0) for a in activities if a.budget is None)
    if not budgeted and not unbudgeted:
        return None
    requirement = sum(a.budget or 0.0 for a in budgeted)
    got = sum(secured.get(a.id, 0.0) for a in budgeted)
    return Funding(
        requirement=requirement,
        secured=got,
        gap=max(requirement - got, 0.0),
        funded_percent=percent(got, requirement),
        unbudgeted=unbudgeted,
    )


def funding_rows(
    groups: dict[str, tuple[str, list[str]]], layout: Layout, secured: dict[str, float]
) -> list[FundingRow]:
    """One row per group (action point or lead actor) with budgeted activities or unbudgeted
    funding."""
    rows = []
    for key, (label, activity_ids) in groups.items():
        found = funding(activity_ids, layout, secured)
        if found is not None:
            rows.append(
                FundingRow(
                    key=key,
                    label=label,
                    funding=found,
                    bar_secured=min(found.funded_percent or 0.0, 100.0),
                )
            )
    return rows
