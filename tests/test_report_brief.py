"""The report reads the periods it only counts briefly (country, ref, status, actual): its figures
are the same as when every period is read in full, on a store of several periods with every kind
of period rule, on both backends."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from matrix.models.plan import Plan, Status
from matrix.report.build import build_context
from matrix.report.source import from_store, report_data
from store_helpers import make_result

pytest_plugins = ["store_fixtures"]

PERIODS = ("2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2")
RULES = ("per_period", "max", "mean", "cumulative", "latest")
GENERATED = datetime(2027, 7, 15, tzinfo=UTC)


def every_rule(plan: Plan) -> Plan:
    """`plan` with its indicators' period rules taken in turn from RULES."""
    data = plan.model_dump()
    n = 0
    for objective in data["objectives"]:
        for activity in objective["activities"]:
            for indicator in activity["indicators"]:
                rule = RULES[n % len(RULES)]
                indicator.update(periods=rule, cumulative=rule == "cumulative", kind="count")
                n += 1
    return Plan.model_validate(data)


def fill(store, plan: Plan) -> None:
    """Every country's return for every period, with statuses, figures and comments drawn at
    random (seeded)."""
    rng = random.Random(7)
    statuses = [*Status, None]
    for period in PERIODS:
        for office in plan.countries:
            result = make_result(plan, office, period)
            rows = [
                r.model_copy(
                    update={
                        "status": rng.choice(statuses),
                        "actual": rng.choice([None, rng.randint(0, 300)]),
                        "funds_secured": rng.choice([None, rng.randint(0, 9000)]),
                        "comments": rng.choice(["", "waiting for the ministry"]),
                        "support_needed": rng.choice(["", "two vehicles"]),
                    }
                )
                for r in result.rows
            ]
            store.record(result.model_copy(update={"rows": rows}), plan)


def test_brief_earlier_periods_give_the_figures_of_full_ones(store, dar):
    plan = every_rule(dar)
    fill(store, plan)
    last = PERIODS[-1]

    brief = from_store(plan, store, last, generated_at=GENERATED)
    with store.reading():
        data = report_data(plan, store)
        for period in data.periods.values():
            period.brief_rows = None  # every period read in full
        full = build_context(plan, data, last, generated_at=GENERATED)

    assert brief.model_dump() == full.model_dump()
    assert len(brief.trend.points) == len(PERIODS)
