"""One activity across the States: per plan activity, its lead and partners, its status in each
country as a compact strip, each indicator's regional figure by the rule the plan declares, that
figure against the pace of the activity's time elapsed, and its change since the last period.
Activities that went back (a country's completed row undone, a total falling) come first, then
those behind pace, then the rest in plan order."""

from __future__ import annotations

from matrix.report.attention import elapsed_percent
from matrix.report.context import AcrossActivity, AcrossFigure, IndicatorFigure, StripCell
from matrix.report.counting import Layout, Snapshot
from matrix.report.sections.trends import History
from matrix.report.words import Words

MAX_ACROSS_SHOWN = 20
"""Activities shown across the States; a global plan has thousands (`matrix export` has all)."""
PACES = ("ahead", "on_pace", "behind")


def pace(progress: float | None, elapsed: float | None, margin: float) -> str | None:
    """'ahead' when progress towards target (0-100) is at least the share of time elapsed,
    'on_pace' when it trails by no more than `margin` points, else 'behind'; None when either
    is unknown."""
    if progress is None or elapsed is None:
        return None
    if progress >= elapsed:
        return "ahead"
    return "on_pace" if elapsed - progress <= margin else "behind"


def across(
    now: Snapshot,
    figures: list[IndicatorFigure],
    earlier: list[IndicatorFigure],
    history: History,
    regressed: frozenset[int],
    words: Words,
) -> tuple[list[AcrossActivity], int]:
    """The activities that apply to more than one office, most pressing first: the first
    MAX_ACROSS_SHOWN and how many there are. `regressed`: the rows that went back."""
    layout = now.layout
    if len(layout.offices) < 2:
        return [], 0
    margin = words.plan.check_settings.at_risk_margin
    by_ref = {f.ref: f for f in figures}
    was = {f.ref: f for f in earlier}
    keys_of: dict[str, list[int]] = {}
    for k, (_, activity_id) in enumerate(layout.keys):
        keys_of.setdefault(activity_id, []).append(k)
    names = {a.id: a.name for a in words.plan.actors}
    went_back_keys = {layout.row_key[j] for j in regressed}
    ranked = []
    for order, activity_id in enumerate(layout.activity_ids):
        keys = keys_of[activity_id]
        if len(keys) < 2:
            continue
        back = [k for k in keys if k in went_back_keys]
        shown = _figures(
            layout.key_rows[keys[0]],
            layout,
            by_ref,
            was,
            history,
            margin,
            elapsed_percent(layout.activity[activity_id], now.period_end),
        )
        fell = any(s.fell for s in shown)
        rank = 0 if back or fell else 1 if any(s.pace == "behind" for s in shown) else 2
        ranked.append((rank, order, activity_id, keys, set(back), shown, fell))
    ranked.sort(key=lambda item: item[:2])
    out = []
    for _, _, activity_id, keys, went_back, shown, fell in ranked[:MAX_ACROSS_SHOWN]:
        activity = layout.activity[activity_id]
        strip = [
            StripCell(
                office=(office := layout.keys[k][0]),
                name=words.office(office),
                status=now.key_status[k],
                label=words.status(now.key_status[k]),
                regressed=k in went_back,
            )
            for k in keys
        ]
        out.append(
            AcrossActivity(
                id=activity_id,
                title=activity.title,
                action_point=words.action_point(layout.action_point[activity_id]),
                lead=names.get(activity.lead or "", activity.lead or ""),
                partners=", ".join(names.get(p, p) for p in activity.partners),
                strip=strip,
                figures=shown,
                elapsed=elapsed_percent(activity, now.period_end),
                went_back=", ".join(c.name for c in strip if c.regressed),
                regressed=bool(went_back) or fell,
            )
        )
    return out, len(ranked)


def _figures(
    rows: range,
    layout: Layout,
    by_ref: dict[str, IndicatorFigure],
    was: dict[str, IndicatorFigure],
    history: History,
    margin: float,
    elapsed: float | None,
) -> list[AcrossFigure]:
    """The regional figure of each indicator of an activity (its rows in one office), with its
    change, pace and trend."""
    shown = []
    for j in rows:
        ref = layout.rows[j].ref
        if (f := by_ref.get(ref)) is None:
            continue
        e = was.get(ref)
        change = (
            f.value - e.value
            if f.value is not None and e is not None and e.value is not None
            else None
        )
        # a figure from fewer countries than last period is lower for that alone: not a fall
        fell = change is not None and change < 0 and e is not None and f.reporting >= e.reporting
        shown.append(
            AcrossFigure(
                figure=f,
                change=change,
                fell=fell,
                pace=pace(
                    None if f.percent_of_target is None else min(f.percent_of_target, 100.0),
                    elapsed,
                    margin,
                ),
                trend=history.of_ref(ref),
            )
        )
    return shown
