"""Everything the report template may show, computed in Python; templates only format.

Percentages are 0-100 floats (None when there is nothing to divide by). Chart geometry (bar
segments, line points) is computed here too, so a template never does arithmetic.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Spark(Model):
    path: str = Field(
        description="SVG polyline points of the values, in a SPARK_WIDTH x SPARK_HEIGHT box."
    )
    dots: list[tuple[float, float]] = Field(description="(x, y) of each period with a value.")
    values: list[tuple[str, float | None]] = Field(
        description="(period id, percent) the chart draws, in order."
    )


class StatusCount(Model):
    status: str = Field(description="Status value (not_started, on_track, ...) or 'not_reported'.")
    label: str = Field(description="The status in the report's language.")
    count: int = Field(description="How many activities have this status.")
    percent: float | None = Field(description="Share of all activities counted, 0-100.")


class BarSegment(Model):
    status: str = Field(description="Status value; selects the colour class.")
    x: float = Field(description="Left edge in a 0-100 wide bar (mirrored for right-to-left).")
    width: float = Field(description="Width in the 0-100 wide bar.")


class StatusBar(Model):
    counts: list[StatusCount] = Field(
        description="Count per status, every status in a fixed order."
    )
    segments: list[BarSegment] = Field(
        description="Stacked bar geometry, zero-width segments left out."
    )
    total: int = Field(description="Activities counted.")
    description: str = Field(description="Text equivalent of the bar, for screen readers.")


class ReturnsSummary(Model):
    expected: int = Field(description="Offices expected to send a return for the period.")
    received: int = Field(description="Offices with an accepted return.")
    late: int = Field(description="Accepted returns received after the due date.")
    rejected: int = Field(description="Offices whose only returns were rejected.")
    missing: int = Field(description="Offices that sent nothing.")


class Funding(Model):
    requirement: float = Field(description="Sum of the plan's activity budgets.")
    secured: float = Field(
        description="Sum of the funds secured the offices reported on budgeted activities."
    )
    gap: float = Field(description="requirement - secured, never below 0.")
    funded_percent: float | None = Field(description="secured / requirement, 0-100.")
    unbudgeted: float = Field(
        default=0.0,
        description="Funds secured the offices reported on activities the plan gives no budget.",
    )


class Headline(Model):
    plan_activities: int = Field(
        description="Plan activities counted, each once however many offices it applies to."
    )
    activities: int = Field(
        description="Activity-in-office instances counted: one per "
        "activity and office it applies to."
    )
    status: StatusBar = Field(description="Activities by status.")
    indicators_with_target: int = Field(description="Indicator rows that have a target.")
    targets_reached: int = Field(
        description="Indicator rows whose achieved value reached the target."
    )
    average_progress: float | None = Field(
        description="Mean progress towards target over indicator rows "
        "with a target, each capped at 100."
    )
    average_progress_change: float | None = Field(
        description="Change of average_progress since the previous period, in percentage points."
    )
    completed_change: int | None = Field(
        description="Change in completed activities since the previous period."
    )
    returns: ReturnsSummary = Field(description="Returns received against expected.")
    funding: Funding | None = Field(
        description="Plan-wide funding; None when the plan has no budgets."
    )


class Highlight(Model):
    text: str = Field(description="One sentence in the report's language.")
    anchor: str = Field(description="HTML id of the section with the details.")


class ActionPointRow(Model):
    id: str = Field(description="Action point id, e.g. AP3.")
    number: int = Field(description="Action point number.")
    title: str = Field(description="Action point title in the report's language when available.")
    activities: int = Field(description="Activities counted under this action point.")
    status: StatusBar = Field(description="Activities by status.")
    average_progress: float | None = Field(
        description="Mean capped progress towards target, 0-100."
    )
    progress_change: float | None = Field(
        description="Change since the previous period, percentage points."
    )
    targets_reached: int = Field(description="Indicator rows that reached their target.")
    indicators_with_target: int = Field(description="Indicator rows with a target.")
    trend: Spark | None = Field(
        default=None, description="Mean capped progress over the stored periods."
    )


class IndicatorFigure(Model):
    ref: str = Field(description="Row reference of the indicator.")
    activity: str = Field(description="Activity title from the plan.")
    indicator: str = Field(description="Indicator name.")
    unit: str = Field(description="Indicator unit; empty when none.")
    kind: str = Field(description="count, number, percent, currency, yes_no or date.")
    rule: str = Field(description="How countries combine: sum, mean, min, max, ratio or none.")
    rule_text: str = Field(description="The rule in the report's language.")
    value: float | None = Field(
        description="Regional figure; a percentage in points for percent and ratio."
    )
    value_date: date | None = Field(description="The regional figure of a date indicator.")
    target: float | None = Field(description="Regional target by the same rule.")
    percent_of_target: float | None = Field(description="value / target, 0-100 (not capped).")
    reporting: int = Field(description="Countries whose figure went into the regional one.")
    expected: int = Field(description="Countries the indicator applies to.")


class HeatCell(Model):
    value: float | None = Field(
        description="Mean capped progress, 0-100; None when nothing was reported."
    )
    level: str = Field(
        description="Colour class: 'none' (no activity), 'unreported', "
        "'p0', 'p25', 'p50', 'p75' or 'p100'."
    )
    activities: int = Field(description="Activities of this action point in this office.")
    delayed: int = Field(description="Of which delayed.")


class HeatColumn(Model):
    id: str = Field(description="Action point id.")
    number: int = Field(description="Action point number.")
    title: str = Field(description="Action point title in the report's language.")


class HeatRow(Model):
    office: str = Field(description="Country code or region code.")
    name: str = Field(description="Office name in the report's language.")
    cells: list[HeatCell] = Field(
        description="One cell per action point of heat_columns, in that order."
    )


class MapShape(Model):
    office: str = Field(description="Country code.")
    name: str = Field(description="Country name in the report's language.")
    value: float | None = Field(
        description="Mean capped progress, 0-100; None when nothing was reported."
    )
    level: str = Field(description="Colour band, as the heat map's.")
    activities: int = Field(description="Activities counted in the country.")
    path: str = Field(description="SVG path of its boundary in the map's viewBox.")


class MapView(Model):
    width: int = Field(description="SVG viewBox width.")
    height: int = Field(description="SVG viewBox height.")
    shapes: list[MapShape] = Field(description="The report's countries, coloured by progress.")
    context: list[str] = Field(description="SVG paths of the neighbouring countries, drawn grey.")
    left_out: list[str] = Field(
        description="Offices not on the map (the region, a country without a boundary)."
    )


class ActivityLine(Model):
    office: str = Field(description="Country code or region code.")
    office_name: str = Field(description="Office name in the report's language.")
    ref: str = Field(description="Row reference: activity id, or id.n for its n-th indicator.")
    activity_id: str = Field(description="Plan activity id.")
    activity: str = Field(description="Activity title from the plan.")
    action_point: str = Field(description="'3. Title' of the activity's action point.")
    lead: str = Field(description="Lead actor id, empty when none.")
    partners: str = Field(description="Partner actor ids, comma-separated.")
    indicator: str = Field(description="Indicator name, empty when the activity has none.")
    unit: str = Field(description="Indicator unit.")
    target: float | None = Field(description="Indicator target.")
    achieved: float | None = Field(description="Figure to date by the indicator's period rule.")
    achieved_text: str | None = Field(
        default=None, description="The figure as words when it is no number: Yes/No, or a date."
    )
    progress: float | None = Field(
        description="achieved towards target, 0-100 and more (not capped)."
    )
    progress_bar: float = Field(description="progress capped to 0-100, for the small bar.")
    status: str = Field(description="Status value, or 'not_reported'.")
    status_label: str = Field(description="Status in the report's language.")
    end: date | None = Field(description="Planned end date.")
    overdue: bool = Field(description="Planned end date passed and not completed or cancelled.")
    comments: str = Field(description="Comments from the office's workbook (shown as text).")
    next_steps: str = Field(description="Next steps from the office's workbook (shown as text).")
    support_needed: str = Field(
        description="Support needed, from the office's workbook (shown as text)."
    )
    reason: str = Field(
        default="",
        description="Why it needs attention: overdue, at_risk, "
        "delayed_unexplained, regression or delayed.",
    )
    reason_text: str = Field(
        default="", description="That reason in the report's language, with its figures."
    )


class StripCell(Model):
    office: str = Field(description="Country code or region code.")
    name: str = Field(description="Office name in the report's language.")
    status: str = Field(description="The activity's status there, or 'not_reported'.")
    label: str = Field(description="That status in the report's language.")
    regressed: bool = Field(description="A row of it went back there since the last period.")


class AcrossFigure(Model):
    figure: IndicatorFigure = Field(
        description="The indicator's regional figure by its declared rule."
    )
    change: float | None = Field(
        description="Regional value now minus last period's; None without both."
    )
    fell: bool = Field(
        description="The regional figure went down, from as many countries as last period or more."
    )
    pace: str | None = Field(
        description="'ahead', 'on_pace' or 'behind' the share of the "
        "activity's time elapsed; None when unknown."
    )
    trend: Spark | None = Field(
        default=None,
        description="Mean capped progress of its offices towards their "
        "targets over the stored periods.",
    )


class AcrossActivity(Model):
    id: str = Field(description="Plan activity id.")
    title: str = Field(description="Activity title.")
    action_point: str = Field(description="'3. Title' of its action point.")
    lead: str = Field(description="Lead actor's name; empty when none.")
    partners: str = Field(description="Partners' names, comma-separated.")
    strip: list[StripCell] = Field(
        description="Its status in each office it applies to, in office order."
    )
    figures: list[AcrossFigure] = Field(description="Regional figure of each of its indicators.")
    elapsed: float | None = Field(
        description="Share of its planned time gone by the period's end, 0-100."
    )
    went_back: str = Field(
        description="Offices (names) where a row went back since the last period."
    )
    regressed: bool = Field(description="A row went back somewhere, or a regional figure fell.")


class ReturnState(Model):
    office: str = Field(description="Country code or region code.")
    name: str = Field(description="Office name in the report's language.")
    state: str = Field(description="'on_time', 'late', 'rejected' or 'missing'.")
    state_label: str = Field(description="The state in the report's language.")
    received_at: datetime | None = Field(
        description="When the counted (or last rejected) file arrived."
    )
    file: str = Field(description="File name of that return, empty when missing.")
    via: str | None = Field(
        description="The regional return that reported this office, when it sent none itself."
    )
    days_late: int | None = Field(description="Days after the due date, for late returns.")
    errors: list[str] = Field(
        description="The first problems of a rejected return, 'where: message'."
    )
    more_errors: int = Field(description="How many more problems the rejected return had.")


class OfficeActionPoint(Model):
    label: str = Field(description="'3. Title' of the action point.")
    activities: int = Field(description="Activities of this office under the action point.")
    status: StatusBar = Field(description="Those activities by status.")
    average_progress: float | None = Field(
        description="Mean capped progress towards target, 0-100."
    )
    delayed: int = Field(description="Of which delayed.")


class OverviewItem(Model):
    heading: str = Field(description="The heading in the report's language.")
    text: str = Field(description="What the office wrote under it (shown as text).")


class InitiativeLine(Model):
    office: str = Field(description="Country code or region code of the office that listed it.")
    office_name: str = Field(description="Office name in the report's language.")
    ref: str = Field(description="The office's number for it (I1, I2, ...).")
    title: str = Field(description="The initiative or project, as the office named it.")
    action_point: str = Field(description="'3. Title' of its action point.")
    actors: str = Field(description="Who runs it, as the office wrote it.")
    dates: str = Field(description="'2025-02-01 – 2027-01-31', open-ended when no end is given.")
    status: str = Field(description="Status value, or 'not_reported'.")
    status_label: str = Field(description="Status in the report's language.")
    comments: str = Field(description="The office's comments (shown as text).")


class ProposedLine(Model):
    office: str = Field(description="Country code or region code of the office that proposed it.")
    office_name: str = Field(description="Office name in the report's language.")
    title: str = Field(description="The activity, as the office named it.")
    action_point: str = Field(description="'3. Title' of its action point; empty when none.")
    lead: str = Field(description="Lead actor as the office gave it.")
    partners: str = Field(description="Partners as the office gave them.")
    indicator: str = Field(description="Indicator and unit, when given.")
    target: float | None = Field(description="Target, when given.")
    actual: float | None = Field(description="Value reached, when given.")
    dates: str = Field(description="Start and end, when given.")
    status: str = Field(description="Status value, or 'not_reported'.")
    status_label: str = Field(description="Status in the report's language.")
    comments: str = Field(description="The office's comments (shown as text).")
    like_plan: str = Field(
        default="",
        description="'ID Title' of the plan activity it is likely a duplicate of; empty when none.",
    )
    similarity: float | None = Field(
        default=None, description="How alike the two titles are, 0-100."
    )


class StockTakeGroup(Model):
    action_point: str = Field(description="'3. Title' of the action point, or the label for none.")
    anchor: str = Field(description="HTML id of the group.")
    initiatives: list[InitiativeLine] = Field(description="Initiatives outside the plan.")
    proposed: list[ProposedLine] = Field(description="New activities offices propose, by office.")


class PracticeLink(Model):
    text: str = Field(description="What the link is, as the office wrote it.")
    url: str | None = Field(description="An http(s) address, or None for a reference without one.")


class Practice(Model):
    anchor: str = Field(description="HTML id of the practice.")
    title: str = Field(description="Title of the practice.")
    office: str = Field(description="Country code or region code of the office that described it.")
    office_name: str = Field(description="Office name in the report's language.")
    period: str = Field(description="Period of the return that described it.")
    action_point: str = Field(description="'3. Title' of the action point it falls under.")
    action_point_id: str | None = Field(description="Framework id of that action point.")
    subject: str = Field(description="The plan activity or initiative it describes.")
    years: str = Field(description="'2025–2027' or '2024–present', from the activity's dates.")
    background: str = Field(description="A. Background and rationale.")
    actors: list[str] = Field(description="B. Actors.")
    actions: list[str] = Field(description="C. Actions.")
    review: str = Field(description="D. Review: results and lessons.")
    links: list[PracticeLink] = Field(description="E. Further information.")


class PracticeRef(Model):
    anchor: str = Field(description="HTML id of the practice in the good practices section.")
    title: str = Field(description="Title of the practice.")


class CountrySection(Model):
    office: str = Field(description="Country code or region code.")
    name: str = Field(description="Office name in the report's language.")
    anchor: str = Field(description="HTML id of the section.")
    return_state: ReturnState = Field(description="Whether and when this office's return arrived.")
    status: StatusBar = Field(description="This office's activities by status.")
    average_progress: float | None = Field(
        description="Mean capped progress towards target, 0-100."
    )
    overview: list[OverviewItem] = Field(description="The office's overview, by heading.")
    action_points: list[OfficeActionPoint] = Field(
        description="The office's figures per action point it has activities under."
    )
    lines: list[ActivityLine] = Field(
        description="Rows needing attention, most pressing first (overdue, at risk, delayed "
        "without explanation, regressions, delayed)."
    )
    lines_more: int = Field(
        description="How many more rows need attention than are listed (`matrix export` has all)."
    )
    initiatives: list[InitiativeLine] = Field(description="Initiatives the office listed.")
    proposed: list[ProposedLine] = Field(description="New activities the office proposed.")
    practices: list[PracticeRef] = Field(description="Good practices the office described.")


class ActorRow(Model):
    id: str = Field(description="Actor id.")
    name: str = Field(description="Actor name.")
    type_label: str = Field(description="Actor type in the report's language.")
    leads: int = Field(description="Activity-in-office instances this actor leads.")
    partners_in: int = Field(description="Activity-in-office instances this actor is a partner in.")
    leads_activities: int = Field(description="Plan activities this actor leads, each once.")
    leads_offices: int = Field(description="Offices where it leads at least one of them.")
    leads_text: str = Field(
        description="'1 activity in 7 countries', in the report's language; empty when none."
    )
    partner_activities: int = Field(
        description="Plan activities this actor is a partner in, each once."
    )
    partner_offices: int = Field(
        description="Offices where it is a partner in at least one of them."
    )
    partner_text: str = Field(
        description="'2 activities in 3 countries', in the report's language; empty when none."
    )
    status: StatusBar = Field(description="Status of the activities it leads.")
    average_progress: float | None = Field(
        description="Mean capped progress of what it leads, 0-100."
    )
    delayed: int = Field(description="Delayed activities it leads.")
    offices: list[str] = Field(description="Offices where it leads or partners, as codes.")


class Gaps(Model):
    action_points_without_activity: list[str] = Field(
        description="'3. Title' of action points with no activity."
    )
    offices_without_activity: list[str] = Field(
        description="Offices (names) with no activity at all."
    )
    action_point_office_gaps: list[str] = Field(
        description="'3. Title: Kenya, Malawi' for action points some "
        "offices have no activity under."
    )
    activities_without_lead: list[str] = Field(
        description="'ID Title' of activities with no lead actor."
    )
    activities_without_indicator: list[str] = Field(
        description="'ID Title' of activities with no indicator."
    )
    indicators_without_target: list[str] = Field(
        description="'ID: indicator' of indicators with no target."
    )

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in type(self).model_fields)


class Duplicate(Model):
    office: str = Field(description="Country code or region code.")
    office_name: str = Field(description="Office name in the report's language.")
    first: str = Field(
        description="First activity: 'ID Title' (plan) or the title an office proposed."
    )
    first_lead: str = Field(description="Lead of the first activity.")
    second: str = Field(description="Second activity.")
    second_lead: str = Field(description="Lead of the second activity.")
    similarity: float = Field(description="difflib ratio of the normalised titles, 0-100.")


class FundingRow(Model):
    key: str = Field(description="Action point id or actor id.")
    label: str = Field(description="'3. Title' or the actor's name.")
    funding: Funding = Field(description="Requirement, secured and gap.")
    bar_secured: float = Field(description="Secured as a 0-100 bar width (capped).")


class StatusChange(Model):
    office_name: str = Field(description="Office name.")
    ref: str = Field(description="Row reference.")
    activity: str = Field(description="Activity title.")
    before: str = Field(description="Status label in the previous period.")
    after: str = Field(description="Status label now.")
    after_status: str = Field(description="Status value now, for the colour.")


class TrendPoint(Model):
    period: str = Field(description="Period id.")
    average_progress: float | None = Field(description="Mean capped progress, 0-100.")
    completed_percent: float | None = Field(
        description="Completed activities, share of all, 0-100."
    )
    delayed: int = Field(description="Delayed activities.")
    returns_received: int = Field(description="Accepted returns.")
    x: float = Field(description="Chart x coordinate of this period.")
    y_progress: float | None = Field(description="Chart y coordinate of average_progress.")
    y_completed: float | None = Field(description="Chart y coordinate of completed_percent.")


class TrendChart(Model):
    points: list[TrendPoint] = Field(
        description="One point per stored period up to the report's period."
    )
    progress_path: str = Field(description="SVG polyline points of average progress.")
    completed_path: str = Field(description="SVG polyline points of completed share.")
    width: int = Field(description="SVG viewBox width.")
    height: int = Field(description="SVG viewBox height.")
    gridlines: list[tuple[int, float]] = Field(
        description="(percent label, y) of the horizontal gridlines."
    )
    plot_left: int = Field(description="x of the plot's left edge.")
    plot_right: int = Field(description="x of the plot's right edge.")


class Achievement(Model):
    office_name: str = Field(description="Office name.")
    ref: str = Field(description="Row reference.")
    activity: str = Field(description="Activity title.")
    what: str = Field(description="'Completed' or 'Target reached', in the report's language.")


class Ask(Model):
    office_name: str = Field(description="Office that asked.")
    ref: str = Field(description="Row reference.")
    activity: str = Field(description="Activity title.")
    text: str = Field(description="The support needed, as the office wrote it (shown as text).")


class PartnerAsk(Model):
    partner: str = Field(description="Actor id the asks go to; empty when the activity names none.")
    name: str = Field(description="Actor name, or 'no partner named'.")
    asks: list[Ask] = Field(description="The first asks.")
    more: int = Field(description="How many more asks this partner has.")


class QualityWarning(Model):
    office_name: str = Field(description="Office name.")
    file: str = Field(description="The return the warning is about.")
    where: str = Field(description="Sheet and cell, e.g. Matrix!O8.")
    code: str = Field(description="Issue code from the catalogue.")
    message: str = Field(description="What is wrong (shown as text).")


class ReportContext(Model):
    lang: str = Field(description="Report language: en, fr, es or ar.")
    direction: str = Field(description="'rtl' for Arabic, else 'ltr'.")
    labels: dict[str, str] = Field(
        description="Every catalogue label the templates use, for this language."
    )
    plan_id: str = Field(description="Plan id.")
    plan_title: str = Field(description="Plan title.")
    plan_hash: str = Field(description="First 12 characters of the plan's content hash.")
    framework_title: str = Field(description="Framework title.")
    period: str = Field(description="Report period id.")
    period_start: date = Field(description="First day of the period.")
    period_end: date = Field(description="Last day of the period.")
    due: date = Field(description="Due date of the period's returns.")
    previous_period: str | None = Field(
        description="Previous period id when it has data, else None."
    )
    country_name: str | None = Field(
        description="The office's name when the report is for one office only."
    )
    currency: str = Field(description="ISO 4217 code of the plan's budgets.")
    generated_at: datetime = Field(description="When the report was generated.")
    tool_version: str = Field(description="matrix version that made the report.")
    headline: Headline = Field(description="Headline figures.")
    highlights: list[Highlight] = Field(
        description="The few sentences a reader should take away first."
    )
    achievements: list[Achievement] = Field(
        description="Activities completed and targets reached this period, the first few."
    )
    achievements_total: int = Field(
        description="How many activities were completed or targets reached this period."
    )
    largest_gaps: list[FundingRow] = Field(
        description="The budgeted activities furthest from their requirement."
    )
    partner_asks: list[PartnerAsk] = Field(
        description="Support the offices need, by partner: the decisions asked of the committee."
    )
    action_points: list[ActionPointRow] = Field(
        description="Progress per action point, in framework order."
    )
    across: list[AcrossActivity] = Field(
        description="Activities applying to several offices, across them: "
        "regressions first, then behind pace."
    )
    across_total: int = Field(description="How many activities apply to several offices.")
    map: MapView | None = Field(
        description="Progress by country on a map; None with fewer than two countries."
    )
    heat_columns: list[HeatColumn] = Field(
        description="The heat map's action points: those with an activity in the report's offices."
    )
    heat_rows: list[HeatRow] = Field(description="Office × action point heat map.")
    countries: list[CountrySection] = Field(description="Per-office sections.")
    actors: list[ActorRow] = Field(description="Per-actor view, actors with something to do first.")
    delayed: list[ActivityLine] = Field(
        description="Rows needing attention in every office, most pressing "
        "first, with the offices' comments."
    )
    delayed_more: int = Field(description="How many more rows need attention than are listed.")
    gaps: Gaps = Field(description="Where the plan or the reporting has holes.")
    duplicates: list[Duplicate] = Field(
        description="Likely duplicated effort, the first MAX_DUPLICATES_SHOWN."
    )
    duplicates_more: int = Field(
        description="How many more likely duplicates were found than are shown."
    )
    duplicate_threshold: float = Field(description="Similarity threshold used, 0-100.")
    indicator_figures: list[IndicatorFigure] = Field(
        description="Regional figure of every country indicator, by its "
        "declared rules (empty for one office)."
    )
    funding_by_action_point: list[FundingRow] = Field(
        description="Funding per action point with a budget or funds "
        "secured on unbudgeted activities."
    )
    funding_by_actor: list[FundingRow] = Field(
        description="Funding per lead actor with a budget or funds "
        "secured on unbudgeted activities."
    )
    changes: list[StatusChange] = Field(
        description="Rows whose status changed since the previous "
        "period, the first MAX_CHANGES_SHOWN."
    )
    changes_more: int = Field(description="How many more rows changed status than are shown.")
    trend: TrendChart = Field(description="Trends over all stored periods up to this one.")
    returns: list[ReturnState] = Field(
        description="Every expected office's return state, in office order."
    )
    quality: list[QualityWarning] = Field(description="Data-quality warnings.")
    plan_changes: list[QualityWarning] = Field(
        default_factory=list,
        description="How the plan changed since the matrices of returns read from an earlier plan "
        "version were generated: rows not carried, rows added, targets revised.",
    )
    stock_take: list[StockTakeGroup] = Field(
        description="Initiatives outside the plan and proposed activities, per action point."
    )
    good_practices: list[Practice] = Field(description="Good practices described for the period.")
