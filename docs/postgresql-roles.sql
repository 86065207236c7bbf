-- Least-privilege roles for a matrix store kept in PostgreSQL (README, "Store").
--
-- 1. As a superuser:   CREATE ROLE matrix_owner LOGIN PASSWORD '...';
--                      CREATE DATABASE matrix OWNER matrix_owner;
-- 2. As matrix_owner:  matrix store init postgresql://matrix_owner@HOST/matrix
-- 3. As a superuser (or a role with CREATEROLE), connected to the database matrix: this file,
--    e.g. psql -d matrix -f docs/postgresql-roles.sql, then give people a login in one of the roles:
--                      CREATE ROLE amina LOGIN PASSWORD '...' IN ROLE matrix_collect;
--
-- Nobody but matrix_owner may change the schema, and nobody may delete or rewrite what was
-- collected: a corrected return is a new submission that supersedes the earlier one.

-- Reads everything: status, history, export, report, generate --prefill. Writes nothing.
CREATE ROLE matrix_report NOLOGIN;
GRANT CONNECT ON DATABASE matrix TO matrix_report;
GRANT USAGE ON SCHEMA public TO matrix_report;
GRANT SELECT ON matrix_store, plans, submissions, progress, proposed_activities, narratives,
  plan_versions, issued_matrices, summaries TO matrix_report;

-- Collects returns, and so reads too (a return is checked against the earlier periods'): adds
-- plans, submissions and their rows, and marks a submission superseded; generate records the
-- plan versions and the matrices it writes; it replaces the offices' summaries reports read
-- (figures worked out from what was collected, not what was collected); nothing else.
CREATE ROLE matrix_collect NOLOGIN IN ROLE matrix_report;
GRANT INSERT ON plans, submissions, progress, proposed_activities, narratives,
  plan_versions, issued_matrices TO matrix_collect;
GRANT UPDATE (superseded_by) ON submissions TO matrix_collect;
GRANT INSERT, DELETE ON summaries TO matrix_collect;
