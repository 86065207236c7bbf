"""Plan versions and the matrices generated from them, kept in the store on both backends: a
version is kept once, with its earliest first use, and reads back as exactly that plan."""

from __future__ import annotations

from datetime import UTC, datetime

from matrix.store import Store, schema
from matrix.versions import IssuedMatrix, PlanVersion, PlanVersions, version_text
from store_helpers import integrity_problems, older_store, query

pytest_plugins = ["store_fixtures"]

FIRST = datetime(2026, 7, 1, 9, 0, tzinfo=UTC)


def version_of(plan, when=FIRST) -> PlanVersion:
    return PlanVersion(plan.id, plan.content_hash(), version_text(plan, None), when)


def sent(plan, office: str, period: str, when=FIRST) -> IssuedMatrix:
    return IssuedMatrix(
        plan.id, plan.content_hash(), office, False, period, "fr", when, f"{office}_{period}.xlsx"
    )


def test_a_version_is_kept_once_and_reads_back_as_that_plan(store, sudan, dar):
    store.keep_version(version_of(sudan), [])
    store.keep_version(version_of(sudan, FIRST.replace(month=9)), [sent(sudan, "SDN", "2026-07")])
    store.keep_version(version_of(dar), [])
    [kept] = store.plan_versions(sudan.id)
    assert kept.first_used == FIRST  # the earliest use stays
    versions = PlanVersions.of(store.plan_versions(sudan.id), "the store")
    assert versions.plan(sudan.content_hash()) == sudan
    assert versions.plan(dar.content_hash()) is None  # another plan's versions are not read


def test_the_matrices_sent_read_back_by_plan_and_period(store, sudan):
    later = FIRST.replace(day=2)
    store.keep_version(
        version_of(sudan), [sent(sudan, "SDN", "2026-07"), sent(sudan, "SDN", "2026-08", later)]
    )
    assert [m.period for m in store.issued(sudan.id)] == ["2026-07", "2026-08"]
    [august] = store.issued(sudan.id, "2026-08")
    assert august == sent(sudan, "SDN", "2026-08", later)
    assert store.issued("another-plan") == []


def test_a_store_of_the_schema_before_versions_is_upgraded_without_loss(
    tmp_path, monkeypatch, sudan
):
    """A store made by the matrix before plan versions (its last migration, 2) opens with the
    versions' migration run next: its returns stay, and the plan they were collected with is
    kept as a version, so their matrices read against it."""
    path = tmp_path / "before.sqlite"
    before = schema.MIGRATIONS[:2]
    assert not any("plan_versions" in statement for statement in before[-1])
    rows = older_store(path, before, sudan, monkeypatch)
    with Store.open(path) as store:
        assert store.version == len(schema.MIGRATIONS) > len(before)  # versions' come next
        assert query(store, "PRAGMA user_version") == [(store.version,)]
        assert len(store.current_rows(sudan)) == rows > 0
        [kept] = store.plan_versions(sudan.id)
        assert PlanVersions.of([kept], "the store").plan(kept.hash) == sudan
        store.keep_version(version_of(sudan), [sent(sudan, "SDN", "2026-08")])
        assert [m.period for m in store.issued(sudan.id)] == ["2026-08"]
        assert integrity_problems(store) == []
