-- Up Migration
-- A transaction whose outbox rows a relay in the writer's own process picks up (woken in-process) sets
-- `SET LOCAL krt.outbox_notify = 'off'`: its commit sends no NOTIFY, so it does not queue on PostgreSQL's
-- process-wide notify lock at commit. Every other writer still wakes the relays through NOTIFY.
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('krt.outbox_notify', true) IS DISTINCT FROM 'off' THEN
    PERFORM pg_notify('outbox', '');
  END IF;
  RETURN NULL;
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END $$;
