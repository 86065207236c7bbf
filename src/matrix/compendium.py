"""`matrix compendium`: every good practice the offices described, compiled by action point, then
country, then period, in the layout of the 10-Point Plan in Action (a chapter per action point;
each practice dated, titled and told in five parts), as one self-contained HTML file like the
report, or as a PDF of it printed by `matrix.pdf`."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from pydantic import Field

from matrix._version import __version__
from matrix.errors import MatrixError
from matrix.files import Inputs, StandardOutput, Target
from matrix.models.plan import Plan
from matrix.pdf import page_format, write_page
from matrix.periods import Period, parse_for_plan, periods_between
from matrix.plan import expected_offices
from matrix.report.context import Model, Practice
from matrix.report.formatting import Formatter
from matrix.report.sections.good_practices import practices
from matrix.report.words import Words
from matrix.store import Store
from matrix.templating import environment

TEMPLATE = "compendium.html"


class CompendiumCountry(Model):
    office: str = Field(description="Country code or region code.")
    name: str = Field(description="Office name in the compendium's language.")
    practices: list[Practice] = Field(description="Its good practices, oldest period first.")


class Chapter(Model):
    anchor: str = Field(description="HTML id of the chapter.")
    number: int | None = Field(description="Action point number; None for practices without one.")
    title: str = Field(description="Action point title in the compendium's language.")
    description: str = Field(description="What the action point is about.")
    countries: list[CompendiumCountry] = Field(description="Offices with practices, in plan order.")


class CompendiumContext(Model):
    lang: str
    direction: str = Field(description="'rtl' for Arabic, else 'ltr'.")
    labels: dict[str, str] = Field(description="Catalogue labels the template uses.")
    plan_id: str
    plan_title: str
    framework_title: str
    periods: list[str] = Field(description="The periods compiled, in order.")
    generated_at: datetime
    tool_version: str
    chapters: list[Chapter] = Field(description="A chapter per action point with practices.")
    count: int = Field(description="Good practices compiled.")


def selected_periods(
    plan: Plan,
    store: Store,
    period: str | Period | None = None,
    first: str | Period | None = None,
    last: str | Period | None = None,
) -> list[str]:
    """`period` alone; or from `first` (default: the plan's first period) to `last` (default: the
    latest collected); or every collected period."""
    if period is not None:
        return [parse_for_plan(plan.reporting, period).id]
    collected = store.periods(plan)
    if first is None and last is None:
        return collected
    start = parse_for_plan(plan.reporting, first or plan.reporting.first_period)
    end = parse_for_plan(plan.reporting, last) if last else None
    if end is None:
        end = Period.parse(collected[-1]) if collected else start
    if end < start:
        raise MatrixError("error.range_reversed", first=start.id, last=end.id)
    return [p.id for p in periods_between(start, end)]


def compendium_context(
    plan: Plan, store: Store, periods: list[str], *, lang: str = "en", generated_at: datetime
) -> CompendiumContext:
    words = Words(plan, lang)
    found: dict[str, list[Practice]] = {}
    with store.reading():
        for stored in store.narratives(plan, periods):
            found.setdefault(stored.office, []).extend(
                practices(stored.office, stored.period, stored.narratives, words)
            )
    order = {period: index for index, period in enumerate(periods)}
    chapters = []
    action_points: list = [*words.framework.action_points, None]
    for index, ap in enumerate(action_points, 1):
        countries = []
        for office in [*expected_offices(plan), *sorted(set(found) - set(expected_offices(plan)))]:
            mine = [
                p for p in found.get(office, []) if p.action_point_id == (ap.id if ap else None)
            ]
            if mine:
                mine.sort(
                    key=lambda p: order.get(p.period, len(order))
                )  # stable: rows stay in order
                countries.append(
                    CompendiumCountry(office=office, name=words.office(office), practices=mine)
                )
        if countries:
            chapters.append(
                Chapter(
                    anchor=f"chapter-{index}",
                    number=ap.number if ap else None,
                    title=words.action_point_title(ap)
                    if ap
                    else words.label("report.stock_take.no_action_point"),
                    description=words.action_point_description(ap) if ap else "",
                    countries=countries,
                )
            )
    return CompendiumContext(
        lang=lang,
        direction="rtl" if words.rtl else "ltr",
        labels=words.labels(),
        plan_id=plan.id,
        plan_title=plan.title,
        framework_title=words.framework_title(),
        periods=periods,
        generated_at=generated_at,
        tool_version=__version__,
        chapters=chapters,
        count=sum(len(c.practices) for chapter in chapters for c in chapter.countries),
    )


def render_compendium(context: CompendiumContext) -> str:
    return (
        environment()
        .get_template(TEMPLATE)
        .render(r=context, L=context.labels, F=Formatter(context.lang))
    )


def make_compendium(
    plan: Plan,
    store: Store,
    out: Target,
    *,
    period: str | Period | None = None,
    first: str | Period | None = None,
    last: str | Period | None = None,
    lang: str = "en",
    generated_at: datetime | None = None,
    inputs: Inputs | None = None,
) -> CompendiumContext:
    """Write the compendium to `out`: HTML, or PDF when `out` ends in .pdf. Never over the store or
    any of `inputs` (the plan)."""
    out = out if isinstance(out, StandardOutput) else Path(out)
    kind = page_format(out)
    inputs = inputs or Inputs()
    if store.path is not None:
        inputs.add_store(store.path)
    inputs.refuse(out)
    periods = selected_periods(plan, store, period, first, last)
    at = generated_at or datetime.now(UTC).replace(microsecond=0)
    context = compendium_context(plan, store, periods, lang=lang, generated_at=at)
    write_page(render_compendium(context), out, kind, inputs=inputs)
    return context
