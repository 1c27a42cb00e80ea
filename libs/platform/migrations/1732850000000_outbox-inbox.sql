-- Up Migration
-- Transactional outbox: rows are written in the same transaction as the state change and published by the relay.
CREATE TABLE outbox (
  seq           BIGSERIAL PRIMARY KEY,
  event_id      UUID NOT NULL UNIQUE,
  topic         TEXT NOT NULL,
  message_key   TEXT NOT NULL,
  envelope      JSONB NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  published_at  TIMESTAMPTZ,
  attempts      INTEGER NOT NULL DEFAULT 0,
  last_error    TEXT
);
CREATE INDEX outbox_unpublished_idx ON outbox (seq) WHERE published_at IS NULL;

-- Wakes the relays promptly (LISTEN outbox) instead of relying on slow polling.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify_trg AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Inbox: the ids of events a consumer has applied, written in the same transaction as the effect.
CREATE TABLE inbox (
  consumer      TEXT NOT NULL,
  event_id      UUID NOT NULL,
  topic         TEXT NOT NULL,
  processed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

-- Down Migration
DROP TABLE inbox;
DROP TRIGGER outbox_notify_trg ON outbox;
DROP FUNCTION outbox_notify();
DROP TABLE outbox;
