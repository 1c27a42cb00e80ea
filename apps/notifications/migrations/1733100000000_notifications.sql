-- Up Migration
-- Contact data and preferences of each customer, kept from `account.created` (no service reads another's tables).
CREATE TABLE customers (
  customer_id   UUID PRIMARY KEY,
  full_name     TEXT NOT NULL,
  email         TEXT NOT NULL,
  phone         TEXT NOT NULL,
  -- Channel preferences; in-app notifications are always on (they are the notification center).
  notify_email  BOOLEAN NOT NULL DEFAULT true,
  notify_sms    BOOLEAN NOT NULL DEFAULT true,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- In-app notifications: the notification center of each customer.
CREATE TABLE notifications (
  id            UUID PRIMARY KEY,
  customer_id   UUID NOT NULL,
  event_id      UUID NOT NULL,
  kind          TEXT NOT NULL,
  title         TEXT NOT NULL,
  body          TEXT NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  read_at       TIMESTAMPTZ
);
-- The center lists unread first, newest first; the expression matches the ORDER BY of the list query.
CREATE INDEX notifications_center_idx ON notifications (customer_id, (read_at IS NULL) DESC, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (customer_id) WHERE read_at IS NULL;

-- One row per (event, channel, recipient): the dedupe key that makes every notification reach the customer once.
CREATE TABLE deliveries (
  event_id            UUID NOT NULL,
  channel             TEXT NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
  customer_id         UUID NOT NULL,
  notification_id     UUID NOT NULL,
  kind                TEXT NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('sending', 'failed', 'delivered')),
  attempts            INTEGER NOT NULL DEFAULT 0,
  last_error          TEXT,
  provider_message_id TEXT,
  created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  delivered_at        TIMESTAMPTZ,
  PRIMARY KEY (event_id, channel, customer_id)
);
CREATE INDEX deliveries_customer_idx ON deliveries (customer_id, created_at DESC);

-- Down Migration
DROP TABLE deliveries;
DROP TABLE notifications;
DROP TABLE customers;
