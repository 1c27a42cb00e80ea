-- Up Migration
-- Dead letters replayed from the back office (issue #19): one row per dead letter (a Kafka DLT record, a RabbitMQ DLQ
-- message), written in the replay's transaction, so the list shows when it was replayed and a second replay of the
-- same dead letter does nothing (the consumers' inboxes would drop its effect anyway).
CREATE TABLE dead_letter_replays (
  id                TEXT PRIMARY KEY,
  source            TEXT NOT NULL CHECK (source IN ('kafka', 'rabbitmq')),
  dead_letter_topic TEXT NOT NULL,
  original_topic    TEXT NOT NULL,
  message_key       TEXT,
  replayed_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  replayed_by       TEXT NOT NULL,
  replayed_by_name  TEXT,
  reason            TEXT NOT NULL
);

-- The Notification consumer refuses an account.created whose e-mail is another customer's (case-insensitive).
CREATE INDEX customers_email_lower_idx ON customers (lower(email));

-- Down Migration
DROP INDEX customers_email_lower_idx;
DROP TABLE dead_letter_replays;
