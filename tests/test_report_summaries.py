"""Each office's figures as of each period, kept by collect (`matrix.report.summaries`): a report
from kept summaries shows what one worked out from the rows shows, on both backends, with every
kind of period rule; a summary whose returns changed is never used; collect keeps them."""

from __future__ import annotations

import base64
import json
import random
import shutil
from datetime import UTC, datetime

from sqlalchemy import update

from checkout import SUDAN
from matrix.models.plan import Plan, Status
from matrix.periods import Period
from matrix.plan import expected_offices, load_plan
from matrix.report.build import build_context
from matrix.report.counting import ASKS, COMMENTED, STATUS_CODE, Layout, snapshots
from matrix.report.source import from_store, refresh, report_data
from matrix.report.summaries import charted, snapshot
from matrix.store import Store
from matrix.store.tables import summaries
from store_helpers import make_result, returned_matrix

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


def drawn(plan: Plan, office: str, period: str, rng: random.Random, content: str = ""):
    """`office`'s return for `period` with statuses, figures and comments drawn at random."""
    result = make_result(plan, office, period, content=content)
    rows = [
        r.model_copy(
            update={
                "status": rng.choice([*Status, None]),
                "actual": rng.choice([None, rng.randint(0, 300)]),
                "funds_secured": rng.choice([None, rng.randint(0, 9000)]),
                "comments": rng.choice(["", "waiting for the ministry"]),
                "support_needed": rng.choice(["", "two vehicles"]),
            }
        )
        for r in result.rows
    ]
    return result.model_copy(update={"rows": rows})


def fill(store, plan: Plan) -> None:
    """Every country's return for every period, drawn at random (seeded), and the regional
    workbook of the second period, which fills the region-wide rows and overlaps the countries'."""
    rng = random.Random(7)
    for period in PERIODS:
        for office in plan.countries:
            store.record(drawn(plan, office, period, rng), plan)
    store.record(drawn(plan, plan.region.code, PERIODS[1], rng), plan)


def worked_out(plan: Plan, store, period: str, *, brief: bool = True):
    """The report of `period` with no kept summary: every one worked out from the rows (read
    briefly, or in full)."""
    with store.reading():
        data = report_data(plan, store)
        data.summaries = {}
        for stored in data.periods.values():
            stored.brief_rows = stored.brief_rows if brief else None
        return build_context(plan, data, period, generated_at=GENERATED)


def kept(plan: Plan, store, period: str):
    return from_store(plan, store, period, generated_at=GENERATED)


def same_either_way(plan: Plan, store, period: str) -> bool:
    """Whether the report of `period` from the kept summaries is the one worked out without."""
    return kept(plan, store, period).model_dump() == worked_out(plan, store, period).model_dump()


def test_a_report_from_kept_summaries_shows_what_the_rows_give(store, dar):
    plan = every_rule(dar)
    fill(store, plan)
    every = {(o, p) for o in expected_offices(plan) for p in PERIODS}
    assert refresh(plan, store) == len(every)
    with store.reading():
        assert report_data(plan, store).summaries.keys() == every

    assert all(same_either_way(plan, store, period) for period in PERIODS)
    assert refresh(plan, store) == 0  # nothing stale: nothing worked out again


def test_summaries_worked_out_from_brief_rows_match_full_ones(store, dar):
    plan = every_rule(dar)
    fill(store, plan)
    last = PERIODS[-1]
    brief = worked_out(plan, store, last)
    assert brief.model_dump() == worked_out(plan, store, last, brief=False).model_dump()
    assert len(brief.trend.points) == len(PERIODS)


def test_a_charted_period_shows_the_headline_of_its_own_report(store, dar):
    plan = every_rule(dar)
    fill(store, plan)
    refresh(plan, store)
    points = {p.period: p for p in kept(plan, store, PERIODS[-1]).trend.points}
    for period in PERIODS[:-2]:  # the periods the last report only charts
        headline = kept(plan, store, period).headline
        counts = {c.status: c for c in headline.status.counts}
        assert points[period].average_progress == headline.average_progress is not None
        assert points[period].completed_percent == counts["completed"].percent
        assert points[period].delayed == counts["delayed"].count


def test_the_report_reads_the_kept_summaries(store, dar):
    """Proof that a kept summary is what the trend shows: one altered in the store changes it."""
    plan = every_rule(dar)
    fill(store, plan)
    refresh(plan, store)
    before = kept(plan, store, PERIODS[-1]).trend.points[0]
    [stored] = [s for s in store.summaries(plan) if (s.office, s.period) == ("KEN", PERIODS[0])]
    groups = json.loads(stored.figures)
    for group in groups:
        group[1] = {"delayed": group[1].get("delayed", 0) + 10} | {
            k: v for k, v in group[1].items() if k != "delayed"
        }
    altered(store, stored.office, stored.period, figures=json.dumps(groups))

    after = kept(plan, store, PERIODS[-1]).trend.points[0]
    assert after.delayed == before.delayed + 10 * len(groups)


def altered(store, office: str, period: str, **values) -> None:
    with store.conn.begin():
        store.conn.execute(
            update(summaries)
            .where(summaries.c.office == office, summaries.c.period == period)
            .values(**values)
        )


def test_a_late_or_corrected_return_makes_the_summaries_it_changes_stale(store, dar):
    plan = every_rule(dar)
    fill(store, plan)
    refresh(plan, store)
    rng = random.Random(11)
    store.record(drawn(plan, "KEN", PERIODS[1], rng, content="corrected"), plan)
    regional = drawn(plan, plan.region.code, PERIODS[2], rng)
    store.record(regional, plan)  # fills rows of every country and the region
    changed = (
        {("KEN", PERIODS[1]), ("KEN", PERIODS[2])}
        | {(office, period) for office in expected_offices(plan) for period in PERIODS[2:]}
        | {("KEN", PERIODS[3])}
    )

    with store.reading():
        usable = report_data(plan, store).summaries.keys()
    every = {(o, p) for o in expected_offices(plan) for p in PERIODS}
    assert every - usable == changed
    assert all(same_either_way(plan, store, period) for period in PERIODS)
    assert refresh(plan, store) == len(changed)
    assert same_either_way(plan, store, PERIODS[-1])


def test_a_damaged_summary_is_worked_out_again(store, dar):
    plan = every_rule(dar)
    fill(store, plan)
    refresh(plan, store)
    altered(store, "TZA", PERIODS[0], capped="not base64 at all!", figures="[")
    altered(store, "MWI", PERIODS[1], capped="")  # decodes, but holds no row
    altered(store, "ETH", PERIODS[1], carried="[[123456, 1, 1, 1]]")  # a row it does not have
    altered(store, "KEN", PERIODS[1], carried="{")
    assert same_either_way(plan, store, PERIODS[-1])


def test_damaged_rows_of_the_period_before_are_worked_out_again(store, dar):
    """The report compares the reported period with its predecessor's kept rows: rows that do not
    decode, miss a row or hold a status that does not exist, and funds that do not decode or name
    an activity the office does not have, are worked out from the store."""
    plan = every_rule(dar)
    fill(store, plan)
    refresh(plan, store)
    before = PERIODS[-2]
    rows = {s.office: base64.b64decode(s.rows) for s in store.summaries(plan) if s.period == before}
    altered(store, "TZA", before, rows="not base64 at all!")
    altered(store, "MWI", before, rows=base64.b64encode(rows["MWI"][9:]).decode())
    altered(store, "ETH", before, rows=base64.b64encode(rows["ETH"][:-1] + b"\x07").decode())
    altered(store, "KEN", PERIODS[-1], funds="[[0, 1")
    altered(store, "UGA", PERIODS[-1], funds="[[9999, 1.0]]")
    assert same_either_way(plan, store, PERIODS[-1])


def test_the_report_compares_with_the_kept_rows_of_the_period_before(store, dar):
    """Proof that the period before is read from its summaries, not its rows: rows kept as
    completed there make every row not completed now a regression."""
    plan = every_rule(dar)
    fill(store, plan)
    refresh(plan, store)
    now = kept(plan, store, PERIODS[-1])
    [stored] = [s for s in store.summaries(plan) if (s.office, s.period) == ("KEN", PERIODS[-2])]
    rows = base64.b64decode(stored.rows)
    n = len(rows) // 9
    completed = bytes([STATUS_CODE[Status.COMPLETED.value]]) * n
    altered(store, "KEN", PERIODS[-2], rows=base64.b64encode(rows[: 8 * n] + completed).decode())

    after = kept(plan, store, PERIODS[-1])
    changed = {(c.office_name, c.ref, c.before) for c in after.changes}
    went_back = changed - {(c.office_name, c.ref, c.before) for c in now.changes}
    assert went_back and {(office, was) for office, _, was in went_back} == {("Kenya", "Completed")}
    assert after.model_dump() != now.model_dump()


def test_another_plan_version_reads_none_and_its_collect_drops_them(store, dar):
    plan = every_rule(dar)
    fill(store, plan)
    refresh(plan, store)
    data = plan.model_dump()
    data["objectives"][0]["activities"][0]["indicators"][0]["target"] = 999
    revised = Plan.model_validate(data)

    with store.reading():
        assert report_data(revised, store).summaries == {}
    every = len(expected_offices(plan)) * len(PERIODS)
    assert refresh(revised, store) == every
    assert store.summaries(plan) == [] and len(store.summaries(revised)) == every
    assert same_either_way(revised, store, PERIODS[-1])


def test_collect_keeps_the_summaries_of_what_it_recorded(run, tmp_path, store_url):
    shutil.copy(SUDAN, tmp_path / "plan.yaml")
    plan = load_plan(tmp_path / "plan.yaml")
    for period, share in (("2026-07", 0.25), ("2026-08", 0.5)):
        returned_matrix(plan, period, tmp_path / period, share=share)
        assert run("collect", period, "--store", store_url).exit_code == 0
    with Store.open(store_url, create=False) as store:
        found = {(s.office, s.period) for s in store.summaries(plan)}
        assert found == {(o, p) for o in expected_offices(plan) for p in ("2026-07", "2026-08")}
        assert refresh(plan, store) == 0


def test_a_snapshot_from_kept_summaries_is_the_one_the_rows_give(store, dar):
    """What the report shows of each row (status, figure, whether its comments explain it and it
    asks for support, funds secured) read back from the kept summaries, against the rows read in
    full."""
    plan = every_rule(dar)
    fill(store, plan)
    refresh(plan, store)
    layout = Layout(plan, expected_offices(plan))
    periods = [Period.parse(p) for p in PERIODS]
    with store.reading():
        data = report_data(plan, store)
        from_rows = list(snapshots(layout, data, periods[0], periods[-1]))
        from_summaries = charted(layout, data, periods, PERIODS)
    for rows, (period, _, of_office) in zip(from_rows, from_summaries, strict=True):
        assert all(of_office[o] is data.summaries[(o, period.id)] for o in layout.offices)
        kept = snapshot(layout, period, of_office)
        assert (kept.status, kept.achieved) == (rows.status, rows.achieved)
        assert kept.notes == rows.notes and {n & COMMENTED for n in kept.notes} == {0, COMMENTED}
        assert {n & ASKS for n in kept.notes} == {0, ASKS}
        assert kept.funds == rows.funds and kept.funds
        assert kept.group_figures() == rows.group_figures()


def test_a_report_reads_the_rows_of_the_two_periods_it_compares_only(store, dar):
    plan = every_rule(dar)
    fill(store, plan)
    refresh(plan, store)
    with store.reading():
        data = report_data(plan, store, compared=PERIODS[-2:])
    assert len(data.summaries) == len(expected_offices(plan)) * len(PERIODS)
    assert {period for (_, period), s in data.summaries.items() if s.rows} == set(PERIODS[-2:])
    assert same_either_way(plan, store, PERIODS[-1])
