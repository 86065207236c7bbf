"""Overviews, initiatives and good practices kept with each return (store schema 2): read back as
recorded, superseded with the return, left out when rejected, the latest before a period for
`--prefill`, and a store of schema 1 upgraded in place without loss."""

from __future__ import annotations

from matrix.models.returns import GoodPractice, Link, Narratives, OverviewText
from matrix.store import Store, schema
from narrative_helpers import initiative
from store_helpers import make_result, older_store, query

pytest_plugins = ["store_fixtures"]


def narratives(text: str) -> Narratives:
    return Narratives(
        overview=[OverviewText(heading="main_trends", text=text)],
        initiatives=[initiative(action_point="AP5")],
        good_practices=[
            GoodPractice(
                sheet="Good practices",
                row=4,
                initiative_ref="I1",
                title="Aid",
                background="B",
                actors=["NGOs"],
                actions=["Visits", "Clinics"],
                review="R",
                further_information=[Link(text="Report", url="https://www.unhcr.org/r")],
            )
        ],
    )


def sent(plan, period: str, text: str, **kwargs):
    return make_result(plan, "SDN", period, content=text, **kwargs).model_copy(
        update={"narratives": narratives(text)}
    )


def test_narratives_read_back_as_recorded(store, sudan):
    store.record(sent(sudan, "2026-07", "July"), sudan)
    [found] = store.narratives(sudan)
    assert (found.period, found.office) == ("2026-07", "SDN")
    assert found.narratives == narratives("July")


def test_a_corrected_return_supersedes_its_narratives_and_both_stay(store, sudan):
    store.record(sent(sudan, "2026-07", "first"), sudan)
    store.record(sent(sudan, "2026-07", "corrected"), sudan)
    [found] = store.narratives(sudan)
    assert found.narratives.overview[0].text == "corrected"
    assert query(store, "SELECT count(*) FROM narratives WHERE kind = 'overview'") == [(2,)]


def test_a_rejected_return_stores_no_narratives(store, sudan):
    store.record(sent(sudan, "2026-07", "bad", rejected=True), sudan)
    assert store.narratives(sudan) == []
    assert query(store, "SELECT count(*) FROM narratives") == [(0,)]


def test_periods_and_offices_are_chosen(store, dar):
    for office, period in (("KEN", "2026-Q3"), ("TZA", "2026-Q3"), ("KEN", "2026-Q4")):
        result = make_result(dar, office, period).model_copy(
            update={"narratives": narratives(office + period)}
        )
        store.record(result, dar)
    assert [(s.office, s.period) for s in store.narratives(dar, ["2026-Q3"])] == [
        ("KEN", "2026-Q3"),
        ("TZA", "2026-Q3"),
    ]
    assert [s.period for s in store.narratives(dar, office="KEN")] == ["2026-Q3", "2026-Q4"]
    assert store.narratives(dar, ["2027-Q1"]) == []


def test_prefill_takes_each_office_s_latest_return_before_the_period(store, dar):
    for office, period in (
        ("KEN", "2026-Q3"),
        ("KEN", "2026-Q4"),
        ("TZA", "2026-Q3"),
        ("TZA", "2027-Q1"),
    ):
        result = make_result(dar, office, period).model_copy(
            update={"narratives": narratives(office + period)}
        )
        store.record(result, dar)
    latest = store.latest_narratives(dar, "2027-Q1")
    assert {office: n.overview[0].text for office, n in latest.items()} == {
        "KEN": "KEN2026-Q4",
        "TZA": "TZA2026-Q3",
    }
    assert store.latest_narratives(dar, "2026-Q3") == {}


def test_a_store_of_schema_1_is_upgraded_without_loss(tmp_path, monkeypatch, sudan):
    path = tmp_path / "old.sqlite"
    rows = older_store(path, schema.MIGRATIONS[:1], sudan, monkeypatch)
    with Store.open(path) as store:
        assert store.version == len(schema.MIGRATIONS) >= 2
        assert query(store, "PRAGMA user_version") == [(len(schema.MIGRATIONS),)]
        assert len(store.current_rows(sudan)) == rows > 0
        assert store.narratives(sudan) == []
        store.record(sent(sudan, "2026-08", "August"), sudan)
        assert [s.period for s in store.narratives(sudan)] == ["2026-08"]
