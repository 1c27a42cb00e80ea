-- Up Migration
-- The outbox stops notifying from inside the writer's transaction: every transaction that writes outbox rows signals
-- the relays after its COMMIT instead (`signalOutbox` in @krt/platform/messaging, the after-commit hook `enqueue`
-- registers), so no commit queues on PostgreSQL's process-wide notify lock. The relays still LISTEN on channel
-- `outbox` (the signal is a pg_notify outside any money transaction) and poll as a fallback.
DROP TRIGGER IF EXISTS outbox_notify_trg ON outbox;
DROP FUNCTION IF EXISTS outbox_notify();

-- Down Migration
-- Back to a NOTIFY per outbox INSERT statement, with the opt-out of 1796600000000_outbox-notify-opt-out.
CREATE OR REPLACE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('krt.outbox_notify', true) IS DISTINCT FROM 'off' THEN
    PERFORM pg_notify('outbox', '');
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify_trg AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();
