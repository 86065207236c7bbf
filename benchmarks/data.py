"""Synthetic but realistic plans, built with matrix's own models, and a cache for built files.

A plan has `activities` activities spread over the ten action points, one indicator each (so a
country's matrix has exactly that many rows), every activity applying to every country, and a
budget on most activities (so the budget columns are present, the widest layout). Names, actors,
indicators and comments come from the vocabulary coordinators actually use. Everything is seeded,
so the same parameters build the same plan on every machine.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
from collections.abc import Callable
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pycountry

from matrix.models.plan import (
    Activity,
    Actor,
    ActorType,
    Frequency,
    Indicator,
    Objective,
    Plan,
    Region,
    Reporting,
    Scope,
    Status,
)
from matrix.models.returns import ProgressRow

SRC = Path(__file__).resolve().parents[1] / "src" / "matrix"

ACTORS = [
    ("UNHCR", "Office of the United Nations High Commissioner for Refugees", ActorType.UN_AGENCY),
    ("IOM", "International Organization for Migration", ActorType.INTERNATIONAL_ORGANISATION),
    ("UNICEF", "United Nations Children's Fund", ActorType.UN_AGENCY),
    ("UNODC", "United Nations Office on Drugs and Crime", ActorType.UN_AGENCY),
    ("UNFPA", "United Nations Population Fund", ActorType.UN_AGENCY),
    ("OHCHR", "Office of the High Commissioner for Human Rights", ActorType.UN_AGENCY),
    ("ICRC", "International Committee of the Red Cross", ActorType.INTERNATIONAL_ORGANISATION),
    ("DRC", "Danish Refugee Council", ActorType.NGO),
    ("NRC", "Norwegian Refugee Council", ActorType.NGO),
    ("MSF", "Medecins Sans Frontieres", ActorType.NGO),
    ("IRC", "International Rescue Committee", ActorType.NGO),
    ("MOI", "Ministry of Interior, Immigration Department", ActorType.GOVERNMENT),
    ("MOJ", "Ministry of Justice", ActorType.GOVERNMENT),
    ("MOSD", "Ministry of Social Development", ActorType.GOVERNMENT),
    ("NCCT", "National Committee to Combat Trafficking", ActorType.GOVERNMENT),
    ("RCS", "National Red Cross / Red Crescent Society", ActorType.CIVIL_SOCIETY),
    ("LAWS", "Legal Aid and Human Rights Centre", ActorType.CIVIL_SOCIETY),
    ("IGAD", "Intergovernmental Authority on Development", ActorType.REGIONAL_BODY),
    ("EUTF", "EU Emergency Trust Fund for Africa", ActorType.DONOR),
    ("UNI", "University Centre for Migration Studies", ActorType.ACADEMIA),
]

VERBS = [
    "Train",
    "Support",
    "Establish",
    "Strengthen",
    "Conduct",
    "Develop",
    "Deploy",
    "Convene",
    "Expand",
    "Assess",
    "Rehabilitate",
    "Publish",
]
SUBJECTS = [
    "border officials on protection-sensitive entry and referral",
    "reception centres for new arrivals in the border region",
    "profiling and referral desks at the main transit points",
    "best-interest procedures for unaccompanied and separated children",
    "legal counselling for asylum-seekers in detention",
    "a national referral mechanism for victims of trafficking",
    "mixed-movement monitoring along the main migration routes",
    "information campaigns on the risks of irregular onward movement",
    "assisted voluntary return and reintegration counselling",
    "livelihood programmes for refugees and host communities",
    "alternatives to immigration detention for families",
    "the inter-agency coordination forum on mixed movements",
    "prosecutors and judges on anti-smuggling legislation",
    "safe shelters for survivors of gender-based violence",
    "the refugee status determination backlog",
]
INDICATORS = [
    ("Officials trained", "people"),
    ("Centres refurbished", "centres"),
    ("People profiled", "people"),
    ("Children referred to child protection services", "children"),
    ("Cases counselled", "cases"),
    ("Monitoring reports published", "reports"),
    ("Campaign sessions held", "sessions"),
    ("Returns assisted", "people"),
    ("Households supported", "households"),
    ("Meetings held", "meetings"),
    ("Standard operating procedures adopted", "procedures"),
    ("Share of cases decided", "%"),
]
PLACES = [
    "the northern border region",
    "the capital",
    "the main transit hub",
    "coastal departure points",
    "the eastern camps",
    "urban areas",
    "the southern corridor",
    "reception centres",
    "detention facilities",
    "host communities",
    "the airport",
    "the western provinces",
    "the refugee settlements",
    "border crossings",
    "the central highlands",
    "secondary cities",
]
GROUPS = [
    "",
    " for women and girls",
    " for unaccompanied children",
    " for survivors of trafficking",
    " for stranded migrants",
    " for asylum-seekers",
    " for host community youth",
]

COMMENTS = [
    "",
    "",
    "",
    "Work plan agreed with the ministry.",
    "Delayed by the rainy season; resumes next month.",
    "Funding confirmed for the second half of the year.",
    "Two sessions postponed because of elections.",
    "Partner staff recruited; activity starting.",
    "Target revised with the government counterpart.",
    "Access to the border area restricted since the last period.",
]
STATUSES = (
    [Status.ON_TRACK] * 5 + [Status.NOT_STARTED] * 2 + [Status.DELAYED] * 2 + [Status.COMPLETED]
)


@cache
def country_codes() -> tuple[str, ...]:
    return tuple(sorted(c.alpha_3 for c in pycountry.countries))


def build_plan(activities: int, countries: int = 1, *, seed: int = 7) -> Plan:
    """A national plan (one country) or a global one (several), `activities` rows per country."""
    if countries > len(country_codes()):
        raise ValueError(f"at most {len(country_codes())} countries")
    rng = random.Random(seed)
    actor_ids = [a[0] for a in ACTORS]
    per_ap = [activities // 10 + (1 if i < activities % 10 else 0) for i in range(10)]
    titles = [f"{v} {s} in {p}{g}" for v in VERBS for s in SUBJECTS for p in PLACES for g in GROUPS]
    rng.shuffle(
        titles
    )  # 20,160 distinct titles: a large plan repeats no title, as a real one would not
    objectives = []
    number = 0
    for ap, count in enumerate(per_ap, start=1):
        acts = []
        for _ in range(count):
            number += 1
            name, unit = rng.choice(INDICATORS)
            target = 100.0 if unit == "%" else float(rng.choice([1, 4, 12, 20, 50, 120, 400, 2500]))
            start = date(2026, 1, 1) + timedelta(days=30 * rng.randrange(12))
            acts.append(
                Activity(
                    id=f"AP{ap}-{number}",
                    title=titles[number - 1],
                    lead=rng.choice(actor_ids),
                    partners=rng.sample(actor_ids, rng.randrange(0, 4)),
                    indicators=[
                        Indicator(
                            name=name, unit=unit, target=target, cumulative=rng.random() < 0.8
                        )
                    ],
                    start=start,
                    end=start + timedelta(days=rng.choice([90, 180, 365, 540])),
                    budget=float(rng.randrange(5, 500) * 1000) if rng.random() < 0.85 else None,
                )
            )
        objectives.append(
            Objective(
                id=f"O{ap}",
                action_point=f"AP{ap}",
                title=f"Objective {ap}: {rng.choice(SUBJECTS).capitalize()}",
                activities=acts,
            )
        )
    codes = list(country_codes()[:countries])
    return Plan(
        schema_version=1,
        id=f"bench-{activities}x{countries}",
        title=f"Benchmark plan: {activities} activities in {countries} countries",
        scope=Scope.NATIONAL if countries == 1 else Scope.GLOBAL,
        region=None if countries == 1 else Region(code="BENCH", name="Benchmark region"),
        countries=codes,
        reporting=Reporting(
            frequency=Frequency.MONTHLY,
            first_period="2026-01",
            due_days=15,
            send_to="Regional coordination unit (benchmark@example.org)",
        ),
        actors=[Actor(id=i, name=n, type=t) for i, n, t in ACTORS],
        objectives=objectives,
    )


def plan_text(plan: Plan) -> str:
    """The plan as a coordinator would write it: defaults left out, lists of ids and indicators
    on one line (PyYAML's flow style for collections of plain values), dates as dates."""
    import yaml

    data = plan.model_dump(mode="json", exclude_defaults=True)
    data["schema_version"] = plan.schema_version
    for objective in data.get("objectives", []):
        for activity in objective.get("activities", []):
            for key in {"start", "end"} & activity.keys():
                activity[key] = date.fromisoformat(activity[key])
    return yaml.safe_dump(
        data, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )


def plan_file(activities: int, countries: int = 1) -> Path:
    """`build_plan(activities, countries)` as plan.yaml in the cache."""

    def build(folder: Path) -> None:
        text = plan_text(build_plan(activities, countries))
        (folder / "plan.yaml").write_text(text, encoding="utf-8")

    return cached_dir(f"plan-{activities}x{countries}", source_hash("models"), build) / "plan.yaml"


def plan_workbook_file(activities: int) -> Path:
    """`plan_file(activities)` as a plan workbook (`matrix plan export`), in the cache."""

    def build(folder: Path) -> None:
        from matrix.plan.workbook.writer import write_plan_workbook

        with (folder / "plan.xlsx").open("wb") as out:
            write_plan_workbook(build_plan(activities), out)

    key = source_hash("models", "plan_workbook")
    return cached_dir(f"plan-workbook-{activities}", key, build) / "plan.xlsx"


def periods(count: int) -> list[str]:
    """`count` consecutive monthly periods from the plan's first one."""
    return [f"{2026 + m // 12}-{m % 12 + 1:02d}" for m in range(count)]


def office_fill(
    plan: Plan, office: str, period: str, *, seed: int = 0
) -> dict[tuple[str, str], ProgressRow]:
    """What an office types into its matrix, keyed by (office, ref) as the writer's `prefill` is.

    Offices mostly follow the rules (a comment when delayed or cancelled, totals to date that
    never go down, the target reached when completed), so most returns are accepted and reach
    the store; about one return in ten carries a few genuine errors (a completed activity with no
    actual value, a delay without a comment) on about 2% of its rows, and is rejected.
    """
    from matrix.excel.layout import FIRST_DATA_ROW
    from matrix.plan import plan_rows

    rng = random.Random(f"{seed}:{office}:{period}")
    careless = rng.random() < 0.1
    year, month = map(int, period.split("-"))
    progress = min(1.0, ((year - 2026) * 12 + month) / 12)  # share of the year gone by
    fill = {}
    for i, row in enumerate(plan_rows(plan, office)):
        steady = random.Random(
            f"{seed}:{office}:{row.ref}"
        )  # the same each period, so totals never drop
        pace = steady.uniform(0.3, 1.2)
        status = steady.choice(STATUSES) if progress < 1 else Status.COMPLETED
        indicator = row.indicator
        target = (indicator.target if indicator else None) or 10.0
        actual = None if status == Status.NOT_STARTED else round(target * min(1.0, pace * progress))
        if status == Status.COMPLETED:
            actual = target
        comments = steady.choice(COMMENTS)
        if status in (Status.DELAYED, Status.CANCELLED) and not comments:
            comments = "Waiting for the authorisation of the ministry."
        if careless and rng.random() < 0.02:
            actual, comments = (None, comments) if status != Status.NOT_STARTED else (actual, "")
            status = Status.COMPLETED if status != Status.NOT_STARTED else Status.DELAYED
        fill[(office, row.ref)] = ProgressRow(
            country=office,
            activity_id=row.activity.id,
            indicator_index=row.indicator_index,
            ref=row.ref,
            sheet="",
            row=FIRST_DATA_ROW + i,
            status=status,
            actual=actual,
            funds_secured=round(row.activity.budget * min(1.0, pace), -2)
            if row.activity.budget
            else None,
            comments=comments,
        )
    return fill


def source_hash(*parts: str) -> str:
    """A hash of matrix's source files under the given sub-paths and of this module (which decides
    what the data holds), so a cache follows code changes."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for part in parts:
        base = SRC / part
        files = (
            sorted(f for f in base.rglob("*") if f.suffix in (".py", ".yaml"))
            if base.is_dir()
            else ([base] if base.exists() else [])
        )
        for f in files:
            digest.update(f.relative_to(SRC).as_posix().encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()[:10]


def cache_root() -> Path:
    """benchmarks/.cache, or $MATRIX_BENCH_CACHE (the tests use a temporary folder)."""
    return Path(os.environ.get("MATRIX_BENCH_CACHE") or Path(__file__).resolve().parent / ".cache")


def cached_dir(name: str, key: str, build: Callable[[Path], None]) -> Path:
    """A folder under the cache built once per key (older keys of the same name are removed);
    a failed build leaves nothing behind."""
    root = cache_root()
    final = root / f"{name}-{key}"
    if (final / ".complete").exists():
        return final
    for stale in root.glob(f"{name}-*"):
        shutil.rmtree(stale, ignore_errors=True)
    partial = root / f".{name}-{key}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    build(partial)
    (partial / ".complete").write_text("ok")
    partial.rename(final)
    return final
