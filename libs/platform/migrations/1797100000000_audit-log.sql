-- Up Migration
-- Operators' audit trail (issue #19; @krt/platform/audit): one row per back-office action, written in the action's
-- own transaction. Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE (for every role, the owner included),
-- and the application's role (the one running this migration) and PUBLIC lose those privileges. A platform migration:
-- the same table in every service's database; `service` defaults to the database's name.
CREATE TABLE audit_log (
  id             BIGSERIAL PRIMARY KEY,
  occurred_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  service        TEXT NOT NULL DEFAULT current_database(),
  actor_id       TEXT NOT NULL,
  actor_name     TEXT,
  action         TEXT NOT NULL,
  subject_type   TEXT NOT NULL,
  subject_id     TEXT NOT NULL,
  reason         TEXT,
  correlation_id TEXT,
  details        JSONB NOT NULL DEFAULT '{}'::jsonb
);
-- The back office's filters, newest first (keyset on id).
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, id DESC);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_id, id DESC);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
-- Statement-level, so even an UPDATE or DELETE that matches no row is refused.
CREATE TRIGGER audit_log_append_only_trg BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM CURRENT_USER;

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
