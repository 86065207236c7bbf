"""The store's tables as SQLAlchemy Core declares them: the one description every query is built
from, on SQLite and PostgreSQL alike. Their creation and changes are `schema.MIGRATIONS`; a test
checks that a migrated store has exactly these columns on both backends."""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, MetaData, Table, Text

metadata = MetaData()

store_info = Table(
    "matrix_store",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("application", Text, nullable=False),
    Column("version", Integer, nullable=False),
)
"""One row: which program the database belongs to, and how many migrations it has had."""

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Text, nullable=False),
    Column("hash", Text, nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("snapshot", Text, nullable=False),
    Column("first_seen", Text, nullable=False),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_ref", Integer, ForeignKey("plans.id"), nullable=False),
    Column("sha256", Text),
    Column("file_name", Text, nullable=False),
    Column("size", Integer),
    Column("received_at", Text, nullable=False),
    Column("plan_hash", Text),
    Column("office", Text),
    Column("regional", Integer),
    Column("period", Text),
    Column("lang", Text),
    Column("generated_at", Text),
    Column("outcome", Text, nullable=False),
    Column("superseded_by", Integer, ForeignKey("submissions.id")),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("problems", Text, nullable=False),
    Column("row_count", Integer, nullable=False),
    Column("proposed_count", Integer, nullable=False),
)

progress = Table(
    "progress",
    metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("country", Text, primary_key=True),
    Column("activity_id", Text, nullable=False),
    Column("indicator_index", Integer, nullable=False),
    Column("ref", Text, primary_key=True),
    Column("sheet", Text, nullable=False),
    Column("row", Integer, nullable=False),
    Column("status", Text),
    Column("actual", Float),
    Column("funds_secured", Float),
    Column("comments", Text, nullable=False),
    Column("next_steps", Text, nullable=False),
    Column("support_needed", Text, nullable=False),
)
"""One row per `ProgressRow` of an accepted return: the same field names."""

proposed_activities = Table(
    "proposed_activities",
    metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("sheet", Text, primary_key=True),
    Column("row", Integer, primary_key=True),
    Column("action_point", Text),
    Column("title", Text, nullable=False),
    Column("lead", Text, nullable=False),
    Column("partners", Text, nullable=False),
    Column("indicator", Text, nullable=False),
    Column("unit", Text, nullable=False),
    Column("target", Float),
    Column("start", Text),
    Column("end", Text),
    Column("status", Text),
    Column("actual", Float),
    Column("comments", Text, nullable=False),
)
"""One row per `ProposedActivity` of an accepted return: the same field names."""

narratives = Table(
    "narratives",
    metadata,
    Column("submission_id", Integer, ForeignKey("submissions.id"), primary_key=True),
    Column("kind", Text, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("body", Text, nullable=False),
)
"""What an accepted return's office wrote besides figures (`matrix.store.narratives`): one row per
overview text, initiative or good practice, the item as its model's JSON."""

plan_versions = Table(
    "plan_versions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Text, nullable=False),
    Column("hash", Text, nullable=False, unique=True),
    Column("text", Text, nullable=False),
    Column("first_used", Text, nullable=False),
)
"""Every plan version matrices were generated from (`matrix.versions.PlanVersion`), so a return
is read against its own version."""

issued_matrices = Table(
    "issued_matrices",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("plan_id", Text, nullable=False),
    Column("plan_hash", Text, nullable=False),
    Column("office", Text, nullable=False),
    Column("regional", Integer, nullable=False),
    Column("period", Text, nullable=False),
    Column("lang", Text, nullable=False),
    Column("generated_at", Text, nullable=False),
    Column("file_name", Text, nullable=False),
)
"""Every matrix `generate` wrote (`matrix.versions.IssuedMatrix`): who holds which version."""

summaries = Table(
    "summaries",
    metadata,
    Column("plan_id", Text, nullable=False),
    Column("plan_hash", Text, primary_key=True),
    Column("office", Text, primary_key=True),
    Column("period", Text, primary_key=True),
    Column("inputs", Text, nullable=False),
    Column("figures", Text, nullable=False),
    Column("capped", Text, nullable=False),
    Column("carried", Text, nullable=False),
    Column("rows", Text, nullable=False, server_default=""),
    Column("funds", Text, nullable=False, server_default=""),
)
"""One office's figures as of one period under one plan version (`matrix.report.summaries`), kept
by `collect` so a report reads them instead of every row of the periods it only charts; `inputs`
names the returns they were worked out from, so a stale one is never used."""

DATA_TABLES = (
    plans,
    submissions,
    progress,
    proposed_activities,
    narratives,
    plan_versions,
    issued_matrices,
    summaries,
)
"""Every table holding what was collected, in an order that satisfies the foreign keys."""
