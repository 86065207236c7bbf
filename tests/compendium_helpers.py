"""Returns with good practices, made in code, for the compendium and report tests."""

from __future__ import annotations

from matrix.models.plan import Plan
from matrix.models.returns import GoodPractice, Link, Narratives, OverviewText
from matrix.store import Store
from narrative_helpers import initiative
from store_helpers import make_result

PRACTICES = [
    # office, period, the activity or initiative described, title
    ("KEN", "2026-Q3", "CAP-1", "Kenya: one training for every border post"),
    ("KEN", "2026-Q3", "I1", "Kenya: legal aid that reaches police cells"),
    ("TZA", "2026-Q3", "OPS-2", "Tanzania: release to the community"),
    ("KEN", "2026-Q4", "OPS-1", "Kenya: a profiling desk at Moyale"),
    ("EHAGL", "2026-Q4", "CAP-2", "Region: national trainers certified"),
]
INITIATIVE = initiative(title="Legal aid at police stations", actors="Legal aid NGOs")


def practice(subject: str, title: str, row: int) -> GoodPractice:
    initiative = subject.startswith("I")
    return GoodPractice(
        sheet="Good practices",
        row=row,
        activity_id=None if initiative else subject,
        initiative_ref=subject if initiative else None,
        title=title,
        background=f"Why: {title}.",
        actors=["UNHCR", "Government"],
        actions=["First step", "Second step"],
        review="It worked.",
        further_information=[
            Link(text="Report", url="https://www.unhcr.org/report.pdf"),
            Link(text="Minutes on file"),
        ],
    )


def office_narratives(office: str, period: str) -> Narratives:
    mine = [(subject, title) for o, p, subject, title in PRACTICES if (o, p) == (office, period)]
    return Narratives(
        overview=[OverviewText(heading="main_trends", text=f"Trends in {office}, {period}.")],
        initiatives=[INITIATIVE] if office == "KEN" else [],
        good_practices=[practice(subject, title, 4 + n) for n, (subject, title) in enumerate(mine)],
    )


def store_with_practices(store: Store, plan: Plan) -> Store:
    """Every office's return for 2026-Q3 and 2026-Q4 (the region's only for Q4), with the
    narratives above."""
    for period in ("2026-Q3", "2026-Q4"):
        for office in [*plan.countries, plan.region.code]:
            if (office, period) == (plan.region.code, "2026-Q3"):
                continue
            result = make_result(plan, office, period).model_copy(
                update={"narratives": office_narratives(office, period)}
            )
            store.record(result, plan)
    return store
